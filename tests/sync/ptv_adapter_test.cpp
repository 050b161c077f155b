#include "sync/ptv_adapter.hpp"

#include "ptv_json.hpp"
#include "sync_test_support.hpp"

#include "content/opening_hours.hpp"

#include <doctest/doctest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

using namespace kohtaamo;
using namespace std::chrono_literals;
using json = nlohmann::json;

namespace {

std::string readFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "cannot open " << path);
    std::stringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

std::string fixture(std::string_view name) { return readFile(std::string(KOHTAAMO_FIXTURES_DIR "/ptv/") + std::string(name)); }
json templateJson(std::string_view name)
{
    return json::parse(readFile(std::string(KOHTAAMO_SOURCE_DIR "/tests/sync/data/ptv/") + std::string(name)));
}

std::string problemsText(const ParsedFeed& feed)
{
    std::string text;
    for (const auto& problem : feed.problems) text += problem.location + ": " + problem.message + "\n";
    return text;
}

PtvOptions options()
{
    PtvOptions result;
    result.municipalities = {"905"};
    return result;
}

ParsedFeed parse(const std::vector<std::string>& documents, const PtvOptions& settings = options())
{
    std::vector<std::string_view> views(documents.begin(), documents.end());
    auto feed = parsePtv(views, settings, "ptv");
    REQUIRE_MESSAGE(feed.has_value(), (feed ? "" : feed.error().message));
    return std::move(*feed);
}

const Place& placeById(const ParsedFeed& feed, std::string_view id)
{
    const auto it = std::find_if(feed.content.places.begin(), feed.content.places.end(), [&](const Place& p) { return p.id == id; });
    REQUIRE_MESSAGE(it != feed.content.places.end(), "no place " << id);
    return *it;
}

const Service& serviceById(const ParsedFeed& feed, std::string_view id)
{
    const auto it = std::find_if(feed.content.services.begin(), feed.content.services.end(), [&](const Service& s) { return s.id == id; });
    REQUIRE_MESSAGE(it != feed.content.services.end(), "no service " << id);
    return *it;
}

Instant at(std::string_view text) { return *parseInstant(text, TimeZone::helsinki()); }

// Every open interval in [from, to) as "start end" in Helsinki time with offsets, as the kiosk lists them.
std::vector<std::string> openings(const OpeningHours& hours, std::string_view from, std::string_view to)
{
    std::vector<std::string> result;
    for (const auto& interval : openingsBetween(hours, at(from), at(to))) {
        result.push_back(formatIso(interval.start, TimeZone::helsinki()) + " " + formatIso(interval.end, TimeZone::helsinki()));
    }
    return result;
}

OpeningHours hoursOf(std::string_view serviceHoursJson, std::vector<std::string>* problemsOut = nullptr)
{
    std::vector<std::string> problems;
    auto hours = ptv::serviceHours(json::parse(serviceHoursJson), ptv::LanguageFilter({}), problems);
    if (problemsOut) *problemsOut = problems;
    else CHECK_MESSAGE(problems.empty(), problems.front());
    return hours;
}

bool near(double a, double b, double tolerance = 1e-6) { return std::abs(a - b) <= tolerance; }

} // namespace

// ---- Coordinates ------------------------------------------------------------------------------

TEST_CASE("PTV coordinates: ETRS-TM35FIN (EPSG:3067) to WGS84 on known points")
{
    // Helsinki cathedral, 60.1704 N 24.9522 E. (Its grid point is N 6672150, E 386379; the often quoted
    // N 6672905 / E 385950 lies about 0.9 km away, at 60.1771 N 24.9441 E.)
    auto cathedral = etrsTm35finToWgs84(6672150.2225, 386378.5766);
    REQUIRE(cathedral);
    CHECK(near(cathedral->lat, 60.1704));
    CHECK(near(cathedral->lon, 24.9522));
    const auto quoted = etrsTm35finToWgs84(6672905, 385950);
    REQUIRE(quoted);
    CHECK(near(quoted->lat, 60.1770533));
    CHECK(near(quoted->lon, 24.9440582));

    // Reference values from an independent (Snyder) inverse; fixture points in Vaasa and Kuopio.
    const auto vaasa = etrsTm35finToWgs84(7008058.826, 228243.687);
    REQUIRE(vaasa);
    CHECK(near(vaasa->lat, 63.0992880));
    CHECK(near(vaasa->lon, 21.6119067));
    const auto kuopio = etrsTm35finToWgs84(6974202.909, 534246.773);
    REQUIRE(kuopio);
    CHECK(near(kuopio->lat, 62.8961951));
    CHECK(near(kuopio->lon, 27.6737294));
    const auto meridian = etrsTm35finToWgs84(7776000, 500000);
    REQUIRE(meridian);
    CHECK(near(meridian->lat, 70.0908093));
    CHECK(near(meridian->lon, 27.0));

    CHECK_FALSE(etrsTm35finToWgs84(0, 0));
    CHECK_FALSE(etrsTm35finToWgs84(60.17, 24.95));   // WGS84 degrees passed by mistake
    CHECK_FALSE(etrsTm35finToWgs84(std::nan(""), 385950));
}

