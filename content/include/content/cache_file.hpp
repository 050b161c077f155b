#pragma once
// Opening the kiosk's cache so that there always is one: a damaged file is moved aside and rebuilt,
// and a data directory that cannot hold the cache (read-only, full) is replaced by temporary
// storage, keeping the last content on screen. A lobby screen must never stay blank because of a
// power cut on a cheap SSD.

#include "content/content_store.hpp"
#include "content/time.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace kohtaamo {

/// The cache as it was opened, and what had to be done to open it.
struct OpenedCache {
    ContentStore store;
    std::filesystem::path file;         ///< the file in use: DATA_DIR/cache.sqlite, or the fallback
    bool temporary = false;             ///< the fallback in temporary storage is in use
    std::vector<std::string> notices;   ///< what was wrong and what was done: for the log, staff panel, status
};

/// Opens `dataDir/cache.sqlite` (creating the directory and the file as needed).
/// - A file that is not a database or whose first pages are damaged, one marked by
///   markCacheDamaged, or one that a newer Kohtaamo wrote is
///   moved to `dataDir/corrupt/cache.sqlite.<UTC time>` with its -wal file (only the latest
///   copy is kept there, for support) and a fresh cache is created; the sources fill it again.
/// - When the data directory cannot hold a cache (read-only, full, not creatable), the cache lives
///   in `fallbackDir` instead until the next start, beginning as a copy of the old cache when that is
///   still readable, so the last content stays on screen.
/// Fails only when not even the fallback can be opened. `now` stamps the moved-aside copy.
[[nodiscard]] Result<OpenedCache> openCache(const std::filesystem::path& dataDir, const std::filesystem::path& fallbackDir,
                                            Instant now);

/// The verdict of SQLite's own check on a cache file, without changing it.
enum class CacheHealth {
    Healthy,       ///< quick_check says ok
    Damaged,       ///< not a database, corrupt pages or a failing quick_check
    Unreadable,    ///< could not be read at all (missing, permissions, I/O): says nothing about the file
};

/// Runs `PRAGMA quick_check` on `file` through a read-only connection; `detail` gets SQLite's words.
/// It reads the whole file (seconds for a large region on a cold start): run it off the frame loop.
[[nodiscard]] CacheHealth checkCacheFile(const std::filesystem::path& file, std::string* detail = nullptr);

/// Leaves a mark beside `file` (`cache.sqlite.damaged`, holding `detail`) so that the next
/// openCache moves the damaged file aside. For damage found while the kiosk runs.
[[nodiscard]] Result<void> markCacheDamaged(const std::filesystem::path& file, std::string_view detail);

} // namespace kohtaamo
