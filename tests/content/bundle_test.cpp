#include "content/bundle.hpp"

#include "bundle_codec.hpp"
#include "test_support.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <iterator>

using namespace kohtaamo;
using namespace kohtaamo::test;
using nlohmann::json;

namespace doctest {
template <>
struct StringMaker<BundleProblem> {
    static String convert(const BundleProblem& problem) { return (problem.path + ": " + problem.message).c_str(); }
};
} // namespace doctest

namespace {

json minimalPlace(std::string id)
{
    return {{"id", std::move(id)}, {"kind", "library"}, {"name", {{"fi", "Kirjasto"}}}};
}

json minimalService(std::string id)
{
    return {{"id", std::move(id)}, {"category", "neuvola"}, {"name", {{"fi", "Neuvola"}}}};
}

json minimalEvent(std::string id)
{
    return {{"id", std::move(id)},
            {"category", "club"},
            {"title", {{"fi", "Satutunti"}}},
            {"schedule", {{"start", "2026-01-13T09:30"}}}};
}

json minimalAnnouncement(std::string id)
{
    return {{"id", std::move(id)}, {"title", {{"fi", "Tervetuloa"}}}};
}

json bundleJson()
{
    return {{"format", "kohtaamo-bundle"}, {"version", 1}};
}

std::vector<BundleProblem> problemsOfText(std::string_view text)
{
    auto result = readBundle(text, "test");
    REQUIRE_MESSAGE(!result.has_value(), "expected the bundle to be refused: " << text);
    return result.error();
}

std::vector<BundleProblem> problemsOf(const json& document) { return problemsOfText(document.dump()); }

// The one problem a bundle has; its path must be exact.
BundleProblem onlyProblem(const json& document)
{
    const auto problems = problemsOf(document);
    REQUIRE(problems.size() == 1);
    return problems.front();
}

std::string listOf(const std::vector<BundleProblem>& problems)
{
    std::string text;
    for (const auto& problem : problems) text += problem.path + ": " + problem.message + "\n";
    return text;
}

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

SourceContent richContent()
{
    SourceContent content;

    Place centre;
    centre.id = "kp-perhekeskus";
    centre.kind = PlaceKind::FamilyCentre;
    centre.name = {{"fi", "Kalliopuiston perhekeskus"}, {"sv", "Familjecentret i Bergparken"}, {"en", "Kalliopuisto Family Centre"}};
    centre.description = {{"fi", "Neuvolat ja perhetyö samassa talossa.\nSisäänkäynti pihan puolelta."}};
    centre.address = Address{{{"fi", "Puistokatu 4"}, {"sv", "Parkgatan 4"}}, "00100", {{"fi", "Helsinki"}, {"sv", "Helsingfors"}}};
    centre.location = GeoPoint{60.169857, 24.938379};
    centre.contact = Contact{"+358 9 310 12345", "perhekeskus@example.fi", "https://example.fi/perhekeskus"};
    centre.accessibility = {{"fi", "Esteetön sisäänkäynti.\nHissi 2. kerrokseen."}};
    WeeklyHours autumn{days({1, 3}), hm(9), hm(12), 0, HoursKind::DropIn, day("2026-08-10"), day("2026-12-18"),
                       LocalizedText{{"fi", "Syyskausi"}}};
    WeeklyHours friday{days({5}), hm(20), hm(2), 1, HoursKind::Regular, std::nullopt, std::nullopt, {}};
    WeeklyHours weekendShift{days({6}), hm(8), hm(16), 2, HoursKind::Regular, day("2026-01-01"), std::nullopt, {}};
    WeeklyHours tuesday{days({2}), hm(12, 30), hm(24), 0, HoursKind::Regular, std::nullopt, std::nullopt, {}};
    centre.hours.weekly = {autumn, friday, weekendShift, tuesday};
    centre.hours.exceptions = {
        HoursException{day("2026-12-24"), day("2026-12-26"), true, {}, LocalizedText{{"fi", "Joulunpyhät: suljettu"}}},
        HoursException{day("2026-12-31"), day("2026-12-31"), false,
                       {TimeBlock{hm(9), hm(12), HoursKind::Regular}, TimeBlock{hm(13), hm(15), HoursKind::DropIn}},
                       LocalizedText{{"fi", "Uudenvuodenaatto"}}},
        HoursException{day("2026-06-19"), day("2026-06-19"), false, {}, LocalizedText{{"fi", "Juhannusaattona suljetaan aiemmin"}}},
    };
    centre.hours.byAppointment = true;
    centre.hours.notes = {{"fi", "Muina aikoina ajanvarauksella."}, {"en", "Other times by appointment."}};
    content.places.push_back(centre);

    Place meetingPlace;
    meetingPlace.id = "kp-kohtaamispaikka";
    meetingPlace.kind = PlaceKind::MeetingPlace;
    meetingPlace.name = {{"fi", "Perhekahvila Pesä"}};
    meetingPlace.parentId = "kp-perhekeskus";
    meetingPlace.hours.alwaysOpen = true;
    content.places.push_back(meetingPlace);

    Service service;
    service.id = "kp-neuvola";
    service.category = ServiceCategory::Neuvola;
    service.name = {{"fi", "Lastenneuvola"}, {"sv", "Barnrådgivning"}};
    service.summary = {{"fi", "Terveystarkastukset ja rokotukset alle kouluikäisille."}};
    service.description = {{"fi", "Neuvolassa seurataan lapsen kasvua.\nAjanvaraus puhelimitse."}};
    service.audience = Audience{0, 6, true};
    service.languages = {"fi", "sv", "en"};
    service.cost = Cost{true, {{"fi", "Maksuton"}}};
    service.organisationKind = OrganisationKind::Ngo;
    service.organisationName = {{"fi", "Perheyhdistys ry"}};
    service.placeIds = {"kp-perhekeskus", "kp-kohtaamispaikka"};
    service.contact = Contact{"+358 9 310 00000", "", "http://example.fi/neuvola"};
    OpeningHours serviceHours;
    serviceHours.weekly = {WeeklyHours{days({1, 2, 3, 4, 5}), hm(8), hm(16), 0, HoursKind::Regular, {}, {}, {}}};
    service.hoursAtPlaces = {ServiceHoursAtPlace{"kp-perhekeskus", serviceHours}};
    content.services.push_back(service);

    Service minimal;
    minimal.id = "kp-kriisi";
    minimal.category = ServiceCategory::CrisisHelp;
    minimal.name = {{"fi", "Kriisiapu"}};
    minimal.audience = Audience{std::nullopt, 17, false};
    minimal.cost = Cost{false, {}};
    content.services.push_back(minimal);

    Event group = weeklyEvent("kp-vauvaryhma", "2026-01-13T09:30", 90, "FREQ=WEEKLY;BYDAY=TU;UNTIL=20260526T210000Z");
    group.description = {{"fi", "Vauvaryhmä alle 1-vuotiaille.\nOta oma alusta mukaan."}};
    group.placeId = "kp-perhekeskus";
    group.locationText = {{"fi", "2. krs, ryhmätila"}};
    group.audience = Audience{0, 1, true};
    group.languages = {"fi", "uk"};
    group.registration = Registration::Required;
    group.cost = Cost{false, {{"fi", "5 € / kerta"}}};
    group.url = "https://example.fi/vauvaryhma";
    group.schedule.exdates = {local("2026-02-24T09:30")};
    group.schedule.rdates = {local("2026-06-02T09:30")};
    group.schedule.overrides = {
        OccurrenceOverride{local("2026-03-10T09:30"), local("2026-03-11T09:30"), std::nullopt, std::nullopt,
                           LocalizedText{{"fi", "Vauvaryhmä (huom. keskiviikkona)"}}},
        OccurrenceOverride{local("2026-04-07T09:30"), std::nullopt, std::nullopt, EventStatus::Cancelled, {}},
        OccurrenceOverride{local("2026-04-14T09:30"), std::nullopt, Minutes{60}, EventStatus::Rescheduled, {}},
    };
    content.events.push_back(group);

    Event camp;
    camp.id = "kp-leiri";
    camp.category = EventCategory::Other;
    camp.title = {{"fi", "Perheleiri"}};
    camp.schedule.start = LocalDateTime{day("2026-07-06")};
    camp.schedule.duration = Minutes{3 * 24 * 60};
    camp.schedule.allDay = true;
    camp.schedule.rrule = "FREQ=YEARLY";
    camp.schedule.exdates = {LocalDateTime{day("2027-07-05")}};
    camp.schedule.overrides = {OccurrenceOverride{LocalDateTime{day("2028-07-03")}, LocalDateTime{day("2028-07-10")},
                                                  std::nullopt, std::nullopt, {}}};
    content.events.push_back(camp);

    Event info;
    info.id = "kp-info";
    info.category = EventCategory::Info;
    info.title = {{"sv", "Infotillfälle"}};
    info.status = EventStatus::Cancelled;
    info.schedule.start = local("2026-03-02T18:00");
    info.schedule.timeZone = "Europe/Stockholm";
    content.events.push_back(info);

    Announcement notice;
    notice.id = "kp-tiedote";
    notice.title = {{"fi", "Joulun aukioloajat"}, {"sv", "Öppettider under julen"}};
    notice.body = {{"fi", "Perhekeskus on suljettu 24.–26.12.\nHyvää joulua!"}};
    notice.validFrom = at("2026-12-01T08:00");
    notice.validUntil = at("2026-12-27T00:00+02:00");
    notice.placeId = "kp-perhekeskus";
    content.announcements.push_back(notice);

    Announcement everywhere;
    everywhere.id = "kaikille";
    everywhere.title = {{"en", "Welcome"}};
    everywhere.validFrom = at("2026-06-01T12:00:00Z");
    content.announcements.push_back(everywhere);
    return content;
}

template <class Record>
void expectProvenance(std::vector<Record>& records, const std::string& sourceId)
{
    for (auto& record : records) record.provenance = Provenance{sourceId, record.id, std::nullopt};
}

} // namespace

