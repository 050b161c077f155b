// The whole PTV flow against a PTV-shaped server on loopback: paging, chunks, retries, increments.

#include "ptv_test_support.hpp"

using namespace kohtaamo;
using namespace kohtaamo::ptvtest;
using namespace std::chrono_literals;
using json = nlohmann::json;

namespace {

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

std::string guid(char kind, int number) { return fmt::format("{}0000000-0000-4000-8000-{:012}", kind, number); }

constexpr int kFamilyServices = 150;
constexpr int kOtherServices = 1000;
constexpr int kPlaces = 40;

json familyService(int i)
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

json placeChannel(int i)
{
    json channel = templateJson("channel_servicelocation.json");
    channel["id"] = guid('c', i);
    channel["serviceChannelNames"][0]["value"] = fmt::format("Perhekeskus {}", i);
    return channel;
}

void fillRegion(FakePtv& server)
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

struct Flow {
    FakePtv server;
    SourceConfig source;
    PtvOptions settings;
    std::mutex waitMutex;
    std::vector<std::chrono::milliseconds> waits;
    FetchPolicy policy;

    Flow()
    {
        fillRegion(server);
        source = SourceConfig{.id = "ptv-vaasa", .kind = "ptv", .url = server.base()};
        source.settings = {{"municipalities", R"([ "905" ])"}, {"concurrency", "3"}};
        auto parsed = ptvOptions(source);
        REQUIRE_MESSAGE(parsed.has_value(), (parsed ? "" : parsed.error().message));
        settings = *parsed;
        policy.connectTimeout = 2s;
        policy.totalTimeout = 10s;
        // Workers wait in parallel.
        policy.wait = [this](std::chrono::milliseconds delay) {
            std::lock_guard lock(waitMutex);
            waits.push_back(delay);
            return true;
        };
    }

    FetchResult<PtvFetch> fetch(const FetchState& previous, std::string_view now)
    {
        auto client = HttpClient::create("Kohtaamo-test");
        REQUIRE(client);
        return fetchPtv(*client, source, settings, previous, at(now), policy);
    }

    PtvFetch fetchOk(const FetchState& previous, std::string_view now)
    {
        auto result = fetch(previous, now);
        REQUIRE_MESSAGE(result.has_value(), (result ? "" : result.error().error.message));
        return std::move(*result);
    }
};

} // namespace

