#include "ical_zones.hpp"

#include "windows_zones.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace kohtaamo {
namespace {

std::optional<TimeZone> systemZone(std::string_view name)
{
    if (name.empty()) return std::nullopt;
    auto zone = TimeZone::named(name);
    return zone ? std::optional(*zone) : std::nullopt;
}

} // namespace

std::optional<RawTime> readTime(icalproperty* property)
{
    icalvalue* value = icalproperty_get_value(property);
    if (value == nullptr) return std::nullopt;
    icaltimetype time = icaltime_null_time();
    switch (icalvalue_isa(value)) {
    case ICAL_DATETIME_VALUE:
        time = icalvalue_get_datetime(value);
        break;
    case ICAL_DATE_VALUE:
        time = icalvalue_get_date(value);
        break;
    case ICAL_DATETIMEPERIOD_VALUE: {
        const icaldatetimeperiodtype both = icalvalue_get_datetimeperiod(value);
        time = icaltime_is_null_time(both.time) ? both.period.start : both.time;
        break;
    }
    case ICAL_PERIOD_VALUE:
        time = icalvalue_get_period(value).start;
        break;
    default:
        return std::nullopt;
    }
    auto raw = rawTimeOf(time);
    if (!raw) return std::nullopt;
    if (!raw->isDate && !raw->isUtc) {
        if (icalparameter* tzid = icalproperty_get_first_parameter(property, ICAL_TZID_PARAMETER)) {
            if (const char* name = icalparameter_get_tzid(tzid)) raw->tzid = cleanTzid(name);
        }
    }
    return raw;
}

std::optional<RawTime> rawTimeOf(const icaltimetype& time)
{
    const date::year_month_day ymd{date::year{time.year}, date::month(static_cast<unsigned>(time.month)),
                                   date::day(static_cast<unsigned>(time.day))};
    if (icaltime_is_null_time(time) || time.year < 1 || !ymd.ok() || time.hour < 0 || time.hour > 23 ||
        time.minute < 0 || time.minute > 59 || time.second < 0 || time.second > 60) {
        return std::nullopt;
    }
    RawTime raw;
    raw.isDate = time.is_date != 0;
    raw.wall = LocalDateTime{date::local_days{ymd}};
    if (!raw.isDate) {
        raw.wall += std::chrono::hours{time.hour} + std::chrono::minutes{time.minute} +
                    std::chrono::seconds{std::min(time.second, 59)};
        raw.isUtc = icaltime_is_utc(time) != 0;
    }
    return raw;
}

icaltimetype toIcalTime(LocalDateTime local)
{
    const auto day = std::chrono::floor<date::days>(local);
    const date::year_month_day ymd{day};
    const date::hh_mm_ss clock{local - day};
    icaltimetype time = icaltime_null_time();
    time.year = static_cast<int>(ymd.year());
    time.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
    time.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
    time.hour = static_cast<int>(clock.hours().count());
    time.minute = static_cast<int>(clock.minutes().count());
    time.second = static_cast<int>(clock.seconds().count());
    return time;
}

std::string cleanTzid(std::string_view tzid)
{
    const auto junk = [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte <= ' ' || c == '"' || c == ':';
    };
    while (!tzid.empty() && junk(tzid.front())) tzid.remove_prefix(1);
    // TbSync pads TZIDs with zeros that arrive as U+FFFD.
    while (!tzid.empty() && (junk(tzid.back()) || tzid.ends_with("\xEF\xBF\xBD"))) {
        tzid.remove_suffix(tzid.ends_with("\xEF\xBF\xBD") ? 3 : 1);
    }
    return std::string(tzid);
}

ZoneResolver::ZoneResolver(icalcomponent* calendar, std::vector<FeedProblem>& problems)
    : m_calendar(calendar), m_problems(problems)
{
}

ZoneResolver::~ZoneResolver()
{
    for (icaltimezone* zone : m_ownedZones) icaltimezone_free(zone, 1);
}

std::optional<TimeZone> ZoneResolver::ianaZone(const std::string& tzid, const std::string& where)
{
    return lookup(tzid, where).iana;
}