TEST_CASE("a minimal bundle reads as empty content, and records get their provenance")
{
    auto empty = readBundle(R"({"format": "kohtaamo-bundle", "version": 1})", "demo");
    REQUIRE(empty.has_value());
    CHECK(empty->itemCount() == 0);

    auto document = bundleJson();
    document["places"] = {minimalPlace("p1")};
    document["events"] = {minimalEvent("e1")};
    document["x-future-field"] = {{"anything", true}};
    document["places"][0]["x-unknown"] = 42;
    auto content = readBundle(document.dump(), "demo");
    REQUIRE_MESSAGE(content.has_value(), listOf(content.error()));
    REQUIRE(content->places.size() == 1);
    CHECK(content->places[0].provenance.sourceId == "demo");
    CHECK(content->places[0].provenance.upstreamId == "p1");
    CHECK(content->places[0].kind == PlaceKind::Library);
    CHECK(content->places[0].name.exactly("fi") == "Kirjasto");
    REQUIRE(content->events.size() == 1);
    CHECK(content->events[0].provenance.upstreamId == "e1");
    CHECK(content->events[0].schedule.start == local("2026-01-13T09:30"));
    CHECK(content->events[0].schedule.duration == Minutes{0});
    CHECK(content->events[0].schedule.timeZone == "Europe/Helsinki");
    CHECK(content->events[0].status == EventStatus::Scheduled);
}

