#include "cache_observer.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <initializer_list>
#include <string_view>
#include <utility>

namespace kohtaamo::bench {
namespace {

// The WAL file format (sqlite.org/fileformat2.html#walformat): a 32-byte header, then frames of a
// 24-byte header and one page. A frame belongs to the current WAL when its salts match the header's.
constexpr std::uint32_t kWalMagic = 0x377f0682;   // the low bit is the checksum byte order
constexpr std::size_t kWalHeaderBytes = 32;
constexpr std::size_t kFrameHeaderBytes = 24;

std::uint32_t bigEndian32(const unsigned char* bytes)
{
    return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) | (std::uint32_t{bytes[2]} << 8) |
           std::uint32_t{bytes[3]};
}

class Fd {
public:
    explicit Fd(int fd) : m_fd(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd()
    {
        if (m_fd >= 0) ::close(m_fd);
    }
    [[nodiscard]] int get() const { return m_fd; }

private:
    int m_fd;
};

bool readAt(int fd, unsigned char* buffer, std::size_t size, std::size_t offset)
{
    return ::pread(fd, buffer, size, static_cast<off_t>(offset)) == static_cast<ssize_t>(size);
}

/// FNV-1a over typed column values, so "1" and 1, or NULL and "", differ.
class Digest {
public:
    void add(const void* data, std::size_t size)
    {
        for (const auto* byte = static_cast<const unsigned char*>(data); size-- > 0; ++byte) {
            m_hash ^= *byte;
            m_hash *= 1099511628211ull;
        }
    }
    void addColumn(sqlite3_stmt* statement, int column)
    {
        const int type = sqlite3_column_type(statement, column);
        add(&type, sizeof type);
        if (type == SQLITE_INTEGER) {
            const auto value = static_cast<std::int64_t>(sqlite3_column_int64(statement, column));
            add(&value, sizeof value);
        } else if (type == SQLITE_FLOAT) {
            const double value = sqlite3_column_double(statement, column);
            add(&value, sizeof value);
        } else if (type != SQLITE_NULL) {
            const void* bytes = sqlite3_column_blob(statement, column);
            const int size = sqlite3_column_bytes(statement, column);
            add(&size, sizeof size);
            if (size > 0) add(bytes, static_cast<std::size_t>(size));
        }
    }
    [[nodiscard]] std::uint64_t value() const { return m_hash; }

private:
    std::uint64_t m_hash = 14695981039346656037ull;
};

Error databaseError(sqlite3* db, std::string_view what)
{
    return Error{ErrorCode::Database, fmt::format("cache observer: {}: {}", what, sqlite3_errmsg(db))};
}

Result<std::uint64_t> digestOf(sqlite3* db, std::initializer_list<std::string_view> queries)
{
    Digest digest;
    for (const std::string_view query : queries) {
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2(db, query.data(), static_cast<int>(query.size()), &statement, nullptr) != SQLITE_OK) {
            return std::unexpected(databaseError(db, query));
        }
        const int columns = sqlite3_column_count(statement);
        int status = SQLITE_ROW;
        while ((status = sqlite3_step(statement)) == SQLITE_ROW) {
            for (int column = 0; column < columns; ++column) digest.addColumn(statement, column);
        }
        sqlite3_finalize(statement);
        if (status != SQLITE_DONE) return std::unexpected(databaseError(db, query));
        digest.add(query.data(), query.size());
    }
    return digest.value();
}

Result<std::int64_t> dataVersion(sqlite3* db)
{
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, "PRAGMA data_version", -1, &statement, nullptr) != SQLITE_OK) {
        return std::unexpected(databaseError(db, "PRAGMA data_version"));
    }
    const bool row = sqlite3_step(statement) == SQLITE_ROW;
    const std::int64_t version = row ? sqlite3_column_int64(statement, 0) : 0;
    sqlite3_finalize(statement);
    if (!row) return std::unexpected(databaseError(db, "PRAGMA data_version"));
    return version;
}

}   // namespace

