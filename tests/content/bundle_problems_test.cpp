#include "content/bundle.hpp"

#include "bundle_codec.hpp"
#include "bundle_test_support.hpp"

#include <nlohmann/json.hpp>

using namespace kohtaamo;
using namespace kohtaamo::test;
using nlohmann::json;

// Every kind of problem a bundle can have is reported at its exact JSON path, all at once.

TEST_CASE("malformed JSON is one problem at $ with its byte position")
{
    const auto problems = problemsOfText(std::string_view(R"({"format": "kohtaamo-bundle", "version": 1,})"));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].path == "$");
    CHECK_MESSAGE(problems[0].message.starts_with("not valid JSON at byte 44: parse error at line 1, column 44"), problems[0].message);

    CHECK(problemsOfText(std::string_view("")).front().path == "$");
    const auto notObject = problemsOfText(std::string_view("[1, 2]"));
    CHECK(notObject == std::vector<BundleProblem>{{"$", R"(expected a bundle object {"format": "kohtaamo-bundle", …}, got array)"}});
}

TEST_CASE("the format and version are checked before anything else")
{
    CHECK(onlyProblem(json{{"version", 1}}) == BundleProblem{"$.format", R"(missing (required: "kohtaamo-bundle"))"});
    CHECK(onlyProblem(json{{"format", "geojson"}, {"version", 1}}) ==
          BundleProblem{"$.format", R"("geojson" is not a Kohtaamo bundle (expected "kohtaamo-bundle"))"});
    CHECK(onlyProblem(json{{"format", "kohtaamo-bundle"}}) == BundleProblem{"$.version", "missing (required: 1)"});
    CHECK(onlyProblem(json{{"format", "kohtaamo-bundle"}, {"version", "1"}}) ==
          BundleProblem{"$.version", R"(expected the number 1, got "1")"});
    CHECK(onlyProblem(json{{"format", "kohtaamo-bundle"}, {"version", 0}}) ==
          BundleProblem{"$.version", "0 is not a bundle version (expected 1)"});
    // A newer bundle is not decoded further: its records would only produce confusing problems.
    auto newer = json{{"format", "kohtaamo-bundle"}, {"version", 2}, {"places", {{{"id", 5}}}}};
    CHECK(onlyProblem(newer) == BundleProblem{"$.version", "version 2 is newer than this kiosk understands (it reads version 1); "
                                                            "update Kohtaamo to use this bundle"});
}

TEST_CASE("missing required keys and wrong types are reported at their exact paths")
{
    auto document = bundleJson();
    auto place = minimalPlace("p");
    place.erase("name");
    document["places"] = {place};
    CHECK(onlyProblem(document) == BundleProblem{"$.places[0].name", R"(missing (required: a text object such as {"fi": "…"}))"});

    auto event = minimalEvent("e");
    event["schedule"].erase("start");
    document = bundleJson();
    document["events"] = {event};
    CHECK(onlyProblem(document) ==
          BundleProblem{"$.events[0].schedule.start", R"(missing (required: a local date-time string "YYYY-MM-DDTHH:MM"))"});

    document = bundleJson();
    document["events"] = {minimalEvent("e")};
    document["events"][0].erase("schedule");
    CHECK(onlyProblem(document).path == "$.events[0].schedule");

    document = bundleJson();
    document["services"] = {minimalService("s")};
    document["services"][0]["places"] = "p";
    CHECK(onlyProblem(document) == BundleProblem{"$.services[0].places", R"(expected a list, got string "p")"});

    document = bundleJson();
    document["events"] = {minimalEvent("e")};
    document["events"][0]["title"] = "Satutunti";
    CHECK(onlyProblem(document) ==
          BundleProblem{"$.events[0].title", R"(expected a text object such as {"fi": "…"}, got string "Satutunti")"});

    document = bundleJson();
    document["events"] = {minimalEvent("e")};
    document["events"][0]["audience"] = {{"min_age", 1.5}};
    CHECK(onlyProblem(document) == BundleProblem{"$.events[0].audience.min_age", "expected a whole number, got number 1.5"});

    document = bundleJson();
    document["places"] = {minimalPlace("p")};
    document["places"][0]["id"] = 7;
    CHECK(onlyProblem(document) == BundleProblem{"$.places[0].id", "expected an id string of 1–128 characters, got number 7"});

    document = bundleJson();
    document["announcements"] = {minimalAnnouncement("a")};
    document["announcements"][0]["title"] = {{"fi", "  "}};
    CHECK(onlyProblem(document) ==
          BundleProblem{"$.announcements[0].title", "has no text in any language (at least one must be non-empty)"});

    document = bundleJson();
    document["events"] = json::object();
    CHECK(onlyProblem(document) == BundleProblem{"$.events", "expected a list, got object"});
}