TEST_CASE("PTV flow: a full sync pages the ids, fetches details in chunks of 100, follows channel links, and retries a 429")
{
    Flow flow;
    flow.server.tooManyRequests(1, "1");
    const auto result = flow.fetchOk({}, "2026-03-20T08:00:00Z");
    CHECK(result.full);
    REQUIRE(result.feed);
    const ParsedFeed& feed = *result.feed;
    INFO(problemsText(feed));
    CHECK(feed.problems.empty());
    CHECK(feed.content.services.size() == kFamilyServices);
    CHECK(feed.content.places.size() == kPlaces);

    // 1151 ids (one with a null name skipped): two guid pages, then twelve detail batches; one 429.
    CHECK(flow.server.countTargets("/Service/area/Municipality/code/905?") == 2);
    CHECK(flow.server.countTargets("/Service/list?guids=") == 12 + 1);
    CHECK(flow.server.countTargets("/ServiceChannel/list?guids=") == 1);
    CHECK(flow.server.maxGuids() <= 100);
    CHECK(flow.server.maxInFlight() >= 2);
    CHECK(flow.server.maxInFlight() <= 3);
    CHECK(flow.server.authorizationHeaders() == 0);
    CHECK(flow.waits == std::vector<std::chrono::milliseconds>{1000ms});   // Retry-After: 1
    CHECK(result.stats.retries == 1);
    CHECK(result.stats.requests == 2 + 13 + 1);

    const Service& first = serviceById(feed, guid('a', 0));
    CHECK(first.category == ServiceCategory::Neuvola);
    CHECK(first.placeIds == std::vector<std::string>{guid('c', 0)});   // the unpublished channel is dropped
    CHECK(first.contact.phone == "+35863252000");
    CHECK(first.contact.url == "https://www.vaasa.example/neuvolat");
    CHECK(serviceById(feed, guid('a', 1)).hoursAtPlaces.size() == 1);

    const Place& place = placeById(feed, guid('c', 7));
    CHECK(place.kind == PlaceKind::FamilyCentre);
    CHECK(place.name.exactly("fi") == "Perhekeskus 7");
    REQUIRE(place.location);
    CHECK(near(place.location->lat, 63.0992880));
    // The kiosk's week across the spring DST change: split Wednesday, the Saturday night, Good Friday.
    CHECK(openings(place.hours, "2026-03-25T00:00", "2026-03-30T00:00") ==
          std::vector<std::string>{"2026-03-25T08:00:00+02:00 2026-03-25T12:00:00+02:00",
                                   "2026-03-25T13:00:00+02:00 2026-03-25T18:00:00+02:00",
                                   "2026-03-26T08:00:00+02:00 2026-03-26T16:00:00+02:00",
                                   "2026-03-27T08:00:00+02:00 2026-03-27T14:00:00+02:00",
                                   "2026-03-28T22:00:00+02:00 2026-03-29T05:00:00+03:00"});
    CHECK(openings(place.hours, "2026-04-03T00:00", "2026-04-04T00:00").empty());
    CHECK(notesOn(place.hours, *parseDate("2026-04-03")).front()->exactly("fi") == "Pitkäperjantai");

    // The state: what to remember, round-tripped through its file.
    CHECK(result.state.lastSync == at("2026-03-20T08:00:00Z"));
    CHECK(result.state.lastFullSync == result.state.lastSync);
    CHECK(result.state.records->byKind.at("service").size() == kFamilyServices);
    CHECK(result.state.records->byKind.at("channel").size() == kPlaces + 3);   // + phone, web, and the unpublished one
    test::ScratchDir dir;
    const auto file = fetchStateFile(dir / "cache.sqlite", "ptv/vaasa");
    CHECK(file.parent_path() == dir / "sync-state");
    CHECK(file.filename().string().starts_with("ptv_vaasa-"));
    REQUIRE(saveFetchState(file, result.state));
    const auto loaded = loadFetchState(file);
    REQUIRE_MESSAGE(loaded.has_value(), (loaded ? "" : loaded.error().message));
    CHECK(loaded->selection == result.state.selection);
    CHECK(loaded->lastFullSync == result.state.lastFullSync);
    CHECK(*loaded->records == *result.state.records);
    CHECK(loadFetchState(dir / "missing.json")->empty());
}

TEST_CASE("PTV flow: an incremental sync asks for changes since the last one and merges them; no change writes nothing")
{
    Flow flow;
    const auto first = flow.fetchOk({}, "2026-03-20T08:00:00Z");
    const std::size_t before = flow.server.targets().size();

    // Upstream changes: a renamed service, a withdrawn one, an archived place, a renamed place,
    // a new service with a new place, and a changed service that is not a family service.
    json renamed = familyService(5);
    renamed["serviceNames"][0]["value"] = "Lastenneuvola Keskusta";
    renamed["modified"] = "2026-03-20T09:00:00.5";
    flow.server.putService(renamed);
    flow.server.removeService(guid('a', 6), "Withdrawn", "2026-03-20T09:00:01");
    flow.server.removeChannel(guid('c', 3), "Archived", "2026-03-20T09:00:02");
    json moved = placeChannel(7);
    moved["serviceChannelNames"][0]["value"] = "Perhekeskus Satama";
    moved["modified"] = "2026-03-20T09:00:03";
    flow.server.putChannel(moved);
    json added = familyService(200);
    added["serviceChannels"] = json::array({{{"serviceChannel", {{"id", guid('c', 100)}}}}});
    added["modified"] = "2026-03-20T09:00:04";
    flow.server.putService(added);
    json newPlace = placeChannel(100);
    newPlace["modified"] = "2026-03-20T09:00:04";
    flow.server.putChannel(newPlace);
    json other = templateJson("service_other.json");
    other["id"] = guid('b', 10);
    other["modified"] = "2026-03-20T09:00:05";
    flow.server.putService(other);

    const auto second = flow.fetchOk(first.state, "2026-03-20T10:00:00Z");
    CHECK_FALSE(second.full);
    REQUIRE(second.feed);
    const ParsedFeed& feed = *second.feed;
    INFO(problemsText(feed));
    CHECK(feed.problems.empty());
    CHECK(feed.content.services.size() == kFamilyServices);   // −1 withdrawn, +1 new
    CHECK(feed.content.places.size() == kPlaces);              // −1 archived, +1 new
    CHECK(serviceById(feed, guid('a', 5)).name.exactly("fi") == "Lastenneuvola Keskusta");
    CHECK(placeById(feed, guid('c', 7)).name.exactly("fi") == "Perhekeskus Satama");
    CHECK(serviceById(feed, guid('a', 200)).placeIds == std::vector<std::string>{guid('c', 100)});
    CHECK(serviceById(feed, guid('a', 3)).placeIds.empty());
    for (const auto& service : feed.content.services) CHECK(service.id != guid('a', 6));

    // `date` is the last sync less five minutes, in UTC without a zone; no full listing again.
    const auto targets = flow.server.targets();
    CHECK(std::all_of(targets.begin() + static_cast<std::ptrdiff_t>(before), targets.end(), [](const std::string& target) {
        return target.find("date=2026-03-20T07:55:00") != std::string::npos || target.find("/list?guids=") != std::string::npos;
    }));
    CHECK(flow.server.countTargets("status=Archived", before) == 2);
    CHECK(flow.server.countTargets("status=Withdrawn", before) == 2);
    CHECK(flow.server.countTargets("/Service/list?guids=", before) == 1);       // the 3 changed in the area
    CHECK(flow.server.countTargets("/ServiceChannel/list?guids=", before) == 1); // the new and the renamed place
    CHECK(second.state.lastSync == at("2026-03-20T10:00:00Z"));
    CHECK(second.state.lastFullSync == at("2026-03-20T08:00:00Z"));

    // Nothing new since: only the id listings, no details, no feed.
    const std::size_t afterSecond = flow.server.targets().size();
    const auto third = flow.fetchOk(second.state, "2026-03-20T11:00:00Z");
    CHECK_FALSE(third.full);
    CHECK_FALSE(third.feed.has_value());
    CHECK(flow.server.countTargets("/list?guids=", afterSecond) == 0);
    CHECK(third.state.lastSync == at("2026-03-20T11:00:00Z"));

    // A week after the last full sync, everything is fetched again.
    const auto weekly = flow.fetchOk(third.state, "2026-03-27T08:00:00Z");
    CHECK(weekly.full);
    REQUIRE(weekly.feed);
    CHECK(weekly.feed->content.services.size() == kFamilyServices);

    // Other settings select other content: a full sync too.
    flow.settings.serviceClasses = {"P5.2"};
    CHECK(flow.fetchOk(weekly.state, "2026-03-27T09:00:00Z").full);
}

