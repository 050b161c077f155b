#pragma once
// The sync engine: keeps the offline cache fresh from the configured sources, on its own thread
// with its own SQLite connection and its own curl handle. Each source is fetched on its own
// schedule; a fetched feed is applied only when it downloaded, parsed and validated completely and
// passed the safety rails, in one transaction, so a failure at any step (or a crash) leaves that
// source's previous content exactly as it was.

#include "content/content_store.hpp"
#include "sync/catalogue_fetch.hpp"
#include "sync/feed.hpp"
#include "sync/kiosk_config.hpp"
#include "sync/sync_status.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace kohtaamo {

using Clock = std::function<Instant()>;

/// What a sync attempt wrote to the cache.
enum class CacheWrite {
    Status,    ///< only the source's status: nothing new upstream, a failure, a held-back feed
    Content,   ///< new content, applied
};

struct SyncEngineOptions {
    std::filesystem::path cacheFile;
    /// Rewritten after every attempt (see sync_status.hpp); empty = no status file.
    std::filesystem::path statusFile;
    /// How the cache was opened; repeated in every status file.
    CacheStatus cacheStatus;
    std::vector<SourceConfig> sources;
    /// `[sync]` defaults; a source's own min_fraction, max_items and max_megabytes override them.
    SyncSettings defaults;
    std::string userAgent = "Kohtaamo";
    Clock clock;                          ///< UTC now; empty = the system clock
    /// Called after every attempt that wrote to the cache, saying what: new content, or only a new
    /// status (a 304's last success, a failure's error), so snapshots show fresh content, age and
    /// status. Runs on the engine thread (or the caller's, for runDue/syncAll); wire it to
    /// ContentService::requestRebuild (Content) and requestStatusRefresh (Status).
    std::function<void(CacheWrite)> onApplied;
    std::uint64_t seed = 0;               ///< for the jitter; 0 = a random seed
    double jitter = 0.1;                  ///< each delay is varied by up to ± this fraction
    /// After a failure: firstBackoff, doubling per consecutive failure, up to the source's interval
    /// but never more than maxBackoff (nor less than firstBackoff).
    std::chrono::seconds firstBackoff{60};
    std::chrono::seconds maxBackoff{6 * 3600};
    std::chrono::seconds maxRetryAfter{24 * 3600};   ///< a longer Retry-After is cut to this
    std::chrono::milliseconds connectTimeout{10'000};
    std::chrono::milliseconds totalTimeout{120'000};
    std::chrono::milliseconds lowSpeedTime{30'000};
    /// Inside a PTV or Linked Events fetch, the first wait before retrying a request that failed
    /// with 429, 5xx or a transport error (doubling per retry; a Retry-After overrides it).
    std::chrono::seconds retryDelay{2};
};

enum class SyncResult {
    Applied,       ///< new content is in the cache
    NotModified,   ///< 304, identical bytes or no changes upstream: only the status was written
    HeldBack,      ///< a safety rail kept the previous content (see error)
    Failed,        ///< download, parse, validation or the cache failed (see error)
};

/// What one attempt did.
struct SyncOutcome {
    std::string sourceId;
    SyncResult result = SyncResult::Failed;
    std::size_t items = 0;                 ///< items of the source now (Applied, NotModified) or of the feed (HeldBack)
    int httpStatus = 0;                    ///< 0 for file:// and when no response arrived
    std::int64_t bytes = 0;
    std::chrono::milliseconds duration{0};
    std::string error;                     ///< empty unless HeldBack or Failed; may span lines
    std::vector<FeedProblem> problems;     ///< items the adapter skipped or repaired
    std::optional<std::chrono::seconds> retryAfter;
    [[nodiscard]] bool ok() const { return result == SyncResult::Applied || result == SyncResult::NotModified; }
};

/// A source's place in the schedule.
struct SourceSchedule {
    std::string sourceId;
    Instant nextAttempt;
    int failures = 0;                       ///< consecutive failed attempts (HeldBack is not one)
    std::optional<Instant> notBefore;       ///< a server's Retry-After, honoured even by syncNow()
};

/// Thread-safety: start(), syncNow(), stop() and schedule() may be called from any thread. runDue()
/// and syncAll() use the engine's connection and curl handle, so call them only while the thread
/// is not started (tests, --sync-once). stop() (or the destructor) returns within about a second,
/// abandoning a transfer in progress.
class SyncEngine {
public:
    /// Opens the engine's own connection to the cache and schedules every source: one that synced
    /// successfully before is next due one (jittered) interval after that success, any other now.
    [[nodiscard]] static Result<std::unique_ptr<SyncEngine>> create(SyncEngineOptions options);
    ~SyncEngine();
    SyncEngine(const SyncEngine&) = delete;
    SyncEngine& operator=(const SyncEngine&) = delete;

    /// Starts the thread, which runs runDue() whenever a source is due.
    void start();
    /// Makes every source due now (except one a server asked to wait with Retry-After) and wakes the thread.
    void syncNow();
    /// Stops and joins the thread, abandoning a download in progress; the cache is left consistent.
    void stop();

    /// Attempts every source due at `now`, in config order, each stamped with `now`; reschedules
    /// each, writes the status file, and returns what happened.
    std::vector<SyncOutcome> runDue(Instant now);
    /// Attempts every source once, whatever its schedule (--sync-once).
    std::vector<SyncOutcome> syncAll(Instant now);

    [[nodiscard]] std::vector<SourceSchedule> schedule() const;

private:
    struct Source;
    struct Download;
    explicit SyncEngine(SyncEngineOptions options);
    void run();
    SyncOutcome attempt(std::size_t index, Instant now);
    FetchResult<Download> downloadFile(Source& source, const SourceState& status, std::size_t maxBytes);
    FetchResult<Download> downloadCatalogue(Source& source, const SourceState& status, bool sameFeed,
                                            std::size_t maxBytes, Instant now);
    void reschedule(std::size_t index, const SyncOutcome& outcome, Instant now);
    std::chrono::seconds jittered(std::chrono::seconds delay);
    void writeStatus(Instant now);

    SyncEngineOptions m_options;
    struct Parts;
    std::unique_ptr<Parts> m_parts;       // store, HTTP client, adapters, random generator
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::vector<SourceSchedule> m_schedule;
    bool m_syncNowRequested = false;
    bool m_stopping = false;
    std::atomic<bool> m_cancel{false};
    std::thread m_thread;
};

/// The delay before the next attempt after `failures` consecutive failures (1 = the first), before
/// jitter: see SyncEngineOptions::firstBackoff.
[[nodiscard]] std::chrono::seconds backoffDelay(int failures, std::chrono::seconds interval,
                                                const SyncEngineOptions& options);

} // namespace kohtaamo
