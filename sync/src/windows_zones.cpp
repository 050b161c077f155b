#include "windows_zones.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace kohtaamo {
namespace {

// CLDR windowsZones.xml, territory "001" (the zone Windows means), except that FLE Standard Time
// maps to Helsinki rather than Kyiv: same rules, and it is the zone a Finnish calendar means.
// Canonical IANA names are used where CLDR still lists an old alias (Asia/Calcutta → Asia/Kolkata).
// Also the display names Exchange sometimes writes instead of the key, for the Nordic zones.
constexpr std::array kWindowsZones{
    WindowsZone{"Dateline Standard Time", "Etc/GMT+12"},
    WindowsZone{"UTC-11", "Etc/GMT+11"},
    WindowsZone{"Hawaiian Standard Time", "Pacific/Honolulu"},
    WindowsZone{"Alaskan Standard Time", "America/Anchorage"},
    WindowsZone{"Pacific Standard Time (Mexico)", "America/Tijuana"},
    WindowsZone{"Pacific Standard Time", "America/Los_Angeles"},
    WindowsZone{"US Mountain Standard Time", "America/Phoenix"},
    WindowsZone{"Mountain Standard Time (Mexico)", "America/Mazatlan"},
    WindowsZone{"Mountain Standard Time", "America/Denver"},
    WindowsZone{"Central America Standard Time", "America/Guatemala"},
    WindowsZone{"Central Standard Time (Mexico)", "America/Mexico_City"},
    WindowsZone{"Central Standard Time", "America/Chicago"},
    WindowsZone{"Canada Central Standard Time", "America/Regina"},
    WindowsZone{"SA Pacific Standard Time", "America/Bogota"},
    WindowsZone{"Eastern Standard Time (Mexico)", "America/Cancun"},
    WindowsZone{"Eastern Standard Time", "America/New_York"},
    WindowsZone{"US Eastern Standard Time", "America/Indiana/Indianapolis"},
    WindowsZone{"Atlantic Standard Time", "America/Halifax"},
    WindowsZone{"SA Western Standard Time", "America/La_Paz"},
    WindowsZone{"Newfoundland Standard Time", "America/St_Johns"},
    WindowsZone{"E. South America Standard Time", "America/Sao_Paulo"},
    WindowsZone{"SA Eastern Standard Time", "America/Cayenne"},
    WindowsZone{"Argentina Standard Time", "America/Argentina/Buenos_Aires"},
    WindowsZone{"Greenland Standard Time", "America/Nuuk"},
    WindowsZone{"UTC-02", "Etc/GMT+2"},
    WindowsZone{"Azores Standard Time", "Atlantic/Azores"},
    WindowsZone{"Cape Verde Standard Time", "Atlantic/Cape_Verde"},
    WindowsZone{"UTC", "Etc/UTC"},
    WindowsZone{"Coordinated Universal Time", "Etc/UTC"},
    WindowsZone{"GMT Standard Time", "Europe/London"},
    WindowsZone{"Greenwich Standard Time", "Atlantic/Reykjavik"},
    WindowsZone{"Morocco Standard Time", "Africa/Casablanca"},
    WindowsZone{"W. Europe Standard Time", "Europe/Berlin"},
    WindowsZone{"Central Europe Standard Time", "Europe/Budapest"},
    WindowsZone{"Romance Standard Time", "Europe/Paris"},
    WindowsZone{"Central European Standard Time", "Europe/Warsaw"},
    WindowsZone{"W. Central Africa Standard Time", "Africa/Lagos"},
    WindowsZone{"GTB Standard Time", "Europe/Bucharest"},
    WindowsZone{"Middle East Standard Time", "Asia/Beirut"},
    WindowsZone{"Egypt Standard Time", "Africa/Cairo"},
    WindowsZone{"E. Europe Standard Time", "Europe/Chisinau"},
    WindowsZone{"FLE Standard Time", "Europe/Helsinki"},
    WindowsZone{"(UTC+02:00) Helsinki, Kyiv, Riga, Sofia, Tallinn, Vilnius", "Europe/Helsinki"},
    WindowsZone{"(UTC+02:00) Helsinki, Kiev, Riga, Sofia, Tallinn, Vilnius", "Europe/Helsinki"},
    WindowsZone{"(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", "Europe/Berlin"},
    WindowsZone{"Israel Standard Time", "Asia/Jerusalem"},
    WindowsZone{"South Africa Standard Time", "Africa/Johannesburg"},
    WindowsZone{"Kaliningrad Standard Time", "Europe/Kaliningrad"},
    WindowsZone{"Libya Standard Time", "Africa/Tripoli"},
    WindowsZone{"Namibia Standard Time", "Africa/Windhoek"},
    WindowsZone{"Jordan Standard Time", "Asia/Amman"},
    WindowsZone{"Syria Standard Time", "Asia/Damascus"},
    WindowsZone{"Arabic Standard Time", "Asia/Baghdad"},
    WindowsZone{"Turkey Standard Time", "Europe/Istanbul"},
    WindowsZone{"Arab Standard Time", "Asia/Riyadh"},
    WindowsZone{"Belarus Standard Time", "Europe/Minsk"},
    WindowsZone{"Russian Standard Time", "Europe/Moscow"},
    WindowsZone{"Volgograd Standard Time", "Europe/Volgograd"},
    WindowsZone{"E. Africa Standard Time", "Africa/Nairobi"},
    WindowsZone{"Iran Standard Time", "Asia/Tehran"},
    WindowsZone{"Arabian Standard Time", "Asia/Dubai"},
    WindowsZone{"Azerbaijan Standard Time", "Asia/Baku"},
    WindowsZone{"Georgian Standard Time", "Asia/Tbilisi"},
    WindowsZone{"Caucasus Standard Time", "Asia/Yerevan"},
    WindowsZone{"Afghanistan Standard Time", "Asia/Kabul"},
    WindowsZone{"Ekaterinburg Standard Time", "Asia/Yekaterinburg"},
    WindowsZone{"Pakistan Standard Time", "Asia/Karachi"},
    WindowsZone{"India Standard Time", "Asia/Kolkata"},
    WindowsZone{"Sri Lanka Standard Time", "Asia/Colombo"},
    WindowsZone{"Nepal Standard Time", "Asia/Kathmandu"},
    WindowsZone{"Bangladesh Standard Time", "Asia/Dhaka"},
    WindowsZone{"SE Asia Standard Time", "Asia/Bangkok"},
    WindowsZone{"China Standard Time", "Asia/Shanghai"},
    WindowsZone{"Singapore Standard Time", "Asia/Singapore"},
    WindowsZone{"Taipei Standard Time", "Asia/Taipei"},
    WindowsZone{"W. Australia Standard Time", "Australia/Perth"},
    WindowsZone{"Tokyo Standard Time", "Asia/Tokyo"},
    WindowsZone{"Korea Standard Time", "Asia/Seoul"},
    WindowsZone{"Cen. Australia Standard Time", "Australia/Adelaide"},
    WindowsZone{"AUS Eastern Standard Time", "Australia/Sydney"},
    WindowsZone{"New Zealand Standard Time", "Pacific/Auckland"},
};

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

} // namespace

std::optional<std::string_view> ianaForWindowsZone(std::string_view windowsName)
{
    for (const auto& zone : kWindowsZones) {
        if (equalsIgnoringCase(zone.windows, windowsName)) return zone.iana;
    }
    return std::nullopt;
}

std::span<const WindowsZone> windowsZoneTable() { return kWindowsZones; }

} // namespace kohtaamo
