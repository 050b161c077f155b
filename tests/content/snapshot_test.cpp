#include "content/snapshot.hpp"

#include "test_support.hpp"

using namespace kohtaamo;
using namespace kohtaamo::test;

namespace {

Event event(std::string id, std::string_view start, Audience audience, std::vector<std::string> languages = {})
{
    Event result = weeklyEvent(std::move(id), start, 90, "FREQ=WEEKLY");
    result.audience = audience;
    result.languages = std::move(languages);
    return result;
}

std::shared_ptr<const Snapshot> sampleSnapshot()
{
    SourceContent content;
    Place majakka;
    majakka.id = "majakka";
    majakka.name = LocalizedText{{"fi", "Majakka"}};
    majakka.hours.weekly.push_back(WeeklyHours{.weekdays = days({1, 2, 3, 4, 5}), .open = hm(9), .close = hm(15)});
    majakka.hours.weekly.push_back(
        WeeklyHours{.weekdays = days({4}), .open = hm(13), .close = hm(15), .kind = HoursKind::DropIn});
    content.places.push_back(majakka);
    Place noHours;
    noHours.id = "ei-aikoja";
    content.places.push_back(noHours);

    content.events.push_back(event("vauvat", "2026-03-03T09:30", Audience{0, 1, false}));
    content.events.push_back(event("taaperot", "2026-03-03T11:00", Audience{1, 3, false}));
    content.events.push_back(event("kaikki", "2026-03-03T13:00", Audience{}));
    content.events.push_back(event("vanhemmat", "2026-03-03T18:00", Audience{std::nullopt, std::nullopt, true}));
    content.events.push_back(event("svenska", "2026-03-04T10:00", Audience{0, 6, false}, {"sv"}));
    content.events.push_back(event("ukraina", "2026-03-04T17:00", Audience{}, {"uk", "ru"}));
    content.events.push_back(event("nuoret", "2026-03-05T17:00", Audience{13, 17, false}));
    content.events[0].placeId = "majakka";
    content.events[0].cost.isFree = true;
    content.events[1].registration = Registration::Required;
    content.events[1].cost.isFree = false;
    content.events[2].category = EventCategory::DropIn;
    Event broken = weeklyEvent("rikki", "2026-03-03T09:30", 60, "FREQ=NEVER");
    content.events.push_back(broken);

    Service neuvola;
    neuvola.id = "neuvola";
    neuvola.category = ServiceCategory::Neuvola;
    neuvola.audience = Audience{0, 6, true};
    neuvola.languages = {"fi", "sv"};
    neuvola.placeIds = {"majakka"};
    Service crisis;
    crisis.id = "kriisi";
    crisis.category = ServiceCategory::CrisisHelp;
    content.services = {neuvola, crisis};

    Announcement everywhere;
    everywhere.id = "kaikille";
    everywhere.validFrom = at("2026-03-01");
    everywhere.validUntil = at("2026-03-11");
    Announcement elsewhere;
    elsewhere.id = "muualla";
    elsewhere.placeId = "kirjasto";
    content.announcements = {everywhere, elsewhere};

    SourceState state{.id = "demo", .kind = "bundle"};
    state.lastSuccess = at("2026-03-09T08:00");
    return Snapshot::build(std::move(content), {state}, SnapshotWindow::around(at("2026-03-10T10:00")));
}

std::vector<std::string> ids(const std::vector<EventOccurrence>& occurrences)
{
    std::vector<std::string> result;
    for (const auto& item : occurrences) result.push_back(item.event->id);
    return result;
}

} // namespace

TEST_CASE("the window runs from yesterday's midnight to midnight fifteen days ahead, in Helsinki time")
{
    const auto window = SnapshotWindow::around(at("2026-03-10T10:00"));
    CHECK(iso(window.from) == "2026-03-09T00:00:00+02:00");
    CHECK(iso(window.to) == "2026-03-25T00:00:00+02:00");
}