TEST_CASE("bad dates, times, weekdays and enum keys quote the value and say what was expected")
{
    auto document = bundleJson();
    auto place = minimalPlace("p");
    place["hours"] = {{"weekly", {{{"days", {"mo", "ma"}}, {"open", "09:00"}, {"close", "25:00"}, {"from", "2026-02-30"}}}},
                      {"exceptions", {{{"date", "31.12.2026"}}}}};
    place["kind"] = "school";
    document["places"] = {place};
    auto event = minimalEvent("e");
    event["category"] = "party";
    event["status"] = "maybe";
    event["schedule"]["start"] = "2026-01-13";
    document["events"] = {event};
    auto announcement = minimalAnnouncement("a");
    announcement["valid_from"] = "ensi viikolla";
    document["announcements"] = {announcement};

    const auto problems = problemsOf(document);
    const std::vector<BundleProblem> expected{
        {"$.places[0].kind", R"("school" is not a place kind (expected one of family_centre, meeting_place, clinic, library, parish, other))"},
        {"$.places[0].hours.weekly[0].days[1]", R"("ma" is not a weekday (expected one of mo, tu, we, th, fr, sa, su))"},
        {"$.places[0].hours.weekly[0].close", R"("25:00" is not a time (expected HH:MM))"},
        {"$.places[0].hours.weekly[0].from", R"("2026-02-30" is not a date (expected YYYY-MM-DD))"},
        {"$.places[0].hours.exceptions[0].date", R"("31.12.2026" is not a date (expected YYYY-MM-DD))"},
        {"$.events[0].category", R"("party" is not an event category (expected one of peer_group, dropin, club, info, other))"},
        {"$.events[0].status", R"("maybe" is not an event status (expected one of scheduled, cancelled, postponed, rescheduled))"},
        {"$.events[0].schedule.start", R"("2026-01-13" has no time of day (expected YYYY-MM-DDTHH:MM, or set "all_day": true))"},
        {"$.announcements[0].valid_from",
         R"("ensi viikolla" is not a date-time (expected e.g. 2026-12-01T08:00+02:00, or without an offset for Helsinki time))"},
    };
    CHECK_MESSAGE(problems == expected, listOf(problems));
}

TEST_CASE("schedule problems: rrule, timezone, end before start, both end and duration")
{
    auto document = bundleJson();
    document["events"] = {minimalEvent("a"), minimalEvent("b"), minimalEvent("c"), minimalEvent("d"), minimalEvent("e")};
    document["events"][0]["schedule"]["rrule"] = "FREQ=WEKLY";
    document["events"][1]["schedule"]["timezone"] = "Europe/Helsingfors";
    document["events"][2]["schedule"]["end"] = "2026-01-13T09:00";
    document["events"][3]["schedule"]["end"] = "2026-01-13T10:00";
    document["events"][3]["schedule"]["duration_minutes"] = 30;
    document["events"][4]["schedule"]["duration_minutes"] = 0;
    document["events"][4]["schedule"]["overrides"] = {{{"start", "2026-01-20T10:00"}}};

    const auto problems = problemsOf(document);
    REQUIRE_MESSAGE(problems.size() == 6, listOf(problems));
    CHECK(problems[0].path == "$.events[0].schedule.rrule");
    CHECK_MESSAGE(problems[0].message.starts_with(R"("FREQ=WEKLY" is not a valid RRULE)"), problems[0].message);
    CHECK(problems[1] == BundleProblem{"$.events[1].schedule.timezone",
                                       R"("Europe/Helsingfors" is not a known time zone (expected an IANA name such as "Europe/Helsinki"))"});
    CHECK(problems[2] == BundleProblem{"$.events[2].schedule.end", R"("2026-01-13T09:00" is not after start "2026-01-13T09:30")"});
    CHECK(problems[3] == BundleProblem{"$.events[3].schedule.duration_minutes", "give either end or duration_minutes, not both"});
    CHECK(problems[4] == BundleProblem{"$.events[4].schedule.duration_minutes", "0 is out of range (expected 1–5260320)"});
    CHECK(problems[5] == BundleProblem{"$.events[4].schedule.overrides[0].recurrence_id",
                                       "missing (required: the instance's original local start)"});
}