TEST_CASE("a rich bundle survives writing and reading back unchanged")
{
    const auto original = richContent();
    const auto text = writeBundle(original);
    auto read = readBundle(text, "region");
    REQUIRE_MESSAGE(read.has_value(), listOf(read.error()) << text);

    auto expected = original;
    expectProvenance(expected.places, "region");
    expectProvenance(expected.services, "region");
    expectProvenance(expected.events, "region");
    expectProvenance(expected.announcements, "region");
    CHECK(read->places == expected.places);
    CHECK(read->services == expected.services);
    CHECK(read->events == expected.events);
    CHECK(read->announcements == expected.announcements);
    CHECK(writeBundle(*read) == text);
}

TEST_CASE("the written bundle is pretty-printed UTF-8 and compact about defaults")
{
    const auto text = writeBundle(richContent());
    CHECK(text.starts_with("{\n  \""));
    CHECK(contains(text, "\"Kalliopuiston perhekeskus\""));
    CHECK(contains(text, "Öppettider"));
    CHECK_FALSE(contains(text, "\\u00"));

    const auto document = json::parse(text);
    CHECK(document["format"] == "kohtaamo-bundle");
    CHECK(document["version"] == 1);
    const auto& meetingPlace = document["places"][1];
    CHECK(meetingPlace.size() == 5);   // id, kind, name, parent, hours
    CHECK(meetingPlace["hours"] == json{{"always_open", true}});
    const auto& friday = document["places"][0]["hours"]["weekly"][1];
    CHECK_FALSE(friday.contains("close_day_offset"));   // implied by close <= open
    CHECK_FALSE(friday.contains("kind"));
    CHECK(document["places"][0]["hours"]["weekly"][2]["close_day_offset"] == 2);
    CHECK(document["places"][0]["hours"]["exceptions"][1]["date"] == "2026-12-31");
    const auto& camp = document["events"][1]["schedule"];
    CHECK(camp["start"] == "2026-07-06");
    CHECK(camp["end"] == "2026-07-08");   // three days, end inclusive
    CHECK(camp["exdates"] == json{"2027-07-05"});
    const auto& info = document["events"][2];
    CHECK_FALSE(info["schedule"].contains("end"));
    CHECK(info["schedule"]["timezone"] == "Europe/Stockholm");
    CHECK(document["events"][0]["schedule"]["end"] == "2026-01-13T11:00");
    CHECK_FALSE(document["events"][0]["schedule"].contains("timezone"));
    CHECK(document["announcements"][0]["valid_from"] == "2026-12-01T08:00+02:00");
}

