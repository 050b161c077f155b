#pragma once
// A deterministic staff calendar (RFC 5545) for the benchmark, shaped like what a family centre's
// Google or Outlook calendar publishes: Europe/Helsinki with its VTIMEZONE; weekly, biweekly and
// monthly (BYDAY=2TH and the like) series ending with a UTC UNTIL, a COUNT or not at all; EXDATEs;
// changed sessions (RECURRENCE-ID); all-day entries; a few private ones; Finnish texts with ä and ö,
// escaped and folded at 75 octets. The same seed gives the same bytes on every machine.

#include "content/time.hpp"

#include <cstdint>
#include <string>

namespace kohtaamo::bench {

struct CalendarSpec {
    std::uint64_t seed = 1;
    int vevents = 1000;     ///< VEVENT components in all, changed sessions included
    LocalDate windowStart;  ///< most series run through the 14 days from here
};

/// The calendar text (CRLF lines) and what it holds, for the report.
struct GeneratedCalendar {
    std::string text;
    int vevents = 0;
    int weekly = 0;          ///< series with FREQ=WEEKLY (INTERVAL=2 counted in biweekly)
    int biweekly = 0;
    int monthly = 0;         ///< FREQ=MONTHLY;BYDAY=<n><weekday>
    int oneOffs = 0;         ///< timed events without RRULE
    int allDay = 0;          ///< VALUE=DATE entries, some of them weekly
    int privateEntries = 0;  ///< CLASS:PRIVATE: the adapter leaves them out
    int withUntil = 0;
    int withCount = 0;
    int exdates = 0;         ///< EXDATE values
    int overrides = 0;       ///< VEVENTs with RECURRENCE-ID
    int foldedLines = 0;     ///< content lines longer than 75 octets, folded
};

[[nodiscard]] GeneratedCalendar generateCalendar(const CalendarSpec& spec);

}   // namespace kohtaamo::bench
