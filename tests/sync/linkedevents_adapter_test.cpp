#include "sync/linkedevents_adapter.hpp"

#include "fault_server.hpp"
#include "linkedevents_test_support.hpp"
#include "sync_test_support.hpp"

#include "content/occurrences.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <mutex>
#include <sstream>

using namespace kohtaamo;
using namespace kohtaamo::test;
using namespace kohtaamo::letest;
using namespace std::chrono_literals;
using json = nlohmann::json;

namespace {

std::string fixture(std::string_view name)
{
    const std::string path = std::string(KOHTAAMO_FIXTURES_DIR "/linkedevents/") + std::string(name);
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "cannot open " << path);
    std::stringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

std::string problemsText(const ParsedFeed& feed)
{
    std::string text;
    for (const auto& problem : feed.problems) text += problem.location + ": " + problem.message + "\n";
    return text;
}

LinkedEventsOptions options(std::string url = "https://api.hel.fi/linkedevents/v1/event/?keyword=yso:p4354")
{
    SourceConfig source{.id = "hel", .kind = "linkedevents", .url = std::move(url)};
    auto parsed = linkedEventsOptions(source);
    REQUIRE_MESSAGE(parsed.has_value(), (parsed ? "" : parsed.error().message));
    return *parsed;
}

ParsedFeed parse(const std::vector<std::string>& documents, const LinkedEventsOptions& settings = options())
{
    std::vector<std::string_view> views(documents.begin(), documents.end());
    auto feed = parseLinkedEvents(views, settings, "hel");
    REQUIRE_MESSAGE(feed.has_value(), (feed ? "" : feed.error().message));
    return std::move(*feed);
}

const Event& eventById(const ParsedFeed& feed, std::string_view id)
{
    const auto it = std::find_if(feed.content.events.begin(), feed.content.events.end(), [&](const Event& e) { return e.id == id; });
    REQUIRE_MESSAGE(it != feed.content.events.end(), "no event " << id);
    return *it;
}

bool hasEvent(const ParsedFeed& feed, std::string_view id)
{
    return std::any_of(feed.content.events.begin(), feed.content.events.end(), [&](const Event& e) { return e.id == id; });
}

Instant at(std::string_view text) { return *parseInstant(text, TimeZone::helsinki()); }

// The event's occurrences in [from, to) as "start end status", as --list-events shows them.
std::vector<std::string> occurrences(const Event& event, std::string_view from = "2020-01-01T00:00",
                                     std::string_view to = "2030-01-01T00:00")
{
    auto expanded = expandOccurrences(event, at(from), at(to));
    REQUIRE_MESSAGE(expanded.has_value(), (expanded ? "" : expanded.error().message));
    std::vector<std::string> result;
    for (const auto& occurrence : *expanded) {
        result.push_back(formatIso(occurrence.start, TimeZone::helsinki()) + " " + formatIso(occurrence.end, TimeZone::helsinki()) +
                         " " + std::string(toKey(occurrence.status)));
    }
    return result;
}

json placeObject()
{
    return json::parse(fixture("palvelutarjotin_place.json"));
}

} // namespace

// ---- The real payloads in ../shared/fixtures/linkedevents -------------------------------------