TEST_CASE("PTV flow: a 500 on one batch fails the whole sync with a clear error, and nothing is applied")
{
    Flow flow;
    const auto first = flow.fetchOk({}, "2026-03-20T08:00:00Z");
    flow.server.failBatchWith(guid('b', 550));
    auto failed = flow.fetch({}, "2026-03-20T09:00:00Z");
    REQUIRE_FALSE(failed.has_value());
    const FetchFailure& failure = failed.error();
    INFO(failure.error.message);
    CHECK(failure.httpStatus == 500);
    CHECK(failure.error.message.starts_with("PTV source \"ptv-vaasa\": "));
    CHECK(failure.error.message.find("/api/v11/Service/list?guids=") != std::string::npos);
    CHECK(failure.error.message.find("500") != std::string::npos);
    CHECK(failure.error.message.find("after 4 attempts") != std::string::npos);
    // Backoff without Retry-After: 2 s, 4 s, 8 s.
    CHECK(flow.waits == std::vector<std::chrono::milliseconds>{2000ms, 4000ms, 8000ms});

    // The engine keeps the previous content and state; once PTV recovers the next sync works.
    flow.server.failBatchWith({});
    const auto recovered = flow.fetchOk(first.state, "2026-03-20T10:00:00Z");
    CHECK_FALSE(recovered.full);
    CHECK_FALSE(recovered.feed.has_value());
}

TEST_CASE("PTV flow: a Retry-After longer than the fetch will wait goes back to the engine's schedule")
{
    Flow flow;
    flow.server.tooManyRequests(100, "3600");
    const auto failed = flow.fetch({}, "2026-03-20T08:00:00Z");
    REQUIRE_FALSE(failed.has_value());
    CHECK(failed.error().httpStatus == 429);
    CHECK(failed.error().retryAfter == std::chrono::seconds{3600});
    CHECK(flow.waits.empty());

    // A stop request ends the fetch at the next request.
    std::atomic<bool> stop{true};
    flow.policy.stop = &stop;
    const auto stopped = flow.fetch({}, "2026-03-20T08:00:00Z");
    REQUIRE_FALSE(stopped.has_value());
    CHECK(stopped.error().error.message.find("stopping") != std::string::npos);
}