// ---- The real payloads in ../shared/fixtures/ptv -----------------------------------------------

TEST_CASE("PTV fixture: early-childhood guidance in fi/sv/en with two concurrent weekly blocks and no geocode")
{
    const auto feed = parse({fixture("v8_servicelocation_early_childhood_guidance_fi_sv_en.json")});
    INFO(problemsText(feed));
    CHECK(feed.problems.empty());
    REQUIRE(feed.content.places.size() == 1);
    const Place& place = feed.content.places.front();
    CHECK(place.id == "7742a6b3-5aba-4af4-9772-b2b5bdefac30");
    CHECK(place.provenance.upstreamModified == at("2018-05-24T12:57:02Z"));
    CHECK(place.name.exactly("fi") == "Varhaiskasvatuksen palveluohjaus");
    CHECK(place.name.exactly("sv") == "Servicehandledning inom småbarnspedagogiken");
    CHECK(place.name.exactly("en") == "Service coordination within early childhood education");
    CHECK(place.description.exactly("fi").starts_with("Varhaiskasvatuksen palveluohjaus neuvoo perheitä"));
    // The address's own note says where in the building.
    CHECK(place.description.exactly("fi").ends_with("Varhaiskasvatuksen ja perusopetuksen hallinto, 1 krs."));
    CHECK(place.description.exactly("sv").find("* Kommunal småbarnspedagogik") != std::string_view::npos);
    // "Raastuvankatu 29" already carries its number; "VAASA" is shown as a name.
    CHECK(place.address.street.exactly("fi") == "Raastuvankatu 29");
    CHECK(place.address.street.exactly("sv") == "Rådhusgatan 29");
    CHECK(place.address.postalCode == "65300");
    CHECK(place.address.city.exactly("fi") == "Vaasa");
    CHECK(place.address.city.exactly("sv") == "Vasa");
    CHECK_FALSE(place.location.has_value());   // "0"/"0", coordinateState NotReceived
    CHECK(place.contact.phone == "+35863252552");
    CHECK(place.contact.email == "varhaiskasvatus.palveluohjaus@vaasa.fi");
    CHECK(place.contact.url == "https://vaasa.fi/varhaiskasvatuksen-palveluohjaus");

    // Calling times and visiting times are both listed, each with its heading; the undated
    // 00:00–00:00 exception carries nothing.
    REQUIRE(place.hours.weekly.size() == 2);
    CHECK(place.hours.weekly[0].weekdays == 0b0011111);
    CHECK(place.hours.weekly[0].note.exactly("fi") == "Palveluohjauksen puhelinajat");
    CHECK(place.hours.weekly[1].note.exactly("sv") == "Servicehandledningen är anträffbar enligt öppethållningstider:");
    CHECK(place.hours.exceptions.empty());
    CHECK(place.hours.notes.empty());
    // The spring DST change (Sunday 29 March 2026) falls between Friday and Monday.
    CHECK(openings(place.hours, "2026-03-27T00:00", "2026-03-31T00:00") ==
          std::vector<std::string>{"2026-03-27T08:00:00+02:00 2026-03-27T16:00:00+02:00",
                                   "2026-03-27T08:00:00+02:00 2026-03-27T15:00:00+02:00",
                                   "2026-03-30T08:00:00+03:00 2026-03-30T16:00:00+03:00",
                                   "2026-03-30T08:00:00+03:00 2026-03-30T15:00:00+03:00"});
}

