#pragma once
// Date-time values of iCalendar properties and the zones their TZIDs name. Private to the
// iCalendar adapter; the only place that turns a TZID into a zone.

#include "sync/feed.hpp"

#include <libical/ical.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kohtaamo {

/// A DATE or DATE-TIME exactly as written: wall-clock digits plus how to read them.
struct RawTime {
    LocalDateTime wall;    ///< a DATE is its midnight
    bool isDate = false;
    bool isUtc = false;
    std::string tzid;      ///< cleaned TZID parameter; empty for UTC, DATE and floating values
};

/// The value of a DTSTART, DTEND, EXDATE, RDATE (a PERIOD gives its start) or RECURRENCE-ID
/// property; nullopt when it has none or it is out of range.
[[nodiscard]] std::optional<RawTime> readTime(icalproperty* property);
/// The same for a bare libical time (an RRULE's UNTIL, a LAST-MODIFIED); never has a TZID.
[[nodiscard]] std::optional<RawTime> rawTimeOf(const icaltimetype& time);

[[nodiscard]] icaltimetype toIcalTime(LocalDateTime local);

/// Resolves the TZIDs of one VCALENDAR. Known IANA names use the system tz database, Windows
/// names go through the CLDR table, and only names neither knows use the file's own VTIMEZONE
/// (through libical). Each unresolvable TZID is reported once. Not thread-safe; owns the libical
/// zones it builds and must not outlive the calendar component.
class ZoneResolver {
public:
    ZoneResolver(icalcomponent* calendar, std::vector<FeedProblem>& problems);
    ~ZoneResolver();
    ZoneResolver(const ZoneResolver&) = delete;
    ZoneResolver& operator=(const ZoneResolver&) = delete;

    /// The IANA zone a TZID names, directly, as a Windows name or behind a "/vendor/" prefix.
    [[nodiscard]] std::optional<TimeZone> ianaZone(const std::string& tzid, const std::string& where);
    /// The instant a value means; nullopt for DATE and floating values, and for TZIDs that neither
    /// the tz database nor the file defines (those are read as floating).
    [[nodiscard]] std::optional<Instant> instantOf(const RawTime& time, const std::string& where);
    /// The zone the calendar's author lives in: X-WR-TIMEZONE, else the only VTIMEZONE, else Helsinki.
    /// Used to turn UTC values of all-day series into dates.
    [[nodiscard]] TimeZone calendarZone();

private:
    struct Entry {
        std::optional<TimeZone> iana;
        icaltimezone* fileZone = nullptr;
    };
    const Entry& lookup(const std::string& tzid, const std::string& where);
    icaltimezone* fileZoneNamed(const std::string& tzid);

    icalcomponent* m_calendar;
    std::vector<FeedProblem>& m_problems;
    std::map<std::string, Entry> m_entries;
    std::vector<icaltimezone*> m_ownedZones;
    std::optional<TimeZone> m_calendarZone;
};

/// A TZID parameter or VTIMEZONE TZID with quotes, stray whitespace, control characters and
/// trailing colons removed.
[[nodiscard]] std::string cleanTzid(std::string_view tzid);

} // namespace kohtaamo