TEST_CASE("Linked Events fixture: a list page with a scheduled online event and a postponed one without dates")
{
    const auto feed = parse({fixture("palvelutarjotin_event_list_page.json")});
    INFO(problemsText(feed));
    REQUIRE(feed.content.events.size() == 1);
    const Event& online = feed.content.events.front();
    CHECK(online.id == "helsinki:afy6ikna3u");
    CHECK(online.provenance.upstreamId == "helsinki:afy6ikna3u");
    CHECK(online.provenance.upstreamModified == at("2020-05-05T09:27:45Z"));
    CHECK(online.title.exactly("fi") == "Uutta Koillis-Helsinkiä verkkotilaisuus");
    CHECK(online.title.exactly("sv").empty());   // only Finnish was written
    // HTML → text: paragraphs and line breaks kept, tags gone.
    CHECK(online.description.exactly("fi").starts_with("Tule kuulolle ja kysymään muun muassa Viikin"));
    CHECK(online.description.exactly("fi").find("<") == std::string_view::npos);
    CHECK(online.description.exactly("fi").find("kohenevat.\nMalmin lentokentän") != std::string_view::npos);
    CHECK(online.description.exactly("fi").find("hel.fi/suunnitelmat.\n\nEsittelyssä mukana") != std::string_view::npos);
    CHECK(online.placeId.empty());   // helsinki:internet, given by reference only
    CHECK(online.locationText.exactly("fi") == "liittymislinkki julkaistaan sivulla hel.fi/suunnitelmat lähempänä tilaisuutta");
    CHECK(online.languages == std::vector<std::string>{"fi"});
    CHECK(online.cost.isFree == true);
    CHECK(online.status == EventStatus::Scheduled);
    CHECK(online.url == "https://www.hel.fi/Helsinki/fi/asuminen-ja-ymparisto/kaavoitus/ajankohtaiset-suunnitelmat/");
    CHECK(online.schedule.timeZone == "Europe/Helsinki");
    CHECK(occurrences(online) == std::vector<std::string>{"2020-06-01T16:45:00+03:00 2020-06-01T19:00:00+03:00 scheduled"});

    REQUIRE(feed.problems.size() == 1);
    CHECK(feed.problems.front().location == "event \"helsinki:afxp6tv4xa\"");
    CHECK(feed.problems.front().message == "postponed with no new date yet (not shown)");
}

namespace {

struct InlinedPlace {
    const char* fixture;
    const char* id;
    const char* nameSv;
    const char* streetFi;
    const char* streetSv;
    const char* postalCode;
    const char* citySv;
    double lat;
    double lon;
    const char* phone;
    const char* email;
    const char* url;
};

} // namespace

TEST_CASE("Linked Events fixture: an event with include=location and include=keywords")
{
    // Both fixtures are the postponed event; with its dates back (as when it is rescheduled) it shows
    // at its place, which the inlined location describes.
    const InlinedPlace cases[] = {
        {"palvelutarjotin_event_postponed_include_location.json", "tprek:15321", "Entressebiblioteket", "Siltakatu 11",
         "Brogatan 11", "02770", "Esbo", 60.203636, 24.657864, "+358 9 8165 3776", "kirjasto.entresse@espoo.fi",
         "http://www.helmet.fi/entressenkirjasto"},
        // info_url "www.helmet.fi/jätkäsaari" as typed, without a scheme.
        {"palvelutarjotin_event_include_location_keywords.json", "tprek:45317", "Busholmens bibliotek och infocenter",
         "Tyynenmerenkatu 1", "Stillahavsgatan 1", "00220", "Helsingfors", 60.159977, 24.920868, "+358 9 310 85815",
         "jatkasaaren_kirjasto@hel.fi", "https://www.helmet.fi/jätkäsaari"},
    };
    for (const auto& expected : cases) {
        CAPTURE(expected.fixture);
        const auto original = parse({fixture(expected.fixture)});
        CHECK(original.content.itemCount() == 0);
        REQUIRE(original.problems.size() == 1);
        CHECK(original.problems.front().message == "postponed with no new date yet (not shown)");

        json dated = json::parse(fixture(expected.fixture));
        dated["start_time"] = "2026-06-10T08:00:00Z";
        dated["end_time"] = "2026-08-30T15:00:00Z";
        dated["event_status"] = "EventRescheduled";
        auto settings = options();
        settings.keywordCategories = {{"yso:p1808", EventCategory::Club}, {"yso:p8113", EventCategory::Club}};
        const auto feed = parse({dated.dump()}, settings);
        INFO(problemsText(feed));
        CHECK(feed.problems.empty());
        REQUIRE(feed.content.events.size() == 1);
        REQUIRE(feed.content.places.size() == 1);
        const Place& place = feed.content.places.front();
        CHECK(place.id == expected.id);
        CHECK(place.kind == PlaceKind::Library);
        CHECK(place.name.exactly("sv") == expected.nameSv);
        CHECK(place.address.street.exactly("fi") == expected.streetFi);
        CHECK(place.address.street.exactly("sv") == expected.streetSv);
        CHECK(place.address.postalCode == expected.postalCode);
        CHECK(place.address.city.exactly("sv") == expected.citySv);
        REQUIRE(place.location);
        CHECK(place.location->lat == doctest::Approx(expected.lat));   // position is [lon, lat]
        CHECK(place.location->lon == doctest::Approx(expected.lon));
        CHECK(place.contact.phone == expected.phone);
        CHECK(place.contact.email == expected.email);
        CHECK(place.contact.url == expected.url);

        const Event& event = feed.content.events.front();
        CHECK(event.placeId == expected.id);
        CHECK(event.status == EventStatus::Rescheduled);
        CHECK(event.category == EventCategory::Club);   // by keyword
        CHECK(event.cost.isFree == false);
        CHECK(event.cost.description.exactly("fi") == "5-15€");
        CHECK(event.title.exactly("en") == "Raija Malka & Kaija Saariaho: Blick");
        CHECK(event.description.exactly("fi").find("ma, pe klo 11-18\nke, to klo 11-20") != std::string_view::npos);
        CHECK(occurrences(event) == std::vector<std::string>{"2026-06-10T11:00:00+03:00 2026-08-30T18:00:00+03:00 rescheduled"});
    }
}

