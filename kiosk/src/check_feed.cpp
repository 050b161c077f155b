#include "check_feed.hpp"

#include "listings.hpp"
#include "sync_commands.hpp"

#include "content/content_store.hpp"
#include "content/opening_hours.hpp"
#include "sync/catalogue_source.hpp"
#include "sync/http_client.hpp"
#include "sync/source_adapter.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace kohtaamo {
namespace {

// How far ahead the report looks for occurrences and opening hours, and how much of each it prints.
constexpr auto kCheckWindow = date::days{60};
constexpr auto kHoursWindow = date::days{7};
constexpr std::size_t kShownOccurrences = 10;
constexpr std::size_t kShownPlaces = 10;
constexpr std::size_t kShownOpenings = 4;
const LanguageOrder kReportLanguages{"fi", "sv", "en"};

// A FILE argument as the file:// URL the sync would use; a URL stays as it is.
std::string toUrl(std::string_view target)
{
    if (target.find("://") != std::string_view::npos) return std::string(target);
    std::string url = "file://";
    for (const char c : std::filesystem::absolute(target).string()) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) || std::string_view("/-._~").find(c) != std::string_view::npos) url += c;
        else url += fmt::format("%{:02X}", byte);
    }
    return url;
}

// The sources to check: a ptv check names the config its sources live in; any other kind names the
// feed, and with --config a configured source with that URL lends its settings.
Result<std::vector<SourceConfig>> checkedSources(const CommandLine& commandLine)
{
    if (commandLine.feedKind == "ptv") {
        if (commandLine.feedTarget.find("://") != std::string::npos) {
            return fail(ErrorCode::InvalidInput, "--check-feed ptv needs the kiosk config file whose [[source]] with "
                                                 "kind = \"ptv\" gives the area and filters, not a URL");
        }
        const auto loaded = loadKioskConfig(commandLine.feedTarget);
        std::vector<SourceConfig> sources;
        for (const auto& source : loaded.config.sources) {
            if (source.kind == "ptv") sources.push_back(source);
        }
        if (sources.empty()) {
            std::string message = fmt::format("{}: no [[source]] with kind = \"ptv\"", commandLine.feedTarget);
            for (const auto& problem : loaded.problems) message += "\n" + problem.message;
            return fail(ErrorCode::InvalidInput, std::move(message));
        }
        return sources;
    }
    SourceConfig source{.id = "check", .kind = commandLine.feedKind, .url = toUrl(commandLine.feedTarget)};
    if (commandLine.configFile) {
        const auto config = loadKioskConfig(*commandLine.configFile).config;
        const auto it = std::find_if(config.sources.begin(), config.sources.end(),
                                     [&](const SourceConfig& s) { return s.url == source.url && s.kind == source.kind; });
        if (it != config.sources.end()) source = *it;
    }
    return std::vector<SourceConfig>{std::move(source)};
}

// One file, as the engine downloads and parses it.
Result<ParsedFeed> fetchFile(HttpClient& http, const SourceConfig& source, std::ostream& out)
{
    auto adapter = makeAdapter(source.kind);
    if (!adapter) return std::unexpected(adapter.error());
    const SyncSettings limits;
    auto response = http.get(HttpRequest{.url = source.url, .maxBytes = limits.maxBytes,
                                         .accept = std::string((*adapter)->accept())});
    if (!response) return std::unexpected(response.error().error);
    out << fmt::format("{} {}: {} bytes", source.kind, source.url, response->body.size());
    if (response->status != 0) out << fmt::format(" (HTTP {}, {})", response->status, response->contentType);
    out << '\n';
    if (response->body.empty()) return fail(ErrorCode::InvalidInput, "the feed is empty");
    return (*adapter)->parse(response->body, source);
}

// A catalogue source, fetched in full as on a kiosk's first sync; its state is never saved.
Result<ParsedFeed> fetchCatalogue(HttpClient& http, const SourceConfig& source, Instant now, const FetchPolicy& policy,
                                  std::ostream& out)
{
    auto catalogue = makeCatalogueSource(source, {});
    if (!catalogue) return std::unexpected(catalogue.error());
    auto fetched = (*catalogue)->fetch(http, now, std::nullopt, policy);
    if (!fetched) return std::unexpected(fetched.error().error);
    out << fmt::format("{} \"{}\" {}: {} requests ({} retried), {} bytes\n", source.kind, source.id, source.url,
                       fetched->stats.requests, fetched->stats.retries, fetched->stats.bytes);
    if (!fetched->feed) return ParsedFeed{};
    return std::move(*fetched->feed);
}

std::string clockRange(const OpenInterval& interval)
{
    const auto& zone = TimeZone::helsinki();
    const auto start = formatLocalDateTime(zone.toLocal(interval.start));
    const auto end = formatLocalDateTime(zone.toLocal(interval.end));
    return fmt::format("{} {}–{}", start.substr(0, 10), start.substr(11, 5), end.substr(11, 5));
}

