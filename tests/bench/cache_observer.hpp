#pragma once
// A second look at a cache file while another connection (the sync engine's) writes it: whether it
// committed anything since the last look, whether the content changed, and what reached the files.

#include "content/error.hpp"

#include <cstdint>
#include <filesystem>

struct sqlite3;

namespace kohtaamo::bench {

/// A file as stat(2) saw it.
struct FileState {
    bool exists = false;
    std::uintmax_t size = 0;
    std::int64_t mtimeNs = 0;
    std::uint64_t inode = 0;   ///< a file replaced by rename gets a new one
    bool operator==(const FileState&) const = default;
};
[[nodiscard]] FileState fileState(const std::filesystem::path& file);

/// The valid frames of a -wal file: those after the header whose salts match it.
struct WalFrames {
    std::uint32_t salt1 = 0;
    std::uint32_t salt2 = 0;
    std::uint32_t pageSize = 0;
    std::int64_t frames = 0;
    std::int64_t commits = 0;   ///< frames that end a transaction
};
[[nodiscard]] WalFrames walFrames(const std::filesystem::path& walFile);
/// Frames written between two looks. A WAL restarted in between (new salts) counts from its start,
/// so frames overwritten by a second restart in the same interval would be missed.
[[nodiscard]] WalFrames walAppended(const WalFrames& before, const WalFrames& after);

/// One look at the cache.
struct CacheLook {
    std::int64_t dataVersion = 0;       ///< PRAGMA data_version: changes when another connection commits
    std::uint64_t contentDigest = 0;    ///< every record, the search index, and each source's content columns
    std::uint64_t statusDigest = 0;     ///< each source's sync status columns (etag, last attempt, …)
    FileState main;
    FileState wal;
    WalFrames walFrames;
};

/// Owns a read-only (query_only) connection of its own. Looks must be taken while the writer is
/// between transactions. Not thread-safe; movable.
class CacheObserver {
public:
    [[nodiscard]] static Result<CacheObserver> open(const std::filesystem::path& file);
    CacheObserver(CacheObserver&& other) noexcept;
    CacheObserver& operator=(CacheObserver&&) = delete;
    ~CacheObserver();

    [[nodiscard]] Result<CacheLook> look() const;

private:
    CacheObserver(sqlite3* db, std::filesystem::path file);
    sqlite3* m_db = nullptr;
    std::filesystem::path m_file;
};

}   // namespace kohtaamo::bench