TEST_CASE("Linked Events fixture: place, keyword and image documents are not events")
{
    for (const char* name : {"palvelutarjotin_place_list_page.json", "palvelutarjotin_place.json", "palvelutarjotin_keyword.json",
                             "palvelutarjotin_keyword_list_page.json", "palvelutarjotin_keyword_set.json",
                             "palvelutarjotin_image_list_page.json"}) {
        CAPTURE(name);
        const auto feed = parse({fixture(name)});
        CHECK(feed.content.itemCount() == 0);
        INFO(problemsText(feed));
        CHECK_FALSE(feed.problems.empty());
        for (const auto& problem : feed.problems) CHECK(problem.message.find("not an event") != std::string::npos);
    }
}

// ---- Times, series and statuses ----------------------------------------------------------------

TEST_CASE("Linked Events times: UTC Z across both DST changes, date-only, no end, and the repeated autumn hour")
{
    const auto feed = parse({page(json::array({event("t:spring", "2026-03-29T07:00:00Z", "2026-03-29T08:30:00Z"),
                                               event("t:autumn", "2026-10-25T07:00:00Z", nullptr),
                                               event("t:first", "2026-10-25T00:30:00Z", "2026-10-25T01:00:00Z"),
                                               event("t:second", "2026-10-25T01:30:00Z", "2026-10-25T02:00:00Z"),
                                               event("t:days", "2026-03-28", "2026-03-30"),
                                               event("t:day", "2026-10-24", nullptr),
                                               event("t:backwards", "2026-05-02T10:00:00Z", "2026-05-02T09:00:00Z")}))
                                 .dump()});
    INFO(problemsText(feed));
    CHECK(occurrences(eventById(feed, "t:spring")) ==
          std::vector<std::string>{"2026-03-29T10:00:00+03:00 2026-03-29T11:30:00+03:00 scheduled"});
    // No end: the occurrence has no length.
    CHECK(occurrences(eventById(feed, "t:autumn")) ==
          std::vector<std::string>{"2026-10-25T09:00:00+02:00 2026-10-25T09:00:00+02:00 scheduled"});
    // 03:30 happens twice that night; each event keeps its own instant.
    CHECK(occurrences(eventById(feed, "t:first")) ==
          std::vector<std::string>{"2026-10-25T03:30:00+03:00 2026-10-25T03:00:00+02:00 scheduled"});
    CHECK(occurrences(eventById(feed, "t:second")) ==
          std::vector<std::string>{"2026-10-25T03:30:00+02:00 2026-10-25T04:00:00+02:00 scheduled"});
    CHECK(eventById(feed, "t:second").schedule.timeZone == "UTC");
    // Date-only: whole Helsinki days, the end inclusive, across the spring change.
    const Event& days = eventById(feed, "t:days");
    CHECK(days.schedule.allDay);
    CHECK(occurrences(days) == std::vector<std::string>{"2026-03-28T00:00:00+02:00 2026-03-31T00:00:00+03:00 scheduled"});
    CHECK(occurrences(eventById(feed, "t:day")) ==
          std::vector<std::string>{"2026-10-24T00:00:00+03:00 2026-10-25T00:00:00+03:00 scheduled"});
    CHECK(eventById(feed, "t:backwards").schedule.duration == Minutes{0});
    REQUIRE(feed.problems.size() == 1);
    CHECK(feed.problems.front().location == "event \"t:backwards\"");
}

