#pragma once
// The content model: what a kiosk knows about places, services, events and announcements,
// independent of where it came from (our bundle, iCalendar, PTV, Linked Events).

#include "content/localized_text.hpp"
#include "content/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kohtaamo {

/// Where a record came from: the configured source, the id upstream uses, and when upstream last changed it.
struct Provenance {
    std::string sourceId;
    std::string upstreamId;
    std::optional<Instant> upstreamModified;
    bool operator==(const Provenance&) const = default;
};

// ---- Opening hours -------------------------------------------------------------------------

/// What an open interval means to a family: ordinary opening, or open doors without booking.
enum class HoursKind { Regular, DropIn };

/// Weekdays as a bit set, Monday = bit 0 … Sunday = bit 6.
using WeekdaySet = std::uint8_t;
constexpr WeekdaySet kAllWeekdays = 0x7f;

/// Recurring weekly hours: on each day in `weekdays`, open at `open`, close at `close` `closeDayOffset`
/// days later (0 = same day; 1 = over midnight; PTV's OverMidnight can span several days).
/// `validFrom`/`validTo` (inclusive local dates) limit a season; no `validTo` = until further notice.
struct WeeklyHours {
    WeekdaySet weekdays = 0;
    TimeOfDay open;
    TimeOfDay close;
    int closeDayOffset = 0;
    HoursKind kind = HoursKind::Regular;
    std::optional<LocalDate> validFrom;
    std::optional<LocalDate> validTo;
    LocalizedText note;
    bool operator==(const WeeklyHours&) const = default;
};

/// A block of special hours on an exception day (close <= open runs over midnight).
struct TimeBlock {
    TimeOfDay open;
    TimeOfDay close;
    HoursKind kind = HoursKind::Regular;
    bool operator==(const TimeBlock&) const = default;
};

/// Replaces the weekly hours from `from` to `to` (inclusive local dates): closed, or the given blocks.
/// A note with no blocks and `closed == false` is only shown (e.g. "Juhannusaattona suljettu aikaisemmin").
struct HoursException {
    LocalDate from;
    LocalDate to;
    bool closed = false;
    std::vector<TimeBlock> blocks;
    LocalizedText note;
    bool operator==(const HoursException&) const = default;
};

struct OpeningHours {
    std::vector<WeeklyHours> weekly;
    std::vector<HoursException> exceptions;
    bool alwaysOpen = false;
    bool byAppointment = false;   ///< "ajanvarauksella": no open intervals, shown as a note
    LocalizedText notes;          ///< free text shown as it is
    [[nodiscard]] bool empty() const { return weekly.empty() && exceptions.empty() && !alwaysOpen && !byAppointment && notes.empty(); }
    bool operator==(const OpeningHours&) const = default;
};

// ---- Shared pieces -------------------------------------------------------------------------

struct Address {
    LocalizedText street;
    std::string postalCode;
    LocalizedText city;
    bool operator==(const Address&) const = default;
};

struct GeoPoint {
    double lat = 0;
    double lon = 0;
    bool operator==(const GeoPoint&) const = default;
};

/// Who something is for. Ages in whole years, inclusive; `parents` marks activities for the adults.
struct Audience {
    std::optional<int> minAge;
    std::optional<int> maxAge;
    bool parents = false;
    bool operator==(const Audience&) const = default;
};

/// `isFree` unset means no price information (Linked Events' empty offers), not "free".
struct Cost {
    std::optional<bool> isFree;
    LocalizedText description;
    bool operator==(const Cost&) const = default;
};

struct Contact {
    std::string phone;
    std::string email;
    std::string url;
    bool operator==(const Contact&) const = default;
};

// ---- Records -------------------------------------------------------------------------------

enum class PlaceKind { FamilyCentre, MeetingPlace, Clinic, Library, Parish, Other };

struct Place {
    std::string id;
    Provenance provenance;
    PlaceKind kind = PlaceKind::Other;
    LocalizedText name;
    LocalizedText description;
    Address address;
    std::optional<GeoPoint> location;
    Contact contact;
    LocalizedText accessibility;
    OpeningHours hours;
    std::string parentId;   ///< e.g. the family centre a meeting place belongs to
    bool operator==(const Place&) const = default;
};

enum class OrganisationKind { Public, Ngo, Parish, Private };

/// Service categories families browse by; stable keys used in bundles, filters and translations.
enum class ServiceCategory {
    Neuvola, FamilyCounselling, FamilyWork, EarlyEducation, NgoParish, PeerSupport, CrisisHelp, Other
};