TEST_CASE("PTV fixture: seasonal hours (summer and winter blocks) and an undated exceptional note")
{
    const auto feed = parse({fixture("v8_servicelocation_citizen_info_seasonal_hours.json")});
    INFO(problemsText(feed));
    CHECK(feed.problems.empty());
    REQUIRE(feed.content.places.size() == 1);
    const Place& place = feed.content.places.front();
    CHECK(place.name.exactly("fi") == "Yhteispalvelu Vaasa - Kansalaisinfo");
    REQUIRE(place.location);
    CHECK(near(place.location->lat, 63.0992880));
    CHECK(near(place.location->lon, 21.6119067));
    CHECK(place.address.street.exactly("fi") == "Kirjastonkatu 13");
    CHECK(place.hours.notes.exactly("fi") == "Juhlapäivinä ja aattoina noudatamme kirjaston poikkeuksellisia aukioloaikoja.");

    REQUIRE(place.hours.weekly.size() == 3);
    CHECK(place.hours.weekly[0].validFrom == parseDate("2018-05-01"));
    CHECK(place.hours.weekly[0].validTo == parseDate("2018-08-31"));
    CHECK(place.hours.weekly[0].note.exactly("fi") == "kesäaikana 1.5. - 31.8.2018");
    // The week summer turns into winter: Friday 31 August is the last summer day (inclusive).
    CHECK(openings(place.hours, "2018-08-30T00:00", "2018-09-05T00:00") ==
          std::vector<std::string>{"2018-08-30T10:00:00+03:00 2018-08-30T16:15:00+03:00",
                                   "2018-08-31T10:00:00+03:00 2018-08-31T16:15:00+03:00",
                                   "2018-09-03T08:00:00+03:00 2018-09-03T16:15:00+03:00",
                                   "2018-09-04T08:00:00+03:00 2018-09-04T17:00:00+03:00"});
    // Winter hours across the autumn DST change (Sunday 28 October 2018).
    CHECK(openings(place.hours, "2018-10-26T00:00", "2018-10-30T00:00") ==
          std::vector<std::string>{"2018-10-26T08:00:00+03:00 2018-10-26T16:15:00+03:00",
                                   "2018-10-29T08:00:00+02:00 2018-10-29T16:15:00+02:00"});
    const auto notes = notesOn(place.hours, *parseDate("2018-07-02"));
    REQUIRE(notes.size() == 1);
    CHECK(notes.front()->exactly("fi") == "kesäaikana 1.5. - 31.8.2018");
}

TEST_CASE("PTV fixture: a library with only an exceptional closed range")
{
    const auto feed = parse({fixture("v8_servicelocation_library_exceptional_only.json")});
    INFO(problemsText(feed));
    CHECK(feed.problems.empty());
    REQUIRE(feed.content.places.size() == 1);
    const Place& place = feed.content.places.front();
    CHECK(place.kind == PlaceKind::Library);
    CHECK(place.name.exactly("sv") == "Merikart bibliotek");
    CHECK(place.address.city.exactly("fi") == "Merikaarto");
    CHECK(place.contact.url == "https://kirjasto.vaasa.fi/fi/library-page/merikaarron-kirjasto");
    CHECK(place.contact.phone == "+35863258477");
    REQUIRE(place.location);
    CHECK(near(place.location->lat, 63.0702356));
    CHECK(near(place.location->lon, 21.9472333));
    REQUIRE(place.hours.exceptions.size() == 1);
    const HoursException& summer = place.hours.exceptions.front();
    CHECK(summer.closed);
    CHECK(summer.from == *parseDate("2018-06-01"));
    CHECK(summer.to == *parseDate("2018-08-31"));
    CHECK(summer.note.exactly("fi") == "Kesätauko");
    CHECK(place.hours.weekly.empty());
    CHECK(openings(place.hours, "2018-07-02T00:00", "2018-07-09T00:00").empty());
    const auto notes = notesOn(place.hours, *parseDate("2018-08-31"));
    REQUIRE(notes.size() == 1);
    CHECK(notes.front()->exactly("sv") == "Juluppehåll");
}

