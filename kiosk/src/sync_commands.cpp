#include "sync_commands.hpp"

#include "content/content_store.hpp"
#include "sync/http_client.hpp"
#include "sync/source_adapter.hpp"
#include "sync/sync_status.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace kohtaamo {
namespace {

// How far ahead --check-feed looks for the next occurrences, and how many it prints.
constexpr auto kCheckWindow = date::days{60};
constexpr std::size_t kShownOccurrences = 10;

Instant systemNow() { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); }

std::string userAgent(std::string_view version) { return fmt::format("Kohtaamo/{} (+kiosk)", version); }

std::filesystem::path statusFileOf(const Startup& startup) { return startup.cacheFile.parent_path() / "status.json"; }

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

void printIndented(std::ostream& out, std::string_view text, std::string_view indent)
{
    std::istringstream lines{std::string(text)};
    for (std::string line; std::getline(lines, line);) out << indent << line << '\n';
}

SyncEngineOptions engineOptions(const Startup& startup, std::string_view version)
{
    return SyncEngineOptions{.cacheFile = startup.cacheFile,
                             .statusFile = statusFileOf(startup),
                             .sources = startup.config.sources,
                             .defaults = startup.config.sync,
                             .userAgent = userAgent(version)};
}

int syncOnce(Startup& startup, std::string_view version, std::ostream& out)
{
    if (startup.config.sources.empty()) {
        out << "no sources configured (without a config the kiosk shows the bundled demo region)\n";
        return 0;
    }
    auto engine = SyncEngine::create(engineOptions(startup, version));
    if (!engine) {
        out << "sync: " << engine.error().message << '\n';
        return 1;
    }
    bool allOk = true;
    for (const auto& outcome : (*engine)->syncAll(systemNow())) {
        allOk = allOk && outcome.ok();
        if (!outcome.ok()) {
            out << fmt::format("{}: FAILED ", outcome.sourceId);
            const auto firstLine = outcome.error.substr(0, outcome.error.find('\n'));
            out << firstLine << '\n';
            if (firstLine.size() < outcome.error.size()) printIndented(out, outcome.error.substr(firstLine.size() + 1), "  ");
            continue;
        }
        const std::string_view how = outcome.result == SyncResult::Applied ? ""
                                     : outcome.httpStatus == 304          ? " (304 not modified)"
                                                                          : " (unchanged)";
        out << fmt::format("{}: ok {} items{} in {} ms", outcome.sourceId, outcome.items, how, outcome.duration.count());
        if (!outcome.problems.empty()) {
            out << fmt::format(", {} skipped or repaired (see --check-feed)", outcome.problems.size());
        }
        out << '\n';
    }
    return allOk ? 0 : 1;
}

int printStatus(Startup& startup, std::ostream& out)
{
    std::string text;
    if (std::ifstream file{statusFileOf(startup), std::ios::binary}) {
        std::ostringstream contents;
        contents << file.rdbuf();
        text = contents.str();
    } else {
        // No sync has run in this data directory yet: the same document from what the cache knows.
        auto states = startup.store.sources();
        if (!states) {
            out << "status: " << states.error().message << '\n';
            return 1;
        }
        std::vector<SourceStatus> rows;
        for (auto& state : *states) rows.push_back(SourceStatus{std::move(state)});
        text = statusJson(rows, systemNow());
    }
    out << text;
    return statusIsOk(text) ? 0 : 1;
}

// With --config, an ical feed that is a configured source's URL is read with that source's settings.
SourceConfig checkedSource(const CommandLine& commandLine)
{
    SourceConfig source{.id = "check", .kind = commandLine.feedKind, .url = toUrl(commandLine.feedTarget)};
    if (!commandLine.configFile) return source;
    const auto config = loadKioskConfig(*commandLine.configFile).config;
    const auto it = std::find_if(config.sources.begin(), config.sources.end(),
                                 [&](const SourceConfig& s) { return s.url == source.url && s.kind == source.kind; });
    return it != config.sources.end() ? *it : source;
}

