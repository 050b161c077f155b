#pragma once
// iCalendar (RFC 5545) feeds of staff calendars → events. Parsing by libical; each VEVENT series
// becomes one Event whose Schedule keeps RRULE/EXDATE/RDATE/overrides as wall-clock times in the
// series' zone, so expansion (content/occurrences) stays DST-correct.

#include "sync/feed.hpp"

#include <string_view>

namespace kohtaamo {

/// What a calendar's events are, since a calendar does not say: given in the source's config.
struct ICalSettings {
    std::string sourceId;
    std::string placeId;
    EventCategory category = EventCategory::PeerGroup;
    Audience audience;
    std::vector<std::string> languages;       ///< languages the activities are held in
    Registration registration = Registration::NotNeeded;
    std::optional<bool> isFree;
    std::string feedLanguage = "fi";          ///< language of SUMMARY/DESCRIPTION texts
};

/// Parses a whole feed. Fails (InvalidInput, naming the line where possible) only when the bytes are
/// not an iCalendar at all; a bad VEVENT is skipped and listed in problems.
[[nodiscard]] Result<ParsedFeed> parseICalendar(std::string_view bytes, const ICalSettings& settings);

} // namespace kohtaamo