TEST_CASE("schedules: end, duration_minutes, all-day dates and timezones")
{
    auto document = bundleJson();
    document["events"] = {minimalEvent("a"), minimalEvent("b"), minimalEvent("c"), minimalEvent("d")};
    document["events"][0]["schedule"]["end"] = "2026-01-13T11:00";
    document["events"][1]["schedule"]["duration_minutes"] = 45;
    document["events"][2]["schedule"] = {{"start", "2026-05-01"}, {"end", "2026-05-01"}, {"all_day", true},
                                         {"rdates", {"2026-05-08", "2026-05-15T00:00"}}};
    document["events"][3]["schedule"]["timezone"] = "America/New_York";
    document["events"][3]["schedule"]["rrule"] = "RRULE:FREQ=DAILY;COUNT=3";
    auto content = readBundle(document.dump(), "s");
    REQUIRE_MESSAGE(content.has_value(), listOf(content.error()));
    CHECK(content->events[0].schedule.duration == Minutes{90});
    CHECK(content->events[1].schedule.duration == Minutes{45});
    CHECK(content->events[2].schedule.allDay);
    CHECK(content->events[2].schedule.start == LocalDateTime{day("2026-05-01")});
    CHECK(content->events[2].schedule.duration == Minutes{24 * 60});
    CHECK(content->events[2].schedule.rdates ==
          std::vector<LocalDateTime>{LocalDateTime{day("2026-05-08")}, LocalDateTime{day("2026-05-15")}});
    CHECK(content->events[3].schedule.timeZone == "America/New_York");
    CHECK(content->events[3].schedule.rrule == "FREQ=DAILY;COUNT=3");
}