TEST_CASE("PTV fixture: a v7 phone channel's hours (Standard, Special over several days, Exception) and its contact")
{
    const json channel = json::parse(fixture("v7_phone_channel_standard_special_exception.json"));
    std::vector<std::string> problems;
    const auto hours = ptv::serviceHours(channel["serviceHours"], ptv::LanguageFilter({}), problems);
    CHECK(problems.empty());
    // Standard: three different weekday rows plus the weekend; then Special.
    REQUIRE(hours.weekly.size() == 5);
    CHECK(hours.weekly[3].weekdays == 0b1100000);
    // Special (OverMidnight) Monday 02:15 → Friday "0:45:00", from 6 to 20 April 2017 (the +03:00 is not a shift).
    const auto over = std::find_if(hours.weekly.begin(), hours.weekly.end(), [](const WeeklyHours& w) { return w.closeDayOffset == 4; });
    REQUIRE(over != hours.weekly.end());
    CHECK(over->open == TimeOfDay{2 * 60 + 15});
    CHECK(over->close == TimeOfDay{45});
    CHECK(over->validFrom == parseDate("2017-04-06"));
    CHECK(over->validTo == parseDate("2017-04-20"));
    REQUIRE(hours.exceptions.size() == 3);
    // The single day 5 April 2017 replaces Wednesday's 08:15–16:30 with 01:00–03:00.
    CHECK(openings(hours, "2017-04-05T00:00", "2017-04-06T00:00") ==
          std::vector<std::string>{"2017-04-05T01:00:00+03:00 2017-04-05T03:00:00+03:00"});
    CHECK(openings(hours, "2017-04-10T00:00", "2017-04-11T00:00") ==
          std::vector<std::string>{"2017-04-10T02:15:00+03:00 2017-04-14T00:45:00+03:00",
                                   "2017-04-10T08:00:00+03:00 2017-04-10T16:00:00+03:00"});
    CHECK(openings(hours, "2017-06-12T00:00", "2017-06-19T00:00").empty());   // closed 8–22 June

    // As a contact: a family service linked from the channel's side gets the phone number.
    json service = templateJson("service_family.json");
    service["id"] = "2f21448e-e461-4ad0-a87a-47bcb08e578e";
    const auto feed = parse({fixture("v7_phone_channel_standard_special_exception.json"), service.dump()});
    INFO(problemsText(feed));
    CHECK(feed.content.places.empty());
    REQUIRE(feed.content.services.size() == 1);
    CHECK(feed.content.services.front().contact.phone == "+358503263840");
}

TEST_CASE("PTV fixture: a v11 service for children and families (KR1.2) from Liperi")
{
    const auto text = fixture("v11_service_basic_education_targetgroup_KR1.2.json");
    const auto feed = parse({text});
    INFO(problemsText(feed));
    CHECK(feed.problems.empty());
    REQUIRE(feed.content.services.size() == 1);
    const Service& service = feed.content.services.front();
    CHECK(service.id == "6c00d407-d3fd-4c7e-a373-57be9f3b2cff");
    CHECK(service.name.exactly("fi") == "Yksilöllistetty oppimäärä");
    CHECK(service.summary.exactly("fi").starts_with("Oppimäärää voidaan yksilöllistää"));
    CHECK(service.description.exactly("fi").starts_with("Liperin koulut noudattavat"));
    CHECK(service.languages == std::vector<std::string>{"fi"});
    CHECK(service.organisationName.exactly("fi") == "Liperin kunta");
    CHECK(service.category == ServiceCategory::Other);
    CHECK(service.placeIds.empty());   // its school channels are not in this feed
    CHECK(service.provenance.upstreamModified == at("2019-11-18T12:46:30Z"));

    // Family services by target group or by class (with subclasses), configurable.
    CHECK(isFamilyService(text, options()));
    PtvOptions neuvolaOnly = options();
    neuvolaOnly.targetGroups.clear();
    neuvolaOnly.serviceClasses = {"P5.2"};
    CHECK_FALSE(isFamilyService(text, neuvolaOnly));
    CHECK(parse({text}, neuvolaOnly).content.services.empty());
    neuvolaOnly.serviceClasses = {"P6"};
    CHECK(isFamilyService(text, neuvolaOnly));   // P6.2 is a subclass of P6
    neuvolaOnly.serviceClasses = {"P6.20"};
    CHECK_FALSE(isFamilyService(text, neuvolaOnly));
    CHECK_FALSE(isFamilyService(fixture("v8_servicelocation_library_exceptional_only.json"), options()));
}

