// The sync engine: what a sync writes to the cache and keeps, for every fault. When it runs is in
// sync_schedule_test.cpp.

#include "sync_engine_fixture.hpp"

#include "sync/sync_status.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace kohtaamo;
using namespace kohtaamo::test;
using namespace kohtaamo::enginetest;
using namespace std::chrono_literals;

TEST_SUITE("sync engine") {

TEST_CASE("the first sync applies the feed and records its status")
{
    Fixture f;
    f.server.route("/region.json", bundleResponse("A", 5, "\"v1\""));
    f.start({f.bundleSource()});

    const auto outcome = f.runOne(f.now);
    CHECK(outcome.result == SyncResult::Applied);
    CHECK(outcome.error.empty());
    CHECK(outcome.items == 5);
    CHECK(outcome.httpStatus == 200);
    CHECK(f.applied == 1);
    CHECK(f.contentWrites == 1);

    CHECK(f.content().events.size() == 5);
    CHECK(firstTitle(f.content()) == "A 0");
    const auto state = f.state();
    CHECK(state.etag == "\"v1\"");
    CHECK(state.itemCount == 5);
    CHECK(state.httpStatus == 200);
    CHECK(state.bytes > 0);
    CHECK(state.appliedAt == f.now);
    CHECK(state.lastAttempt == f.now);
    CHECK(state.lastSuccess == f.now);
    CHECK(state.error.empty());
    CHECK(f.server.lastRequest()->header("User-Agent") == "Kohtaamo/test");
    CHECK(f.server.lastRequest()->header("Accept") == "application/json");
    CHECK(f.server.lastRequest()->header("If-None-Match") == std::nullopt);
}

TEST_CASE("a 304 writes only the status: last attempt and last success, no content")
{
    Fixture f;
    f.server.route("/region.json", bundleResponse("A", 5, "\"v1\""));
    f.start({f.bundleSource()});
    const Instant first = f.now;
    REQUIRE(f.runOne(first).result == SyncResult::Applied);
    const auto before = f.content();

    const Instant later = first + 2h;
    const auto outcome = f.runOne(later);
    CHECK(outcome.result == SyncResult::NotModified);
    CHECK(outcome.httpStatus == 304);
    CHECK(outcome.items == 5);
    CHECK(f.server.lastRequest()->header("If-None-Match") == "\"v1\"");
    CHECK(f.content() == before);
    CHECK(f.applied == 2);         // the UI hears of the new status…
    CHECK(f.contentWrites == 1);   // …but not of new content: it refreshes the states, no rebuild
    const auto state = f.state();
    CHECK(state.appliedAt == first);   // replaceSource would have moved it
    CHECK(state.lastAttempt == later);
    CHECK(state.lastSuccess == later);
    CHECK(state.httpStatus == 304);
    CHECK(state.etag == "\"v1\"");

    SUBCASE("a new version is applied again")
    {
        f.server.route("/region.json", bundleResponse("B", 6, "\"v2\""));
        CHECK(f.runOne(later + 2h).result == SyncResult::Applied);
        CHECK(firstTitle(f.content()) == "B 0");
        CHECK(f.state().etag == "\"v2\"");
    }
}

TEST_CASE("every fault leaves the previous content exactly as it was, with a clear status")
{
    struct Case {
        const char* name;
        Response response;
        const char* error;
        int httpStatus;
        std::size_t maxMegabytes = 0;
        std::chrono::milliseconds totalTimeout = 3s;
    };
    Response oversize{.body = std::string(1024 * 1024 + 10, ' ')};
    Response invalidUtf8{.body = numberedBundle("B", 3)};
    invalidUtf8.body.replace(invalidUtf8.body.find("B 1"), 1, "\xC3\x28");
    const Case cases[] = {
        {"HTTP 500", Response::error(500), "HTTP 500 Internal Server Error", 500},
        {"HTTP 404", Response::error(404), "HTTP 404 Not Found", 404},
        {"429 with Retry-After", Response::error(429, "120"), "HTTP 429 Too Many Requests (retry after 120 s)", 429},
        {"a server that never answers", Response{.body = "{}", .fault = Fault::Hang}, "timed out after 400 ms", 0, 0, 400ms},
        {"a slow drip", Response{.body = numberedBundle("B", 3), .fault = Fault::SlowDrip, .faultAfterBytes = 0},
         "the transfer stalled", 200},
        {"a connection cut mid-body", Response{.body = numberedBundle("B", 3), .fault = Fault::CutMidBody, .faultAfterBytes = 100},
         "connection closed before the whole body arrived", 200},
        {"an oversize body", oversize, "larger than the limit of 1048576 bytes", 200, 1},
        {"invalid JSON", Response{.body = R"({"format": "kohtaamo-bundle", "version": 1, "events": [)"}, "not valid JSON", 200},
        {"invalid UTF-8", invalidUtf8, "$.events[1].title.fi: invalid UTF-8 at byte", 200},
        {"an empty 200", Response{.body = ""}, "the server sent an empty response (HTTP 200)", 200},
        {"a web page instead of a feed", Response{.body = "<html>Kirjaudu</html>", .contentType = "text/html; charset=utf-8"},
         "the server sent a web page (text/html)", 200},
        {"not a bundle", Response{.body = R"({"hello": "world"})"}, "$.format: missing", 200},
    };
    for (const auto& c : cases) {
        CAPTURE(c.name);
        Fixture f;
        f.server.route("/region.json", bundleResponse("A", 5, "\"v1\""));
        auto source = f.bundleSource();
        if (c.maxMegabytes) source.settings.emplace("max_megabytes", std::to_string(c.maxMegabytes));
        auto options = f.options({source});
        options.totalTimeout = c.totalTimeout;
        f.start(std::move(options));
        const Instant first = f.now;
        REQUIRE(f.runOne(first).result == SyncResult::Applied);
        const auto before = f.content();

        f.server.route("/region.json", c.response);
        const Instant later = first + 2h;
        const auto outcome = f.runOne(later);
        CHECK(outcome.result == SyncResult::Failed);
        CHECK_MESSAGE(contains(outcome.error, c.error), outcome.error);
        CHECK(f.content() == before);
        const auto state = f.state();
        CHECK_MESSAGE(contains(state.error, c.error), state.error);
        CHECK(state.httpStatus == c.httpStatus);
        CHECK(state.lastAttempt == later);
        CHECK(state.lastSuccess == first);
        CHECK(state.appliedAt == first);
        CHECK(state.etag == "\"v1\"");
        CHECK(state.itemCount == 5);
        CHECK(f.scheduleOf().failures == 1);
    }
}

TEST_CASE("a feed that shrinks to a fraction of what it had is held back")
{
    Fixture f;
    f.server.route("/region.json", bundleResponse("A", 100, "\"v1\""));
    SourceConfig source = f.bundleSource();

    SUBCASE("below the default half")
    {
        f.start({source});
        REQUIRE(f.runOne(f.now).result == SyncResult::Applied);
        const auto before = f.content();
        f.server.route("/region.json", bundleResponse("B", 3, "\"v2\""));
        const auto outcome = f.runOne(f.now + 2h);
        CHECK(outcome.result == SyncResult::HeldBack);
        CHECK(outcome.items == 3);
        CHECK(contains(outcome.error, "held back: 3 items instead of 100 (below 50 % of the previous content"));
        CHECK(f.content() == before);
        const auto state = f.state();
        CHECK(contains(state.error, "held back: 3 items instead of 100"));
        CHECK(state.etag == "\"v1\"");   // so the next attempt looks at the feed again
        CHECK(state.itemCount == 100);
        CHECK(f.scheduleOf().failures == 0);

        SUBCASE("and when it recovers, it is applied")
        {
            f.server.route("/region.json", bundleResponse("C", 90, "\"v3\""));
            CHECK(f.runOne(f.now + 2h).result == SyncResult::Applied);
            CHECK(firstTitle(f.content()) == "C 0");
            CHECK(f.state().error.empty());
        }
    }
    SUBCASE("to nothing")
    {
        f.start({source});
        REQUIRE(f.runOne(f.now).result == SyncResult::Applied);
        f.server.route("/region.json", Response{.body = R"({"format": "kohtaamo-bundle", "version": 1})", .etag = "\"v2\""});
        const auto outcome = f.runOne(f.now + 2h);
        CHECK(outcome.result == SyncResult::HeldBack);
        CHECK(contains(outcome.error, "held back: 0 items instead of 100"));
        CHECK(f.content().events.size() == 100);
    }
    SUBCASE("the source's min_fraction lets a planned shrink through")
    {
        source.settings.emplace("min_fraction", "0.02");
        f.start({source});
        REQUIRE(f.runOne(f.now).result == SyncResult::Applied);
        f.server.route("/region.json", bundleResponse("B", 3, "\"v2\""));
        CHECK(f.runOne(f.now + 2h).result == SyncResult::Applied);
        CHECK(f.content().events.size() == 3);
    }
    SUBCASE("and so does [sync] min_fraction")
    {
        auto options = f.options({source});
        options.defaults.minFraction = 0.01;
        f.start(std::move(options));
        REQUIRE(f.runOne(f.now).result == SyncResult::Applied);
        f.server.route("/region.json", bundleResponse("B", 3, "\"v2\""));
        CHECK(f.runOne(f.now + 2h).result == SyncResult::Applied);
    }
    SUBCASE("a bad min_fraction is reported as the source's error")
    {
        source.settings.emplace("min_fraction", "half");
        f.start({source});
        const auto outcome = f.runOne(f.now);
        CHECK(outcome.result == SyncResult::Failed);
        CHECK(contains(outcome.error, "min_fraction = \"half\": expected a number from 0 to 1"));
        CHECK(f.server.hits("/region.json") == 0);
    }
}

TEST_CASE("the item limit refuses an oversized feed")
{
    Fixture f;
    f.server.route("/region.json", bundleResponse("A", 5, "\"v1\""));
    auto options = f.options({f.bundleSource()});
    options.defaults.maxItems = 4;
    f.start(std::move(options));
    const auto outcome = f.runOne(f.now);
    CHECK(outcome.result == SyncResult::Failed);
    CHECK(contains(outcome.error, "the feed has 5 items; the limit is 4 (max_items)"));
    CHECK(f.content().events.empty());
}

TEST_CASE("one failing source does not affect another")
{
    Fixture f;
    f.server.route("/good.json", bundleResponse("A", 4, "\"g1\""));
    f.server.route("/bad.json", Response::error(500));
    f.start({f.bundleSource("good", "/good.json"), f.bundleSource("bad", "/bad.json")});

    const auto outcomes = f.engine->runDue(f.now);
    REQUIRE(outcomes.size() == 2);
    CHECK(outcomes[0].sourceId == "good");
    CHECK(outcomes[0].result == SyncResult::Applied);
    CHECK(outcomes[1].sourceId == "bad");
    CHECK(outcomes[1].result == SyncResult::Failed);
    CHECK(f.content("good").events.size() == 4);
    CHECK(f.content("bad").events.empty());
    CHECK(f.state("good").error.empty());
    CHECK(contains(f.state("bad").error, "HTTP 500"));
    CHECK(f.scheduleOf("good").failures == 0);
    CHECK(f.scheduleOf("bad").failures == 1);
    CHECK(f.scheduleOf("bad").nextAttempt < f.scheduleOf("good").nextAttempt);

    // The bad one's retry touches only itself.
    const auto retry = f.runOne(f.scheduleOf("bad").nextAttempt);
    CHECK(retry.sourceId == "bad");
    CHECK(f.content("good").events.size() == 4);
    CHECK(f.server.hits("/good.json") == 1);
}

TEST_CASE("file:// sources: applied, unchanged bytes cost no rewrite, a missing file keeps the content")
{
    Fixture f;
    const auto file = f.dir / "region.json";
    writeFile(file, numberedBundle("A", 4));
    f.start({SourceConfig{.id = "perhekeskus", .kind = "bundle", .url = fileUrl(file)}});
    const Instant first = f.now;
    auto outcome = f.runOne(first);
    CHECK(outcome.result == SyncResult::Applied);
    CHECK(outcome.httpStatus == 0);
    CHECK(f.content().events.size() == 4);

    outcome = f.runOne(first + 2h);
    CHECK(outcome.result == SyncResult::NotModified);
    CHECK(f.state().appliedAt == first);
    CHECK(f.state().lastSuccess == first + 2h);

    writeFile(file, numberedBundle("B", 4));
    CHECK(f.runOne(first + 4h).result == SyncResult::Applied);
    CHECK(firstTitle(f.content()) == "B 0");

    std::filesystem::remove(file);
    outcome = f.runOne(first + 6h);
    CHECK(outcome.result == SyncResult::Failed);
    CHECK(contains(outcome.error, "could not read the file"));
    CHECK(firstTitle(f.content()) == "B 0");
}

TEST_CASE("an ical source is applied with its settings, through the same rules as a bundle")
{
    Fixture f;
    const std::string longUid = std::string(200, 'U') + "@exchange";
    f.server.route("/cal.ics", Response{.body = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"
                                                "BEGIN:VEVENT\r\nUID:" + longUid + "\r\nDTSTAMP:20260101T000000Z\r\n"
                                                "DTSTART;TZID=Europe/Helsinki:20260310T093000\r\n"
                                                "DTEND;TZID=Europe/Helsinki:20260310T110000\r\n"
                                                "RRULE:FREQ=WEEKLY;COUNT=5\r\nSUMMARY:Isä-lapsi-ilta\r\n"
                                                "URL:tel:+358401234567\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
                                        .contentType = "text/calendar; charset=utf-8",
                                        .etag = "\"c1\""});
    f.start({SourceConfig{.id = "kalenteri", .kind = "ical", .url = f.server.url("/cal.ics"),
                          .settings = {{"place", "majakka"}, {"category", "club"}, {"parents", "true"}}}});
    const auto outcome = f.runOne(f.now);
    REQUIRE_MESSAGE(outcome.result == SyncResult::Applied, outcome.error);
    const auto content = f.content("kalenteri");
    REQUIRE(content.events.size() == 1);
    CHECK(content.events[0].id.size() <= 128);
    CHECK(content.events[0].placeId == "majakka");
    CHECK(content.events[0].category == EventCategory::Club);
    CHECK(content.events[0].audience.parents);
    CHECK(content.events[0].url.empty());
    CHECK(content.events[0].provenance.upstreamId == longUid);
    CHECK(f.server.lastRequest()->header("Accept") == "text/calendar, */*;q=0.5");
}

TEST_CASE("a source whose settings cannot be used fails naming the key, without touching the network")
{
    Fixture f;
    f.start({SourceConfig{.id = "hel", .kind = "linkedevents", .url = f.server.url("/event/"),
                          .settings = {{"days_ahead", "many"}}}});
    const auto outcome = f.runOne(f.now);
    CHECK(outcome.result == SyncResult::Failed);
    CHECK(contains(outcome.error, "days_ahead"));
    CHECK(f.server.requests().empty());
    CHECK(contains(f.state("hel").error, "days_ahead"));
}

TEST_CASE("a changed URL is fetched without the old validators and without the shrink rail")
{
    Fixture f;
    f.server.route("/old.json", bundleResponse("A", 100, "\"same\""));
    f.server.route("/new.json", bundleResponse("B", 3, "\"same\""));
    f.start({f.bundleSource("perhekeskus", "/old.json")});
    REQUIRE(f.runOne(f.now).result == SyncResult::Applied);

    f.start({f.bundleSource("perhekeskus", "/new.json")});
    CHECK(f.scheduleOf().nextAttempt == f.now);   // a changed source is due at once
    const auto outcome = f.runOne(f.now + 1min);
    CHECK(outcome.result == SyncResult::Applied);
    CHECK(f.server.lastRequest()->header("If-None-Match") == std::nullopt);
    CHECK(f.content().events.size() == 3);
}

TEST_CASE("status.json is written after every attempt, whole, with each source's status and age")
{
    Fixture f;
    f.server.route("/good.json", bundleResponse("A", 4, "\"g1\""));
    f.server.route("/bad.json", Response::error(503, "60"));
    f.start({f.bundleSource("good", "/good.json"), f.bundleSource("bad", "/bad.json")});
    const Instant first = f.now;
    (void)f.engine->runDue(first);

    auto read = [&] {
        std::ifstream file(f.dir / "status.json");
        std::stringstream text;
        text << file.rdbuf();
        return nlohmann::json::parse(text.str());
    };
    auto status = read();
    CHECK(status["ok"] == false);
    CHECK_FALSE(statusIsOk(status.dump()));
    REQUIRE(status["sources"].size() == 2);
    const auto& good = status["sources"][0];
    CHECK(good["id"] == "good");
    CHECK(good["ok"] == true);
    CHECK(good["items"] == 4);
    CHECK(good["http_status"] == 200);
    CHECK(good["content_age_seconds"] == 0);
    CHECK(good["last_success"] == formatUtc(first));
    const auto& bad = status["sources"][1];
    CHECK(bad["ok"] == false);
    CHECK(bad["http_status"] == 503);
    CHECK(contains(bad["error"].get<std::string>(), "HTTP 503 Service Unavailable"));
    CHECK(bad["last_success"].is_null());
    CHECK(bad["consecutive_failures"] == 1);

    f.server.route("/bad.json", bundleResponse("B", 2, "\"b1\""));
    (void)f.engine->runDue(first + 3h);
    status = read();
    CHECK(status["ok"] == true);
    CHECK(status["sources"][0]["content_age_seconds"] == 0);   // re-checked (304) just now
    CHECK(status["generated_at"] == formatUtc(first + 3h));
    for (const auto& entry : std::filesystem::directory_iterator(f.dir.path())) {
        CHECK_MESSAGE(!contains(entry.path().filename().string(), ".tmp"), entry.path());
    }
}

TEST_CASE("a bundle with many problems is summarised in the status")
{
    Fixture f;
    f.server.route("/region.json", bundleResponse("A", 3, "\"v1\""));
    f.start({f.bundleSource()});
    REQUIRE(f.runOne(f.now).ok());
    std::string broken = numberedBundle("B", 20);
    for (std::size_t at = broken.find("peer_group"); at != std::string::npos; at = broken.find("peer_group", at)) {
        broken.replace(at, 10, "party");
    }
    f.server.route("/region.json", Response{.body = broken});
    const auto outcome = f.runOne(f.now + 2h);
    CHECK(std::count(outcome.error.begin(), outcome.error.end(), '\n') == 19);
    const auto state = f.state();
    CHECK(contains(state.error, "$.events[0].category"));
    CHECK(contains(state.error, "… and 15 more lines (kohtaamo-kiosk --check-feed lists them all)"));
}

} // TEST_SUITE
