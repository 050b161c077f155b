#pragma once
// The measured work. Each step runs in its own process (`kohtaamo-bench --child NAME ARGS…`, started
// by the parent) and writes one JSON object to fd 3; the parent adds wait4's rusage.

#include "content/time.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kohtaamo::bench {

/// The moment every step treats as "now": a Tuesday in term time. Fixed, so the content a screen
/// shows (and so its cost) does not depend on the day the bench runs.
inline constexpr std::string_view kBenchNow = "2026-03-10T10:00";
[[nodiscard]] Instant benchNow();

/// Writes the step's answer to fd 3.
void writeResult(const nlohmann::json& result);

/// Logs "kohtaamo-bench: WHAT" to stderr (the bench log) and returns the step's exit code, 1.
int failStep(std::string_view what);
[[nodiscard]] double millisecondsSince(std::chrono::steady_clock::time_point start);
[[nodiscard]] std::optional<std::string> readFile(const std::filesystem::path& file);
[[nodiscard]] bool writeFile(const std::filesystem::path& file, const std::string& text);

using Arguments = std::vector<std::string>;

/// WORK_DIR: writes large-region.json and bundle-5000.json there.
int generateStep(const Arguments& arguments);
/// BUNDLE DB SOURCE_ID: readBundle + ContentStore::replaceSource into a fresh file.
int ingestStep(const Arguments& arguments);
/// DB: ContentStore::buildSnapshot for the window around benchNow().
int snapshotStep(const Arguments& arguments);
/// DB MAX_SAMPLES: ContentStore::search for growing prefixes of "perhe".
int searchStep(const Arguments& arguments);
/// DATA_DIR SCREEN PLACE WARMUP FRAMES: headless 1920×1080 frames of one screen while scrolling.
int uiStep(const Arguments& arguments);
/// WORK_DIR: writes calendar-1000.ics there (a seeded staff calendar).
int generateICalendarStep(const Arguments& arguments);
/// ICS DB: parseICalendar + conformToStore + ContentStore::replaceSource into a fresh file, then a
/// snapshot for the sessions in the 14 days from benchNow().
int ingestICalendarStep(const Arguments& arguments);
/// KIND URL DB STATUS_FILE SYNCS STEP_MINUTES [KEY=VALUE…]: the real SyncEngine's syncAll for one
/// source of KIND with those settings, SYNCS times STEP_MINUTES apart, with what each wrote.
int syncStep(const Arguments& arguments);

}   // namespace kohtaamo::bench