void printPlaces(const Snapshot& snapshot, Instant now, std::ostream& out)
{
    const auto& places = snapshot.places();
    if (places.empty()) return;
    out << fmt::format("Places ({}), with their opening hours in the next 7 days:\n", places.size());
    std::size_t shown = 0;
    for (const Place& place : places) {
        if (shown++ == kShownPlaces) {
            out << fmt::format("  … and {} more (--list-openings lists them all after a sync)\n", places.size() - kShownPlaces);
            break;
        }
        std::string address = std::string(place.address.street.in(kReportLanguages));
        if (!place.address.city.empty()) address += fmt::format(", {} {}", place.address.postalCode, place.address.city.in(kReportLanguages));
        out << fmt::format("  {}  {}  ({})\n", place.name.in(kReportLanguages), address, place.id);
        const auto openings = openingsBetween(place.hours, now, now + kHoursWindow);
        std::string hours;
        for (std::size_t i = 0; i < std::min(openings.size(), kShownOpenings); ++i) {
            hours += (i == 0 ? "" : ", ") + clockRange(openings[i]);
        }
        if (openings.size() > kShownOpenings) hours += fmt::format(" … ({} in all)", openings.size());
        out << "    open: " << (hours.empty() ? "no opening hours in the next 7 days" : hours) << '\n';
    }
}

void printOccurrences(const Snapshot& snapshot, Instant now, std::ostream& out)
{
    if (snapshot.occurrences().empty() && !snapshot.places().empty()) return;
    std::size_t shown = 0;
    for (const auto& occurrence : snapshot.occurrences()) {
        if (occurrence.occurrence.end < now && occurrence.occurrence.start < now) continue;
        if (shown++ == 0) out << "Next occurrences:\n";
        if (shown > kShownOccurrences) break;
        const bool cancelled = occurrence.occurrence.status == EventStatus::Cancelled;
        out << fmt::format("  {}  {}{}  ({})\n", formatIso(occurrence.occurrence.start, TimeZone::helsinki()),
                           occurrence.title().in(kReportLanguages), cancelled ? " [cancelled]" : "", occurrence.event->id);
    }
    if (shown == 0) out << "Next occurrences: none in the next 60 days\n";
}

// Counts, what the kiosk would show (from a private in-memory cache: the real store and snapshot
// code), and the problems.
std::vector<std::string> report(const SourceConfig& source, const ParsedFeed& feed, std::chrono::milliseconds took,
                                Instant now, std::ostream& out)
{
    const SourceContent& content = feed.content;
    out << fmt::format("{} places, {} services, {} events, {} announcements ({} items, fetched and read in {} ms)\n",
                       content.places.size(), content.services.size(), content.events.size(),
                       content.announcements.size(), content.itemCount(), took.count());
    std::vector<std::string> problems;
    for (const auto& problem : feed.problems) problems.push_back(fmt::format("{}: {}", problem.location, problem.message));
    const SyncSettings limits;
    if (content.itemCount() > limits.maxItems) {
        problems.push_back(fmt::format("the feed has {} items; a kiosk takes at most {} (max_items)",
                                       content.itemCount(), limits.maxItems));
    }
    auto store = ContentStore::openInMemory();
    if (!store) {
        problems.push_back(store.error().message);
        return problems;
    }
    if (auto applied = store->replaceSource(SourceState{.id = source.id, .kind = source.kind, .url = source.url}, content);
        !applied) {
        problems.push_back(applied.error().message);
    } else if (auto snapshot = store->buildSnapshot(SnapshotWindow{now, now + kCheckWindow}); !snapshot) {
        problems.push_back(snapshot.error().message);
    } else {
        printPlaces(**snapshot, now, out);
        printOccurrences(**snapshot, now, out);
        for (const auto& problem : (*snapshot)->problems()) problems.push_back(problem);
    }
    return problems;
}

bool checkSource(HttpClient& http, const SourceConfig& source, Instant now, const FetchPolicy& policy, std::ostream& out)
{
    const auto started = std::chrono::steady_clock::now();
    auto feed = isCatalogueKind(source.kind) ? fetchCatalogue(http, source, now, policy, out) : fetchFile(http, source, out);
    if (!feed) {
        out << "The feed cannot be used; problems:\n";
        printIndented(out, feed.error().message, "  ");
        return false;
    }
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    const auto problems = report(source, *feed, took, now, out);
    if (problems.empty()) {
        out << "No problems found.\n";
        return true;
    }
    out << fmt::format("Problems ({}):\n", problems.size());
    for (const auto& problem : problems) printIndented(out, problem, "  ");
    return false;
}

} // namespace

int runCheckFeed(const CommandLine& commandLine, std::string_view version, std::ostream& out)
{
    auto sources = checkedSources(commandLine);
    if (!sources) {
        out << sources.error().message << '\n';
        return 1;
    }
    const FetchPolicy policy{.userAgent = kioskUserAgent(version)};
    auto http = HttpClient::create(policy.userAgent);
    if (!http) {
        out << http.error().message << '\n';
        return 1;
    }
    const Instant now = commandLine.now.value_or(systemNow());
    bool clean = true;
    for (const auto& source : *sources) {
        if (sources->size() > 1) out << fmt::format("== {}\n", source.id);
        clean = checkSource(*http, source, now, policy, out) && clean;
    }
    return clean ? 0 : 1;
}

} // namespace kohtaamo
