#include "content/cache_file.hpp"

#include "sqlite.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

namespace kohtaamo {
namespace {

constexpr std::string_view kCacheName = "cache.sqlite";
constexpr std::string_view kCorruptDir = "corrupt";

bool isDamage(int code)
{
    const int primary = code & 0xff;
    return primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT;
}

bool readsSchema(sqlite3* db)
{
    return sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", nullptr, nullptr, nullptr) == SQLITE_OK;
}

std::filesystem::path damageMarkOf(const std::filesystem::path& file) { return file.string() + ".damaged"; }

std::string readMark(const std::filesystem::path& mark)
{
    std::ifstream in(mark);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text.empty() ? std::string("found by SQLite's check") : text;
}

// A read-only connection. On a read-only file system SQLite cannot create the -shm file a WAL
// database needs, so the second try reads the file as immutable: without the WAL's last, not yet
// checkpointed transactions, which is still the last content rather than none.
sqlite::Connection openReadOnly(const std::filesystem::path& file)
{
    for (const bool immutable : {false, true}) {
        sqlite3* raw = nullptr;
        const std::string name = immutable ? fmt::format("file:{}?immutable=1", file.string()) : file.string();
        const int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | (immutable ? SQLITE_OPEN_URI : 0);
        const int rc = sqlite3_open_v2(name.c_str(), &raw, flags, nullptr);
        sqlite::Connection db(raw);
        if (rc != SQLITE_OK) continue;
        sqlite3_extended_result_codes(raw, 1);
        // Reading the schema is the first real read: a connection that cannot do it (for want of a
        // -shm) is no use, unless what it found is damage.
        if (readsSchema(raw) || isDamage(sqlite3_extended_errcode(raw))) return db;
    }
    return nullptr;
}

std::string compactStamp(Instant now)
{
    std::string stamp = formatUtc(now);   // 2026-03-10T07:30:00Z
    std::erase_if(stamp, [](char c) { return c == '-' || c == ':'; });
    return stamp;                         // 20260310T073000Z
}

// Moves the cache file (and its -wal) to DATA_DIR/corrupt/, keeping only this latest copy.
Result<std::filesystem::path> moveAside(const std::filesystem::path& dataDir, const std::filesystem::path& file, Instant now)
{
    std::error_code error;
    const auto corrupt = dataDir / kCorruptDir;
    std::filesystem::create_directories(corrupt, error);
    if (!error) {
        for (const auto& entry : std::filesystem::directory_iterator(corrupt, error)) {
            if (entry.path().filename().string().starts_with(std::string(kCacheName) + ".")) {
                std::filesystem::remove(entry.path(), error);
            }
        }
    }
    auto target = corrupt / fmt::format("{}.{}", kCacheName, compactStamp(now));
    std::filesystem::rename(file, target, error);
    if (error) {
        return fail(ErrorCode::Io, fmt::format("the damaged cache {} cannot be moved aside to {}: {}", file.string(),
                                               target.string(), error.message()));
    }
    // The -wal may hold what support needs; the -shm is only an index of it. Neither may stay: a
    // stale -wal would be replayed into the new cache.
    const std::filesystem::path wal = file.string() + "-wal";
    if (std::filesystem::exists(wal, error)) {
        std::filesystem::rename(wal, target.string() + "-wal", error);
        if (error) std::filesystem::remove(wal, error);
    }
    std::filesystem::remove(file.string() + "-shm", error);
    return target;
}

// Why DATA_DIR cannot hold the cache, or nothing when it can (so far as can be told before writing).
std::optional<std::string> unusableDirectory(const std::filesystem::path& dataDir)
{
    std::error_code error;
    std::filesystem::create_directories(dataDir, error);
    if (error) return fmt::format("the data directory {} cannot be created ({})", dataDir.string(), error.message());
    // access() reports a read-only file system even to root, who passes every permission check.
    if (::access(dataDir.c_str(), W_OK) != 0) {
        return fmt::format("the data directory {} is not writable ({})", dataDir.string(), std::strerror(errno));
    }
    return std::nullopt;
}

// Copies a readable cache into `target` with SQLite's online backup: a consistent copy of the
// database, whatever state its files are in.
Result<void> copyCache(const std::filesystem::path& source, const std::filesystem::path& target)
{
    auto from = openReadOnly(source);
    if (!from) return fail(ErrorCode::Io, fmt::format("{} cannot be read", source.string()));
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(target.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    sqlite::Connection to(raw);
    if (rc != SQLITE_OK) return std::unexpected(sqlite::databaseError(raw, fmt::format("creating {}", target.string())));
    sqlite3_backup* backup = sqlite3_backup_init(to.get(), "main", from.get(), "main");
    if (!backup) return std::unexpected(sqlite::databaseError(to.get(), fmt::format("copying {}", source.string())));
    const int stepped = sqlite3_backup_step(backup, -1);
    sqlite3_backup_finish(backup);
    if (stepped != SQLITE_DONE) {
        return fail(ErrorCode::Database, fmt::format("copying {} to {}: {}", source.string(), target.string(),
                                                     sqlite3_errstr(stepped)));
    }
    return {};
}

void removeCacheFiles(const std::filesystem::path& file)
{
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file.string() + suffix, ignored);
}

// The cache in temporary storage: the one an earlier start left there when it is sound, else a copy
// of the data directory's readable cache, else an empty one.
Result<OpenedCache> openFallback(const std::filesystem::path& dataFile, const std::filesystem::path& fallbackDir,
                                 const std::string& problem, std::vector<std::string> notices)
{
    std::error_code error;
    std::filesystem::create_directories(fallbackDir, error);
    const auto file = fallbackDir / kCacheName;
    std::string start = "an earlier temporary cache";
    if (!std::filesystem::exists(file, error) || checkCacheFile(file) != CacheHealth::Healthy) {
        removeCacheFiles(file);
        start = "an empty cache";
        if (std::filesystem::exists(dataFile, error) && checkCacheFile(dataFile) == CacheHealth::Healthy) {
            if (auto copied = copyCache(dataFile, file)) start = "a copy of the last content";
            else removeCacheFiles(file);
        }
    }
    auto store = ContentStore::open(file);
    if (!store) {
        return fail(ErrorCode::Io, fmt::format("{}, and the temporary cache {} cannot be opened either: {}", problem,
                                               file.string(), store.error().message));
    }
    notices.push_back(fmt::format("{}: the kiosk uses a temporary cache in {} (starting from {}) until it restarts",
                                  problem, fallbackDir.string(), start));
    return OpenedCache{std::move(*store), file, true, std::move(notices)};
}

} // namespace

CacheHealth checkCacheFile(const std::filesystem::path& file, std::string* detail)
{
    std::error_code error;
    if (!std::filesystem::is_regular_file(file, error)) {
        if (detail) *detail = "no such file";
        return CacheHealth::Unreadable;
    }
    auto db = openReadOnly(file);
    if (!db) {
        if (detail) *detail = "cannot be opened";
        return CacheHealth::Unreadable;
    }
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v2(db.get(), "PRAGMA quick_check(1)", -1, &raw, nullptr);
    std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> statement(raw, &sqlite3_finalize);
    std::string verdict;
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(raw);
        if (rc == SQLITE_ROW) verdict = reinterpret_cast<const char*>(sqlite3_column_text(raw, 0));
    }
    if (verdict == "ok") return CacheHealth::Healthy;
    std::replace(verdict.begin(), verdict.end(), '\n', ' ');   // "*** in database main *** Page 167: …"
    if (detail) *detail = verdict.empty() ? sqlite3_errmsg(db.get()) : verdict;
    if (!verdict.empty() || isDamage(sqlite3_extended_errcode(db.get()))) return CacheHealth::Damaged;
    return CacheHealth::Unreadable;
}