TEST_CASE("PTV fixture: a test-environment organisation page with a repeated item, Sámi street names and a placeholder item")
{
    const auto feed = parse({fixture("v11_servicechannel_list_organization_paged_testenv.json")});
    // The repeated id is one place; the Swagger placeholder (type "string") is skipped, named.
    REQUIRE(feed.content.places.size() == 1);
    REQUIRE(feed.problems.size() == 1);
    CHECK(feed.problems.front().location == "channel \"3fa85f64-5717-4562-b3fc-2c963f66afa6\"");
    CHECK(feed.problems.front().message == "unknown serviceChannelType \"string\" (skipped)");
    const Place& place = feed.content.places.front();
    CHECK(place.name.exactly("en") == "One organization location");
    for (const char* language : {"fi", "sv", "en", "se", "smn", "sms"}) {
        CHECK(place.address.street.exactly(language) == "Asemakatu 44");
        CHECK(place.address.city.exactly(language) == "Kuopio");
    }
    REQUIRE(place.location);
    CHECK(near(place.location->lat, 62.8961951));
    CHECK(near(place.location->lon, 27.6737294));

    // Only the languages asked for are kept, but a name is never lost for want of one.
    PtvOptions finnishSwedish = options();
    finnishSwedish.languages = {"fi", "sv"};
    const auto filtered = parse({fixture("v11_servicechannel_list_organization_paged_testenv.json")}, finnishSwedish);
    REQUIRE(filtered.content.places.size() == 1);
    CHECK(filtered.content.places.front().name.exactly("en") == "One organization location");
    CHECK(filtered.content.places.front().address.street.all().size() == 2);
}

TEST_CASE("PTV fixture: the Swagger example with placeholders is reported, not mapped")
{
    const auto feed = parse({fixture("v11_servicelocation_schema_example_placeholders.json")});
    CHECK(feed.content.itemCount() == 0);
    REQUIRE(feed.problems.size() == 1);
    CHECK(feed.problems.front().location == "channel \"3fa85f64-5717-4562-b3fc-2c963f66afa6\"");
}

TEST_CASE("PTV fixture: an empty page has itemList null")
{
    const auto feed = parse({fixture("v8_codelist_postalcodes_page0.json")});
    CHECK(feed.content.itemCount() == 0);
    CHECK(feed.problems.empty());
}

// ---- Hours beyond the fixtures -------------------------------------------------------------------

TEST_CASE("PTV hours: always open, by reservation, notes without dates and null texts")
{
    auto hours = hoursOf(R"([{"serviceHourType": "DaysOfTheWeek", "validFrom": null, "validTo": null, "isClosed": false,
        "validForNow": true, "isAlwaysOpen": true, "isReservation": false,
        "additionalInformation": [{"value": "Päivystys", "language": "fi"}, {"value": null, "language": "sv"}]}])");
    CHECK(hours.alwaysOpen);
    CHECK(hours.notes.exactly("fi") == "Päivystys");
    CHECK(hours.notes.exactly("sv").empty());

    hours = hoursOf(R"([{"serviceHourType": "DaysOfTheWeek", "validFrom": null, "validTo": null, "isClosed": false,
        "validForNow": true, "isAlwaysOpen": false, "isReservation": true,
        "additionalInformation": [{"value": "Ajanvarauksella", "language": "fi"}]}])");
    CHECK(hours.byAppointment);
    CHECK(hours.weekly.empty());
    CHECK(hours.notes.exactly("fi") == "Ajanvarauksella");

    // Always open for one season only: every day, all day, within the dates.
    hours = hoursOf(R"([{"serviceHourType": "DaysOfTheWeek", "validFrom": "2026-06-01T00:00:00", "validTo": "2026-06-02T00:00:00",
        "isClosed": false, "validForNow": false, "isAlwaysOpen": true, "isReservation": false, "additionalInformation": []}])");
    CHECK_FALSE(hours.alwaysOpen);
    CHECK(openings(hours, "2026-05-31T00:00", "2026-06-04T00:00") ==
          std::vector<std::string>{"2026-06-01T00:00:00+03:00 2026-06-02T00:00:00+03:00",
                                   "2026-06-02T00:00:00+03:00 2026-06-03T00:00:00+03:00"});
}

