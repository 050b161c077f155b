// PTV and Linked Events through the sync engine: full and incremental syncs, the saved fetch state,
// a lost cache, failures that keep the previous content, and the cache's view across DST.

#include "fault_server.hpp"
#include "linkedevents_test_support.hpp"
#include "ptv_test_region.hpp"

#include "content/content_store.hpp"
#include "content/occurrences.hpp"
#include "sync/sync_engine.hpp"

using namespace kohtaamo;
using namespace kohtaamo::ptvtest;
using namespace std::chrono_literals;

namespace {

struct Fixture {
    test::ScratchDir dir;
    std::unique_ptr<SyncEngine> engine;
    std::vector<SourceConfig> sources;

    ~Fixture() { engine.reset(); }

    [[nodiscard]] std::filesystem::path cacheFile() const { return dir / "cache.sqlite"; }

    void start(std::vector<SourceConfig> configured)
    {
        sources = std::move(configured);
        restart();
    }

    // A new engine on the same cache and state files, as after a kiosk restart.
    void restart()
    {
        engine.reset();
        // Assigned one by one: designated initializers that skip `defaults` trip g++ 12's
        // -Wmaybe-uninitialized here.
        SyncEngineOptions options;
        options.cacheFile = cacheFile();
        options.statusFile = dir / "status.json";
        options.sources = sources;
        options.userAgent = "Kohtaamo/test";
        options.seed = 7;
        options.connectTimeout = 2'000ms;
        options.totalTimeout = 5'000ms;
        options.lowSpeedTime = 2'000ms;
        options.retryDelay = 0s;
        auto created = SyncEngine::create(std::move(options));
        REQUIRE_MESSAGE(created, (created ? "" : created.error().message));
        engine = std::move(*created);
    }

    SyncOutcome sync(std::string_view when)
    {
        auto outcomes = engine->syncAll(at(when));
        REQUIRE(outcomes.size() == 1);
        return outcomes.front();
    }

    ContentStore store()
    {
        auto opened = ContentStore::open(cacheFile());
        REQUIRE(opened);
        return std::move(*opened);
    }

    SourceContent content(std::string_view sourceId)
    {
        auto loaded = store().loadContent(sourceId);
        REQUIRE_MESSAGE(loaded, (loaded ? "" : loaded.error().message));
        return std::move(*loaded);
    }

    SourceState state(std::string_view sourceId)
    {
        auto states = store().sources();
        REQUIRE(states);
        const auto it = std::find_if(states->begin(), states->end(), [&](const SourceState& s) { return s.id == sourceId; });
        REQUIRE(it != states->end());
        return *it;
    }
};

SourceConfig ptvSource(const FakePtv& server)
{
    return SourceConfig{.id = "ptv-vaasa", .kind = "ptv", .url = server.base(),
                        .settings = {{"municipalities", R"([ "905" ])"}, {"concurrency", "2"}}};
}

std::string serviceName(const SourceContent& content, std::string_view id)
{
    const auto it = std::find_if(content.services.begin(), content.services.end(), [&](const Service& s) { return s.id == id; });
    return it == content.services.end() ? "" : std::string(it->name.exactly("fi"));
}

// The fake PTV region, and an engine with one source for it.
struct PtvRegion : Fixture {
    FakePtv server;
    PtvRegion()
    {
        fillRegion(server);
        start({ptvSource(server)});
    }
};

#define REQUIRE_RESULT(outcome, expected) REQUIRE_MESSAGE((outcome).result == (expected), (outcome).error)

} // namespace

