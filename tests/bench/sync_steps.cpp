// Child step: the real SyncEngine (as `kohtaamo-kiosk --sync-once` and the kiosk's sync thread use
// it) against one source of any kind, run SYNCS times in a row, watching what each attempt writes
// through a second connection to the cache and stat(2) of its files (the status file, and a
// catalogue source's saved fetch state).

#include "cache_observer.hpp"
#include "child_steps.hpp"

#include "sync/sync_engine.hpp"

#include <fmt/format.h>

#include <time.h>

#include <cstdlib>

namespace kohtaamo::bench {
namespace {

using SteadyClock = std::chrono::steady_clock;

std::string resultName(SyncResult result)
{
    switch (result) {
    case SyncResult::Applied: return "applied";
    case SyncResult::NotModified: return "not_modified";
    case SyncResult::HeldBack: return "held_back";
    case SyncResult::Failed: return "failed";
    }
    return "?";
}

/// CPU time of the whole process, curl's threads included.
double processCpuMs()
{
    timespec now{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
}

// The server is on loopback: never through a proxy from the developer's environment.
void bypassProxyForLoopback()
{
    for (const char* name : {"no_proxy", "NO_PROXY"}) {
        const char* current = std::getenv(name);
        const std::string value = current != nullptr && *current != '\0' ? std::string(current) + "," : "";
        ::setenv(name, (value + "127.0.0.1,localhost").c_str(), 1);
    }
}

}   // namespace

int syncStep(const Arguments& arguments)
{
    if (arguments.size() < 6) return failStep("sync needs KIND URL DB STATUS_FILE SYNCS STEP_MINUTES [KEY=VALUE…]");
    SourceConfig source{.id = "region", .kind = arguments[0], .url = arguments[1]};
    const std::filesystem::path dbFile = arguments[2];
    const std::filesystem::path statusFile = arguments[3];
    const int syncs = std::stoi(arguments[4]);
    const std::chrono::minutes step{std::stoi(arguments[5])};
    for (std::size_t i = 6; i < arguments.size(); ++i) {
        const auto equals = arguments[i].find('=');
        if (equals == std::string::npos) return failStep(fmt::format("sync: setting \"{}\" is not KEY=VALUE", arguments[i]));
        source.settings.emplace(arguments[i].substr(0, equals), arguments[i].substr(equals + 1));
    }
    const std::filesystem::path stateFile = fetchStateFile(dbFile, source.id);
    const Instant start = benchNow();
    int notified = 0;
    bypassProxyForLoopback();
    // As the kiosk configures it (sync_commands.cpp), with the bench's fixed clock. Assigned member by
    // member: GCC 12 warns (-Wmaybe-uninitialized) about a designated-initializer temporary here.
    SyncEngineOptions options;
    options.cacheFile = dbFile;
    options.statusFile = statusFile;
    options.sources = {source};
    options.userAgent = "Kohtaamo/bench (+kiosk)";
    options.clock = [start] { return start; };
    int notifiedContent = 0;
    options.onApplied = [&](CacheWrite write) {
        ++notified;
        if (write == CacheWrite::Content) ++notifiedContent;
    };
    options.seed = 1;
    auto engine = SyncEngine::create(std::move(options));
    if (!engine) return failStep(engine.error().message);
    // Declared after the engine, so it closes first and the engine's connection checkpoints on close.
    auto observer = CacheObserver::open(dbFile);
    if (!observer) return failStep(observer.error().message);
    auto before = observer->look();
    if (!before) return failStep(before.error().message);
    FileState statusBefore = fileState(statusFile);
    FileState stateBefore = fileState(stateFile);

    std::vector<double> wallMs;
    std::vector<double> cpuMs;
    std::vector<std::string> results;
    std::vector<int> httpStatus;
    std::vector<std::int64_t> bytes;
    std::vector<std::int64_t> walFramesWritten;
    std::vector<std::int64_t> walCommits;
    int committed = 0, contentChanged = 0, statusChanged = 0, mainChanged = 0, statusFileRewritten = 0;
    int stateFileRewritten = 0;
    std::size_t items = 0;
    std::size_t problems = 0;
    std::string firstError;
    for (int sync = 0; sync < syncs; ++sync) {
        // Each attempt STEP_MINUTES after the last (the source's interval).
        const Instant now = start + step * sync;
        const double cpuStart = processCpuMs();
        const auto wallStart = SteadyClock::now();
        const auto outcomes = (*engine)->syncAll(now);
        wallMs.push_back(millisecondsSince(wallStart));
        cpuMs.push_back(processCpuMs() - cpuStart);
        if (outcomes.size() != 1) return failStep(fmt::format("sync: {} outcomes for one source", outcomes.size()));
        const SyncOutcome& outcome = outcomes.front();
        results.push_back(resultName(outcome.result));
        httpStatus.push_back(outcome.httpStatus);
        bytes.push_back(outcome.bytes);
        items = outcome.items;
        problems = std::max(problems, outcome.problems.size());
        if (!outcome.error.empty() && firstError.empty()) firstError = outcome.error;

        auto after = observer->look();
        if (!after) return failStep(after.error().message);
        const FileState statusAfter = fileState(statusFile);
        const FileState stateAfter = fileState(stateFile);
        committed += after->dataVersion != before->dataVersion;
        contentChanged += after->contentDigest != before->contentDigest;
        statusChanged += after->statusDigest != before->statusDigest;
        mainChanged += after->main != before->main;
        statusFileRewritten += statusAfter != statusBefore;
        stateFileRewritten += stateAfter != stateBefore;
        const WalFrames appended = walAppended(before->walFrames, after->walFrames);
        walFramesWritten.push_back(appended.frames);
        walCommits.push_back(appended.commits);
        before = std::move(after);
        statusBefore = statusAfter;
        stateBefore = stateAfter;
    }
    writeResult({{"wall_ms", wallMs},
                 {"cpu_ms", cpuMs},
                 {"results", results},
                 {"http_status", httpStatus},
                 {"bytes", bytes},
                 {"items", items},
                 {"problems", problems},
                 {"error", firstError},
                 {"committed", committed},
                 {"content_changed", contentChanged},
                 {"status_changed", statusChanged},
                 {"main_file_changed", mainChanged},
                 {"wal_frames", walFramesWritten},
                 {"wal_commits", walCommits},
                 {"page_size", before->walFrames.pageSize},
                 {"status_file_rewritten", statusFileRewritten},
                 {"state_file_rewritten", stateFileRewritten},
                 {"state_file_bytes", stateBefore.size},
                 {"notified", notified},
                 {"notified_content", notifiedContent}});
    return 0;
}

}   // namespace kohtaamo::bench
