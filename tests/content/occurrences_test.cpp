#include "content/occurrences.hpp"

#include "test_support.hpp"

using namespace kohtaamo;
using namespace kohtaamo::test;

namespace {

std::vector<std::string> starts(const Event& event, std::string_view from, std::string_view to)
{
    auto occurrences = expandOccurrences(event, at(from), at(to));
    REQUIRE_MESSAGE(occurrences.has_value(), (occurrences ? "" : occurrences.error().message));
    std::vector<std::string> result;
    for (const auto& occurrence : *occurrences) result.push_back(iso(occurrence.start));
    return result;
}

} // namespace

TEST_CASE("a weekly 09:30 group stays at 09:30 across the March DST change")
{
    const Event event = weeklyEvent("vauva", "2026-03-03T09:30", 90, "FREQ=WEEKLY;BYDAY=TU");
    CHECK(starts(event, "2026-03-20", "2026-04-08") ==
          std::vector<std::string>{"2026-03-24T09:30:00+02:00", "2026-03-31T09:30:00+03:00",
                                   "2026-04-07T09:30:00+03:00"});
    auto occurrences = expandOccurrences(event, at("2026-03-30"), at("2026-04-01"));
    REQUIRE(occurrences->size() == 1);
    CHECK(formatUtc(occurrences->front().start) == "2026-03-31T06:30:00Z");
    CHECK(occurrences->front().end - occurrences->front().start == std::chrono::minutes{90});
}

TEST_CASE("a weekly 09:30 group stays at 09:30 across the October DST change")
{
    const Event event = weeklyEvent("vauva", "2026-01-06T09:30", 90, "FREQ=WEEKLY;BYDAY=TU");
    CHECK(starts(event, "2026-10-19", "2026-11-01") ==
          std::vector<std::string>{"2026-10-20T09:30:00+03:00", "2026-10-27T09:30:00+02:00"});
}

TEST_CASE("a session on the night of the change keeps its wall-clock length")
{
    // Saturday 23:00 for 5 wall-clock hours: ends 04:00 local, which is 6 real hours in October.
    const Event event = weeklyEvent("yo", "2026-10-24T23:00", 300, "");
    auto occurrences = expandOccurrences(event, at("2026-10-24"), at("2026-10-26"));
    REQUIRE(occurrences->size() == 1);
    CHECK(iso(occurrences->front().end) == "2026-10-25T04:00:00+02:00");
}

TEST_CASE("UNTIL in UTC is inclusive and compared as an instant with each instance's own offset")
{
    // Starts in winter (+02:00), ends in summer (+03:00): 09:30 on 31.3. is 06:30Z.
    const Event event = weeklyEvent("kevät", "2026-03-03T09:30", 60, "FREQ=WEEKLY;BYDAY=TU;UNTIL=20260331T063000Z");
    const auto all = starts(event, "2026-03-01", "2026-05-01");
    REQUIRE(all.size() == 5);
    CHECK(all.back() == "2026-03-31T09:30:00+03:00");
    // A date-only UNTIL includes that day.
    const Event dated = weeklyEvent("kevät", "2026-03-03T09:30", 60, "FREQ=WEEKLY;BYDAY=TU;UNTIL=20260331");
    CHECK(starts(dated, "2026-03-01", "2026-05-01").size() == 5);
}

TEST_CASE("COUNT counts instances before EXDATE removes one")
{
    Event event = weeklyEvent("hieronta", "2026-11-03T10:00", 60, "FREQ=WEEKLY;BYDAY=TU;COUNT=10");
    event.schedule.exdates.push_back(local("2026-11-17T10:00"));
    const auto all = starts(event, "2026-11-01", "2027-03-01");
    CHECK(all.size() == 9);
    CHECK(all.back() == "2027-01-05T10:00:00+02:00");
    CHECK(std::find(all.begin(), all.end(), "2026-11-17T10:00:00+02:00") == all.end());
}

TEST_CASE("a biweekly group keeps its phase far from DTSTART")
{
    const Event event = weeklyEvent("kaksoset", "2026-01-07T17:00", 120, "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE");
    // 2026-01-07 + 2k weeks: 2027-01-06 is 52 weeks later, so in phase.
    CHECK(starts(event, "2027-01-01", "2027-01-25") ==
          std::vector<std::string>{"2027-01-06T17:00:00+02:00", "2027-01-20T17:00:00+02:00"});
}

TEST_CASE("monthly on the second Thursday, and the Outlook BYSETPOS form")
{
    const Event event = weeklyEvent("info", "2026-01-08T18:00", 90, "FREQ=MONTHLY;BYDAY=2TH");
    CHECK(starts(event, "2026-03-01", "2026-06-01") ==
          std::vector<std::string>{"2026-03-12T18:00:00+02:00", "2026-04-09T18:00:00+03:00",
                                   "2026-05-14T18:00:00+03:00"});
    const Event outlook = weeklyEvent("info", "2026-01-08T18:00", 90, "FREQ=MONTHLY;BYDAY=TH;BYSETPOS=2");
    CHECK(starts(outlook, "2026-03-01", "2026-06-01") == starts(event, "2026-03-01", "2026-06-01"));
    const Event lastFriday = weeklyEvent("info", "2026-01-30T18:00", 90, "FREQ=MONTHLY;BYDAY=-1FR");
    CHECK(starts(lastFriday, "2026-03-01", "2026-04-01") == std::vector<std::string>{"2026-03-27T18:00:00+02:00"});
}

