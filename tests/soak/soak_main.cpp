// kohtaamo-soak (`./dev soak`): a week in the lobby in minutes. A seeded monkey drives the real UI
// headless at 1920×1080 — taps, drags, flicks, two-finger touches, typing, corner gestures and PIN
// attempts, in every language it taps its way into — while the real sync engine applies a changed
// region every few seconds and the clock runs fast through a week (across the spring DST change).
// It reports frame times, RSS over time (the slope after warm-up) and exits 1 on a crash-free run
// that still broke a limit: a frame over 50 ms of CPU or RSS that keeps growing.
//
//     kohtaamo-soak [--events N] [--seed S] [--output FILE] [--data DIR]

#include "app/kiosk_shell.hpp"
#include "sync/sync_engine.hpp"
#include "ui/fonts.hpp"
#include "ui/translations.hpp"
#include "ui/ui_context.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

using namespace kohtaamo;
using namespace std::chrono_literals;

namespace {

constexpr int kWidth = 1920;
constexpr int kHeight = 1080;
constexpr int kFramesPerSync = 300;            // a new version of the region every few seconds
constexpr int kFramesPerRssSample = 250;
constexpr double kWarmupShare = 0.2;           // RSS before this share of the run is not judged
constexpr double kMaxFrameCpuMs = 50;
constexpr double kMaxRssSlopeMbPerDay = 1.0;   // growth that would fill a kiosk's memory in months
constexpr auto kSimulatedSpan = std::chrono::hours{24 * 7};
// Under AddressSanitizer freed memory waits in a quarantine (up to 256 MB) and every access costs
// more, so RSS and frame times say nothing there: a sanitized soak is judged by the sanitizers.
#ifdef __SANITIZE_ADDRESS__
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

struct Options {
    long events = 200'000;
    std::uint32_t seed = 20260323;
    std::filesystem::path output;
    std::filesystem::path data;
};

double threadCpuMs()
{
    timespec now{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
}

double rssMb()
{
    std::ifstream statm("/proc/self/statm");
    long pages = 0;
    long resident = 0;
    statm >> pages >> resident;
    return static_cast<double>(resident) * static_cast<double>(::sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

std::string readText(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void writeText(const std::filesystem::path& file, const std::string& text)
{
    const auto temporary = std::filesystem::path(file).concat(".tmp");
    std::ofstream(temporary, std::ios::binary | std::ios::trunc) << text;
    std::filesystem::rename(temporary, file);
}

// Version B of the demo region: the same records, their Finnish titles marked, so every apply
// really changes content.
std::string variantOf(std::string text)
{
    for (std::size_t at = 0; (at = text.find("\"fi\": \"", at)) != std::string::npos; at += 12) {
        text.insert(at + 7, "B: ");
    }
    return text;
}

// The monkey: one gesture at a time, spread over frames like a person's.
class Monkey {
public:
    explicit Monkey(std::uint32_t seed) : m_random(seed) {}

    /// The events of the next frame; counts every event it makes.
    std::vector<SDL_Event> next()
    {
        std::vector<SDL_Event> events;
        if (m_pending.empty()) plan();
        if (!m_pending.empty()) {
            events = std::move(m_pending.front());
            m_pending.erase(m_pending.begin());
        }
        m_events += static_cast<long>(events.size());
        return events;
    }
    [[nodiscard]] long events() const { return m_events; }

private:
    int uniform(int low, int high) { return std::uniform_int_distribution<int>(low, high)(m_random); }

    // Taps favour the top bar (languages) and the bottom third (navigation, buttons) a little.
    std::pair<int, int> point()
    {
        const int band = uniform(0, 9);
        const int y = band < 2 ? uniform(0, kHeight / 8) : band < 5 ? uniform(kHeight * 2 / 3, kHeight - 1) : uniform(0, kHeight - 1);
        return {uniform(0, kWidth - 1), y};
    }

    static SDL_Event button(Uint32 type, int x, int y)
    {
        SDL_Event event{};
        event.type = type;
        event.button.which = SDL_TOUCH_MOUSEID;
        event.button.button = SDL_BUTTON_LEFT;
        event.button.x = x;
        event.button.y = y;
        return event;
    }
    static SDL_Event motion(int x, int y)
    {
        SDL_Event event{};
        event.type = SDL_MOUSEMOTION;
        event.motion.which = SDL_TOUCH_MOUSEID;
        event.motion.state = SDL_BUTTON_LMASK;
        event.motion.x = x;
        event.motion.y = y;
        return event;
    }
    static SDL_Event finger(Uint32 type, SDL_FingerID id, int x, int y)
    {
        SDL_Event event{};
        event.type = type;
        event.tfinger.fingerId = id;
        event.tfinger.x = static_cast<float>(x) / kWidth;
        event.tfinger.y = static_cast<float>(y) / kHeight;
        return event;
    }
    static SDL_Event key(SDL_Keycode code, bool down)
    {
        SDL_Event event{};
        event.type = down ? SDL_KEYDOWN : SDL_KEYUP;
        event.key.keysym.sym = code;
        return event;
    }

    void tap(int x, int y)
    {
        m_pending.push_back({motion(x, y), button(SDL_MOUSEBUTTONDOWN, x, y)});
        m_pending.push_back({button(SDL_MOUSEBUTTONUP, x, y)});
    }

    void plan()
    {
        const int choice = uniform(0, 99);
        if (choice < 40) {
            const auto [x, y] = point();
            tap(x, y);
        } else if (choice < 60) {   // a drag or a flick
            auto [x, y] = point();
            m_pending.push_back({motion(x, y), button(SDL_MOUSEBUTTONDOWN, x, y)});
            const int steps = uniform(2, 10);
            const int dy = uniform(-120, 120);
            const int dx = uniform(-20, 20);
            for (int i = 0; i < steps; ++i) {
                x = std::clamp(x + dx, 0, kWidth - 1);
                y = std::clamp(y + dy, 0, kHeight - 1);
                m_pending.push_back({motion(x, y)});
            }
            m_pending.push_back({button(SDL_MOUSEBUTTONUP, x, y)});
        } else if (choice < 67) {
            SDL_Event wheel{};
            wheel.type = SDL_MOUSEWHEEL;
            wheel.wheel.y = uniform(-3, 3);
            m_pending.push_back({wheel});
        } else if (choice < 77) {   // typing into the search box, or a special key
            static constexpr std::string_view kLetters[] = {"a", "e", "i", "k", "l", "n", "p", "r", "s", "t",
                                                            "v", "ä", "ö", "å", "д", "я", " "};
            const int what = uniform(0, 20);
            if (what < 17) {
                SDL_Event text{};
                text.type = SDL_TEXTINPUT;
                const auto letter = kLetters[static_cast<std::size_t>(what)];
                std::copy(letter.begin(), letter.end(), text.text.text);
                m_pending.push_back({text});
            } else {
                const SDL_Keycode codes[] = {SDLK_BACKSPACE, SDLK_RETURN, SDLK_ESCAPE, SDLK_TAB};
                const SDL_Keycode code = codes[uniform(0, 3)];
                m_pending.push_back({key(code, true)});
                m_pending.push_back({key(code, false)});
            }
        } else if (choice < 81) {   // a second finger during a touch: must be ignored, never misread
            const auto [x, y] = point();
            m_pending.push_back({finger(SDL_FINGERDOWN, 1, x, y), motion(x, y), button(SDL_MOUSEBUTTONDOWN, x, y)});
            m_pending.push_back({finger(SDL_FINGERDOWN, 2, x + 200, y), motion(x + 40, y + 40)});
            m_pending.push_back({finger(SDL_FINGERUP, 2, x + 200, y)});
            m_pending.push_back({finger(SDL_FINGERUP, 1, x, y), button(SDL_MOUSEBUTTONUP, x + 40, y + 40)});
        } else if (choice < 83) {   // the staff gesture in a corner, then a wrong PIN on the pad
            const int x = uniform(0, 1) * (kWidth - 1);
            const int y = uniform(0, 1) * (kHeight - 1);
            for (int i = 0; i < 5; ++i) tap(x, y);
            for (int i = 0; i < 4; ++i) tap(uniform(kWidth / 3, kWidth * 2 / 3), uniform(kHeight / 3, kHeight - 1));
        } else {
            m_pending.push_back({});   // someone reading (the clock runs on, the frame is idle)
        }
    }

    std::mt19937 m_random;
    std::vector<std::vector<SDL_Event>> m_pending;
    long m_events = 0;
};

struct Summary {
    double mean = 0;
    double p99 = 0;
    double max = 0;
};

Summary summarize(std::vector<double> values)
{
    if (values.empty()) return {};
    std::sort(values.begin(), values.end());
    double sum = 0;
    for (double v : values) sum += v;
    return {sum / static_cast<double>(values.size()), values[std::min(values.size() - 1, values.size() * 99 / 100)],
            values.back()};
}

// Least-squares slope of y over x.
double slope(const std::vector<std::pair<double, double>>& points)
{
    if (points.size() < 2) return 0;
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (const auto& [x, y] : points) sx += x, sy += y, sxx += x * x, sxy += x * y;
    const double n = static_cast<double>(points.size());
    const double denominator = n * sxx - sx * sx;
    return denominator == 0 ? 0 : (n * sxy - sx * sy) / denominator;
}

Result<Options> parseOptions(int argc, char** argv)
{
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string_view option = argv[i];
        const bool hasValue = i + 1 < argc;
        if (option == "--events" && hasValue) options.events = std::stol(argv[++i]);
        else if (option == "--seed" && hasValue) options.seed = static_cast<std::uint32_t>(std::stoul(argv[++i]));
        else if (option == "--output" && hasValue) options.output = argv[++i];
        else if (option == "--data" && hasValue) options.data = argv[++i];
        else return fail(ErrorCode::InvalidInput, fmt::format("kohtaamo-soak: unknown option {}", option));
    }
    if (options.data.empty()) options.data = std::filesystem::temp_directory_path() / fmt::format("kohtaamo-soak-{}", ::getpid());
    return options;
}

int soak(const Options& options)
{
    const std::filesystem::path assets = KOHTAAMO_ASSETS_DIR;
    std::filesystem::remove_all(options.data);
    std::filesystem::create_directories(options.data);
    const auto regionFile = options.data / "region.json";
    const std::string versions[2] = {readText(assets / "demo/demo-region.json"),
                                      variantOf(readText(assets / "demo/demo-region.json"))};
    writeText(regionFile, versions[0]);

    // The fast clock: a week over the whole run, from a Monday morning across the DST change.
    const Instant start = *parseInstant("2026-03-23T07:00", TimeZone::helsinki());
    std::atomic<std::int64_t> simulatedSeconds{0};
    const Clock clock = [&] { return start + std::chrono::seconds{simulatedSeconds.load()}; };

    // The real sync engine on its own thread, as in the kiosk; it tells the content service
    // about each apply once that exists.
    std::atomic<ContentService*> contentService{nullptr};
    std::atomic<int> applied{0};
    SyncEngineOptions engineOptions;
    engineOptions.cacheFile = options.data / "cache.sqlite";
    engineOptions.statusFile = options.data / "status.json";
    engineOptions.sources = {SourceConfig{.id = "region", .kind = "bundle", .url = "file://" + regionFile.string()}};
    engineOptions.defaults.minFraction = 0;
    engineOptions.clock = clock;
    engineOptions.seed = options.seed;
    engineOptions.onApplied = [&](CacheWrite write) {
        ++applied;
        ContentService* service = contentService.load();
        if (service && write == CacheWrite::Content) service->requestRebuild();
        else if (service) service->requestStatusRefresh();
    };
    auto engine = SyncEngine::create(std::move(engineOptions));
    if (!engine) return fmt::print(stderr, "kohtaamo-soak: {}\n", engine.error().message), 2;
    (void)(*engine)->syncAll(clock());

    SiteConfig site;
    site.placeId = "majakka";
    auto translations = Translations::load(assets / "i18n", site.languages);
    if (!translations) return fmt::print(stderr, "kohtaamo-soak: {}\n", translations.error().message), 2;
    auto fonts = findFonts(assets);
    if (!fonts) return fmt::print(stderr, "kohtaamo-soak: {}\n", fonts.error().message), 2;
    // The texts the kiosk keeps in memory (kiosk_mode.cpp); the day checked often, as the clock flies.
    auto content = ContentService::start(options.data / "cache.sqlite", clock, FirstSnapshot::BeforeStartReturns,
                                         snapshotTexts(site), 50ms);
    if (!content) return fmt::print(stderr, "kohtaamo-soak: {}\n", content.error().message), 2;
    contentService = content->get();
    (*engine)->start();

    ShellDependencies dependencies{
        .translations = *translations,
        .fontFiles = *fonts,
        .site = site,
        .content = **content,
        .clock = clock,
        .idle = IdleSettings{.night = NightSchedule{TimeOfDay{22 * 60}, TimeOfDay{6 * 60}}},
        .version = "soak",
        .checkPin = [](const std::string&) { return false; },
        .syncNow = [raw = engine->get()] { raw->syncNow(); },
    };
    const ShellOptions shellOptions{.width = kWidth, .height = kHeight, .fullscreen = false, .headless = true, .softwareRenderer = true};
    auto shell = KioskShell::create(shellOptions, std::move(dependencies));
    if (!shell) return fmt::print(stderr, "kohtaamo-soak: {}\n", shell.error().message), 2;

    Monkey monkey(options.seed);
    std::vector<double> frameWallMs;
    std::vector<double> frameCpuMs;
    std::vector<std::pair<double, double>> rss;   // (simulated day, MB)
    std::vector<std::string> slowFrameNotes;
    long frames = 0;
    const auto began = std::chrono::steady_clock::now();
    while (monkey.events() < options.events) {
        simulatedSeconds = static_cast<std::int64_t>(static_cast<double>(monkey.events()) / static_cast<double>(options.events) *
                                                     std::chrono::duration<double>(kSimulatedSpan).count());
        if (frames % kFramesPerSync == 0 && frames > 0) {
            writeText(regionFile, versions[(frames / kFramesPerSync) % 2]);
            (*engine)->syncNow();
        }
        const auto events = monkey.next();
        const double cpuStart = threadCpuMs();
        const auto wallStart = std::chrono::steady_clock::now();
        (void)(*shell)->runFrame(events);
        frameWallMs.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wallStart).count());
        frameCpuMs.push_back(threadCpuMs() - cpuStart);
        if (frameCpuMs.back() > kMaxFrameCpuMs) {
            const KioskState& state = (*shell)->state();
            slowFrameNotes.push_back(fmt::format("frame {}: {:.1f} ms on screen {} in {} at text scale {:.1f}{}", frames,
                                                 frameCpuMs.back(), static_cast<int>(state.screen()), state.language(),
                                                 state.textScale(), state.contrast() == Contrast::High ? ", high contrast" : ""));
        }
        if (frames % kFramesPerRssSample == 0) {
            rss.emplace_back(static_cast<double>(simulatedSeconds.load()) / 86400.0, rssMb());
        }
        ++frames;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    (*engine)->stop();
    shell->reset();

    const auto warm = std::vector<std::pair<double, double>>(
        rss.begin() + static_cast<std::ptrdiff_t>(static_cast<double>(rss.size()) * kWarmupShare), rss.end());
    const double rssSlope = slope(warm);
    const Summary wall = summarize(frameWallMs);
    const Summary cpu = summarize(frameCpuMs);
    const long slowFrames = std::count_if(frameCpuMs.begin(), frameCpuMs.end(), [](double ms) { return ms > kMaxFrameCpuMs; });
    const double rssFirst = warm.empty() ? 0 : warm.front().second;
    const double rssLast = warm.empty() ? 0 : warm.back().second;
    fmt::print("soak: {} events in {} frames over a simulated {:.1f} days, {:.0f} s; {} syncs applied\n", monkey.events(),
               frames, static_cast<double>(simulatedSeconds.load()) / 86400.0, seconds, applied.load());
    fmt::print("frames (thread CPU): mean {:.1f} ms, p99 {:.1f} ms, max {:.1f} ms; over {} ms: {}\n", cpu.mean, cpu.p99,
               cpu.max, kMaxFrameCpuMs, slowFrames);
    for (const auto& note : slowFrameNotes) fmt::print("  slow {}\n", note);
    fmt::print("frames (wall): mean {:.1f} ms, p99 {:.1f} ms, max {:.1f} ms\n", wall.mean, wall.p99, wall.max);
    fmt::print("RSS after warm-up: {:.1f} MB → {:.1f} MB, slope {:+.2f} MB per simulated day (limit {})\n", rssFirst,
               rssLast, rssSlope, kMaxRssSlopeMbPerDay);

    if (!options.output.empty()) {
        std::filesystem::create_directories(options.output.parent_path());
        std::ofstream(options.output) << nlohmann::json{
            {"events", monkey.events()}, {"frames", frames}, {"seconds", seconds}, {"syncs_applied", applied.load()},
            {"frame_cpu_ms", {{"mean", cpu.mean}, {"p99", cpu.p99}, {"max", cpu.max}}},
            {"frame_wall_ms", {{"mean", wall.mean}, {"p99", wall.p99}, {"max", wall.max}}},
            {"slow_frames", slowFrames}, {"rss_mb_first", rssFirst}, {"rss_mb_last", rssLast},
            {"rss_slope_mb_per_day", rssSlope}}.dump(2) << '\n';
    }
    std::filesystem::remove_all(options.data);
    if (kSanitized) fmt::print("soak: under ASan: RSS and frame times are not judged; any report above or at exit fails\n");
    const bool ok = kSanitized || (slowFrames == 0 && rssSlope < kMaxRssSlopeMbPerDay);
    if (!ok) fmt::print("soak: FAILED a limit\n");
    return ok ? 0 : 1;
}

} // namespace

int main(int argc, char** argv)
{
    auto options = parseOptions(argc, argv);
    if (!options) {
        std::cerr << options.error().message << '\n';
        return 2;
    }
    return soak(*options);
}