TEST_CASE("PTV hours: over midnight across both DST changes, unpadded times and 24:00")
{
    const auto hours = hoursOf(R"([
        {"serviceHourType": "OverMidnight", "validFrom": null, "validTo": null, "isClosed": false, "validForNow": true,
         "openingHour": [{"dayFrom": "Saturday", "dayTo": "Sunday", "from": "22:00:00", "to": "5:00:00"}]},
        {"serviceHourType": "DaysOfTheWeek", "validFrom": null, "validTo": null, "isClosed": false, "validForNow": true,
         "openingHour": [{"dayFrom": "Friday", "dayTo": "", "from": "9:00:00", "to": "24:00:00"},
                         {"dayFrom": "Thursday", "dayTo": "", "from": "18:00:00", "to": "00:00:00"}]}])");
    REQUIRE(hours.weekly.size() == 3);
    CHECK(hours.weekly[0].closeDayOffset == 1);
    CHECK(hours.weekly[2].close == TimeOfDay{24 * 60});   // Thursday until midnight
    // Spring: the night loses an hour (22:00+02:00 → 05:00+03:00 is six hours).
    CHECK(openings(hours, "2026-03-26T00:00", "2026-03-30T00:00") ==
          std::vector<std::string>{"2026-03-26T18:00:00+02:00 2026-03-27T00:00:00+02:00",
                                   "2026-03-27T09:00:00+02:00 2026-03-28T00:00:00+02:00",
                                   "2026-03-28T22:00:00+02:00 2026-03-29T05:00:00+03:00"});
    // Autumn: it gains one (22:00+03:00 → 05:00+02:00 is eight hours).
    CHECK(openings(hours, "2026-10-24T00:00", "2026-10-26T00:00") ==
          std::vector<std::string>{"2026-10-24T22:00:00+03:00 2026-10-25T05:00:00+02:00"});
}

TEST_CASE("PTV hours: exceptional single days, holidays, a day inside a closed range, and notes without dates")
{
    std::vector<std::string> problems;
    const auto hours = hoursOf(R"([
        {"serviceHourType": "DaysOfTheWeek", "validFrom": null, "validTo": null, "isClosed": false, "validForNow": true,
         "openingHour": [{"dayFrom": "Monday", "dayTo": "", "from": "09:00:00", "to": "15:00:00"},
                         {"dayFrom": "Tuesday", "dayTo": "", "from": "09:00:00", "to": "15:00:00"},
                         {"dayFrom": "Wednesday", "dayTo": "", "from": "09:00:00", "to": "15:00:00"},
                         {"dayFrom": "Thursday", "dayTo": "", "from": "09:00:00", "to": "15:00:00"}]},
        {"serviceHourType": "Exceptional", "validFrom": "2026-12-24T00:00:00", "validTo": null, "isClosed": false,
         "additionalInformation": [{"value": "Jouluaatto", "language": "fi"}],
         "openingHour": [{"dayFrom": null, "dayTo": null, "from": "9:00:00", "to": "11:00:00"}]},
        {"serviceHourType": "Exceptional", "validFrom": "2026-12-24T00:00:00", "validTo": null, "isClosed": false,
         "additionalInformation": [],
         "openingHour": [{"dayFrom": null, "dayTo": null, "from": "12:00:00", "to": "13:00:00"}]},
        {"serviceHourType": "Exceptional", "validFrom": "2026-12-21T00:00:00", "validTo": "2027-01-06T00:00:00", "isClosed": true,
         "additionalInformation": [{"value": "Joulutauko", "language": "fi"}], "openingHour": []},
        {"serviceHourType": "Exceptional", "validFrom": "2026-12-07T00:00:00", "validTo": null, "isClosed": false,
         "additionalInformation": [{"value": "Itsenäisyyspäivän jälkeen suljetaan klo 12", "language": "fi"}],
         "openingHour": [{"dayFrom": null, "dayTo": null, "from": "00:00:00", "to": "00:00:00"}]},
        {"serviceHourType": "Exceptional", "validFrom": null, "validTo": null, "isClosed": false,
         "additionalInformation": [{"value": "Kesällä 2.6.–31.8. suljettu", "language": "fi"}],
         "openingHour": [{"dayFrom": null, "dayTo": null, "from": "10:00:00", "to": "12:00:00"}]},
        {"serviceHourType": "Weird", "validFrom": null, "validTo": null},
        {"serviceHourType": "Exceptional", "validFrom": "2026-12-10T00:00:00", "validTo": "2026-12-09T00:00:00", "isClosed": true}])",
                               &problems);
    REQUIRE(problems.size() == 2);
    CHECK(problems[0] == "serviceHours[6]: unknown serviceHourType \"Weird\" (skipped)");
    CHECK(problems[1] == "serviceHours[7]: validTo 2026-12-09 is before validFrom 2026-12-10 (skipped)");
    CHECK(hours.notes.exactly("fi") == "Kesällä 2.6.–31.8. suljettu");
    // Two entries for Christmas Eve are one exception with both blocks; it refines the closed range.
    REQUIRE(hours.exceptions.size() == 3);
    CHECK(hours.exceptions.front().closed);   // the long range first, so single days win
    CHECK(openings(hours, "2026-12-21T00:00", "2026-12-28T00:00") ==
          std::vector<std::string>{"2026-12-24T09:00:00+02:00 2026-12-24T11:00:00+02:00",
                                   "2026-12-24T12:00:00+02:00 2026-12-24T13:00:00+02:00"});
    // A dated note-only entry keeps the weekly hours and shows its text.
    CHECK(openings(hours, "2026-12-07T00:00", "2026-12-08T00:00") ==
          std::vector<std::string>{"2026-12-07T09:00:00+02:00 2026-12-07T15:00:00+02:00"});
    const auto notes = notesOn(hours, *parseDate("2026-12-07"));
    REQUIRE_FALSE(notes.empty());
    CHECK(notes.front()->exactly("fi") == "Itsenäisyyspäivän jälkeen suljetaan klo 12");
}

