#include "content/opening_hours.hpp"

#include "test_support.hpp"

using namespace kohtaamo;
using namespace kohtaamo::test;

namespace {

WeeklyHours weekly(WeekdaySet weekdays, TimeOfDay open, TimeOfDay close, HoursKind kind = HoursKind::Regular)
{
    WeeklyHours block;
    block.weekdays = weekdays;
    block.open = open;
    block.close = close;
    block.kind = kind;
    return block;
}

std::vector<std::string> describe(const std::vector<OpenInterval>& intervals)
{
    std::vector<std::string> result;
    for (const auto& interval : intervals) {
        result.push_back(iso(interval.start) + " " + iso(interval.end) + (interval.fromException ? " exception" : "") +
                         (interval.kind == HoursKind::DropIn ? " dropin" : ""));
    }
    return result;
}

} // namespace

TEST_CASE("regular weekly hours: open inside, closed at closing time and at weekends")
{
    OpeningHours hours;
    hours.weekly.push_back(weekly(days({1, 2, 3, 4, 5}), hm(9), hm(16)));
    CHECK(isOpenAt(hours, at("2026-03-10T09:00")));
    CHECK(isOpenAt(hours, at("2026-03-10T15:59")));
    CHECK_FALSE(isOpenAt(hours, at("2026-03-10T16:00")));
    CHECK_FALSE(isOpenAt(hours, at("2026-03-10T08:59")));
    CHECK_FALSE(isOpenAt(hours, at("2026-03-14T12:00")));
    CHECK(iso(nextOpening(hours, at("2026-03-13T17:00"))->start) == "2026-03-16T09:00:00+02:00");
}

TEST_CASE("several blocks a day: the lunch break is closed and the next opening is after it")
{
    OpeningHours hours;
    hours.weekly.push_back(weekly(days({1}), hm(9), hm(11)));
    hours.weekly.push_back(weekly(days({1}), hm(13), hm(15)));
    CHECK_FALSE(isOpenAt(hours, at("2026-03-09T12:00")));
    CHECK(iso(nextOpening(hours, at("2026-03-09T12:00"))->start) == "2026-03-09T13:00:00+02:00");
    CHECK(describe(openingsBetween(hours, at("2026-03-09"), at("2026-03-10"))) ==
          std::vector<std::string>{"2026-03-09T09:00:00+02:00 2026-03-09T11:00:00+02:00",
                                   "2026-03-09T13:00:00+02:00 2026-03-09T15:00:00+02:00"});
}

TEST_CASE("seasons: date-limited weekly hours apply only inside their dates, inclusive")
{
    OpeningHours hours;
    auto winter = weekly(days({1, 2, 3, 4, 5}), hm(9), hm(16));
    winter.validTo = day("2026-05-31");
    auto summer = weekly(days({1, 2, 3, 4, 5}), hm(10), hm(14));
    summer.validFrom = day("2026-06-01");
    summer.validTo = day("2026-08-09");
    summer.note = LocalizedText{{"fi", "Kesäaukioloajat"}};
    auto autumn = weekly(days({1, 2, 3, 4, 5}), hm(9), hm(17));
    autumn.validFrom = day("2026-08-10");   // until further notice
    hours.weekly = {winter, summer, autumn};

    CHECK(isOpenAt(hours, at("2026-05-29T15:00")));
    CHECK_FALSE(isOpenAt(hours, at("2026-06-01T15:00")));
    CHECK(isOpenAt(hours, at("2026-08-07T13:00")));
    CHECK(isOpenAt(hours, at("2026-08-10T16:30")));
    CHECK(isOpenAt(hours, at("2031-02-03T16:30")));   // until further notice
    const auto summerDay = openingsBetween(hours, at("2026-06-02"), at("2026-06-03"));
    REQUIRE(summerDay.size() == 1);
    REQUIRE(summerDay[0].note != nullptr);
    CHECK(summerDay[0].note->in("fi") == "Kesäaukioloajat");
    CHECK(notesOn(hours, day("2026-06-02")).size() == 1);
}

