#pragma once
// Questions about opening hours, answered in a place's local time (Europe/Helsinki by default):
// is it open at t, when does it next open, and every open interval between two instants.

#include "content/model.hpp"

#include <optional>
#include <vector>

namespace kohtaamo {

/// One concrete open period. `fromException` is set when an exception day's special hours produced it.
struct OpenInterval {
    Instant start;
    Instant end;
    HoursKind kind = HoursKind::Regular;
    bool fromException = false;
    const LocalizedText* note = nullptr;   ///< points into the OpeningHours it came from; may be null
    bool operator==(const OpenInterval&) const = default;
};

/// Which intervals a question is about.
enum class HoursFilter { Any, DropInOnly };

/// The notes that apply on a local date: an exception's note (closures, holidays) or the seasonal
/// note of the weekly hours in force. Points into `hours`.
[[nodiscard]] std::vector<const LocalizedText*> notesOn(const OpeningHours& hours, LocalDate day);

/// Every open interval overlapping [from, to), sorted by start, clipped to nothing (whole intervals).
/// Each weekly block belongs to the day it opens, so Friday 20:00–02:00 runs into Saturday even if
/// Saturday is an exception day. `alwaysOpen` yields one interval covering [from, to).
[[nodiscard]] std::vector<OpenInterval> openingsBetween(const OpeningHours& hours, Instant from, Instant to,
                                                        const TimeZone& zone = TimeZone::helsinki(),
                                                        HoursFilter filter = HoursFilter::Any);

/// The interval containing t, if any.
[[nodiscard]] std::optional<OpenInterval> openIntervalAt(const OpeningHours& hours, Instant t,
                                                         const TimeZone& zone = TimeZone::helsinki(),
                                                         HoursFilter filter = HoursFilter::Any);

[[nodiscard]] inline bool isOpenAt(const OpeningHours& hours, Instant t, const TimeZone& zone = TimeZone::helsinki(),
                                   HoursFilter filter = HoursFilter::Any)
{
    return openIntervalAt(hours, t, zone, filter).has_value();
}

/// The first interval that starts after t (strictly), looking at most `horizon` ahead.
[[nodiscard]] std::optional<OpenInterval> nextOpening(const OpeningHours& hours, Instant t,
                                                      const TimeZone& zone = TimeZone::helsinki(),
                                                      HoursFilter filter = HoursFilter::Any,
                                                      date::days horizon = date::days{60});

} // namespace kohtaamo