TEST_CASE("Linked Events series: recurring containers are hidden, sub events grouped by the super event's id")
{
    json container = event("hel:series", "2026-03-03T07:30:00Z", "2026-05-26T09:00:00Z");
    container["super_event_type"] = "recurring";
    container["sub_events"] = json::array({{{"@id", "https://api.hel.fi/linkedevents/v1/event/hel:s1/"}}});
    json umbrella = event("hel:festival", "2026-05-30", "2026-05-31");
    umbrella["super_event_type"] = "umbrella";
    std::vector<json> items{container, umbrella};
    // Weekly on Tuesdays at 09:30, the middle one cancelled; the spring change falls in between.
    for (const auto& [id, start, status] : {std::tuple{"hel:s1", "2026-03-24T07:30:00Z", "EventScheduled"},
                                            std::tuple{"hel:s2", "2026-03-31T06:30:00Z", "EventCancelled"},
                                            std::tuple{"hel:s3", "2026-04-07T06:30:00Z", "EventScheduled"}}) {
        json sub = event(id, start, nullptr, status);
        sub["super_event"] = {{"@id", "https://api.hel.fi/linkedevents/v1/event/hel:series/"}};
        items.push_back(sub);
    }
    json child = event("hel:concert", "2026-05-30T12:00:00Z", "2026-05-30T13:00:00Z");
    child["super_event"] = {{"@id", "https://api.hel.fi/linkedevents/v1/event/hel:festival/"}};
    items.push_back(child);
    json deleted = event("hel:gone", "2026-04-01T10:00:00Z", nullptr);
    deleted["deleted"] = true;
    items.push_back(deleted);

    const auto feed = parse({page(json(items)).dump()});
    INFO(problemsText(feed));
    CHECK(feed.problems.empty());
    CHECK_FALSE(hasEvent(feed, "hel:series"));
    CHECK_FALSE(hasEvent(feed, "hel:gone"));
    CHECK(hasEvent(feed, "hel:festival"));
    CHECK(hasEvent(feed, "hel:concert"));   // a festival's programme is not a series
    CHECK(feed.content.events.size() == 5);
    const Event& first = eventById(feed, "hel:series/hel:s1");
    CHECK(first.provenance.upstreamId == "hel:s1");
    CHECK(occurrences(first) == std::vector<std::string>{"2026-03-24T09:30:00+02:00 2026-03-24T09:30:00+02:00 scheduled"});
    CHECK(occurrences(eventById(feed, "hel:series/hel:s2")) ==
          std::vector<std::string>{"2026-03-31T09:30:00+03:00 2026-03-31T09:30:00+03:00 cancelled"});
    CHECK(occurrences(eventById(feed, "hel:series/hel:s3")) ==
          std::vector<std::string>{"2026-04-07T09:30:00+03:00 2026-04-07T09:30:00+03:00 scheduled"});
}

TEST_CASE("Linked Events mapping: audience ages, languages, offers, registration, and a bad event among good ones")
{
    json aged = event("a:1", "2026-04-01T07:00:00Z", "2026-04-01T08:00:00Z");
    aged["audience_min_age"] = 0;
    aged["audience_max_age"] = 3;
    aged["in_language"] = json::array({{{"id", "sv"}}, {{"@id", "https://api.hel.fi/linkedevents/v1/language/fi/"}}});
    aged["offers"] = json::array({{{"is_free", true}, {"price", nullptr}, {"description", nullptr}}});
    aged["enrolment_start_time"] = "2026-03-01T08:00:00Z";
    aged["location"] = placeObject();
    aged["location_extra_info"] = {{"fi", "2. krs, ryhmätila"}};
    json unnamed = event("a:2", "2026-04-01T07:00:00Z", nullptr);
    unnamed["name"] = {{"fi", ""}, {"sv", nullptr}};
    json weird = event("a:3", "yesterday", nullptr);
    json unknown = event("a:4", "2026-04-01T07:00:00Z", nullptr, "EventMaybe");

    const auto feed = parse({page(json::array({aged, unnamed, weird, unknown, aged})).dump(), "[]"});
    REQUIRE(feed.content.events.size() == 2);
    const Event& baby = eventById(feed, "a:1");
    CHECK(baby.audience.minAge == 0);
    CHECK(baby.audience.maxAge == 3);
    CHECK(baby.languages == std::vector<std::string>{"sv", "fi"});
    CHECK(baby.cost.isFree == true);
    CHECK(baby.registration == Registration::Required);
    CHECK(baby.placeId == "tprek:15417");
    CHECK(baby.locationText.exactly("fi") == "2. krs, ryhmätila");
    CHECK(eventById(feed, "a:4").status == EventStatus::Scheduled);
    REQUIRE(feed.content.places.size() == 1);
    CHECK(feed.content.places.front().name.exactly("en") == "Sello Library");

    INFO(problemsText(feed));
    REQUIRE(feed.problems.size() == 3);
    CHECK(feed.problems[0].location == "event \"a:2\"");
    CHECK(feed.problems[1].location == "event \"a:3\"");
    CHECK(feed.problems[2].message == "unknown event_status \"EventMaybe\"; shown as scheduled");
}

