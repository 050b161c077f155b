#pragma once
// The status file for IT monitoring (<data_dir>/status.json): each source's last attempt, last
// success, HTTP status, items, bytes, duration, error and content age, written atomically after
// every sync attempt so a reader never sees half a file.

#include "content/error.hpp"
#include "content/source_state.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kohtaamo {

/// One source as the status file shows it: what the cache records, plus the engine's schedule.
struct SourceStatus {
    SourceState state;
    std::optional<Instant> nextAttempt;
    int failures = 0;   ///< consecutive failed attempts
};

/// What the kiosk had to do to open its cache (content/cache_file.hpp), shown beside the sources.
struct CacheStatus {
    std::vector<std::string> notices;   ///< a damaged cache moved aside, a temporary cache in use
    bool temporary = false;             ///< the cache lives in temporary storage until the next start
};

/// The status document (pretty-printed JSON). A source is "ok" when it has synced at least once and
/// its last attempt did not fail; "content_age_seconds" counts from its last success. The document
/// is "ok" when every source is and the cache is not a temporary one.
[[nodiscard]] std::string statusJson(const std::vector<SourceStatus>& sources, Instant now,
                                     const CacheStatus& cache = {});

/// True when `text` is a status document whose "ok" is true (every source synced and none failing).
[[nodiscard]] bool statusIsOk(std::string_view text);

/// Writes `text` to a temporary file beside `file`, flushes it to disk, and renames it over `file`,
/// so readers see the old or the new file, whole. Fails with Io naming the file.
[[nodiscard]] Result<void> writeFileAtomically(const std::filesystem::path& file, std::string_view text);

} // namespace kohtaamo
