#pragma once
// Expanding an event's schedule (RRULE, EXDATE, RDATE, overrides) into concrete occurrences.
// Recurrence is computed by libical on wall-clock times in the schedule's own zone, then each
// instance is converted to an instant with its own UTC offset, so 09:30 stays 09:30 across DST.

#include "content/error.hpp"
#include "content/model.hpp"

#include <string_view>
#include <vector>

namespace kohtaamo {

/// One concrete session of an event. `end == start` when the event has no end time.
struct Occurrence {
    Instant start;
    Instant end;
    EventStatus status = EventStatus::Scheduled;
    bool allDay = false;
    const LocalizedText* titleOverride = nullptr;   ///< points into the Event's schedule overrides
    bool operator==(const Occurrence&) const = default;
};

/// Checks an RRULE value ("FREQ=WEEKLY;BYDAY=TU"); the error names what libical rejected.
[[nodiscard]] Result<void> validateRrule(std::string_view rrule);

/// Every occurrence of `event` that overlaps [from, to), sorted by start. Fails only for an
/// unknown time zone or an invalid RRULE; expansion is bounded (at most 10,000 instances scanned
/// per call) so a pathological rule cannot stall the caller.
[[nodiscard]] Result<std::vector<Occurrence>> expandOccurrences(const Event& event, Instant from, Instant to);

} // namespace kohtaamo
