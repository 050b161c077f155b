// The whole PTV flow against a PTV-shaped server on loopback: paging, chunks, retries, increments.

#include "ptv_test_region.hpp"

#include <fstream>

using namespace kohtaamo;
using namespace kohtaamo::ptvtest;
using namespace std::chrono_literals;
using json = nlohmann::json;

namespace {

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

TEST_CASE("fetch state file: records come back byte for byte, odd ids too; a broken line or an old file is refused by name")
{
    test::ScratchDir dir;
    const auto file = fetchStateFile(dir / "cache.sqlite", "le");
    CHECK(file.extension() == ".jsonl");
    auto records = std::make_shared<MirroredRecords>();
    // Key order as upstream sent it, and text that a parser would normalise (spacing is not ours to keep,
    // but the order is: a reordered record would read as a change).
    records->byKind["event"]["helsinki:a\"b\\c\tnew\nline"] = R"({"z":1,"a":{"y":"Ä\n","b":[null,true]}})";
    records->byKind["event"]["plain"] = "null";
    records->byKind["channel"]["x"] = "";   // not JSON: left out, fetched again next time
    const FetchState state{.kind = "linkedevents", .selection = "s", .lastSync = at("2026-03-20T08:00:00Z"),
                           .lastFullSync = at("2026-03-19T08:00:00Z"), .records = records};
    REQUIRE(saveFetchState(file, state));

    const auto loaded = loadFetchState(file);
    REQUIRE_MESSAGE(loaded.has_value(), (loaded ? "" : loaded.error().message));
    CHECK(loaded->kind == "linkedevents");
    CHECK(loaded->lastSync == state.lastSync);
    CHECK(loaded->records->byKind.at("event") == records->byKind.at("event"));
    CHECK_FALSE(loaded->records->byKind.contains("channel"));

    {
        std::ofstream append(file, std::ios::app);
        append << "[\"event\",\"cut\",{\"a\":\n";
    }
    const auto broken = loadFetchState(file);
    REQUIRE_FALSE(broken.has_value());
    CHECK(broken.error().message == file.string() + ": line 4 is not a [\"kind\", \"id\", record] line");

    // A state written by an older Kohtaamo (one JSON document) is refused; the caller fetches everything.
    {
        std::ofstream old(file, std::ios::trunc);
        old << R"({"format":"kohtaamo-fetch-state","version":1,"kind":"ptv","records":{}})";
    }
    const auto old = loadFetchState(file);
    REQUIRE_FALSE(old.has_value());
    CHECK(old.error().message.find("version 1 is not 2") != std::string::npos);
}
