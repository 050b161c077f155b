#include "content/model.hpp"

#include <array>
#include <utility>

namespace kohtaamo {
namespace {

template <class Enum, std::size_t N>
using KeyTable = std::array<std::pair<Enum, std::string_view>, N>;

constexpr KeyTable<HoursKind, 2> kHoursKinds{{{HoursKind::Regular, "regular"}, {HoursKind::DropIn, "dropin"}}};
constexpr KeyTable<PlaceKind, 6> kPlaceKinds{{{PlaceKind::FamilyCentre, "family_centre"},
                                              {PlaceKind::MeetingPlace, "meeting_place"},
                                              {PlaceKind::Clinic, "clinic"},
                                              {PlaceKind::Library, "library"},
                                              {PlaceKind::Parish, "parish"},
                                              {PlaceKind::Other, "other"}}};
constexpr KeyTable<OrganisationKind, 4> kOrganisationKinds{{{OrganisationKind::Public, "public"},
                                                            {OrganisationKind::Ngo, "ngo"},
                                                            {OrganisationKind::Parish, "parish"},
                                                            {OrganisationKind::Private, "private"}}};
constexpr KeyTable<ServiceCategory, 8> kServiceCategories{{{ServiceCategory::Neuvola, "neuvola"},
                                                           {ServiceCategory::FamilyCounselling, "family_counselling"},
                                                           {ServiceCategory::FamilyWork, "family_work"},
                                                           {ServiceCategory::EarlyEducation, "early_education"},
                                                           {ServiceCategory::NgoParish, "ngo_parish"},
                                                           {ServiceCategory::PeerSupport, "peer_support"},
                                                           {ServiceCategory::CrisisHelp, "crisis_help"},
                                                           {ServiceCategory::Other, "other"}}};
constexpr KeyTable<EventCategory, 5> kEventCategories{{{EventCategory::PeerGroup, "peer_group"},
                                                       {EventCategory::DropIn, "dropin"},
                                                       {EventCategory::Club, "club"},
                                                       {EventCategory::Info, "info"},
                                                       {EventCategory::Other, "other"}}};
constexpr KeyTable<Registration, 2> kRegistrations{{{Registration::NotNeeded, "none"},
                                                    {Registration::Required, "required"}}};
constexpr KeyTable<EventStatus, 4> kEventStatuses{{{EventStatus::Scheduled, "scheduled"},
                                                   {EventStatus::Cancelled, "cancelled"},
                                                   {EventStatus::Postponed, "postponed"},
                                                   {EventStatus::Rescheduled, "rescheduled"}}};

template <class Enum, std::size_t N>
std::string_view keyOf(const KeyTable<Enum, N>& table, Enum value)
{
    for (const auto& [entry, key] : table) {
        if (entry == value) return key;
    }
    return {};
}

template <class Enum, std::size_t N>
std::optional<Enum> valueOf(const KeyTable<Enum, N>& table, std::string_view key)
{
    for (const auto& [entry, entryKey] : table) {
        if (entryKey == key) return entry;
    }
    return std::nullopt;
}

} // namespace

std::string_view toKey(HoursKind value) { return keyOf(kHoursKinds, value); }
std::string_view toKey(PlaceKind value) { return keyOf(kPlaceKinds, value); }
std::string_view toKey(OrganisationKind value) { return keyOf(kOrganisationKinds, value); }
std::string_view toKey(ServiceCategory value) { return keyOf(kServiceCategories, value); }
std::string_view toKey(EventCategory value) { return keyOf(kEventCategories, value); }
std::string_view toKey(Registration value) { return keyOf(kRegistrations, value); }
std::string_view toKey(EventStatus value) { return keyOf(kEventStatuses, value); }

template <> std::optional<HoursKind> fromKey(std::string_view key) { return valueOf(kHoursKinds, key); }
template <> std::optional<PlaceKind> fromKey(std::string_view key) { return valueOf(kPlaceKinds, key); }
template <> std::optional<OrganisationKind> fromKey(std::string_view key) { return valueOf(kOrganisationKinds, key); }
template <> std::optional<ServiceCategory> fromKey(std::string_view key) { return valueOf(kServiceCategories, key); }
template <> std::optional<EventCategory> fromKey(std::string_view key) { return valueOf(kEventCategories, key); }
template <> std::optional<Registration> fromKey(std::string_view key) { return valueOf(kRegistrations, key); }
template <> std::optional<EventStatus> fromKey(std::string_view key) { return valueOf(kEventStatuses, key); }

} // namespace kohtaamo