FileState fileState(const std::filesystem::path& file)
{
    struct stat status {};
    if (::stat(file.c_str(), &status) != 0) return {};
    return {.exists = true,
            .size = static_cast<std::uintmax_t>(status.st_size),
            .mtimeNs = static_cast<std::int64_t>(status.st_mtim.tv_sec) * 1'000'000'000 + status.st_mtim.tv_nsec,
            .inode = static_cast<std::uint64_t>(status.st_ino)};
}

WalFrames walFrames(const std::filesystem::path& walFile)
{
    WalFrames result;
    const Fd fd(::open(walFile.c_str(), O_RDONLY | O_CLOEXEC));
    std::array<unsigned char, kWalHeaderBytes> header{};
    if (fd.get() < 0 || !readAt(fd.get(), header.data(), header.size(), 0)) return result;
    if ((bigEndian32(header.data()) & ~1u) != kWalMagic) return result;
    result.pageSize = bigEndian32(header.data() + 8);
    result.salt1 = bigEndian32(header.data() + 16);
    result.salt2 = bigEndian32(header.data() + 20);
    if (result.pageSize == 0) return result;
    std::array<unsigned char, kFrameHeaderBytes> frame{};
    for (std::size_t offset = kWalHeaderBytes; readAt(fd.get(), frame.data(), frame.size(), offset);
         offset += kFrameHeaderBytes + result.pageSize) {
        if (bigEndian32(frame.data() + 8) != result.salt1 || bigEndian32(frame.data() + 12) != result.salt2) break;
        ++result.frames;
        if (bigEndian32(frame.data() + 4) != 0) ++result.commits;
    }
    return result;
}

WalFrames walAppended(const WalFrames& before, const WalFrames& after)
{
    WalFrames appended = after;
    if (before.salt1 == after.salt1 && before.salt2 == after.salt2) {
        appended.frames = after.frames - before.frames;
        appended.commits = after.commits - before.commits;
    }
    return appended;
}

Result<CacheObserver> CacheObserver::open(const std::filesystem::path& file)
{
    sqlite3* db = nullptr;
    // Read-write (a read-only connection cannot always use another's WAL index), but query_only.
    if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        const Error error = databaseError(db, file.string());
        sqlite3_close(db);
        return std::unexpected(error);
    }
    if (sqlite3_exec(db, "PRAGMA query_only = 1", nullptr, nullptr, nullptr) != SQLITE_OK) {
        const Error error = databaseError(db, "PRAGMA query_only");
        sqlite3_close(db);
        return std::unexpected(error);
    }
    sqlite3_busy_timeout(db, 2000);
    return CacheObserver(db, file);
}

CacheObserver::CacheObserver(sqlite3* db, std::filesystem::path file) : m_db(db), m_file(std::move(file)) {}

CacheObserver::CacheObserver(CacheObserver&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)), m_file(std::move(other.m_file))
{
}

CacheObserver::~CacheObserver()
{
    if (m_db != nullptr) sqlite3_close(m_db);
}

Result<CacheLook> CacheObserver::look() const
{
    CacheLook look;
    auto version = dataVersion(m_db);
    if (!version) return std::unexpected(version.error());
    look.dataVersion = *version;
    auto content = digestOf(m_db, {"SELECT * FROM places ORDER BY source_id, id",
                                   "SELECT * FROM services ORDER BY source_id, id",
                                   "SELECT * FROM events ORDER BY source_id, id",
                                   "SELECT * FROM announcements ORDER BY source_id, id",
                                   "SELECT rowid, * FROM search ORDER BY rowid",
                                   "SELECT id, kind, url, applied_at, item_count FROM sources ORDER BY id"});
    if (!content) return std::unexpected(content.error());
    look.contentDigest = *content;
    auto status = digestOf(m_db, {"SELECT id, etag, last_modified, last_attempt, last_success, http_status, bytes, "
                                  "duration_ms, error FROM sources ORDER BY id"});
    if (!status) return std::unexpected(status.error());
    look.statusDigest = *status;
    const auto wal = std::filesystem::path(m_file).concat("-wal");
    look.main = fileState(m_file);
    look.wal = fileState(wal);
    look.walFrames = walFrames(wal);
    return look;
}

}   // namespace kohtaamo::bench
