#pragma once
// Shared by the sources that need many requests per sync (PTV, Linked Events): how politely to
// fetch, what a fetch reports, and what such a source remembers between syncs so that it can ask
// only for changes and still hand the engine the source's whole content.

#include "content/error.hpp"
#include "content/time.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace kohtaamo {

/// How a multi-request fetch behaves on the network. Every request is an anonymous GET (HttpClient
/// never sends an Authorization header).
struct FetchPolicy {
    /// Parallel requests, 1–4 (clamped). Above 1 the fetch opens its own extra HttpClients, which
    /// live only as long as the call.
    int concurrency = 2;
    /// Tries per request. 429, 5xx and transport failures (timeouts, cut connections) are retried;
    /// other statuses fail at once.
    int maxAttempts = 4;
    /// Delay before the first retry when the server gives no Retry-After; doubles per retry.
    std::chrono::seconds firstRetryDelay{2};
    /// A Retry-After longer than this is not waited for inside the fetch: the fetch fails and
    /// FetchFailure::retryAfter tells the engine when to come back.
    std::chrono::seconds maxRetryWait{120};
    std::string userAgent = "Kohtaamo";        ///< for the extra HttpClients
    std::string caBundle;                      ///< empty: the system CA store
    std::chrono::milliseconds connectTimeout{10'000};
    std::chrono::milliseconds totalTimeout{60'000};   ///< per request
    std::chrono::milliseconds lowSpeedTime{20'000};
    std::size_t maxBytes = 32 * 1024 * 1024;           ///< per response
    std::size_t maxPages = 500;                        ///< per listing; a server that never ends is an error
    /// Set by the engine to abandon the fetch (shutdown): requests are cancelled within ~100 ms.
    const std::atomic<bool>* stop = nullptr;
    /// Waits before a retry and returns false when the fetch should give up instead. Empty: sleeps in
    /// 100 ms steps, watching `stop`. Tests inject one that records the delay and returns at once.
    std::function<bool(std::chrono::milliseconds)> wait;
};

/// What the requests of one fetch cost.
struct FetchStats {
    std::size_t requests = 0;        ///< requests sent, retries included
    std::size_t retries = 0;
    std::int64_t bytes = 0;          ///< bytes on the wire
    int httpStatus = 0;              ///< of the last response
};

/// Why a fetch failed. Nothing was changed: the engine keeps the source's previous content.
struct FetchFailure {
    Error error;                                      ///< names the source, the URL and what happened
    int httpStatus = 0;                               ///< the failing response's status, 0 if none
    std::optional<std::chrono::seconds> retryAfter;   ///< the server asked to wait this long
    FetchStats stats;
};

template <class T>
using FetchResult = std::expected<T, FetchFailure>;

/// The upstream records a source kept at its last sync, as compact JSON text by kind and id (for
/// PTV: "service" and "channel"; for Linked Events: "event"). Immutable once shared.
struct MirroredRecords {
    std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> byKind;
    [[nodiscard]] std::size_t size() const;
    bool operator==(const MirroredRecords&) const = default;
};

/// What a multi-request source remembers between syncs. Cheap to copy (the records are shared).
/// A fresh (default) state means "fetch everything".
struct FetchState {
    std::string kind;                              ///< "ptv" or "linkedevents"; another kind's state is ignored
    std::string selection;                         ///< fingerprint of the settings that select content;
                                                   ///< when it changes, the next fetch is a full one
    std::optional<Instant> lastSync;               ///< when the last applied fetch started (UTC)
    std::optional<Instant> lastFullSync;           ///< when the last applied full fetch started (UTC)
    std::shared_ptr<const MirroredRecords> records;   ///< never null after a fetch
    [[nodiscard]] bool empty() const { return !lastSync.has_value(); }
};

/// Where a source's state lives while the engine has no place for it in the cache: a JSON Lines file
/// beside the cache, `<cache dir>/sync-state/<source id>.jsonl` (the id made file-name safe): a
/// header line, then a `["KIND", "ID", RECORD]` line per record.
[[nodiscard]] std::filesystem::path fetchStateFile(const std::filesystem::path& cacheFile, std::string_view sourceId);

/// Reads a state file. A missing file gives a fresh state (the next fetch is a full one); an
/// unreadable or malformed one fails naming the file (the caller may then start fresh too).
[[nodiscard]] Result<FetchState> loadFetchState(const std::filesystem::path& file);

/// Writes a state file atomically (a temporary file renamed over the old one), creating its directory.
[[nodiscard]] Result<void> saveFetchState(const std::filesystem::path& file, const FetchState& state);

} // namespace kohtaamo