TEST_CASE("all-day schedules take dates, and timed ones refuse instants with an offset")
{
    auto document = bundleJson();
    document["events"] = {minimalEvent("a"), minimalEvent("b")};
    document["events"][0]["schedule"] = {{"start", "2026-05-01T10:00"}, {"all_day", true}};
    document["events"][1]["schedule"]["exdates"] = {"2026-01-20T09:30+02:00"};
    const auto problems = problemsOf(document);
    const std::vector<BundleProblem> expected{
        {"$.events[0].schedule.start", R"("2026-05-01T10:00" has a time of day, but the event is all-day (expected YYYY-MM-DD))"},
        {"$.events[1].schedule.exdates[0]",
         R"("2026-01-20T09:30+02:00" has a UTC offset (expected wall-clock time YYYY-MM-DDTHH:MM in the schedule's timezone))"},
    };
    CHECK_MESSAGE(problems == expected, listOf(problems));
}

TEST_CASE("duplicate ids and dangling place references are cross-record problems")
{
    auto document = bundleJson();
    auto child = minimalPlace("child");
    child["parent"] = "missing-centre";
    document["places"] = {minimalPlace("p1"), minimalPlace("p1"), child};
    auto service = minimalService("s1");
    service["places"] = {"p1", "nowhere"};
    service["hours"] = {{{"place", "elsewhere"}, {"hours", {{"always_open", true}}}}};
    document["services"] = {service};
    auto event = minimalEvent("e1");
    event["place"] = "gone";
    document["events"] = {event, minimalEvent("e1")};
    auto announcement = minimalAnnouncement("a1");
    announcement["place"] = "p2";
    document["announcements"] = {announcement};

    const auto problems = problemsOf(document);
    const std::vector<BundleProblem> expected{
        {"$.places[1].id", R"(duplicate id "p1" (also at $.places[0]))"},
        {"$.events[1].id", R"(duplicate id "e1" (also at $.events[0]))"},
        {"$.places[2].parent", R"("missing-centre" is not the id of a place in this bundle)"},
        {"$.services[0].places[1]", R"("nowhere" is not the id of a place in this bundle)"},
        {"$.services[0].hours[0].place", R"("elsewhere" is not the id of a place in this bundle)"},
        {"$.events[0].place", R"("gone" is not the id of a place in this bundle)"},
        {"$.announcements[0].place", R"("p2" is not the id of a place in this bundle)"},
    };
    CHECK_MESSAGE(problems == expected, listOf(problems));
}

TEST_CASE("a loop of parents is refused")
{
    auto document = bundleJson();
    auto a = minimalPlace("a");
    auto b = minimalPlace("b");
    a["parent"] = "b";
    b["parent"] = "a";
    document["places"] = {a, b};
    const auto problems = problemsOf(document);
    REQUIRE(problems.size() == 2);
    CHECK(problems[0] == BundleProblem{"$.places[0].parent", R"(the parent chain loops back to "a" (a → b → a))"});
}