/// Hours of one service at one place (PTV's connection-level hours).
struct ServiceHoursAtPlace {
    std::string placeId;
    OpeningHours hours;
    bool operator==(const ServiceHoursAtPlace&) const = default;
};

struct Service {
    std::string id;
    Provenance provenance;
    ServiceCategory category = ServiceCategory::Other;
    LocalizedText name;
    LocalizedText summary;
    LocalizedText description;
    Audience audience;
    std::vector<std::string> languages;   ///< languages the service is offered in
    Cost cost;
    OrganisationKind organisationKind = OrganisationKind::Public;
    LocalizedText organisationName;
    std::vector<std::string> placeIds;
    Contact contact;
    std::vector<ServiceHoursAtPlace> hoursAtPlaces;
    bool operator==(const Service&) const = default;
};

enum class EventCategory { PeerGroup, DropIn, Club, Info, Other };
enum class Registration { NotNeeded, Required };
enum class EventStatus { Scheduled, Cancelled, Postponed, Rescheduled };

/// A change to one instance of a series, addressed by the instance's original local start.
struct OccurrenceOverride {
    LocalDateTime recurrenceId;
    std::optional<LocalDateTime> start;
    std::optional<Minutes> duration;
    std::optional<EventStatus> status;
    LocalizedText title;
    bool operator==(const OccurrenceOverride&) const = default;
};

/// When an event happens, as wall-clock times in `timeZone`, so a weekly 09:30 group stays at 09:30
/// across DST changes. `rrule` is an RFC 5545 RRULE value ("FREQ=WEEKLY;BYDAY=TU"), empty for a
/// one-off event; UNTIL may be UTC (it is compared as an instant).
struct Schedule {
    LocalDateTime start;
    Minutes duration{0};
    bool allDay = false;
    std::string timeZone = "Europe/Helsinki";
    std::string rrule;
    std::vector<LocalDateTime> exdates;
    std::vector<LocalDateTime> rdates;
    std::vector<OccurrenceOverride> overrides;
    bool operator==(const Schedule&) const = default;
};

struct Event {
    std::string id;
    Provenance provenance;
    EventCategory category = EventCategory::Other;
    LocalizedText title;
    LocalizedText description;
    std::string placeId;
    LocalizedText locationText;   ///< room, floor, or an address when there is no place record
    Audience audience;
    std::vector<std::string> languages;   ///< languages the activity is held in
    Registration registration = Registration::NotNeeded;
    Cost cost;
    EventStatus status = EventStatus::Scheduled;
    std::string url;
    Schedule schedule;
    bool operator==(const Event&) const = default;
};

struct Announcement {
    std::string id;
    Provenance provenance;
    LocalizedText title;
    LocalizedText body;
    std::optional<Instant> validFrom;
    std::optional<Instant> validUntil;   ///< exclusive
    std::string placeId;                 ///< empty: shown at every place
    [[nodiscard]] bool isValidAt(Instant t) const
    {
        return (!validFrom || *validFrom <= t) && (!validUntil || t < *validUntil);
    }
    bool operator==(const Announcement&) const = default;
};

/// Everything one source provides; what an adapter produces and what the store replaces atomically.
struct SourceContent {
    std::vector<Place> places;
    std::vector<Service> services;
    std::vector<Event> events;
    std::vector<Announcement> announcements;
    [[nodiscard]] std::size_t itemCount() const
    {
        return places.size() + services.size() + events.size() + announcements.size();
    }
    bool operator==(const SourceContent&) const = default;
};

// Stable text keys for the enums (bundle format, SQLite, translations, TSV output).
[[nodiscard]] std::string_view toKey(HoursKind value);
[[nodiscard]] std::string_view toKey(PlaceKind value);
[[nodiscard]] std::string_view toKey(OrganisationKind value);
[[nodiscard]] std::string_view toKey(ServiceCategory value);
[[nodiscard]] std::string_view toKey(EventCategory value);
[[nodiscard]] std::string_view toKey(Registration value);
[[nodiscard]] std::string_view toKey(EventStatus value);
template <class Enum>
[[nodiscard]] std::optional<Enum> fromKey(std::string_view key);
template <> std::optional<HoursKind> fromKey(std::string_view key);
template <> std::optional<PlaceKind> fromKey(std::string_view key);
template <> std::optional<OrganisationKind> fromKey(std::string_view key);
template <> std::optional<ServiceCategory> fromKey(std::string_view key);
template <> std::optional<EventCategory> fromKey(std::string_view key);
template <> std::optional<Registration> fromKey(std::string_view key);
template <> std::optional<EventStatus> fromKey(std::string_view key);

} // namespace kohtaamo