TEST_CASE("exceptions: a closed range, a single closed day, special hours and a note-only day")
{
    OpeningHours hours;
    hours.weekly.push_back(weekly(kAllWeekdays, hm(9), hm(16)));
    hours.exceptions.push_back(HoursException{day("2026-12-24"), day("2026-12-26"), true, {},
                                              LocalizedText{{"fi", "Joulunpyhät – suljettu"}}});
    hours.exceptions.push_back(HoursException{day("2026-12-06"), day("2026-12-06"), true, {}, {}});
    hours.exceptions.push_back(HoursException{day("2026-12-31"), day("2026-12-31"), false,
                                              {TimeBlock{hm(9), hm(12), HoursKind::Regular}},
                                              LocalizedText{{"fi", "Uudenvuodenaatto"}}});
    hours.exceptions.push_back(HoursException{day("2026-12-23"), day("2026-12-23"), false, {},
                                              LocalizedText{{"fi", "Glögitarjoilu"}}});

    CHECK_FALSE(isOpenAt(hours, at("2026-12-24T10:00")));
    CHECK_FALSE(isOpenAt(hours, at("2026-12-26T10:00")));
    CHECK_FALSE(isOpenAt(hours, at("2026-12-06T10:00")));
    CHECK(isOpenAt(hours, at("2026-12-27T10:00")));
    CHECK(isOpenAt(hours, at("2026-12-23T15:00")));   // a note does not close
    CHECK(notesOn(hours, day("2026-12-23")).front()->in("fi") == "Glögitarjoilu");
    CHECK(describe(openingsBetween(hours, at("2026-12-31"), at("2027-01-01"))) ==
          std::vector<std::string>{"2026-12-31T09:00:00+02:00 2026-12-31T12:00:00+02:00 exception"});
    CHECK(iso(nextOpening(hours, at("2026-12-23T17:00"))->start) == "2026-12-27T09:00:00+02:00");
    CHECK(notesOn(hours, day("2026-12-25")).front()->in("fi") == "Joulunpyhät – suljettu");
}

TEST_CASE("over midnight: Friday night runs into Saturday even when Saturday is closed")
{
    OpeningHours hours;
    hours.weekly.push_back(weekly(days({5}), hm(20), hm(2)));
    hours.exceptions.push_back(HoursException{day("2026-03-14"), day("2026-03-14"), true, {}, {}});
    CHECK(isOpenAt(hours, at("2026-03-13T23:00")));
    CHECK(isOpenAt(hours, at("2026-03-14T01:59")));
    CHECK_FALSE(isOpenAt(hours, at("2026-03-14T02:00")));
    // A query starting after midnight still sees the interval that opened the evening before.
    CHECK(describe(openingsBetween(hours, at("2026-03-14T00:30"), at("2026-03-14T06:00"))) ==
          std::vector<std::string>{"2026-03-13T20:00:00+02:00 2026-03-14T02:00:00+02:00"});
    // Closing at 24:00 means the end of the same day.
    OpeningHours late;
    late.weekly.push_back(weekly(days({6}), hm(18), hm(24)));
    CHECK(describe(openingsBetween(late, at("2026-03-14"), at("2026-03-15"))) ==
          std::vector<std::string>{"2026-03-14T18:00:00+02:00 2026-03-15T00:00:00+02:00"});
}

TEST_CASE("PTV-style multi-day span: Monday 02:15 until Friday 00:45")
{
    OpeningHours hours;
    auto span = weekly(days({1}), hm(2, 15), hm(0, 45));
    span.closeDayOffset = 4;
    hours.weekly.push_back(span);
    CHECK(isOpenAt(hours, at("2026-03-11T12:00")));
    CHECK_FALSE(isOpenAt(hours, at("2026-03-13T01:00")));
    const auto open = openIntervalAt(hours, at("2026-03-12T23:00"));
    REQUIRE(open);
    CHECK(iso(open->end) == "2026-03-13T00:45:00+02:00");
}

