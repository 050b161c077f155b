#pragma once
// Windows time-zone names (what Outlook and Exchange write as TZID) → IANA names, after CLDR's
// windowsZones.xml. Private to the iCalendar adapter.

#include <optional>
#include <span>
#include <string_view>

namespace kohtaamo {

struct WindowsZone {
    std::string_view windows;
    std::string_view iana;
};

/// The IANA zone for a Windows zone name ("FLE Standard Time" → "Europe/Helsinki"), compared
/// without regard to case; nullopt for a name not in the table.
[[nodiscard]] std::optional<std::string_view> ianaForWindowsZone(std::string_view windowsName);

/// The whole table, for tests that check every entry against the system tz database.
[[nodiscard]] std::span<const WindowsZone> windowsZoneTable();

} // namespace kohtaamo