TEST_CASE("RDATE adds sessions and overrides move, retitle or cancel one")
{
    Event event = weeklyEvent("vauva", "2026-03-03T09:30", 90, "FREQ=WEEKLY;BYDAY=TU");
    event.schedule.rdates.push_back(local("2026-03-12T13:00"));
    OccurrenceOverride moved;
    moved.recurrenceId = local("2026-03-10T09:30");
    moved.start = local("2026-03-11T10:00");
    moved.title = LocalizedText{{"fi", "Vauvaryhmä (keskiviikkona)"}};
    OccurrenceOverride cancelled;
    cancelled.recurrenceId = local("2026-03-17T09:30");
    cancelled.status = EventStatus::Cancelled;
    event.schedule.overrides = {moved, cancelled};

    auto occurrences = expandOccurrences(event, at("2026-03-09"), at("2026-03-18"));
    REQUIRE(occurrences->size() == 3);
    CHECK(iso((*occurrences)[0].start) == "2026-03-11T10:00:00+02:00");
    REQUIRE((*occurrences)[0].titleOverride != nullptr);
    CHECK((*occurrences)[0].titleOverride->in("fi") == "Vauvaryhmä (keskiviikkona)");
    CHECK(iso((*occurrences)[1].start) == "2026-03-12T13:00:00+02:00");
    CHECK((*occurrences)[2].status == EventStatus::Cancelled);
    CHECK((*occurrences)[2].titleOverride == nullptr);
}

TEST_CASE("an override moves an instance into the window from outside it, and out of it")
{
    Event event = weeklyEvent("vauva", "2026-03-03T09:30", 90, "FREQ=WEEKLY;BYDAY=TU");
    OccurrenceOverride intoWindow;
    intoWindow.recurrenceId = local("2026-03-31T09:30");
    intoWindow.start = local("2026-03-20T09:30");
    OccurrenceOverride outOfWindow;
    outOfWindow.recurrenceId = local("2026-03-17T09:30");
    outOfWindow.start = local("2026-04-15T09:30");
    event.schedule.overrides = {intoWindow, outOfWindow};
    CHECK(starts(event, "2026-03-16", "2026-03-23") == std::vector<std::string>{"2026-03-20T09:30:00+02:00"});
}

TEST_CASE("a cancelled event cancels every session; a one-off event has one")
{
    Event event = weeklyEvent("kerho", "2026-03-02T10:00", 60, "FREQ=WEEKLY;BYDAY=MO");
    event.status = EventStatus::Cancelled;
    auto occurrences = expandOccurrences(event, at("2026-03-01"), at("2026-03-20"));
    REQUIRE(occurrences->size() == 3);
    for (const auto& occurrence : *occurrences) CHECK(occurrence.status == EventStatus::Cancelled);
    const Event party = weeklyEvent("joulujuhla", "2026-12-12T14:00", 120, "");
    CHECK(starts(party, "2026-12-01", "2027-01-01") == std::vector<std::string>{"2026-12-12T14:00:00+02:00"});
    CHECK(starts(party, "2026-12-13", "2027-01-01").empty());
}

TEST_CASE("an ongoing session overlaps a window that starts after it began")
{
    const Event event = weeklyEvent("kahvila", "2026-03-10T09:00", 180, "");
    CHECK(starts(event, "2026-03-10T11:00", "2026-03-10T12:00").size() == 1);
    CHECK(starts(event, "2026-03-10T12:00", "2026-03-10T13:00").empty());
}

TEST_CASE("all-day events span whole local days")
{
    Event event = weeklyEvent("syysloma", "2026-10-19T00:00", 5 * 24 * 60, "");
    event.schedule.allDay = true;
    auto occurrences = expandOccurrences(event, at("2026-10-01"), at("2026-11-01"));
    REQUIRE(occurrences->size() == 1);
    CHECK(occurrences->front().allDay);
    CHECK(iso(occurrences->front().end) == "2026-10-24T00:00:00+03:00");
}

TEST_CASE("a series in another zone is expanded in that zone")
{
    Event event = weeklyEvent("tukholma", "2026-03-02T10:00", 60, "FREQ=WEEKLY;BYDAY=MO");
    event.schedule.timeZone = "Europe/Stockholm";
    CHECK(starts(event, "2026-03-01", "2026-03-03") == std::vector<std::string>{"2026-03-02T11:00:00+02:00"});
}

TEST_CASE("invalid rules and zones are reported, not expanded")
{
    CHECK(validateRrule("FREQ=WEEKLY;BYDAY=TU"));
    CHECK_FALSE(validateRrule("FREQ=WEKLY"));
    CHECK_FALSE(validateRrule(""));
    CHECK_FALSE(validateRrule("BYDAY=TU"));
    const Event broken = weeklyEvent("x", "2026-03-03T09:30", 60, "FREQ=SOMETIMES");
    auto result = expandOccurrences(broken, at("2026-03-01"), at("2026-04-01"));
    REQUIRE_FALSE(result);
    CHECK(result.error().message.find("FREQ=SOMETIMES") != std::string::npos);
    Event badZone = weeklyEvent("x", "2026-03-03T09:30", 60, "");
    badZone.schedule.timeZone = "Nowhere/Town";
    CHECK_FALSE(expandOccurrences(badZone, at("2026-03-01"), at("2026-04-01")));
}

TEST_CASE("a daily rule over decades is bounded, not a stall")
{
    const Event event = weeklyEvent("daily", "2000-01-01T10:00", 30, "FREQ=MINUTELY");
    auto result = expandOccurrences(event, at("2026-03-01"), at("2026-03-02"));
    REQUIRE(result);
    CHECK(result->size() <= 10'000);
}