TEST_CASE("always open and by appointment")
{
    OpeningHours always;
    always.alwaysOpen = true;
    CHECK(isOpenAt(always, at("2026-12-24T03:00")));
    CHECK_FALSE(nextOpening(always, at("2026-12-24T03:00")));

    OpeningHours appointment;
    appointment.byAppointment = true;
    appointment.notes = LocalizedText{{"fi", "Ajanvaraus puhelimitse"}};
    CHECK_FALSE(isOpenAt(appointment, at("2026-03-10T10:00")));
    CHECK(openingsBetween(appointment, at("2026-03-01"), at("2026-04-01")).empty());
    CHECK_FALSE(appointment.empty());
}

TEST_CASE("drop-in hours are told apart from ordinary opening")
{
    OpeningHours hours;
    hours.weekly.push_back(weekly(days({2}), hm(9), hm(15)));
    hours.weekly.push_back(weekly(days({2}), hm(9, 30), hm(11, 30), HoursKind::DropIn));
    CHECK(isOpenAt(hours, at("2026-03-10T12:00")));
    CHECK_FALSE(isOpenAt(hours, at("2026-03-10T12:00"), TimeZone::helsinki(), HoursFilter::DropInOnly));
    CHECK(isOpenAt(hours, at("2026-03-10T10:00"), TimeZone::helsinki(), HoursFilter::DropInOnly));
    const auto next = nextOpening(hours, at("2026-03-10T12:00"), TimeZone::helsinki(), HoursFilter::DropInOnly);
    REQUIRE(next);
    CHECK(iso(next->start) == "2026-03-17T09:30:00+02:00");
    CHECK(next->kind == HoursKind::DropIn);
}

TEST_CASE("DST start (2026-03-29): hours follow the wall clock and the night is an hour shorter")
{
    OpeningHours hours;
    hours.weekly.push_back(weekly(days({6}), hm(22), hm(6)));   // Saturday night into the change
    hours.weekly.push_back(weekly(days({7}), hm(9), hm(16)));
    const auto intervals = openingsBetween(hours, at("2026-03-28T12:00"), at("2026-03-30"));
    REQUIRE(intervals.size() == 2);
    CHECK(iso(intervals[0].start) == "2026-03-28T22:00:00+02:00");
    CHECK(iso(intervals[0].end) == "2026-03-29T06:00:00+03:00");
    CHECK(intervals[0].end - intervals[0].start == std::chrono::hours{7});
    CHECK(iso(intervals[1].start) == "2026-03-29T09:00:00+03:00");
    CHECK(formatUtc(intervals[1].start) == "2026-03-29T06:00:00Z");
    // A block that opens inside the skipped hour opens when the clock resumes.
    OpeningHours gap;
    gap.weekly.push_back(weekly(days({7}), hm(3, 30), hm(5)));
    const auto gapDay = openingsBetween(gap, at("2026-03-29"), at("2026-03-30"));
    REQUIRE(gapDay.size() == 1);
    CHECK(iso(gapDay[0].start) == "2026-03-29T04:00:00+03:00");
}

TEST_CASE("DST end (2026-10-25): the night is an hour longer and the day keeps its wall-clock hours")
{
    OpeningHours hours;
    hours.weekly.push_back(weekly(days({6}), hm(22), hm(6)));
    hours.weekly.push_back(weekly(days({7}), hm(9), hm(16)));
    const auto intervals = openingsBetween(hours, at("2026-10-24T12:00"), at("2026-10-26"));
    REQUIRE(intervals.size() == 2);
    CHECK(intervals[0].end - intervals[0].start == std::chrono::hours{9});
    CHECK(iso(intervals[1].start) == "2026-10-25T09:00:00+02:00");
    CHECK(formatUtc(intervals[1].start) == "2026-10-25T07:00:00Z");
    CHECK(isOpenAt(hours, at("2026-10-25T03:30")));   // the repeated hour is inside the night
}
