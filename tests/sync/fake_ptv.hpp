#pragma once
// A PTV-shaped server on loopback and the region it serves, shared by the PTV flow tests and the
// sync engine's catalogue tests.

#include "ptv_test_support.hpp"

#include <fmt/format.h>

namespace kohtaamo::ptvtest {

// A PTV v11 server on loopback, built on cpp-httplib like FaultServer, but answering from a region
// held in memory: guid pages of 1000 (itemList null out of range), list?guids= (at most 100, missing
// ids dropped, 404 when none), `date=` and `status=Archived|Withdrawn`. It records every request
// target and the most requests it saw at once. (FaultServer routes by path only, and every PTV
// listing shares its path and differs in the query.)
class FakePtv {
public:
    struct Removal {
        std::string id;
        std::string status;
        std::string when;
    };

    FakePtv()
    {
        for (const char* name : {"no_proxy", "NO_PROXY"}) ::setenv(name, "127.0.0.1,localhost", 1);
        m_server.set_keep_alive_timeout(1);
        m_server.Get(".*", [this](const httplib::Request& request, httplib::Response& response) { handle(request, response); });
        m_port = m_server.bind_to_any_port("127.0.0.1");
        REQUIRE(m_port > 0);
        m_thread = std::thread([this] { m_server.listen_after_bind(); });
        while (!m_server.is_running()) std::this_thread::yield();
    }
    ~FakePtv()
    {
        m_server.stop();
        m_thread.join();
    }
    FakePtv(const FakePtv&) = delete;
    FakePtv& operator=(const FakePtv&) = delete;

    [[nodiscard]] std::string base() const { return "http://127.0.0.1:" + std::to_string(m_port) + "/api/v11"; }

    void putService(json service, bool inArea = true)
    {
        std::lock_guard lock(m_mutex);
        const auto id = service["id"].get<std::string>();
        m_services[id] = {std::move(service), inArea};
    }
    void putChannel(json channel)
    {
        std::lock_guard lock(m_mutex);
        const auto id = channel["id"].get<std::string>();
        m_channels[id] = {std::move(channel), false};
    }
    void removeService(const std::string& id, std::string status, std::string when)
    {
        std::lock_guard lock(m_mutex);
        m_services.erase(id);
        m_removedServices.push_back({id, std::move(status), std::move(when)});
    }
    void removeChannel(const std::string& id, std::string status, std::string when)
    {
        std::lock_guard lock(m_mutex);
        m_channels.erase(id);
        m_removedChannels.push_back({id, std::move(status), std::move(when)});
    }
    void listWithNullName(std::string id)
    {
        std::lock_guard lock(m_mutex);
        m_nullNamed.insert(std::move(id));
    }
    /// The next `count` detail requests answer 429 with this Retry-After.
    void tooManyRequests(int count, std::string retryAfter)
    {
        std::lock_guard lock(m_mutex);
        m_tooMany = count;
        m_retryAfter = std::move(retryAfter);
    }
    /// Detail requests that ask for `id` answer 500 (empty: none).
    void failBatchWith(std::string id)
    {
        std::lock_guard lock(m_mutex);
        m_failId = std::move(id);
    }

    [[nodiscard]] std::vector<std::string> targets() const
    {
        std::lock_guard lock(m_mutex);
        return m_targets;
    }
    [[nodiscard]] std::size_t countTargets(std::string_view part, std::size_t from = 0) const
    {
        const auto all = targets();
        return static_cast<std::size_t>(std::count_if(all.begin() + static_cast<std::ptrdiff_t>(std::min(from, all.size())), all.end(),
                                                      [&](const std::string& t) { return t.find(part) != std::string::npos; }));
    }
    [[nodiscard]] int maxInFlight() const { return m_maxInFlight; }
    [[nodiscard]] std::size_t maxGuids() const { return m_maxGuids; }
    [[nodiscard]] int authorizationHeaders() const { return m_authorization; }

private:
    struct Entry {
        json item;
        bool inArea = false;
    };