TEST_CASE("Linked Events text: HTML to plain text")
{
    CHECK(htmlToText("<p>Tervetuloa <b>vauvaryhmään</b>!<br>Joka tiistai.</p><p>Kahvi &amp; pulla &#228;&#x00e4; &nbsp;x</p>") ==
          "Tervetuloa vauvaryhmään!\nJoka tiistai.\n\nKahvi & pulla ää x");
    CHECK(htmlToText("<ul><li>yksi</li><li>kaksi</li></ul>") == "• yksi\n• kaksi");
    CHECK(htmlToText("plain\n  text") == "plain text");
    CHECK(htmlToText("a &bogus; b") == "a &bogus; b");
}

TEST_CASE("Linked Events settings: the pasted URL keeps its filters; the fetch adds window, paging and incremental parameters")
{
    const auto settings = options("https://api.hel.fi/linkedevents/v1/event/?keyword=yso:p4354,yso:p13050&division=malmi&page=3"
                                  "&page_size=5&include=keywords&start=today#top");
    CHECK(settings.endpoint == "https://api.hel.fi/linkedevents/v1/event/");
    CHECK(settings.filters == std::vector<std::pair<std::string, std::string>>{{"keyword", "yso:p4354,yso:p13050"},
                                                                               {"division", "malmi"}});
    CHECK(settings.include == std::vector<std::string>{"location", "keywords"});
    // The window starts at Helsinki midnight, written in UTC: 30 days across the spring change.
    const Instant midnight = at("2026-03-20T00:00");
    CHECK(linkedEventsUrl(settings, midnight) ==
          "https://api.hel.fi/linkedevents/v1/event/?keyword=yso:p4354,yso:p13050&division=malmi&start=2026-03-19T22:00:00Z"
          "&end=2026-04-18T21:00:00Z&include=location,keywords&page_size=100&sort=start_time");
    CHECK(linkedEventsUrl(settings, midnight, at("2026-03-20T09:50:00Z")) ==
          "https://api.hel.fi/linkedevents/v1/event/?keyword=yso:p4354,yso:p13050&division=malmi&start=2026-03-19T22:00:00Z"
          "&end=2026-04-18T21:00:00Z&include=location,keywords&page_size=100&sort=last_modified_time"
          "&last_modified_since=2026-03-20T09:50:00Z&show_deleted=true");

    SourceConfig source{.id = "hel", .kind = "linkedevents", .url = "https://api.hel.fi/linkedevents/v1/event/"};
    source.settings = {{"days_ahead", "14"}, {"category", "peer_group"}, {"keyword_categories", R"([ "yso:p4354=dropin" ])"},
                       {"languages", R"([ "fi", "sv" ])"}};
    auto parsed = linkedEventsOptions(source);
    REQUIRE(parsed);
    CHECK(parsed->daysAhead == 14);
    CHECK(parsed->category == EventCategory::PeerGroup);
    REQUIRE(parsed->keywordCategories.size() == 1);
    CHECK(parsed->keywordCategories.front().second == EventCategory::DropIn);
    source.settings["keyword_categories"] = R"([ "yso:p4354" ])";
    CHECK_FALSE(linkedEventsOptions(source));
    source.settings.erase("keyword_categories");
    source.settings["category"] = "party";
    CHECK_FALSE(linkedEventsOptions(source));
    source.settings.erase("category");
    source.url = "file:///tmp/events.json";
    CHECK_FALSE(linkedEventsOptions(source));
}

