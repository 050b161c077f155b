#include "bundle_codec.hpp"

#include "bundle_decode.hpp"

#include <fmt/format.h>

namespace kohtaamo::bundle_codec {

using nlohmann::json;

namespace {

constexpr std::string_view kDefaultTimeZone = "Europe/Helsinki";

json encodeText(const LocalizedText& text)
{
    json object = json::object();
    for (const auto& [language, value] : text.all()) object[language] = value;
    return object;
}

void putText(json& object, const char* key, const LocalizedText& text)
{
    if (!text.empty()) object[key] = encodeText(text);
}

void putString(json& object, const char* key, const std::string& value)
{
    if (!value.empty()) object[key] = value;
}

json encodeWeekdays(WeekdaySet days)
{
    json list = json::array();
    for (std::size_t i = 0; i < kWeekdayKeys.size(); ++i) {
        if (days & (1u << i)) list.push_back(kWeekdayKeys[i]);
    }
    return list;
}

json encodeHours(const OpeningHours& hours)
{
    json object = json::object();
    for (const auto& weekly : hours.weekly) {
        json item = {{"days", encodeWeekdays(weekly.weekdays)},
                     {"open", formatTimeOfDay(weekly.open)},
                     {"close", formatTimeOfDay(weekly.close)}};
        if (weekly.closeDayOffset != (weekly.close <= weekly.open ? 1 : 0)) item["close_day_offset"] = weekly.closeDayOffset;
        if (weekly.kind != HoursKind::Regular) item["kind"] = toKey(weekly.kind);
        if (weekly.validFrom) item["from"] = formatDate(*weekly.validFrom);
        if (weekly.validTo) item["to"] = formatDate(*weekly.validTo);
        putText(item, "note", weekly.note);
        object["weekly"].push_back(std::move(item));
    }
    for (const auto& exception : hours.exceptions) {
        json item = json::object();
        if (exception.from == exception.to) {
            item["date"] = formatDate(exception.from);
        } else {
            item["from"] = formatDate(exception.from);
            item["to"] = formatDate(exception.to);
        }
        if (exception.closed) item["closed"] = true;
        for (const auto& block : exception.blocks) {
            json blockJson = {{"open", formatTimeOfDay(block.open)}, {"close", formatTimeOfDay(block.close)}};
            if (block.kind != HoursKind::Regular) blockJson["kind"] = toKey(block.kind);
            item["blocks"].push_back(std::move(blockJson));
        }
        putText(item, "note", exception.note);
        object["exceptions"].push_back(std::move(item));
    }
    if (hours.alwaysOpen) object["always_open"] = true;
    if (hours.byAppointment) object["by_appointment"] = true;
    putText(object, "notes", hours.notes);
    return object;
}

void putContact(json& object, const Contact& contact)
{
    json item = json::object();
    putString(item, "phone", contact.phone);
    putString(item, "email", contact.email);
    putString(item, "url", contact.url);
    if (!item.empty()) object["contact"] = std::move(item);
}

void putAudience(json& object, const Audience& audience)
{
    json item = json::object();
    if (audience.minAge) item["min_age"] = *audience.minAge;
    if (audience.maxAge) item["max_age"] = *audience.maxAge;
    if (audience.parents) item["parents"] = true;
    if (!item.empty()) object["audience"] = std::move(item);
}

void putCost(json& object, const Cost& cost)
{
    json item = json::object();
    if (cost.isFree) item["free"] = *cost.isFree;
    putText(item, "description", cost.description);
    if (!item.empty()) object["cost"] = std::move(item);
}

void putLanguages(json& object, const std::vector<std::string>& languages)
{
    if (!languages.empty()) object["languages"] = languages;
}

// All-day series write whole days as dates; anything else keeps its time of day.
std::string formatScheduleTime(LocalDateTime local, bool allDay)
{
    const auto day = std::chrono::floor<date::days>(local);
    return allDay && day == local ? formatDate(day) : formatLocalDateTime(local);
}

json encodeSchedule(const Schedule& schedule)
{
    json object = {{"start", formatScheduleTime(schedule.start, schedule.allDay)}};
    const auto minutes = schedule.duration.count();
    const bool wholeDays = std::chrono::floor<date::days>(schedule.start) == schedule.start && minutes % (24 * 60) == 0;
    if (schedule.allDay) object["all_day"] = true;
    if (minutes > 0 && schedule.allDay && wholeDays) {
        object["end"] = formatDate(std::chrono::floor<date::days>(schedule.start) + date::days{minutes / (24 * 60) - 1});
    } else if (minutes > 0 && schedule.allDay) {
        object["duration_minutes"] = minutes;
    } else if (minutes > 0) {
        object["end"] = formatLocalDateTime(schedule.start + schedule.duration);
    }
    if (schedule.timeZone != kDefaultTimeZone) object["timezone"] = schedule.timeZone;
    putString(object, "rrule", schedule.rrule);
    for (const auto& exdate : schedule.exdates) object["exdates"].push_back(formatScheduleTime(exdate, schedule.allDay));
    for (const auto& rdate : schedule.rdates) object["rdates"].push_back(formatScheduleTime(rdate, schedule.allDay));
    for (const auto& change : schedule.overrides) {
        json item = {{"recurrence_id", formatScheduleTime(change.recurrenceId, schedule.allDay)}};
        if (change.start) item["start"] = formatScheduleTime(*change.start, schedule.allDay);
        if (change.duration) item["duration_minutes"] = change.duration->count();
        if (change.status) item["status"] = toKey(*change.status);
        putText(item, "title", change.title);
        object["overrides"].push_back(std::move(item));
    }
    return object;
}

} // namespace

// Helsinki wall-clock time with its offset, as people write it: 2026-12-01T08:00+02:00.
std::string formatInstant(Instant instant)
{
    const auto& zone = TimeZone::helsinki();
    if (instant != std::chrono::floor<Minutes>(instant)) return formatIso(instant, zone);
    const auto offset = zone.utcOffset(instant).count();
    const auto magnitude = offset < 0 ? -offset : offset;
    return fmt::format("{}{}{:02}:{:02}", formatLocalDateTime(zone.toLocal(instant)), offset < 0 ? '-' : '+', magnitude / 60,
                       magnitude % 60);
}

json encode(const Place& place)
{
    json object = {{"id", place.id}, {"kind", toKey(place.kind)}, {"name", encodeText(place.name)}};
    putText(object, "description", place.description);
    json address = json::object();
    putText(address, "street", place.address.street);
    putString(address, "postal_code", place.address.postalCode);
    putText(address, "city", place.address.city);
    if (!address.empty()) object["address"] = std::move(address);
    if (place.location) object["location"] = {{"lat", place.location->lat}, {"lon", place.location->lon}};
    putContact(object, place.contact);
    putText(object, "accessibility", place.accessibility);
    putString(object, "parent", place.parentId);
    if (!place.hours.empty()) object["hours"] = encodeHours(place.hours);
    return object;
}

json encode(const Service& service)
{
    json object = {{"id", service.id}, {"category", toKey(service.category)}, {"name", encodeText(service.name)}};
    putText(object, "summary", service.summary);
    putText(object, "description", service.description);
    putAudience(object, service.audience);
    putLanguages(object, service.languages);
    putCost(object, service.cost);
    json organisation = json::object();
    if (service.organisationKind != OrganisationKind::Public) organisation["kind"] = toKey(service.organisationKind);
    putText(organisation, "name", service.organisationName);
    if (!organisation.empty()) object["organisation"] = std::move(organisation);
    if (!service.placeIds.empty()) object["places"] = service.placeIds;
    putContact(object, service.contact);
    for (const auto& atPlace : service.hoursAtPlaces) {
        object["hours"].push_back({{"place", atPlace.placeId}, {"hours", encodeHours(atPlace.hours)}});
    }
    return object;
}

json encode(const Event& event)
{
    json object = {{"id", event.id}, {"category", toKey(event.category)}, {"title", encodeText(event.title)}};
    putText(object, "description", event.description);
    putString(object, "place", event.placeId);
    putText(object, "location_text", event.locationText);
    putAudience(object, event.audience);
    putLanguages(object, event.languages);
    if (event.registration != Registration::NotNeeded) object["registration"] = toKey(event.registration);
    putCost(object, event.cost);
    if (event.status != EventStatus::Scheduled) object["status"] = toKey(event.status);
    putString(object, "url", event.url);
    object["schedule"] = encodeSchedule(event.schedule);
    return object;
}

json encode(const Announcement& announcement)
{
    json object = {{"id", announcement.id}, {"title", encodeText(announcement.title)}};
    putText(object, "body", announcement.body);
    if (announcement.validFrom) object["valid_from"] = formatInstant(*announcement.validFrom);
    if (announcement.validUntil) object["valid_until"] = formatInstant(*announcement.validUntil);
    putString(object, "place", announcement.placeId);
    return object;
}

} // namespace kohtaamo::bundle_codec