    static std::string modified(const json& item) { return item.value("modified", "").substr(0, 19); }

    static std::string page(const std::vector<std::string>& ids, const std::set<std::string>& nullNamed, int number)
    {
        constexpr std::size_t kPageSize = 1000;
        const auto pageCount = static_cast<int>((ids.size() + kPageSize - 1) / kPageSize);
        json result = {{"pageNumber", number}, {"pageSize", kPageSize}, {"pageCount", pageCount}, {"itemList", nullptr}};
        if (number >= 1 && number <= pageCount) {
            json items = json::array();
            for (std::size_t i = static_cast<std::size_t>(number - 1) * kPageSize; i < std::min(ids.size(), static_cast<std::size_t>(number) * kPageSize); ++i) {
                items.push_back({{"id", ids[i]}, {"name", nullNamed.contains(ids[i]) ? json(nullptr) : json("Palvelu")}});
            }
            result["itemList"] = std::move(items);
        } else {
            result["pageNumber"] = 0;
        }
        return result.dump();
    }

    void handle(const httplib::Request& request, httplib::Response& response)
    {
        const int now = ++m_inFlight;
        for (int seen = m_maxInFlight; now > seen && !m_maxInFlight.compare_exchange_weak(seen, now);) {
        }
        answer(request, response);
        --m_inFlight;
    }

    void answer(const httplib::Request& request, httplib::Response& response)
    {
        std::unique_lock lock(m_mutex);
        m_targets.push_back(request.target);
        if (request.has_header("Authorization")) ++m_authorization;
        const std::string prefix = "/api/v11/";
        const auto date = request.get_param_value("date");
        const auto status = request.get_param_value("status");
        const int pageNumber = request.has_param("page") ? std::stoi(request.get_param_value("page")) : 1;
        const auto path = request.path.substr(prefix.size());
        const auto listed = [&](const std::map<std::string, Entry>& entries, bool areaOnly) {
            std::vector<std::string> ids;
            for (const auto& [id, entry] : entries) {
                if ((!areaOnly || entry.inArea) && (date.empty() || modified(entry.item) > date)) ids.push_back(id);
            }
            return ids;
        };
        const auto removedSince = [&](const std::vector<Removal>& removals) {
            std::vector<std::string> ids;
            for (const auto& removal : removals) {
                if (removal.status == status && removal.when > date) ids.push_back(removal.id);
            }
            return ids;
        };
        if (path == "Service/area/Municipality/code/905") {
            auto ids = listed(m_services, true);
            for (const auto& id : m_nullNamed) ids.push_back(id);
            response.set_content(page(ids, m_nullNamed, pageNumber), "application/json");
        } else if (path == "Service" || path == "ServiceChannel") {
            const auto& entries = path == "Service" ? m_services : m_channels;
            const auto& removals = path == "Service" ? m_removedServices : m_removedChannels;
            response.set_content(page(status.empty() ? listed(entries, false) : removedSince(removals), {}, pageNumber),
                                 "application/json");
        } else if (path == "Service/list" || path == "ServiceChannel/list") {
            const auto guids = request.get_param_value("guids");
            std::vector<std::string> ids;
            for (std::size_t start = 0; start <= guids.size();) {
                const auto comma = std::min(guids.find(',', start), guids.size());
                ids.push_back(guids.substr(start, comma - start));
                start = comma + 1;
            }
            m_maxGuids = std::max(m_maxGuids, ids.size());
            if (ids.size() > 100) {
                response.status = 400;
                response.set_content(R"({"guids": ["At most 100 guids."]})", "application/json");
                return;
            }
            if (m_tooMany > 0) {
                --m_tooMany;
                response.status = 429;
                response.set_header("Retry-After", m_retryAfter);
                return;
            }
            if (!m_failId.empty() && std::find(ids.begin(), ids.end(), m_failId) != ids.end()) {
                response.status = 500;
                response.set_content(R"({"errorMessage": "An unexpected error occurred. Trace id: 42"})", "application/json");
                return;
            }
            const auto& entries = path == "Service/list" ? m_services : m_channels;
            json found = json::array();
            for (const auto& id : ids) {
                if (auto it = entries.find(id); it != entries.end()) found.push_back(it->second.item);
            }
            lock.unlock();
            // Long enough for parallel requests to overlap on this loopback server.
            std::this_thread::sleep_for(5ms);
            if (found.empty()) {
                response.status = 404;
                response.set_content(R"({"errorMessage": "Services not found."})", "application/json");
                return;
            }
            response.set_content(found.dump(), "application/json");
        } else {
            response.status = 404;
            response.set_content(R"({"errorMessage": "This version is not supported!"})", "application/json");
        }
    }

