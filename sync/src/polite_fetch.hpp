#pragma once
// The polite GET behind the multi-request adapters: retries with backoff on 429/5xx (honouring
// Retry-After), bounded parallelism, a stop flag, and counting. Private to the sync module.

#include "sync/catalogue_fetch.hpp"
#include "sync/http_client.hpp"

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace kohtaamo {

/// Whether a 404 is an answer ("none of these exist") or a failure.
enum class NotFound { Fails, IsEmpty };

/// Sends GETs for one fetch. Not thread-safe itself; getAll() runs its own workers.
class PoliteFetcher {
public:
    /// `what` starts every error message ("PTV source \"x\""). `primary` is used on the calling thread.
    PoliteFetcher(HttpClient& primary, const FetchPolicy& policy, std::string what, std::string accept);

    /// One URL, retried as the policy says. nullopt for a 404 when `notFound` is IsEmpty.
    [[nodiscard]] FetchResult<std::optional<std::string>> get(const std::string& url, NotFound notFound = NotFound::Fails);

    /// Called with each body (nullopt for an allowed 404) as soon as it arrives, on the worker
    /// that fetched it: concurrently, so it must lock what it shares. A failure it returns stops
    /// the fetch like a failed request.
    using BodyHandler = std::function<std::optional<FetchFailure>(std::size_t index, std::optional<std::string> body)>;

    /// Several URLs with up to policy.concurrency requests at a time, each body handed to `handle`.
    /// Stops at the first failure (requests already running finish, their bodies are dropped).
    [[nodiscard]] FetchResult<void> getEach(const std::vector<std::string>& urls, NotFound notFound, const BodyHandler& handle);

    [[nodiscard]] FetchStats stats() const;
    /// A failure made from an error found after the downloads (a bad page), with the stats so far.
    [[nodiscard]] FetchFailure failure(ErrorCode code, std::string message) const;
    [[nodiscard]] bool stopped() const;
    [[nodiscard]] const std::string& what() const { return m_what; }

private:
    FetchResult<std::optional<std::string>> getWith(HttpClient& client, const std::string& url, NotFound notFound);
    bool waitFor(std::chrono::milliseconds delay) const;

    HttpClient& m_primary;
    FetchPolicy m_policy;
    std::string m_what;
    std::string m_accept;
    mutable std::mutex m_mutex;   // guards m_stats (workers count in parallel)
    FetchStats m_stats;
};

} // namespace kohtaamo