Result<void> markCacheDamaged(const std::filesystem::path& file, std::string_view detail)
{
    const auto mark = damageMarkOf(file);
    std::ofstream out(mark, std::ios::trunc);
    out << detail << '\n';
    out.close();
    if (!out) return fail(ErrorCode::Io, fmt::format("{} cannot be written", mark.string()));
    return {};
}

Result<OpenedCache> openCache(const std::filesystem::path& dataDir, const std::filesystem::path& fallbackDir, Instant now)
{
    const auto file = dataDir / kCacheName;
    std::vector<std::string> notices;
    if (auto problem = unusableDirectory(dataDir)) return openFallback(file, fallbackDir, *problem, std::move(notices));

    // SQLite's full check reads the whole file, seconds on a cold start of a large region, so it runs
    // in the background (checkCacheFile) and leaves a mark; here only the mark and the file's
    // first pages are looked at.
    std::string damage;
    const std::filesystem::path mark = damageMarkOf(file);
    std::error_code error;
    if (std::filesystem::exists(mark, error)) {
        damage = readMark(mark);
    } else if (auto db = openReadOnly(file); db && !readsSchema(db.get())) {
        damage = sqlite3_errmsg(db.get());
    }
    if (!damage.empty()) {
        auto moved = moveAside(dataDir, file, now);
        std::filesystem::remove(mark, error);
        if (!moved) return openFallback(file, fallbackDir, moved.error().message, std::move(notices));
        notices.push_back(fmt::format("the cache {} was damaged ({}); it was moved to {} and the sources fill a new one",
                                      file.string(), damage, moved->string()));
    }
    auto store = ContentStore::open(file);
    if (!store && store.error().code == ErrorCode::SchemaTooNew) {
        // An older Kohtaamo after a rollback: the newer cache is kept for the way forward again.
        auto moved = moveAside(dataDir, file, now);
        if (!moved) return openFallback(file, fallbackDir, moved.error().message, std::move(notices));
        notices.push_back(fmt::format("{}; it was moved to {} and the sources fill a new one", store.error().message,
                                      moved->string()));
        store = ContentStore::open(file);
    }
    if (!store) return openFallback(file, fallbackDir, store.error().message, std::move(notices));
    return OpenedCache{std::move(*store), file, false, std::move(notices)};
}

} // namespace kohtaamo