TEST_CASE("events filter by age band, language, category, place, price and registration")
{
    const auto snapshot = sampleSnapshot();
    const EventQuery week{.from = at("2026-03-10"), .to = at("2026-03-13")};
    CHECK(ids(snapshot->occurrences(week)).size() == 7);

    auto query = week;
    query.ageBand = AgeBand::Baby;
    CHECK(ids(snapshot->occurrences(query)) == std::vector<std::string>{"vauvat", "taaperot", "kaikki", "svenska",
                                                                        "ukraina"});
    query.ageBand = AgeBand::Parents;
    CHECK(ids(snapshot->occurrences(query)) == std::vector<std::string>{"vanhemmat"});
    query.ageBand = AgeBand::Youth;
    CHECK(ids(snapshot->occurrences(query)) == std::vector<std::string>{"kaikki", "ukraina", "nuoret"});

    query = week;
    query.language = "uk";
    CHECK(ids(snapshot->occurrences(query)) == std::vector<std::string>{"ukraina"});
    query.language = "sv";
    CHECK(ids(snapshot->occurrences(query)) == std::vector<std::string>{"svenska"});

    query = week;
    query.freeOnly = true;
    CHECK(ids(snapshot->occurrences(query)) == std::vector<std::string>{"vauvat"});
    query = week;
    query.dropInOnly = true;
    CHECK(ids(snapshot->occurrences(query)).size() == 6);
    query = week;
    query.category = EventCategory::DropIn;
    CHECK(ids(snapshot->occurrences(query)) == std::vector<std::string>{"kaikki"});
    query = week;
    query.placeId = "majakka";
    CHECK(ids(snapshot->occurrences(query)) == std::vector<std::string>{"vauvat"});
}

TEST_CASE("an event whose rule cannot be expanded is reported and the rest still show")
{
    const auto snapshot = sampleSnapshot();
    REQUIRE(snapshot->problems().size() == 1);
    CHECK(snapshot->problems()[0].find("rikki") != std::string::npos);
    CHECK(snapshot->event("rikki") != nullptr);
}

TEST_CASE("places now: open state and the next drop-in time")
{
    const auto snapshot = sampleSnapshot();
    const auto places = snapshot->placesAt(at("2026-03-10T10:00"));
    REQUIRE(places.size() == 1);   // places without hours are not listed
    CHECK(places[0].place->id == "majakka");
    REQUIRE(places[0].openNow);
    CHECK(iso(places[0].openNow->end) == "2026-03-10T15:00:00+02:00");
    REQUIRE(places[0].nextDropIn);
    CHECK(iso(places[0].nextDropIn->start) == "2026-03-12T13:00:00+02:00");
    const auto during = snapshot->placesAt(at("2026-03-12T14:00"));
    CHECK(iso(during[0].nextDropIn->start) == "2026-03-12T13:00:00+02:00");   // on now
}

TEST_CASE("services by category and audience; announcements valid now, here or everywhere")
{
    const auto snapshot = sampleSnapshot();
    CHECK(snapshot->services(ServiceQuery{.category = ServiceCategory::Neuvola}).size() == 1);
    // "Parents" means explicitly for the adults; a service without an audience is not listed there.
    CHECK(snapshot->services(ServiceQuery{.ageBand = AgeBand::Parents}).size() == 1);
    CHECK(snapshot->services(ServiceQuery{.ageBand = AgeBand::School}).size() == 1);
    CHECK(snapshot->services(ServiceQuery{.language = "sv"}).size() == 1);
    CHECK(snapshot->services(ServiceQuery{.placeId = "majakka"}).size() == 1);

    CHECK(snapshot->announcementsAt(at("2026-03-10T10:00")).size() == 1);
    CHECK(snapshot->announcementsAt(at("2026-03-11T00:00")).empty());
    CHECK(snapshot->announcementsAt(at("2026-03-11T00:00"), "kirjasto").size() == 1);
    CHECK(snapshot->lastUpdated() == at("2026-03-09T08:00"));
}
