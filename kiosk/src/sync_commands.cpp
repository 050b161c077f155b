#include "sync_commands.hpp"

#include "listings.hpp"

#include "content/content_store.hpp"
#include "sync/sync_status.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace kohtaamo {
namespace {

std::filesystem::path statusFileOf(const Startup& startup) { return startup.cacheFile.parent_path() / "status.json"; }


SyncEngineOptions engineOptions(const Startup& startup, std::string_view version)
{
    return SyncEngineOptions{.cacheFile = startup.cacheFile,
                             .statusFile = statusFileOf(startup),
                             .cacheStatus = startup.cache,
                             .sources = startup.config.sources,
                             .defaults = startup.config.sync,
                             .userAgent = kioskUserAgent(version)};
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
        text = statusJson(rows, systemNow(), startup.cache);
    }
    out << text;
    return statusIsOk(text) ? 0 : 1;
}

} // namespace

std::string kioskUserAgent(std::string_view version) { return fmt::format("Kohtaamo/{} (+kiosk)", version); }

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
                                                    std::function<void(CacheWrite)> onApplied)
{
    auto options = engineOptions(startup, version);
    options.onApplied = std::move(onApplied);
    auto engine = SyncEngine::create(std::move(options));
    if (!engine) return std::unexpected(engine.error());
    (*engine)->start();
    return engine;
}

} // namespace kohtaamo