TEST_CASE("PTV mapping: connection-level hours, contacts from both sides, Sámi names and a tolerant reader")
{
    json place = templateJson("channel_servicelocation.json");
    place["id"] = "c0000000-0000-4000-8000-000000000001";
    place["services"] = json::array({{{"service", {{"id", "s0000000-0000-4000-8000-000000000002"}}},
                                      {"serviceHours", json::parse(R"([{"serviceHourType": "DaysOfTheWeek", "validFrom": null,
                                          "validTo": null, "isClosed": false, "validForNow": true,
                                          "additionalInformation": [{"value": "Perhekahvila", "language": "fi"}],
                                          "openingHour": [{"dayFrom": "Thursday", "dayTo": "", "from": "17:00:00", "to": "19:00:00"}]}])")}}});
    json neuvola = templateJson("service_family.json");
    neuvola["id"] = "s0000000-0000-4000-8000-000000000001";
    neuvola["serviceChannels"] = json::array(
        {{{"serviceChannel", {{"id", "c0000000-0000-4000-8000-000000000001"}, {"name", "Majakka"}}},
          {"serviceHours", json::parse(R"([{"serviceHourType": "DaysOfTheWeek", "validFrom": null, "validTo": null,
              "isClosed": false, "validForNow": true, "openingHour": [{"dayFrom": "Tuesday", "dayTo": "", "from": "9:30:00", "to": "11:30:00"}]}])")},
          {"contactDetails", nullptr}},
         {{"serviceChannel", {{"id", "c0000000-0000-4000-8000-000000000009"}}}, {"serviceHours", nullptr}}});
    json cafe = templateJson("service_family.json");
    cafe["id"] = "s0000000-0000-4000-8000-000000000002";
    cafe["serviceNames"] = json::parse(R"([{"language": "fi", "value": "Perhekahvila", "type": "Name"}])");
    cafe["serviceClasses"] = json::parse(R"([{"code": "P3.6"}])");
    cafe["serviceChannels"] = nullptr;
    json phone = templateJson("channel_phone.json");
    phone["id"] = "c0000000-0000-4000-8000-000000000009";
    json broken = templateJson("service_family.json");
    broken["id"] = "s0000000-0000-4000-8000-000000000003";
    broken["serviceNames"] = 5;   // a wrong type: this one service is left out, named

    const auto feed = parse({place.dump(), json::array({neuvola, cafe, broken}).dump(), phone.dump(), "[42]"});
    REQUIRE(feed.content.places.size() == 1);
    const Place& majakka = feed.content.places.front();
    CHECK(majakka.kind == PlaceKind::FamilyCentre);
    CHECK(majakka.name.exactly("fi") == "Perhekeskus Majakka");
    CHECK(majakka.address.street.exactly("sv") == "Biblioteksgatan 13");
    CHECK(majakka.contact.phone == "+35863251111");
    CHECK(majakka.accessibility.exactly("fi") == "Sisäänkäynti: Sisäänkäynnille on luiska.");
    CHECK(majakka.description.exactly("fi").ends_with("\n\n2. krs"));
    CHECK(majakka.hours.notes.exactly("fi") == "Juhlapyhien aattoina suljemme klo 12.");

    REQUIRE(feed.content.services.size() == 2);
    const Service& neuvolaService = serviceById(feed, "s0000000-0000-4000-8000-000000000001");
    CHECK(neuvolaService.category == ServiceCategory::Neuvola);
    CHECK(neuvolaService.cost.isFree == true);
    CHECK(neuvolaService.name.exactly("se") == "Mánáid ráđđehusbáiki");
    CHECK(neuvolaService.placeIds == std::vector<std::string>{"c0000000-0000-4000-8000-000000000001"});
    CHECK(neuvolaService.contact.phone == "+35863252000");
    CHECK(neuvolaService.contact.email == "neuvola@vaasa.example");
    REQUIRE(neuvolaService.hoursAtPlaces.size() == 1);
    CHECK(openings(neuvolaService.hoursAtPlaces.front().hours, "2026-03-23T00:00", "2026-03-30T00:00") ==
          std::vector<std::string>{"2026-03-24T09:30:00+02:00 2026-03-24T11:30:00+02:00"});
    // The café's hours come from the channel's side of the connection.
    const Service& cafeService = serviceById(feed, "s0000000-0000-4000-8000-000000000002");
    CHECK(cafeService.category == ServiceCategory::FamilyWork);
    CHECK(cafeService.placeIds == std::vector<std::string>{"c0000000-0000-4000-8000-000000000001"});
    REQUIRE(cafeService.hoursAtPlaces.size() == 1);
    CHECK(openings(cafeService.hoursAtPlaces.front().hours, "2026-03-23T00:00", "2026-03-30T00:00") ==
          std::vector<std::string>{"2026-03-26T17:00:00+02:00 2026-03-26T19:00:00+02:00"});

    INFO(problemsText(feed));
    REQUIRE(feed.problems.size() == 2);
    CHECK(feed.problems[0].location == "document 4 item 1");
    CHECK(feed.problems[1].location.find("s0000000-0000-4000-8000-000000000003") != std::string::npos);
}

TEST_CASE("PTV settings: area, classes, languages and the API version from the [[source]] table")
{
    SourceConfig source{.id = "ptv-vaasa", .kind = "ptv", .url = "https://api.palvelutietovaranto.suomi.fi/api/v11/"};
    source.settings = {{"municipalities", R"([ "905", "499" ])"}, {"service_classes", R"([ "P5.2" ])"},
                       {"languages", R"([ "fi", "sv", "se" ])"}, {"include_nationwide", "false"}, {"concurrency", "3"}};
    auto parsed = ptvOptions(source);
    REQUIRE_MESSAGE(parsed.has_value(), (parsed ? "" : parsed.error().message));
    CHECK(parsed->apiBase == "https://api.palvelutietovaranto.suomi.fi/api/v11");
    CHECK(parsed->apiVersion == "v11");
    CHECK(parsed->municipalities == std::vector<std::string>{"905", "499"});
    CHECK(parsed->serviceClasses == std::vector<std::string>{"P5.2"});
    CHECK(parsed->targetGroups == std::vector<std::string>{"KR1.2", "KR1.3"});
    CHECK(parsed->languages == std::vector<std::string>{"fi", "sv", "se"});
    CHECK(parsed->concurrency == 3);

    source.settings["municipalities"] = R"([ "9050" ])";
    auto bad = ptvOptions(source);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("municipalities") != std::string::npos);
    source.settings.erase("municipalities");
    CHECK_FALSE(ptvOptions(source));   // an area is required
    source.settings["wellbeing_counties"] = R"([ "15" ])";
    CHECK(ptvOptions(source));
    source.settings["concurrency"] = "8";
    CHECK_FALSE(ptvOptions(source));
    source.settings["concurrency"] = "2";

    source.url = "https://api-gw.palvelutietovaranto.suomi.fi/api/v12";
    parsed = ptvOptions(source);
    REQUIRE(parsed);
    CHECK(parsed->apiVersion == "v12");
    auto client = HttpClient::create("Kohtaamo-test");
    REQUIRE(client);
    const auto v12 = fetchPtv(*client, source, *parsed, {}, at("2026-03-20T10:00Z"));
    REQUIRE_FALSE(v12);
    CHECK(v12.error().error.message.find("\"v12\" is not supported yet") != std::string::npos);
    CHECK(v12.error().stats.requests == 0);
}

// ---- The whole flow against a local PTV-shaped server ------------------------------------------

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
