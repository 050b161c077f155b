#include "fake_ptv.hpp"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

namespace kohtaamo::ptvtest {
namespace {

using json = nlohmann::json;

constexpr std::size_t kPageSize = 1000;
constexpr std::size_t kMaxGuids = 100;
// As PTV's ASP.NET sends it. cpp-httplib compresses "application/json" (Brotli, when the client
// accepts it) but not this, so a large region costs the server no compression time.
constexpr const char* kJson = "application/json; charset=utf-8";

struct Entry {
    std::string text;       // the item as JSON, dumped once when it is put
    std::string modified;   // its `modified`, to the second, as `date=` compares it
    bool inArea = false;
};

Entry entryOf(const json& item, bool inArea)
{
    return Entry{item.dump(), item.value("modified", "").substr(0, 19), inArea};
}

std::string page(const std::vector<std::string>& ids, const std::set<std::string>& nullNamed, int number)
{
    const auto pageCount = static_cast<int>((ids.size() + kPageSize - 1) / kPageSize);
    json result = {{"pageNumber", number}, {"pageSize", kPageSize}, {"pageCount", pageCount}, {"itemList", nullptr}};
    if (number >= 1 && number <= pageCount) {
        json items = json::array();
        const auto first = static_cast<std::size_t>(number - 1) * kPageSize;
        for (std::size_t i = first; i < std::min(ids.size(), first + kPageSize); ++i) {
            items.push_back({{"id", ids[i]}, {"name", nullNamed.contains(ids[i]) ? json(nullptr) : json("Palvelu")}});
        }
        result["itemList"] = std::move(items);
    } else {
        result["pageNumber"] = 0;
    }
    return result.dump();
}

std::vector<std::string> splitGuids(const std::string& guids)
{
    std::vector<std::string> ids;
    for (std::size_t start = 0; start <= guids.size();) {
        const auto comma = std::min(guids.find(',', start), guids.size());
        ids.push_back(guids.substr(start, comma - start));
        start = comma + 1;
    }
    return ids;
}

} // namespace

struct FakePtv::Impl {
    FakePtvOptions options;
    httplib::Server server;
    int port = 0;
    std::thread thread;
    mutable std::mutex mutex;
    std::map<std::string, Entry> services;
    std::map<std::string, Entry> channels;
    std::vector<Removal> removedServices;
    std::vector<Removal> removedChannels;
    std::set<std::string> nullNamed;
    int tooMany = 0;
    std::string retryAfter;
    std::string failId;
    std::vector<std::string> targets;
    std::atomic<int> inFlight{0};
    std::atomic<int> maxInFlight{0};
    std::size_t maxGuids = 0;
    int authorization = 0;

    void handle(const httplib::Request& request, httplib::Response& response)
    {
        const int now = ++inFlight;
        for (int seen = maxInFlight; now > seen && !maxInFlight.compare_exchange_weak(seen, now);) {
        }
        answer(request, response);
        --inFlight;
    }