void printOccurrences(const Snapshot& snapshot, Instant now, std::ostream& out)
{
    std::size_t shown = 0;
    const LanguageOrder order{"fi", "sv", "en"};
    for (const auto& occurrence : snapshot.occurrences()) {
        if (occurrence.occurrence.end < now && occurrence.occurrence.start < now) continue;
        if (shown++ == 0) out << "Next occurrences:\n";
        if (shown > kShownOccurrences) break;
        const bool cancelled = occurrence.occurrence.status == EventStatus::Cancelled;
        out << fmt::format("  {}  {}{}  ({})\n", formatIso(occurrence.occurrence.start, TimeZone::helsinki()),
                           occurrence.title().in(order), cancelled ? " [cancelled]" : "", occurrence.event->id);
    }
    if (shown == 0) out << "Next occurrences: none in the next 60 days\n";
}

} // namespace

int runCheckFeed(const CommandLine& commandLine, std::string_view version, std::ostream& out)
{
    const SourceConfig source = checkedSource(commandLine);
    const Instant now = commandLine.now.value_or(systemNow());
    auto adapter = makeAdapter(source.kind);
    if (!adapter) {
        out << adapter.error().message << '\n';
        return 1;
    }
    auto http = HttpClient::create(userAgent(version));
    if (!http) {
        out << http.error().message << '\n';
        return 1;
    }
    const SyncSettings limits;
    auto response = http->get(HttpRequest{.url = source.url, .maxBytes = limits.maxBytes,
                                          .accept = std::string((*adapter)->accept())});
    if (!response) {
        out << response.error().error.message << '\n';
        return 1;
    }
    out << fmt::format("{} {}: {} bytes", source.kind, source.url, response->body.size());
    if (response->status != 0) out << fmt::format(" (HTTP {}, {})", response->status, response->contentType);
    out << '\n';
    if (response->body.empty()) {
        out << "Problems:\n  the feed is empty\n";
        return 1;
    }

    const auto started = std::chrono::steady_clock::now();
    auto feed = (*adapter)->parse(response->body, source);
    if (!feed) {
        out << "The feed cannot be used; problems:\n";
        printIndented(out, feed.error().message, "  ");
        return 1;
    }
    const auto parseTime =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    const SourceContent& content = feed->content;
    out << fmt::format("{} places, {} services, {} events, {} announcements ({} items, parsed in {} ms)\n",
                       content.places.size(), content.services.size(), content.events.size(),
                       content.announcements.size(), content.itemCount(), parseTime.count());

    std::vector<std::string> problems;
    for (const auto& problem : feed->problems) problems.push_back(fmt::format("{}: {}", problem.location, problem.message));
    if (content.itemCount() > limits.maxItems) {
        problems.push_back(fmt::format("the feed has {} items; a kiosk takes at most {} (max_items)",
                                       content.itemCount(), limits.maxItems));
    }

    // What the kiosk would show, from a private in-memory cache: the real store and snapshot code.
    auto store = ContentStore::openInMemory();
    if (!store) {
        out << store.error().message << '\n';
        return 1;
    }
    if (auto applied = store->replaceSource(SourceState{.id = source.id, .kind = source.kind, .url = source.url},
                                            content);
        !applied) {
        problems.push_back(applied.error().message);
    } else if (auto snapshot = store->buildSnapshot(SnapshotWindow{now, now + kCheckWindow}); !snapshot) {
        problems.push_back(snapshot.error().message);
    } else {
        printOccurrences(**snapshot, now, out);
        for (const auto& problem : (*snapshot)->problems()) problems.push_back(problem);
    }

    if (problems.empty()) {
        out << "No problems found.\n";
        return 0;
    }
    out << fmt::format("Problems ({}):\n", problems.size());
    for (const auto& problem : problems) printIndented(out, problem, "  ");
    return 1;
}

std::optional<int> runSyncCommand(const CommandLine& commandLine, Startup& startup, std::string_view version,
                                  std::ostream& out)
{
    switch (commandLine.mode) {
    case Mode::SyncOnce: return syncOnce(startup, version, out);
    case Mode::Status: return printStatus(startup, out);
    default: return std::nullopt;
    }
}

Result<std::unique_ptr<SyncEngine>> startSyncEngine(const Startup& startup, std::string_view version,
                                                    std::function<void()> onApplied)
{
    auto options = engineOptions(startup, version);
    options.onApplied = std::move(onApplied);
    auto engine = SyncEngine::create(std::move(options));
    if (!engine) return std::unexpected(engine.error());
    (*engine)->start();
    return engine;
}

} // namespace kohtaamo