TEST_CASE("hours: close_day_offset defaults from open and close; exceptions take date or from + to")
{
    auto document = bundleJson();
    auto place = minimalPlace("p");
    place["hours"] = {{"weekly",
                       {{{"days", {"fr"}}, {"open", "20:00"}, {"close", "02:00"}},
                        {{"days", {"mo", "su"}}, {"open", "09:00"}, {"close", "24:00"}},
                        {{"days", {"sa"}}, {"open", "09:00"}, {"close", "09:00"}}}},
                      {"exceptions",
                       {{{"from", "2026-12-24"}, {"to", "2026-12-26"}, {"closed", true}},
                        {{"date", "2026-12-31"}, {"blocks", {{{"open", "09:00"}, {"close", "12:00"}, {"kind", "dropin"}}}}}}}};
    document["places"] = {place};
    auto content = readBundle(document.dump(), "s");
    REQUIRE_MESSAGE(content.has_value(), listOf(content.error()));
    const auto& hours = content->places[0].hours;
    REQUIRE(hours.weekly.size() == 3);
    CHECK(hours.weekly[0].closeDayOffset == 1);
    CHECK(hours.weekly[1].closeDayOffset == 0);
    CHECK(hours.weekly[1].weekdays == days({1, 7}));
    CHECK(hours.weekly[1].close == hm(24));
    CHECK(hours.weekly[2].closeDayOffset == 1);
    REQUIRE(hours.exceptions.size() == 2);
    CHECK(hours.exceptions[0].from == day("2026-12-24"));
    CHECK(hours.exceptions[0].to == day("2026-12-26"));
    CHECK(hours.exceptions[0].closed);
    CHECK(hours.exceptions[1].from == hours.exceptions[1].to);
    CHECK(hours.exceptions[1].blocks == std::vector<TimeBlock>{TimeBlock{hm(9), hm(12), HoursKind::DropIn}});
}

TEST_CASE("hours problems: contradictory offsets, ranges and blocks")
{
    auto document = bundleJson();
    auto place = minimalPlace("p");
    place["hours"] = {{"weekly",
                       {{{"days", json::array()}, {"open", "09:00"}, {"close", "12:00"}},
                        {{"days", {"tu"}}, {"open", "24:00"}, {"close", "24:00"}},
                        {{"days", {"we"}}, {"open", "20:00"}, {"close", "02:00"}, {"close_day_offset", 0}},
                        {{"days", {"th"}}, {"open", "08:00"}, {"close", "10:00"}, {"close_day_offset", 7}},
                        {{"days", {"fr"}}, {"open", "08:00"}, {"close", "10:00"}, {"from", "2026-05-01"}, {"to", "2026-04-30"}}}},
                      {"exceptions",
                       {{{"date", "2026-12-24"}, {"from", "2026-12-24"}, {"to", "2026-12-26"}},
                        {{"from", "2026-12-24"}},
                        {{"closed", true}, {"date", "2026-12-31"}, {"blocks", {{{"open", "09:00"}, {"close", "12:00"}}}}},
                        {{"note", {{"fi", "Ilman päivää"}}}}}}};
    document["places"] = {place};
    const auto problems = problemsOf(document);
    const std::vector<BundleProblem> expected{
        {"$.places[0].hours.weekly[0].days", "is empty (expected at least one weekday)"},
        {"$.places[0].hours.weekly[1].open", R"("24:00" is only valid as a closing time)"},
        {"$.places[0].hours.weekly[2].close", R"("02:00" is before open "20:00" on the same day (close_day_offset is 0))"},
        {"$.places[0].hours.weekly[3].close_day_offset", "7 is out of range (expected 0–6)"},
        {"$.places[0].hours.weekly[4].to", R"("2026-04-30" is before from "2026-05-01")"},
        {"$.places[0].hours.exceptions[0].date", "give either date or from + to, not both"},
        {"$.places[0].hours.exceptions[1].to", R"(missing (required: a date string "YYYY-MM-DD"))"},
        {"$.places[0].hours.exceptions[2].blocks", R"(a closed exception has no opening blocks (remove "blocks" or "closed"))"},
        {"$.places[0].hours.exceptions[3].date", R"(missing (required: a date "YYYY-MM-DD", or "from" and "to"))"},
    };
    CHECK_MESSAGE(problems == expected, listOf(problems));
}