// ---- The whole flow against FaultServer -------------------------------------------------------

namespace {

struct Flow {
    FaultServer server;
    SourceConfig source;
    LinkedEventsOptions settings;
    std::mutex waitMutex;
    std::vector<std::chrono::milliseconds> waits;
    FetchPolicy policy;
    std::function<void()> onWait;

    Flow()
    {
        source = SourceConfig{.id = "hel", .kind = "linkedevents", .url = server.url("/linkedevents/v1/event/?keyword=yso:p4354")};
        settings = options(source.url);
        policy.connectTimeout = 2s;
        policy.totalTimeout = 10s;
        policy.wait = [this](std::chrono::milliseconds delay) {
            std::lock_guard lock(waitMutex);
            waits.push_back(delay);
            if (onWait) onWait();
            return true;
        };
    }

    void serve(std::string path, const json& body) { server.route(std::move(path), Response{.body = body.dump()}); }

    FetchResult<LinkedEventsFetch> fetch(const FetchState& previous, std::string_view now)
    {
        auto client = HttpClient::create("Kohtaamo-test");
        REQUIRE(client);
        return fetchLinkedEvents(*client, source, settings, previous, at(now), policy);
    }

    LinkedEventsFetch fetchOk(const FetchState& previous, std::string_view now)
    {
        auto result = fetch(previous, now);
        REQUIRE_MESSAGE(result.has_value(), (result ? "" : result.error().error.message));
        return std::move(*result);
    }
};

json seriesPage1(const std::string& next)
{
    json container = event("hel:series", "2026-03-24T07:30:00Z", "2026-04-14T09:00:00Z");
    container["super_event_type"] = "recurring";
    std::vector<json> items{container};
    for (const auto& [id, start, status] : {std::tuple{"hel:s1", "2026-03-24T07:30:00Z", "EventScheduled"},
                                            std::tuple{"hel:s2", "2026-03-31T06:30:00Z", "EventCancelled"}}) {
        json sub = event(id, start, nullptr, status);
        sub["super_event"] = {{"@id", "https://api.hel.fi/linkedevents/v1/event/hel:series/"}};
        items.push_back(sub);
    }
    items.push_back(event("hel:postponed", nullptr, nullptr, "EventPostponed"));
    json cafe = event("hel:cafe", "2026-03-26T08:00:00Z", "2026-03-26T10:00:00Z");
    cafe["location"] = placeObject();
    items.push_back(cafe);
    return page(json(items), next);
}

json seriesPage2()
{
    json sub = event("hel:s3", "2026-04-07T06:30:00Z", nullptr);
    sub["super_event"] = {{"@id", "https://api.hel.fi/linkedevents/v1/event/hel:series/"}};
    json cafe = event("hel:cafe", "2026-03-26T08:00:00Z", "2026-03-26T10:00:00Z");   // seen again: paging shifted
    cafe["location"] = placeObject();
    return page(json::array({sub, cafe, event("hel:club", "2026-04-02T14:00:00Z", "2026-04-02T15:30:00Z")}));
}

} // namespace