    void answer(const httplib::Request& request, httplib::Response& response)
    {
        std::unique_lock lock(mutex);
        targets.push_back(request.target);
        if (request.has_header("Authorization")) ++authorization;
        const std::string prefix = "/api/v11/";
        const auto date = request.get_param_value("date");
        const auto status = request.get_param_value("status");
        const int pageNumber = request.has_param("page") ? std::stoi(request.get_param_value("page")) : 1;
        const auto path = request.path.substr(std::min(prefix.size(), request.path.size()));
        const auto listed = [&](const std::map<std::string, Entry>& entries, bool areaOnly) {
            std::vector<std::string> ids;
            for (const auto& [id, entry] : entries) {
                if ((!areaOnly || entry.inArea) && (date.empty() || entry.modified > date)) ids.push_back(id);
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
        if (path == "Service/area/Municipality/code/" + options.municipality) {
            auto ids = listed(services, true);
            for (const auto& id : nullNamed) ids.push_back(id);
            response.set_content(page(ids, nullNamed, pageNumber), kJson);
        } else if (path == "Service" || path == "ServiceChannel") {
            const auto& entries = path == "Service" ? services : channels;
            const auto& removals = path == "Service" ? removedServices : removedChannels;
            response.set_content(page(status.empty() ? listed(entries, false) : removedSince(removals), {}, pageNumber),
                                 kJson);
        } else if (path == "Service/list" || path == "ServiceChannel/list") {
            const auto ids = splitGuids(request.get_param_value("guids"));
            maxGuids = std::max(maxGuids, ids.size());
            if (ids.size() > kMaxGuids) {
                response.status = 400;
                response.set_content(R"({"guids": ["At most 100 guids."]})", kJson);
                return;
            }
            if (tooMany > 0) {
                --tooMany;
                response.status = 429;
                response.set_header("Retry-After", retryAfter);
                return;
            }
            if (!failId.empty() && std::find(ids.begin(), ids.end(), failId) != ids.end()) {
                response.status = 500;
                response.set_content(R"({"errorMessage": "An unexpected error occurred. Trace id: 42"})", kJson);
                return;
            }
            const auto& entries = path == "Service/list" ? services : channels;
            std::string found;
            for (const auto& id : ids) {
                if (auto it = entries.find(id); it != entries.end()) found += (found.empty() ? "[" : ",") + it->second.text;
            }
            lock.unlock();
            if (options.batchDelay.count() > 0) std::this_thread::sleep_for(options.batchDelay);
            if (found.empty()) {
                response.status = 404;
                response.set_content(R"({"errorMessage": "Services not found."})", kJson);
                return;
            }
            response.set_content(found + "]", kJson);
        } else {
            response.status = 404;
            response.set_content(R"({"errorMessage": "This version is not supported!"})", kJson);
        }
    }
};

FakePtv::FakePtv(FakePtvOptions options) : m_impl(std::make_unique<Impl>())
{
    m_impl->options = std::move(options);
    for (const char* name : {"no_proxy", "NO_PROXY"}) ::setenv(name, "127.0.0.1,localhost", 1);
    m_impl->server.set_keep_alive_timeout(1);
    m_impl->server.Get(".*", [impl = m_impl.get()](const httplib::Request& request, httplib::Response& response) {
        impl->handle(request, response);
    });
    m_impl->port = m_impl->server.bind_to_any_port("127.0.0.1");
    if (m_impl->port <= 0) throw std::runtime_error("FakePtv: no loopback port could be bound");
    m_impl->thread = std::thread([impl = m_impl.get()] { impl->server.listen_after_bind(); });
    while (!m_impl->server.is_running()) std::this_thread::yield();
}

FakePtv::~FakePtv()
{
    m_impl->server.stop();
    m_impl->thread.join();
}

std::string FakePtv::base() const { return "http://127.0.0.1:" + std::to_string(m_impl->port) + "/api/v11"; }

void FakePtv::putService(const json& service, bool inArea)
{
    auto entry = entryOf(service, inArea);
    std::lock_guard lock(m_impl->mutex);
    m_impl->services.insert_or_assign(service["id"].get<std::string>(), std::move(entry));
}

void FakePtv::putChannel(const json& channel)
{
    auto entry = entryOf(channel, false);
    std::lock_guard lock(m_impl->mutex);
    m_impl->channels.insert_or_assign(channel["id"].get<std::string>(), std::move(entry));
}

void FakePtv::removeService(const std::string& id, std::string status, std::string when)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->services.erase(id);
    m_impl->removedServices.push_back({id, std::move(status), std::move(when)});
}

void FakePtv::removeChannel(const std::string& id, std::string status, std::string when)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->channels.erase(id);
    m_impl->removedChannels.push_back({id, std::move(status), std::move(when)});
}

void FakePtv::listWithNullName(std::string id)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->nullNamed.insert(std::move(id));
}

void FakePtv::tooManyRequests(int count, std::string retryAfter)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->tooMany = count;
    m_impl->retryAfter = std::move(retryAfter);
}

void FakePtv::failBatchWith(std::string id)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->failId = std::move(id);
}

std::vector<std::string> FakePtv::targets() const
{
    std::lock_guard lock(m_impl->mutex);
    return m_impl->targets;
}

std::size_t FakePtv::countTargets(std::string_view part, std::size_t from) const
{
    const auto all = targets();
    return static_cast<std::size_t>(std::count_if(all.begin() + static_cast<std::ptrdiff_t>(std::min(from, all.size())), all.end(),
                                                  [&](const std::string& t) { return t.find(part) != std::string::npos; }));
}

int FakePtv::maxInFlight() const { return m_impl->maxInFlight; }

std::size_t FakePtv::maxGuids() const
{
    std::lock_guard lock(m_impl->mutex);
    return m_impl->maxGuids;
}

int FakePtv::authorizationHeaders() const
{
    std::lock_guard lock(m_impl->mutex);
    return m_impl->authorization;
}

} // namespace kohtaamo::ptvtest