TEST_CASE("language codes may carry subtags, as Linked Events' zh_hans does; urls may hold non-ASCII letters")
{
    auto document = bundleJson();
    auto event = minimalEvent("e");
    event["title"] = {{"fi", "Satutunti"}, {"zh_hans", "故事时间"}, {"pt-BR", "Hora do conto"}};
    event["languages"] = {"fi", "zh_hans", "sme"};
    event["url"] = "https://example.fi/tapahtumat/päiväkerho";
    document["events"] = {event};
    auto content = readBundle(document.dump(), "s");
    REQUIRE_MESSAGE(content.has_value(), listOf(content.error()));
    CHECK(content->events[0].title.exactly("zh_hans") == "故事时间");
    CHECK(content->events[0].languages == std::vector<std::string>{"fi", "zh_hans", "sme"});

    for (const char* bad : {"FI", "f", "fi-", "fi_toolongsubtag", "1fi"}) {
        document["events"][0]["title"] = {{"fi", "Satutunti"}, {bad, "x"}};
        CHECK_MESSAGE(onlyProblem(document).message.ends_with(R"(is not a language code (expected a BCP 47 code such as "fi", "sv" or "en"))"),
                      bad);
    }
    document["events"][0]["title"] = {{"fi", "Satutunti"}};
    document["events"][0]["url"] = "https://example.fi/a b";
    CHECK(onlyProblem(document).path == "$.events[0].url");
}

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

TEST_CASE("texts are sanitised: control and bidi characters removed, trimmed, capped by code points")
{
    std::string longTitle;
    for (int i = 0; i < 250; ++i) longTitle += "ä";
    std::string longBody(5000, 'x');

    auto document = bundleJson();
    auto event = minimalEvent("e");
    event["title"] = {{"fi", "  Vauva\u202Eryhmä\u2066!\u2069\x01\u0085  "}, {"sv", longTitle}, {"en", "\t\n "}};
    event["description"] = {{"fi", "Rivi 1\r\nRivi 2\x07\tloppu\n"}, {"sv", longBody}};
    event["location_text"] = {{"fi", "2. krs\nryhmätila"}};
    document["events"] = {event};
    auto content = readBundle(document.dump(), "s");
    REQUIRE_MESSAGE(content.has_value(), listOf(content.error()));
    const auto& read = content->events[0];
    CHECK(read.title.exactly("fi") == "Vauvaryhmä!");
    CHECK(read.title.exactly("sv").size() == 400);   // 200 two-byte code points, none cut in half
    CHECK(read.title.exactly("sv") == longTitle.substr(0, 400));
    CHECK(read.title.exactly("en").empty());         // nothing left: the language is dropped
    CHECK(read.description.exactly("fi") == "Rivi 1\nRivi 2 loppu");
    CHECK(read.description.exactly("sv").size() == 4000);
    CHECK(read.locationText.exactly("fi") == "2. krs ryhmätila");

    // Ids are compared exactly, so they are refused rather than cleaned.
    document["events"][0]["id"] = "e\u202E";
    CHECK(onlyProblem(document) == BundleProblem{"$.events[0].id", "\"e\u202E\" contains a control character (not allowed in an id)"});
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

TEST_CASE("the demo region bundle is valid and complete")
{
    const std::string path = KOHTAAMO_SOURCE_DIR "/assets/demo/demo-region.json";
    std::ifstream file(path, std::ios::binary);
    REQUIRE_MESSAGE(file.good(), "cannot open " << path);
    const std::string text{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
    auto content = readBundle(text, "demo");
    REQUIRE_MESSAGE(content.has_value(), bundleError("demo-region.json", content.error()).message);
    CHECK(content->places.size() >= 10);
    CHECK(content->services.size() >= 40);
    CHECK(content->events.size() >= 60);
    CHECK(content->announcements.size() == 2);

    // The store keeps records in this format, so real content must survive a write and a read.
    auto again = readBundle(writeBundle(*content), "demo");
    REQUIRE_MESSAGE(again.has_value(), bundleError("rewritten demo-region.json", again.error()).message);
    CHECK(*again == *content);
}