TEST_SUITE("sync engine: catalogue sources") {

TEST_CASE("PTV through the engine: a full sync, a sync without changes that writes no content, and only changes after a restart")
{
    PtvRegion f;
    auto& server = f.server;

    const auto first = f.sync("2026-03-20T10:00");
    REQUIRE_RESULT(first, SyncResult::Applied);
    CHECK(first.items == kFamilyServices + kPlaces);
    CHECK(first.httpStatus == 200);
    CHECK(first.problems.empty());
    const auto content = f.content("ptv-vaasa");
    CHECK(content.services.size() == kFamilyServices);
    CHECK(content.places.size() == kPlaces);
    CHECK(f.state("ptv-vaasa").appliedAt == at("2026-03-20T10:00"));
    const auto stateFile = fetchStateFile(f.cacheFile(), "ptv-vaasa");
    REQUIRE(std::filesystem::exists(stateFile));
    const auto stateWritten = std::filesystem::last_write_time(stateFile);

    // An hour later nothing changed upstream: no details asked for, no content written.
    const auto before = server.targets().size();
    const auto second = f.sync("2026-03-20T11:00");
    REQUIRE_RESULT(second, SyncResult::NotModified);
    CHECK(second.items == kFamilyServices + kPlaces);
    CHECK(server.countTargets("date=2026-03-20T07:55:00", before) > 0);   // 10:00 in Helsinki less the overlap, in UTC
    CHECK(server.countTargets("/list?guids=", before) == 0);
    CHECK(f.state("ptv-vaasa").appliedAt == at("2026-03-20T10:00"));
    CHECK(f.state("ptv-vaasa").lastSuccess == at("2026-03-20T11:00"));
    CHECK(std::filesystem::last_write_time(stateFile) == stateWritten);

    // A restarted kiosk reads the saved state: still only the changes, and one changed service.
    json renamed = familyService(3);
    renamed["serviceNames"][0]["value"] = "Perheneuvola Uusi";
    renamed["modified"] = "2026-03-20T10:30:00.000";
    server.putService(std::move(renamed));
    f.restart();
    const auto afterRestart = server.targets().size();
    const auto third = f.sync("2026-03-20T12:00");
    REQUIRE_RESULT(third, SyncResult::Applied);
    CHECK(server.countTargets("/Service/area/", afterRestart) > 0);
    CHECK(server.countTargets("/Service/area/", afterRestart) == server.countTargets("&date=", afterRestart));
    CHECK(server.countTargets("/Service/list?guids=", afterRestart) == 1);
    CHECK(serviceName(f.content("ptv-vaasa"), guid('a', 3)) == "Perheneuvola Uusi");
    CHECK(f.content("ptv-vaasa").services.size() == kFamilyServices);
}

TEST_CASE("PTV through the engine: a cache that lost the source's content is filled by a full sync despite the saved state")
{
    PtvRegion f;
    auto& server = f.server;
    REQUIRE_RESULT(f.sync("2026-03-20T10:00"), SyncResult::Applied);
    f.engine.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(f.cacheFile().string() + suffix);
    REQUIRE(std::filesystem::exists(fetchStateFile(f.cacheFile(), "ptv-vaasa")));

    f.restart();
    const auto before = server.targets().size();
    const auto outcome = f.sync("2026-03-20T11:00");
    REQUIRE_RESULT(outcome, SyncResult::Applied);
    CHECK(server.countTargets("date=", before) == 0);
    CHECK(f.content("ptv-vaasa").services.size() == kFamilyServices);
}

TEST_CASE("PTV through the engine: a 500 on one batch keeps the previous content and state, and the next sync catches up")
{
    PtvRegion f;
    auto& server = f.server;
    REQUIRE_RESULT(f.sync("2026-03-20T10:00"), SyncResult::Applied);
    const auto stateFile = fetchStateFile(f.cacheFile(), "ptv-vaasa");
    const auto stateWritten = std::filesystem::last_write_time(stateFile);

    json renamed = familyService(5);
    renamed["serviceNames"][0]["value"] = "Lastenneuvola Keskusta";
    renamed["modified"] = "2026-03-20T10:30:00.000";
    server.putService(std::move(renamed));
    server.failBatchWith(guid('a', 5));
    const auto failed = f.sync("2026-03-20T11:00");
    REQUIRE_RESULT(failed, SyncResult::Failed);
    CHECK(failed.httpStatus == 500);
    CHECK(failed.error.find("HTTP 500") != std::string::npos);
    CHECK(failed.error.find("/Service/list?guids=") != std::string::npos);
    CHECK(f.state("ptv-vaasa").error.find("HTTP 500") != std::string::npos);
    CHECK(f.state("ptv-vaasa").lastSuccess == at("2026-03-20T10:00"));
    CHECK(serviceName(f.content("ptv-vaasa"), guid('a', 5)) == "Lastenneuvola 5");
    CHECK(f.content("ptv-vaasa").services.size() == kFamilyServices);
    CHECK(std::filesystem::last_write_time(stateFile) == stateWritten);

    server.failBatchWith("");
    const auto recovered = f.sync("2026-03-20T12:00");
    REQUIRE_RESULT(recovered, SyncResult::Applied);
    CHECK(serviceName(f.content("ptv-vaasa"), guid('a', 5)) == "Lastenneuvola Keskusta");
    CHECK(f.state("ptv-vaasa").error.empty());
}

TEST_CASE("PTV through the engine: the cached place's hours across the autumn DST change, as --list-openings shows them")
{
    PtvRegion f;
    REQUIRE_RESULT(f.sync("2026-10-20T10:00"), SyncResult::Applied);
    const auto content = f.content("ptv-vaasa");
    const auto place = std::find_if(content.places.begin(), content.places.end(), [](const Place& p) { return p.id == guid('c', 2); });
    REQUIRE(place != content.places.end());
    CHECK(openings(place->hours, "2026-10-23T00:00", "2026-10-27T00:00") ==
          std::vector<std::string>{"2026-10-23T08:00:00+03:00 2026-10-23T14:00:00+03:00",
                                   "2026-10-24T22:00:00+03:00 2026-10-25T05:00:00+02:00",
                                   "2026-10-26T08:00:00+02:00 2026-10-26T16:00:00+02:00"});
}

TEST_CASE("PTV through the engine: a bad setting fails naming the key, without a request")
{
    FakePtv server;
    Fixture f;
    SourceConfig source = ptvSource(server);
    source.settings["municipalities"] = R"(["9O5"])";
    f.start({source});
    const auto outcome = f.sync("2026-03-20T10:00");
    REQUIRE_RESULT(outcome, SyncResult::Failed);
    CHECK(outcome.error.find("municipalities") != std::string::npos);
    CHECK(outcome.error.find("ptv-vaasa") != std::string::npos);
    CHECK(server.targets().empty());
}

TEST_CASE("Linked Events through the engine: applied, unchanged, then a cancellation; occurrences across the spring DST change")
{
    using letest::event;
    using letest::page;
    test::FaultServer server;
    const std::string path = "/linkedevents/v1/event/";
    const auto serve = [&](const json& events) { server.route(path, test::Response{.body = page(events).dump()}); };
    serve(json::array({event("hel:1", "2026-03-28T08:00:00Z", "2026-03-28T10:00:00Z"),
                       event("hel:2", "2026-03-30T07:00:00Z", "2026-03-30T09:00:00Z")}));
    Fixture f;
    f.start({SourceConfig{.id = "hel", .kind = "linkedevents", .url = server.url(path + "?keyword=yso:p4354")}});

    const auto first = f.sync("2026-03-20T10:00");
    REQUIRE_RESULT(first, SyncResult::Applied);
    CHECK(first.items == 2);
    auto request = server.lastRequest();
    REQUIRE(request);
    CHECK(request->target.find("keyword=yso:p4354") != std::string::npos);
    CHECK(request->target.find("include=location") != std::string::npos);

    // The second sync the same day asks only for changes; the same events are no change.
    const auto second = f.sync("2026-03-20T11:00");
    REQUIRE_RESULT(second, SyncResult::NotModified);
    CHECK(server.lastRequest()->target.find("last_modified_since=") != std::string::npos);
    CHECK(f.state("hel").appliedAt == at("2026-03-20T10:00"));

    serve(json::array({event("hel:2", "2026-03-30T07:00:00Z", "2026-03-30T09:00:00Z", "EventCancelled")}));
    const auto third = f.sync("2026-03-20T12:00");
    REQUIRE_RESULT(third, SyncResult::Applied);
    auto content = f.content("hel");
    REQUIRE(content.events.size() == 2);
    std::vector<std::string> listed;
    for (const auto& item : content.events) {
        auto expanded = expandOccurrences(item, at("2026-03-27T00:00"), at("2026-04-01T00:00"));
        REQUIRE(expanded);
        for (const auto& occurrence : *expanded) {
            listed.push_back(item.id + " " + formatIso(occurrence.start, TimeZone::helsinki()) + " " +
                             std::string(toKey(occurrence.status)));
        }
    }
    std::sort(listed.begin(), listed.end());
    CHECK(listed == std::vector<std::string>{"hel:1 2026-03-28T10:00:00+02:00 scheduled",
                                             "hel:2 2026-03-30T10:00:00+03:00 cancelled"});
}

TEST_CASE("Linked Events through the engine: a broken page keeps the previous events")
{
    using letest::event;
    using letest::page;
    test::FaultServer server;
    const std::string path = "/linkedevents/v1/event/";
    server.route(path, test::Response{.body = page(json::array({event("hel:1", "2026-03-28T08:00:00Z", nullptr)})).dump()});
    Fixture f;
    f.start({SourceConfig{.id = "hel", .kind = "linkedevents", .url = server.url(path)}});
    REQUIRE_RESULT(f.sync("2026-03-20T10:00"), SyncResult::Applied);

    server.route(path, test::Response{.body = R"({"meta": {"count": 1, "next": null}, "data": [)"});
    const auto broken = f.sync("2026-03-20T11:00");
    REQUIRE_RESULT(broken, SyncResult::Failed);
    CHECK(broken.error.find("hel") != std::string::npos);
    CHECK(f.content("hel").events.size() == 1);
}

}
