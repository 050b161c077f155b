// The PTV adapter on the shared fixtures and on hand-made payloads: places, hours, contacts, settings.

#include "ptv_records.hpp"
#include "ptv_test_support.hpp"

using namespace kohtaamo;
using namespace kohtaamo::ptvtest;
using namespace std::chrono_literals;
using json = nlohmann::json;


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

TEST_CASE("PTV records: what the fetch keeps of each real payload maps exactly as the whole payload does")
{
    // The fetch keeps a trimmed copy of each item (ptv_records.hpp); whatever the trimming drops must
    // be something the mapping never reads.
    const auto keptText = [](const std::optional<std::vector<ptv::KeptItem>>& items) {
        REQUIRE(items.has_value());
        std::string list = "[";
        for (const auto& item : *items) {
            if (!item.record) continue;
            if (list.size() > 1) list += ',';
            list += item.record->dump();
        }
        return list + "]";
    };
    for (const char* name : {"v11_servicechannel_list_organization_paged_testenv.json", "v11_servicelocation_schema_example_placeholders.json",
                             "v7_phone_channel_standard_special_exception.json", "v8_servicelocation_citizen_info_seasonal_hours.json",
                             "v8_servicelocation_early_childhood_guidance_fi_sv_en.json", "v8_servicelocation_library_exceptional_only.json",
                             "v11_service_basic_education_targetgroup_KR1.2.json"}) {
        CAPTURE(name);
        const std::string raw = fixture(name);
        // A single item (GET /{id}) is asked for as a list, as the fetch does.
        const std::string answer = json::parse(raw).contains("itemList") ? raw : "[" + raw + "]";
        const bool isService = std::string_view(name).find("_service_") != std::string_view::npos;
        const auto items = isService ? ptv::keptServices(answer, options()) : ptv::keptChannels(answer);
        REQUIRE(items.has_value());
        CHECK_FALSE(items->empty());
        const ParsedFeed whole = parse({raw});
        const ParsedFeed kept = parse({keptText(items)});
        CHECK(kept.content == whole.content);
        CHECK(problemsText(kept) == problemsText(whole));
    }

    // A service that is not a family service is left out, and an answer that is not a list is refused.
    PtvOptions youthOnly = options();
    youthOnly.targetGroups = {"KR1.3"};
    youthOnly.serviceClasses = {"P28"};
    const auto other = ptv::keptServices("[" + fixture("v11_service_basic_education_targetgroup_KR1.2.json") + "]", youthOnly);
    REQUIRE(other.has_value());
    REQUIRE(other->size() == 1);
    CHECK_FALSE(other->front().id.empty());
    CHECK_FALSE(other->front().record.has_value());
    CHECK_FALSE(ptv::keptChannels("{\"itemList\": 5}").has_value());
    CHECK_FALSE(ptv::keptChannels("[{\"id\": ").has_value());
    CHECK(ptv::keptChannels("{\"itemList\": null}")->empty());
}

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
