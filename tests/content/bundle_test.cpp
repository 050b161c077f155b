#include "content/bundle.hpp"

#include "bundle_codec.hpp"
#include "bundle_test_support.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iterator>

using namespace kohtaamo;
using namespace kohtaamo::test;
using nlohmann::json;

namespace {

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

TEST_CASE("conformRecord holds a record to the same rules as a write and a read, without the text")
{
    Event messy;
    messy.id = "iltapäivä";
    messy.title = LocalizedText{{"fi", "  Vauva\u202Eryhmä\r\n"}, {"sv", std::string(500, 'x')}};
    messy.description = LocalizedText{{"fi", "Rivi 1\r\nRivi 2\t loppu\x01"}};
    messy.schedule.start = LocalDateTime{date::local_days{date::year{2026} / 3 / 10}};
    messy.url = "https://example.fi/ryhmä";
    messy.provenance = {.sourceId = "ical", .upstreamId = "uid-1@example.fi"};
    SourceContent content;
    content.events = {messy};

    auto viaText = readBundle(writeBundle(content), "ical");
    REQUIRE_MESSAGE(viaText.has_value(), listOf(viaText.error()));
    auto inMemory = conformRecord(messy, "$.events[0]");
    REQUIRE_MESSAGE(inMemory.has_value(), listOf(inMemory.error()));
    CHECK(inMemory->provenance == messy.provenance);   // kept, where readBundle sets its own
    inMemory->provenance = viaText->events[0].provenance;
    CHECK(*inMemory == viaText->events[0]);
    CHECK(inMemory->title.exactly("fi") == "Vauvaryhmä");

    // A record the format cannot hold gives the problems the bundle would have, at the same paths.
    messy.audience.minAge = 500;
    messy.id = "bad\u202E";
    content.events = {messy};
    auto refusedAsText = readBundle(writeBundle(content), "ical");
    REQUIRE_FALSE(refusedAsText.has_value());
    auto refused = conformRecord(messy, "$.events[0]");
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error() == refusedAsText.error());
    CHECK(refused.error().size() == 2);
}

TEST_CASE("conformRecord leaves the demo region's records as they are")
{
    const std::string path = KOHTAAMO_SOURCE_DIR "/assets/demo/demo-region.json";
    std::ifstream file(path, std::ios::binary);
    const std::string text{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
    auto content = readBundle(text, "demo");
    REQUIRE(content.has_value());
    const auto same = [](const auto& records, std::string_view list) {
        for (std::size_t i = 0; i < records.size(); ++i) {
            auto conformed = conformRecord(records[i], fmt::format("$.{}[{}]", list, i));
            REQUIRE_MESSAGE(conformed.has_value(), listOf(conformed.error()));
            CHECK(*conformed == records[i]);
        }
    };
    same(content->places, "places");
    same(content->services, "services");
    same(content->events, "events");
    same(content->announcements, "announcements");
}

TEST_CASE("parentLoops names each place on a loop and nothing else")
{
    const auto place = [](std::string id, std::string parent) {
        return Place{.id = std::move(id), .name = LocalizedText{{"fi", "Paikka"}}, .parentId = std::move(parent)};
    };
    const auto loops = parentLoops({place("talo", ""), place("a", "b"), place("b", "a"), place("c", "a"),
                                    place("itse", "itse"), place("orpo", "ei-täällä")});
    REQUIRE(loops.size() == 3);
    CHECK(loops[0].place == 1);
    CHECK(loops[0].problem == BundleProblem{"$.places[1].parent", "the parent chain loops back to \"a\" (a → b → a)"});
    CHECK(loops[1].place == 2);
    CHECK(loops[2].place == 4);
}