std::optional<Instant> ZoneResolver::instantOf(const RawTime& time, const std::string& where)
{
    if (time.isDate) return std::nullopt;
    if (time.isUtc) return Instant{time.wall.time_since_epoch()};
    if (time.tzid.empty()) return std::nullopt;
    const Entry& entry = lookup(time.tzid, where);
    if (entry.iana) return entry.iana->toInstant(time.wall);
    if (entry.fileZone != nullptr) {
        return Instant{std::chrono::seconds{icaltime_as_timet_with_zone(toIcalTime(time.wall), entry.fileZone)}};
    }
    return std::nullopt;
}

TimeZone ZoneResolver::calendarZone()
{
    if (m_calendarZone) return *m_calendarZone;
    std::string name;
    for (icalproperty* p = icalcomponent_get_first_property(m_calendar, ICAL_X_PROPERTY); p != nullptr;
         p = icalcomponent_get_next_property(m_calendar, ICAL_X_PROPERTY)) {
        const char* xName = icalproperty_get_x_name(p);
        if (xName != nullptr && std::string_view(xName) == "X-WR-TIMEZONE" && icalproperty_get_x(p) != nullptr) {
            name = cleanTzid(icalproperty_get_x(p));
        }
    }
    if (name.empty() && icalcomponent_count_components(m_calendar, ICAL_VTIMEZONE_COMPONENT) == 1) {
        icalcomponent* only = icalcomponent_get_first_component(m_calendar, ICAL_VTIMEZONE_COMPONENT);
        if (icalproperty* tzid = icalcomponent_get_first_property(only, ICAL_TZID_PROPERTY)) {
            if (const char* text = icalproperty_get_tzid(tzid)) name = cleanTzid(text);
        }
    }
    std::optional<TimeZone> zone;
    if (!name.empty()) zone = lookup(name, "VCALENDAR").iana;
    m_calendarZone = zone.value_or(TimeZone::helsinki());
    return *m_calendarZone;
}

const ZoneResolver::Entry& ZoneResolver::lookup(const std::string& tzid, const std::string& where)
{
    if (auto it = m_entries.find(tzid); it != m_entries.end()) return it->second;
    Entry entry;
    entry.iana = systemZone(tzid);
    if (!entry.iana) {
        if (auto windows = ianaForWindowsZone(tzid)) entry.iana = systemZone(*windows);
    }
    // "/mozilla.org/20050126_1/Europe/Helsinki", "/freeassociation.sourceforge.net/Europe/Helsinki".
    for (std::size_t slash = tzid.find('/'); !entry.iana && slash != std::string::npos;
         slash = tzid.find('/', slash + 1)) {
        const std::string_view rest = std::string_view(tzid).substr(slash + 1);
        if (rest.find('/') != std::string_view::npos) entry.iana = systemZone(rest);
    }
    if (!entry.iana) {
        entry.fileZone = fileZoneNamed(tzid);
        m_problems.push_back(
            {where, entry.fileZone != nullptr
                        ? fmt::format("time zone \"{}\" is not in the tz database; its times were converted "
                                      "with the feed's VTIMEZONE and are shown as Helsinki time",
                                      tzid)
                        : fmt::format("time zone \"{}\" is unknown and the feed has no VTIMEZONE for it; its "
                                      "times are read as Helsinki time",
                                      tzid)});
    }
    return m_entries.emplace(tzid, entry).first->second;
}

icaltimezone* ZoneResolver::fileZoneNamed(const std::string& tzid)
{
    for (icalcomponent* vtimezone = icalcomponent_get_first_component(m_calendar, ICAL_VTIMEZONE_COMPONENT);
         vtimezone != nullptr; vtimezone = icalcomponent_get_next_component(m_calendar, ICAL_VTIMEZONE_COMPONENT)) {
        icalproperty* property = icalcomponent_get_first_property(vtimezone, ICAL_TZID_PROPERTY);
        const char* name = property != nullptr ? icalproperty_get_tzid(property) : nullptr;
        if (name == nullptr || cleanTzid(name) != tzid) continue;
        icaltimezone* zone = icaltimezone_new();
        icalcomponent* copy = icalcomponent_new_clone(vtimezone);
        // On success the zone owns the copy; the calendar keeps its own component.
        if (icaltimezone_set_component(zone, copy) == 0) {
            icalcomponent_free(copy);
            icaltimezone_free(zone, 1);
            icalerror_clear_errno();
            return nullptr;
        }
        m_ownedZones.push_back(zone);
        return zone;
    }
    return nullptr;
}

} // namespace kohtaamo
