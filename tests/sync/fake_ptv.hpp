#pragma once
// A PTV v11-shaped server on loopback, for the PTV flow tests, the sync engine's catalogue tests and
// the benchmark (which is why nothing here knows doctest: a failure to start throws).

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace kohtaamo::ptvtest {

struct FakePtvOptions {
    /// How long each detail request (list?guids=) takes. The tests keep it long enough for parallel
    /// requests to overlap on loopback; the benchmark sets 0 so it measures the client, not a sleep.
    std::chrono::milliseconds batchDelay{5};
    /// The municipality whose area listing (Service/area/Municipality/code/<code>) lists the services.
    std::string municipality = "905";
};

/// Built on cpp-httplib like FaultServer, but answering from a region held in memory: guid pages of
/// 1000 (itemList null out of range), list?guids= (at most 100, missing ids dropped, 404 when
/// none), `date=` and `status=Archived|Withdrawn`. It records every request target and the most
/// requests it saw at once. (FaultServer routes by path only, and every PTV listing shares its path
/// and differs in the query.) Items are kept as JSON text, so serving a large region costs the
/// server little. All members are thread-safe. Construction throws std::runtime_error when no
/// loopback port can be bound.
class FakePtv {
public:
    struct Removal {
        std::string id;
        std::string status;   ///< "Archived" or "Withdrawn"
        std::string when;     ///< as PTV's `date=` compares it: "2026-03-01T10:00:00"
    };

    explicit FakePtv(FakePtvOptions options = {});
    ~FakePtv();
    FakePtv(const FakePtv&) = delete;
    FakePtv& operator=(const FakePtv&) = delete;

    /// "http://127.0.0.1:<port>/api/v11".
    [[nodiscard]] std::string base() const;

    /// Adds or replaces a service (by its "id"); `inArea`: listed for the municipality.
    void putService(const nlohmann::json& service, bool inArea = true);
    /// Adds or replaces a channel (by its "id").
    void putChannel(const nlohmann::json& channel);
    void removeService(const std::string& id, std::string status, std::string when);
    void removeChannel(const std::string& id, std::string status, std::string when);
    /// Lists `id` in the area with a null name, as PTV does for an id whose details would 404.
    void listWithNullName(std::string id);
    /// The next `count` detail requests answer 429 with this Retry-After.
    void tooManyRequests(int count, std::string retryAfter);
    /// Detail requests that ask for `id` answer 500 (empty: none).
    void failBatchWith(std::string id);

    [[nodiscard]] std::vector<std::string> targets() const;
    /// How many request targets from the `from`th on contain `part`.
    [[nodiscard]] std::size_t countTargets(std::string_view part, std::size_t from = 0) const;
    [[nodiscard]] int maxInFlight() const;
    [[nodiscard]] std::size_t maxGuids() const;
    [[nodiscard]] int authorizationHeaders() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace kohtaamo::ptvtest
