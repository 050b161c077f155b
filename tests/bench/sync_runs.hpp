#pragma once
// Measurements of the sync layer, each step in its own process: ingesting a generated staff
// calendar through the ical adapter, and the real SyncEngine applying a bundle and then finding it
// unchanged, over HTTP (nginx on loopback) and from a file:// URL.

#include "report.hpp"
#include "step_runner.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace kohtaamo::bench {

/// The dataset name of the generated staff calendar's rows.
inline constexpr std::string_view kCalendarDataset = "generated, 1,000 VEVENTs";

/// Generates the 1,000-VEVENT calendar into `work`, then ingests it `runs` times into fresh caches;
/// the last run's cache stays at `cacheFile` (for the snapshot step). Rows: generate, ingest.
[[nodiscard]] std::vector<Row> measureICalendarIngest(const StepRunner& steps, const std::filesystem::path& work,
                                                      const std::filesystem::path& cacheFile, int runs);

struct SyncBenchSpec {
    std::filesystem::path bundle;   ///< the feed, served unchanged throughout
    std::string dataset;
    std::filesystem::path work;     ///< scratch: nginx's prefix and the caches
    int applyRuns = 3;              ///< first syncs into fresh caches (median)
    int noChangeSyncs = 100;        ///< then this many in a row against the last of them
};

/// Deletes a cache file and its -wal and -shm files, if they exist.
void removeCache(const std::filesystem::path& db);

/// What a run of the "sync" child step wrote, for a row's note: content, the status row (commits,
/// WAL frames), the main file, status.json and onApplied calls.
[[nodiscard]] std::string writesNote(const nlohmann::json& result, int syncs);

/// "sync apply (200)" and "sync 304 path (no change)" against nginx (skipped when nginx is not
/// installed), then "sync apply (file://)" and "sync no change (file://)".
[[nodiscard]] std::vector<Row> measureSync(const StepRunner& steps, const SyncBenchSpec& spec);

}   // namespace kohtaamo::bench
