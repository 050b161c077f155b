#include "command_line.hpp"

#include <fmt/format.h>

#include <charconv>
#include <set>

namespace kohtaamo {
namespace {

Result<Instant> parseTimeArgument(std::string_view option, std::string_view text)
{
    if (auto instant = parseInstant(text, TimeZone::helsinki())) return *instant;
    return fail(ErrorCode::InvalidInput,
                fmt::format("{}: \"{}\" is not an ISO 8601 date-time (e.g. 2026-03-10T10:00 or "
                            "2026-03-10T10:00+02:00)",
                            option, text));
}

std::optional<std::pair<int, int>> parseSize(std::string_view text)
{
    const auto x = text.find('x');
    if (x == std::string_view::npos) return std::nullopt;
    int width = 0;
    int height = 0;
    const auto w = std::from_chars(text.data(), text.data() + x, width);
    const auto h = std::from_chars(text.data() + x + 1, text.data() + text.size(), height);
    if (w.ec != std::errc() || h.ec != std::errc() || w.ptr != text.data() + x || h.ptr != text.data() + text.size() ||
        width < 320 || height < 320 || width > 8192 || height > 8192) {
        return std::nullopt;
    }
    return std::pair{width, height};
}

} // namespace

Result<CommandLine> parseCommandLine(const std::vector<std::string>& arguments)
{
    CommandLine result;
    auto value = [&](std::size_t& i, std::string_view option) -> Result<std::string> {
        if (i + 1 >= arguments.size()) return fail(ErrorCode::InvalidInput, fmt::format("{} needs a value", option));
        return arguments[++i];
    };
    for (std::size_t i = 0; i < arguments.size(); ++i) {
        const std::string& option = arguments[i];
        if (option == "--version") {
            result.mode = Mode::Version;
        } else if (option == "--help" || option == "-h") {
            result.mode = Mode::Help;
        } else if (option == "--print-home") {
            result.mode = Mode::PrintHome;
        } else if (option == "--sync-once") {
            result.mode = Mode::SyncOnce;
        } else if (option == "--status") {
            result.mode = Mode::Status;
        } else if (option == "--check-feed") {
            if (i + 2 >= arguments.size()) return fail(ErrorCode::InvalidInput, "--check-feed needs KIND and FILE, URL or CONFIG");
            result.mode = Mode::CheckFeed;
            result.feedKind = arguments[++i];
            result.feedTarget = arguments[++i];
        } else if (option == "--software") {
            result.softwareRenderer = true;
        } else if (option == "--first-frame-exit") {
            result.exitAfterFirstFrame = true;
        } else if (option == "--windowed") {
            result.windowed = true;
            if (i + 1 < arguments.size()) {
                if (auto size = parseSize(arguments[i + 1])) {
                    result.size = size;
                    ++i;
                }
            }
        } else if (option == "--size" || option == "--screenshot" || option == "--screen" || option == "--item" ||
                   option == "--search" || option == "--text-scale" || option == "--contrast" ||
                   option == "--rotation" || option == "--hash-pin") {
            auto text = value(i, option);
            if (!text) return std::unexpected(text.error());
            if (option == "--size") {
                result.size = parseSize(*text);
                if (!result.size) {
                    return fail(ErrorCode::InvalidInput,
                                fmt::format("--size: \"{}\" is not WIDTHxHEIGHT (e.g. 1920x1080)", *text));
                }
            } else if (option == "--screenshot") {
                result.mode = Mode::Screenshot;
                result.screenshotFile = *text;
            } else if (option == "--screen") {
                static const std::set<std::string, std::less<>> kScreens{"home",   "events", "dropin", "services",
                                                                         "detail", "search", "staff"};
                if (!kScreens.contains(*text)) {
                    return fail(ErrorCode::InvalidInput,
                                fmt::format("--screen: \"{}\" is not one of home, events, dropin, services, detail, "
                                            "search, staff",
                                            *text));
                }
                result.screen = *text;
            } else if (option == "--item") {
                result.item = *text;
            } else if (option == "--search") {
                result.search = *text;
            } else if (option == "--text-scale") {
                float scale = 0;
                const auto parsed = std::from_chars(text->data(), text->data() + text->size(), scale);
                if (parsed.ec != std::errc() || scale < 1.0f || scale > 2.0f) {
                    return fail(ErrorCode::InvalidInput, fmt::format("--text-scale: \"{}\" is not from 1.0 to 2.0", *text));
                }
                result.textScale = scale;
            } else if (option == "--contrast") {
                if (*text != "high" && *text != "normal") {
                    return fail(ErrorCode::InvalidInput, fmt::format("--contrast: \"{}\" is not high or normal", *text));
                }
                result.highContrast = *text == "high";
            } else if (option == "--rotation") {
                if (*text != "0" && *text != "90" && *text != "180" && *text != "270") {
                    return fail(ErrorCode::InvalidInput, fmt::format("--rotation: \"{}\" is not 0, 90, 180 or 270", *text));
                }
                result.rotation = std::stoi(*text);
            } else {
                result.mode = Mode::HashPin;
                result.pin = *text;
            }
        } else if (option == "--config" || option == "--data-dir" || option == "--assets" || option == "--now" ||
                   option == "--lang") {
            auto text = value(i, option);
            if (!text) return std::unexpected(text.error());
            if (option == "--config") result.configFile = *text;
            else if (option == "--data-dir") result.dataDir = *text;
            else if (option == "--assets") result.assetsDir = *text;
            else if (option == "--lang") result.language = *text;
            else {
                auto now = parseTimeArgument(option, *text);
                if (!now) return std::unexpected(now.error());
                result.now = *now;
            }
        } else if (option == "--list-events" || option == "--list-openings") {
            if (i + 2 >= arguments.size()) {
                return fail(ErrorCode::InvalidInput, fmt::format("{} needs FROM and TO", option));
            }
            auto from = parseTimeArgument(option, arguments[i + 1]);
            if (!from) return std::unexpected(from.error());
            auto to = parseTimeArgument(option, arguments[i + 2]);
            if (!to) return std::unexpected(to.error());
            if (*to <= *from) return fail(ErrorCode::InvalidInput, fmt::format("{}: TO must be after FROM", option));
            i += 2;
            result.mode = option == "--list-events" ? Mode::ListEvents : Mode::ListOpenings;
            result.rangeFrom = *from;
            result.rangeTo = *to;
        } else {
            return fail(ErrorCode::InvalidInput, fmt::format("unknown option \"{}\" (see --help)", option));
        }
    }
    return result;
}

std::string usage()
{
    return "Usage: kohtaamo-kiosk [OPTIONS]\n"
           "Kohtaamo: the family centre lobby kiosk.\n\n"
           "  --config FILE          kiosk configuration (default /etc/kohtaamo/kiosk.toml if present;\n"
           "                         without one the bundled demo region is shown)\n"
           "  --data-dir DIR         where the offline cache lives\n"
           "  --assets DIR           assets folder (demo bundle, translations)\n"
           "  --now ISO              pretend the time is ISO (e.g. 2026-03-10T10:00)\n"
           "  --lang CODE            language for printed output (fi, sv, en, uk, ru)\n"
           "  --list-events FROM TO  print every event occurrence in [FROM, TO) as TSV\n"
           "  --list-openings FROM TO  print every open interval of every place in [FROM, TO) as TSV\n"
           "  --print-home           print the home screen's content as text\n"
           "  --sync-once            sync every configured source once, one line each (exit 1 if any failed)\n"
           "  --check-feed KIND FILE|URL|CONFIG  fetch and validate a feed without touching the cache:\n"
           "                         counts, places and their hours, next occurrences, every problem\n"
           "                         (exit 1 if any). KIND bundle or ical: a FILE or URL; linkedevents:\n"
           "                         the event-list URL; ptv: the kiosk CONFIG with the ptv source(s)\n"
           "  --status               print DATA_DIR/status.json, each source's sync status (exit 1 if any failing)\n"
           "  --windowed [WxH]       a window instead of full screen (development)\n"
           "  --software             use SDL's software renderer\n"
           "  --rotation DEG         turn the UI 0, 90, 180 or 270 degrees (overrides the config)\n"
           "  --screenshot FILE      render one frame headless and write it as PNG, with:\n"
           "      --screen home|events|dropin|services|detail|search|staff  --item ID  --search TEXT\n"
           "      --size WxH  --text-scale 1.0-2.0  --contrast high|normal  (and --lang, --now)\n"
           "  --hash-pin PIN         print a staff.pin_hash value for the config\n"
           "  --version              print the version\n";
}

} // namespace kohtaamo