TEST_CASE("Linked Events flow: paging through meta.next, a 429 then success, series, cancelled and postponed events")
{
    Flow flow;
    const std::string next = flow.server.url("/linkedevents/v1/event/page-2/");
    flow.server.route("/linkedevents/v1/event/", Response::error(429, "1"));
    flow.onWait = [&] { flow.serve("/linkedevents/v1/event/", seriesPage1(next)); };
    flow.serve("/linkedevents/v1/event/page-2/", seriesPage2());

    const auto result = flow.fetchOk({}, "2026-03-20T08:00:00Z");
    CHECK(result.full);
    CHECK(flow.waits == std::vector<std::chrono::milliseconds>{1000ms});
    CHECK(flow.server.hits("/linkedevents/v1/event/") == 2);
    CHECK(flow.server.hits("/linkedevents/v1/event/page-2/") == 1);
    for (const auto& request : flow.server.requests()) CHECK_FALSE(request.header("Authorization").has_value());
    REQUIRE(result.feed);
    const ParsedFeed& feed = *result.feed;
    INFO(problemsText(feed));
    CHECK(feed.content.events.size() == 5);   // three sessions, the café, the club
    CHECK_FALSE(hasEvent(feed, "hel:series"));
    CHECK_FALSE(hasEvent(feed, "hel:postponed"));
    REQUIRE(feed.problems.size() == 1);
    CHECK(feed.problems.front().location == "event \"hel:postponed\"");
    CHECK(eventById(feed, "hel:series/hel:s2").status == EventStatus::Cancelled);
    CHECK(occurrences(eventById(feed, "hel:series/hel:s3")) ==
          std::vector<std::string>{"2026-04-07T09:30:00+03:00 2026-04-07T09:30:00+03:00 scheduled"});
    CHECK(eventById(feed, "hel:cafe").placeId == "tprek:15417");
    CHECK(feed.content.places.size() == 1);
    CHECK(result.state.records->byKind.at("event").size() == 7);   // all but duplicates, container included

    // Later the same day: only changes. The café is postponed (keeps its slot, marked), a session
    // is deleted, a new event appears.
    json postponedCafe = event("hel:cafe", nullptr, nullptr, "EventPostponed");
    postponedCafe["location"] = placeObject();
    json deleted{{"id", "hel:s1"}, {"name", {{"fi", "POISTETTU"}}}, {"deleted", true}, {"last_modified_time", "2026-03-20T09:00:00Z"}};
    flow.serve("/linkedevents/v1/event/", page(json::array({postponedCafe, deleted, event("hel:new", "2026-03-28T09:00:00Z", nullptr)})));
    const auto second = flow.fetchOk(result.state, "2026-03-20T10:00:00Z");
    CHECK_FALSE(second.full);
    REQUIRE(second.feed);
    CHECK(second.feed->content.events.size() == 5);
    CHECK_FALSE(hasEvent(*second.feed, "hel:series/hel:s1"));
    CHECK(hasEvent(*second.feed, "hel:new"));
    CHECK(occurrences(eventById(*second.feed, "hel:cafe")) ==
          std::vector<std::string>{"2026-03-26T10:00:00+02:00 2026-03-26T12:00:00+02:00 postponed"});
    CHECK(second.state.lastFullSync == at("2026-03-20T08:00:00Z"));

    // Nothing changed since: nothing to apply.
    flow.serve("/linkedevents/v1/event/", page(json::array()));
    const auto third = flow.fetchOk(second.state, "2026-03-20T11:00:00Z");
    CHECK_FALSE(third.full);
    CHECK_FALSE(third.feed.has_value());

    // The next day the window has moved: a full fetch, the state saved and read back on the way.
    ScratchDir dir;
    const auto file = fetchStateFile(dir / "cache.sqlite", flow.source.id);
    REQUIRE(saveFetchState(file, third.state));
    auto loaded = loadFetchState(file);
    REQUIRE(loaded);
    flow.serve("/linkedevents/v1/event/", seriesPage1(next));
    const auto fourth = flow.fetchOk(*loaded, "2026-03-20T22:30:00Z");   // 00:30 in Helsinki
    CHECK(fourth.full);
    REQUIRE(fourth.feed);
    CHECK(fourth.feed->content.events.size() == 5);
}

TEST_CASE("Linked Events flow: a 500 on the second page fails the whole fetch and nothing is applied")
{
    Flow flow;
    const std::string next = flow.server.url("/linkedevents/v1/event/page-2/");
    flow.serve("/linkedevents/v1/event/", seriesPage1(next));
    flow.server.route("/linkedevents/v1/event/page-2/", Response::error(500));
    const auto failed = flow.fetch({}, "2026-03-20T08:00:00Z");
    REQUIRE_FALSE(failed.has_value());
    INFO(failed.error().error.message);
    CHECK(failed.error().httpStatus == 500);
    CHECK(failed.error().error.message.starts_with("Linked Events source \"hel\": "));
    CHECK(failed.error().error.message.find("/linkedevents/v1/event/page-2/: HTTP 500") != std::string::npos);
    CHECK(flow.waits.size() == 3);
    CHECK(failed.error().stats.requests == 1 + 4);

    // A page that is not a list page is an error too, never an empty feed.
    flow.server.route("/linkedevents/v1/event/page-2/", Response{.body = "<html>login</html>", .contentType = "text/html"});
    const auto html = flow.fetch({}, "2026-03-20T08:00:00Z");
    REQUIRE_FALSE(html.has_value());
    CHECK(html.error().error.message.find("not a Linked Events list page") != std::string::npos);
}