TEST_CASE("urls must be http or https")
{
    auto document = bundleJson();
    auto event = minimalEvent("e");
    event["url"] = "javascript:alert(1)";
    auto place = minimalPlace("p");
    place["contact"] = {{"url", "ftp://example.fi/file"}, {"phone", "09 123"}};
    auto good = minimalPlace("q");
    good["contact"] = {{"url", "HTTPS://example.fi/a?b=c"}};
    document["events"] = {event};
    document["places"] = {place, good};
    const auto problems = problemsOf(document);
    const std::vector<BundleProblem> expected{
        {"$.places[0].contact.url", R"("ftp://example.fi/file" is not an http(s) URL (expected a link starting with https:// or http://))"},
        {"$.events[0].url", R"x("javascript:alert(1)" is not an http(s) URL (expected a link starting with https:// or http://))x"},
    };
    CHECK_MESSAGE(problems == expected, listOf(problems));
}

TEST_CASE("invalid UTF-8 is reported at the text that holds it")
{
    // Raw bytes in the file: the parser would refuse the whole file without saying where.
    const std::string text = std::string(R"({"format": "kohtaamo-bundle", "version": 1, "places": [)") +
                             R"({"id": "p", "kind": "library", "name": {"fi": "Kirjasto", "sv": "Bibliot)" + "\xE4" + R"(k"}}]})";
    const auto problems = problemsOfText(std::string_view(text));
    REQUIRE_MESSAGE(problems.size() == 1, listOf(problems));
    CHECK(problems[0] == BundleProblem{"$.places[0].name.sv", "invalid UTF-8 at byte 127 (the bundle must be UTF-8)"});

    // A record built in memory (as the store's decoder sees it) is checked by the codec itself.
    std::vector<BundleProblem> codecProblems;
    auto place = minimalPlace("p");
    place["description"]["fi"] = std::string("Tervetuloa \xFF");
    place["id"] = std::string("p\xC3");
    (void)bundle_codec::decodePlace(place, "$.places[3]", codecProblems);
    const std::vector<BundleProblem> expected{
        {"$.places[3].id", R"("p�" has invalid UTF-8 at byte 1 (texts must be UTF-8))"},
        {"$.places[3].description.fi", R"("Tervetuloa �" has invalid UTF-8 at byte 11 (texts must be UTF-8))"},
    };
    CHECK_MESSAGE(codecProblems == expected, listOf(codecProblems));
}

TEST_CASE("several problems in one file are all reported, in document order per record")
{
    auto document = bundleJson();
    auto place = minimalPlace("");
    place["location"] = {{"lat", 160.0}, {"lon", "24.9"}};
    document["places"] = {place};
    auto service = minimalService("s");
    service["languages"] = {"fi", "Finnish"};
    service["audience"] = {{"min_age", 6}, {"max_age", 3}};
    document["services"] = {service};
    auto event = minimalEvent("e");
    event["registration"] = true;
    event["schedule"]["overrides"] = {{{"recurrence_id", "2026-01-20T09:30"}, {"status", "cancelled"}},
                                      {{"recurrence_id", "2026-01-20T09:30"}, {"duration_minutes", 30}}};
    document["events"] = {event, "not an event"};
    auto announcement = minimalAnnouncement("a");
    announcement["valid_from"] = "2026-12-02T00:00";
    announcement["valid_until"] = "2026-12-01T00:00";
    document["announcements"] = {announcement};

    const auto problems = problemsOf(document);
    const std::vector<BundleProblem> expected{
        {"$.places[0].id", R"("" is 0 characters long (an id has 1–128))"},
        {"$.places[0].location.lat", "160.0 is out of range (expected −90…90 degrees)"},
        {"$.places[0].location.lon", R"(expected a number (WGS84 degrees), got string "24.9")"},
        {"$.services[0].audience.max_age", "3 is below min_age 6"},
        {"$.services[0].languages[1]",
         R"("Finnish" is not a language code (expected a BCP 47 code such as "fi", "sv" or "en"))"},
        {"$.events[0].registration", "expected a registration (one of none, required), got true"},
        {"$.events[0].schedule.overrides[1].recurrence_id",
         R"("2026-01-20T09:30" is overridden twice (also at $.events[0].schedule.overrides[0].recurrence_id))"},
        {"$.events[1]", R"(expected an event object, got string "not an event")"},
        {"$.announcements[0].valid_until", R"("2026-12-01T00:00+02:00" is not after valid_from "2026-12-02T00:00+02:00")"},
    };
    CHECK_MESSAGE(problems == expected, listOf(problems));
}

TEST_CASE("size and item limits")
{
    std::string huge(32 * 1024 * 1024 + 1, ' ');
    const auto problems = problemsOfText(std::string_view(huge));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].path == "$");
    CHECK(contains(problems[0].message, "the limit is 32 MiB"));

    auto document = bundleJson();
    document["announcements"] = json::array();
    for (int i = 0; i < 50'001; ++i) document["announcements"].push_back(json::object());
    CHECK(onlyProblem(document) == BundleProblem{"$", "the bundle has 50001 items; the limit is 50000"});
}

TEST_CASE("bundleError lists every problem as FILE: PATH: MESSAGE")
{
    const auto error = bundleError("region.json", {{"$.events[12].schedule.rrule", R"("FREQ=WEKLY" is not a valid RRULE)"},
                                                    {"$", "not valid JSON"}});
    CHECK(error.code == ErrorCode::InvalidInput);
    CHECK(error.message == "region.json: $.events[12].schedule.rrule: \"FREQ=WEKLY\" is not a valid RRULE\n"
                           "region.json: $: not valid JSON");
}
