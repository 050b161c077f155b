#pragma once
// Time vocabulary: instants are UTC (sys_seconds); wall-clock values are date::local_* and only
// become instants through a TimeZone, which uses the system tz database (Debian's tzdata).

#include "content/error.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace kohtaamo {

using Instant = std::chrono::sys_seconds;

/// The system clock now, to the second. Code that decides anything by the time takes `now` as a
/// parameter instead (tests inject it); this is for the places that start the chain.
[[nodiscard]] inline Instant systemNow() { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); }
using LocalDateTime = date::local_seconds;
using LocalDate = date::local_days;
using Minutes = std::chrono::minutes;

/// Minutes since local midnight, 0..1440 (1440 = "24:00", the end of the day).
struct TimeOfDay {
    int minutes = 0;
    auto operator<=>(const TimeOfDay&) const = default;
};

/// A named IANA zone. Cheap to copy (points into the process-wide tz database).
/// Converting a wall-clock time that falls in a DST gap yields the first instant after the gap;
/// one that is repeated (autumn) yields the earlier instant.
class TimeZone {
public:
    /// Looks the zone up in the system tz database; fails with NotFound for an unknown name.
    [[nodiscard]] static Result<TimeZone> named(std::string_view name);
    /// Europe/Helsinki, the zone every kiosk shows its times in.
    [[nodiscard]] static const TimeZone& helsinki();

    [[nodiscard]] Instant toInstant(LocalDateTime local) const;
    [[nodiscard]] LocalDateTime toLocal(Instant instant) const;
    [[nodiscard]] LocalDate localDate(Instant instant) const;
    [[nodiscard]] Minutes utcOffset(Instant instant) const;
    [[nodiscard]] std::string_view name() const;

private:
    explicit TimeZone(const date::time_zone* zone) : m_zone(zone) {}
    const date::time_zone* m_zone;
};

// Parsing and formatting of ISO 8601 forms used in bundles, config and the command line.
[[nodiscard]] std::optional<LocalDate> parseDate(std::string_view text);              // 2026-03-10
[[nodiscard]] std::optional<TimeOfDay> parseTimeOfDay(std::string_view text);         // 9:30, 09:30, 09:30:00, 24:00
[[nodiscard]] std::optional<LocalDateTime> parseLocalDateTime(std::string_view text); // 2026-03-10T09:30[:00]
/// A date-time with or without offset (Z, +02:00, +0200); without one it is wall-clock time in `zone`.
/// A bare date means its local midnight.
[[nodiscard]] std::optional<Instant> parseInstant(std::string_view text, const TimeZone& zone);

/// 2026-03-10T09:30:00+02:00 (the offset of `zone` at that instant).
[[nodiscard]] std::string formatIso(Instant instant, const TimeZone& zone);
[[nodiscard]] std::string formatUtc(Instant instant);        // 2026-03-10T07:30:00Z
[[nodiscard]] std::string formatDate(LocalDate day);        // 2026-03-10
[[nodiscard]] std::string formatTimeOfDay(TimeOfDay time);   // 09:30
[[nodiscard]] std::string formatLocalDateTime(LocalDateTime local); // 2026-03-10T09:30

/// ISO weekday of a local date: Monday = 0 … Sunday = 6.
[[nodiscard]] int weekdayIndex(LocalDate day);

} // namespace kohtaamo
