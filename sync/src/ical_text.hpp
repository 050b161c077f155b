#pragma once
// Byte- and text-level handling of iCalendar feeds, before and after libical: what libical itself
// gets wrong or does not do (folds inside UTF-8 sequences, Windows-1252 files, broken nesting,
// TZIDs with colons) and what a kiosk must not show (control and bidi-override characters).
// Private to the iCalendar adapter.

#include "sync/feed.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kohtaamo {

/// A feed made ready for libical: UTF-8, unfolded, CRLF line ends, BEGIN/END nesting repaired.
struct PreparedCalendar {
    std::string text;
    std::vector<int> veventLines;   ///< physical line of each BEGIN:VEVENT inside a VCALENDAR, in order
    std::vector<FeedProblem> problems;
};

/// Strips a BOM, accepts LF-only files, unfolds at the byte level, decodes lines that are not
/// UTF-8 as Windows-1252, quotes TZID parameters that contain ':' and closes components left open.
/// Fails (InvalidInput) when there is no BEGIN:VCALENDAR at all, naming what the feed starts with,
/// or when the feed ends inside a component (a download cut short).
[[nodiscard]] Result<PreparedCalendar> prepareCalendarText(std::string_view bytes);

[[nodiscard]] bool isValidUtf8(std::string_view bytes);
[[nodiscard]] std::string decodeWindows1252(std::string_view bytes);

enum class TextShape { SingleLine, MultiLine };

/// A text fit for the screen: no control characters (MultiLine keeps '\n'), no bidi overrides or
/// isolates (U+202A–U+202E, U+2066–U+2069), spaces collapsed, trimmed, and at most `maxCodePoints`
/// code points (a cut text ends in '…').
[[nodiscard]] std::string sanitizeText(std::string_view text, TextShape shape, std::size_t maxCodePoints);

} // namespace kohtaamo