    httplib::Server m_server;
    int m_port = 0;
    std::thread m_thread;
    mutable std::mutex m_mutex;
    std::map<std::string, Entry> m_services;
    std::map<std::string, Entry> m_channels;
    std::vector<Removal> m_removedServices;
    std::vector<Removal> m_removedChannels;
    std::set<std::string> m_nullNamed;
    int m_tooMany = 0;
    std::string m_retryAfter;
    std::string m_failId;
    std::vector<std::string> m_targets;
    std::atomic<int> m_inFlight{0};
    std::atomic<int> m_maxInFlight{0};
    std::size_t m_maxGuids = 0;
    int m_authorization = 0;
};

inline std::string guid(char kind, int number) { return fmt::format("{}0000000-0000-4000-8000-{:012}", kind, number); }

constexpr int kFamilyServices = 150;
constexpr int kOtherServices = 1000;
constexpr int kPlaces = 40;

inline json familyService(int i)
{
    json service = templateJson("service_family.json");
    service["id"] = guid('a', i);
    service["serviceNames"][0]["value"] = fmt::format("Lastenneuvola {}", i);
    json connections = json::array();
    connections.push_back({{"serviceChannel", {{"id", guid('c', i % kPlaces)}, {"name", "Neuvola"}}},
                           {"serviceHours", i == 1 ? json::parse(R"([{"serviceHourType": "DaysOfTheWeek", "validFrom": null,
                               "validTo": null, "isClosed": false, "validForNow": true, "additionalInformation": [],
                               "openingHour": [{"dayFrom": "Tuesday", "dayTo": "", "from": "9:30:00", "to": "11:30:00"}]}])")
                                                   : json::array()}});
    if (i < 10) {
        connections.push_back({{"serviceChannel", {{"id", guid('p', 0)}}}, {"serviceHours", json::array()}});
        connections.push_back({{"serviceChannel", {{"id", guid('w', 0)}}}, {"serviceHours", json::array()}});
    }
    if (i == 0) connections.push_back({{"serviceChannel", {{"id", guid('c', 999)}}}});   // never published
    service["serviceChannels"] = std::move(connections);
    return service;
}

inline json placeChannel(int i)
{
    json channel = templateJson("channel_servicelocation.json");
    channel["id"] = guid('c', i);
    channel["serviceChannelNames"][0]["value"] = fmt::format("Perhekeskus {}", i);
    return channel;
}

inline void fillRegion(FakePtv& server)
{
    for (int i = 0; i < kFamilyServices; ++i) server.putService(familyService(i));
    for (int i = 0; i < kOtherServices; ++i) {
        json other = templateJson("service_other.json");
        other["id"] = guid('b', i);
        server.putService(std::move(other));
    }
    json elsewhere = familyService(500);   // a family service in another municipality
    server.putService(std::move(elsewhere), false);
    for (int i = 0; i < kPlaces; ++i) server.putChannel(placeChannel(i));
    json phone = templateJson("channel_phone.json");
    phone["id"] = guid('p', 0);
    server.putChannel(std::move(phone));
    json web = templateJson("channel_webpage.json");
    web["id"] = guid('w', 0);
    server.putChannel(std::move(web));
    server.listWithNullName(guid('d', 1));
}

} // namespace kohtaamo::ptvtest
