#include "bundle_decode.hpp"

#include <algorithm>
#include <cctype>

namespace kohtaamo::bundle_codec {

using nlohmann::json;
using text_sanitise::decodeUtf8;
using text_sanitise::isBidiControl;
using text_sanitise::isControl;
using text_sanitise::sanitise;

namespace {

// Limits from bundle-format.md. Lengths are in code points.
constexpr std::size_t kMaxIdLength = 128;
constexpr std::int64_t kMaxAge = 120;

constexpr std::string_view kExpectText = R"(a text object such as {"fi": "…"})";
constexpr std::string_view kExpectId = "an id string of 1–128 characters";

std::string describe(const json& value)
{
    switch (value.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return value.dump();
    case json::value_t::string: return "string " + quote(value.get_ref<const std::string&>());
    case json::value_t::array: return "a list";
    case json::value_t::object: return "an object";
    default: return "number " + value.dump();
    }
}

// A lower-case primary code ("fi", "sme"), optionally with subtags: Linked Events writes "zh_hans",
// and the store reads adapters' texts back through this codec.
bool isLanguageCode(std::string_view code)
{
    std::size_t pos = 0;
    while (pos < code.size() && code[pos] >= 'a' && code[pos] <= 'z') ++pos;
    if (pos < 2 || pos > 3) return false;
    while (pos < code.size()) {
        if (code[pos] != '-' && code[pos] != '_') return false;
        const auto subtag = ++pos;
        while (pos < code.size() && std::isalnum(static_cast<unsigned char>(code[pos]))) ++pos;
        if (pos == subtag || pos - subtag > 8) return false;
    }
    return true;
}

} // namespace

std::string quote(std::string_view text)
{
    constexpr std::size_t kShown = 60;
    std::size_t end = 0;
    for (std::size_t count = 0; end < text.size(); ++end) {
        if ((static_cast<unsigned char>(text[end]) & 0xC0) != 0x80 && count++ == kShown) break;
    }
    const auto shown = json(std::string(text.substr(0, end))).dump(-1, ' ', false, json::error_handler_t::replace);
    return end < text.size() ? shown + "…" : shown;
}

std::string member(const std::string& path, std::string_view key)
{
    const bool plain = !key.empty() && key.find_first_not_of("abcdefghijklmnopqrstuvwxyz"
                                                              "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == key.npos;
    return plain ? fmt::format("{}.{}", path, key) : fmt::format("{}[{}]", path, quote(key));
}

std::string element(const std::string& path, std::size_t index) { return fmt::format("{}[{}]", path, index); }

void Decoder::wrongType(const std::string& path, std::string_view expected, const json& value)
{
    problem(path, fmt::format("expected {}, got {}", expected, describe(value)));
}

bool Decoder::isObject(const json& value, const std::string& path, std::string_view expected)
{
    if (value.is_object()) return true;
    wrongType(path, expected, value);
    return false;
}

// Null counts as absent, as many JSON writers emit it for an unset optional value.
const json* Decoder::lookup(const json& object, std::string_view key, const std::string& path, Need need,
                            std::string_view expected)
{
    const auto it = object.find(key);
    if (it != object.end() && !it->is_null()) return &*it;
    if (need == Need::Required) {
        if (it == object.end()) {
            problem(member(path, key), fmt::format("missing (required: {})", expected));
        } else {
            wrongType(member(path, key), expected, *it);
        }
    }
    return nullptr;
}

std::optional<std::string> Decoder::stringValue(const json& value, const std::string& path, std::string_view expected)
{
    if (value.is_string()) return value.get<std::string>();
    wrongType(path, expected, value);
    return std::nullopt;
}

void Decoder::invalidUtf8(const std::string& path, std::string_view text, std::size_t offset)
{
    problem(path, fmt::format("{} has invalid UTF-8 at byte {} (texts must be UTF-8)", quote(text), offset));
}

std::optional<std::string> Decoder::idValue(const json& value, const std::string& path)
{
    auto text = stringValue(value, path, kExpectId);
    if (!text) return std::nullopt;
    std::size_t length = 0;
    for (std::size_t pos = 0; pos < text->size(); ++length) {
        const std::size_t start = pos;
        const auto codePoint = decodeUtf8(*text, pos);
        if (!codePoint) {
            invalidUtf8(path, *text, start);
            return std::nullopt;
        }
        if (isControl(*codePoint) || isBidiControl(*codePoint)) {
            problem(path, fmt::format("{} contains a control character (not allowed in an id)", quote(*text)));
            return std::nullopt;
        }
    }
    if (length == 0 || length > kMaxIdLength) {
        problem(path, fmt::format("{} is {} characters long (an id has 1–{})", quote(*text), length, kMaxIdLength));
        return std::nullopt;
    }
    return text;
}

std::optional<std::string> Decoder::idField(const json& object, std::string_view key, const std::string& path, Need need)
{
    const json* value = lookup(object, key, path, need, kExpectId);
    return value ? idValue(*value, member(path, key)) : std::nullopt;
}

LocalizedText Decoder::textValue(const json& value, const std::string& path, TextKind kind)
{
    LocalizedText result;
    if (!isObject(value, path, kExpectText)) return result;
    for (auto it = value.begin(); it != value.end(); ++it) {
        const auto itemPath = member(path, it.key());
        if (!isLanguageCode(it.key())) {
            problem(itemPath, fmt::format(R"({} is not a language code (expected a BCP 47 code such as "fi", "sv" or "en"))",
                                          quote(it.key())));
            continue;
        }
        const auto text = stringValue(it.value(), itemPath, "a string");
        if (!text) continue;
        auto clean = sanitise(*text, kind);
        if (!clean) {
            invalidUtf8(itemPath, *text, clean.error());
            continue;
        }
        result.set(it.key(), std::move(*clean));
    }
    return result;
}

LocalizedText Decoder::textField(const json& object, std::string_view key, const std::string& path, TextKind kind, Need need)
{
    const json* value = lookup(object, key, path, need, kExpectText);
    if (!value) return {};
    const auto before = problemCount();
    auto text = textValue(*value, member(path, key), kind);
    if (need == Need::Required && text.empty() && problemCount() == before) {
        problem(member(path, key), "has no text in any language (at least one must be non-empty)");
    }
    return text;
}

std::optional<std::string> Decoder::plainField(const json& object, std::string_view key, const std::string& path)
{
    const json* value = lookup(object, key, path, Need::Optional, "a string");
    if (!value) return std::nullopt;
    const auto valuePath = member(path, key);
    const auto text = stringValue(*value, valuePath, "a string");
    if (!text) return std::nullopt;
    auto clean = sanitise(*text, TextKind::Title);
    if (!clean) {
        invalidUtf8(valuePath, *text, clean.error());
        return std::nullopt;
    }
    return *clean;
}

std::optional<std::string> Decoder::urlField(const json& object, std::string_view key, const std::string& path)
{
    const json* value = lookup(object, key, path, Need::Optional, "a URL string");
    if (!value) return std::nullopt;
    const auto valuePath = member(path, key);
    auto text = stringValue(*value, valuePath, R"(a URL string such as "https://…")");
    if (!text) return std::nullopt;
    text->erase(text->find_last_not_of(" \t\r\n") + 1);
    text->erase(0, text->find_first_not_of(" \t\r\n"));
    if (text->empty()) return text;
    std::string scheme = text->substr(0, std::min<std::size_t>(text->size(), 8));
    for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::size_t prefix = scheme.starts_with("https://") ? 8 : scheme.starts_with("http://") ? 7 : 0;
    // Non-ASCII letters are fine (browsers take IRIs); spaces and controls would break the link.
    bool clean = prefix > 0 && text->size() > prefix;
    for (std::size_t pos = 0; clean && pos < text->size();) {
        const auto codePoint = decodeUtf8(*text, pos);
        clean = codePoint && *codePoint > 0x20 && !isControl(*codePoint) && !isBidiControl(*codePoint);
    }
    if (!clean) {
        problem(valuePath, fmt::format("{} is not an http(s) URL (expected a link starting with https:// or http://)", quote(*text)));
        return std::nullopt;
    }
    return text;
}

std::optional<Instant> Decoder::instantField(const json& object, std::string_view key, const std::string& path)
{
    constexpr std::string_view expected = R"(a date-time string such as "2026-12-01T08:00+02:00")";
    const json* value = lookup(object, key, path, Need::Optional, expected);
    if (!value) return std::nullopt;
    const auto text = stringValue(*value, member(path, key), expected);
    if (!text) return std::nullopt;
    auto instant = parseInstant(*text, TimeZone::helsinki());
    if (!instant) {
        problem(member(path, key), fmt::format("{} is not a date-time (expected e.g. 2026-12-01T08:00+02:00, "
                                               "or without an offset for Helsinki time)", quote(*text)));
    }
    return instant;
}

std::optional<bool> Decoder::booleanField(const json& object, std::string_view key, const std::string& path)
{
    const json* value = lookup(object, key, path, Need::Optional, "true or false");
    if (!value) return std::nullopt;
    if (value->is_boolean()) return value->get<bool>();
    wrongType(member(path, key), "true or false", *value);
    return std::nullopt;
}

std::optional<std::int64_t> Decoder::integerValue(const json& value, const std::string& path, std::int64_t min, std::int64_t max)
{
    if (!value.is_number_integer()) {
        wrongType(path, "a whole number", value);
        return std::nullopt;
    }
    const bool tooBig = value.is_number_unsigned() && value.get<std::uint64_t>() > static_cast<std::uint64_t>(max);
    const auto number = tooBig ? max + 1 : value.get<std::int64_t>();
    if (number < min || number > max) {
        problem(path, fmt::format("{} is out of range (expected {}–{})", value.dump(), min, max));
        return std::nullopt;
    }
    return number;
}

std::optional<std::int64_t> Decoder::integerField(const json& object, std::string_view key, const std::string& path,
                                                  std::int64_t min, std::int64_t max)
{
    const json* value = lookup(object, key, path, Need::Optional, "a whole number");
    return value ? integerValue(*value, member(path, key), min, max) : std::nullopt;
}

std::optional<double> Decoder::coordinateField(const json& object, std::string_view key, const std::string& path, double limit)
{
    const json* value = lookup(object, key, path, Need::Required, "a number (WGS84 degrees)");
    if (!value) return std::nullopt;
    if (!value->is_number()) {
        wrongType(member(path, key), "a number (WGS84 degrees)", *value);
        return std::nullopt;
    }
    const double degrees = value->get<double>();
    if (degrees < -limit || degrees > limit) {
        problem(member(path, key), fmt::format("{} is out of range (expected −{}…{} degrees)", value->dump(), limit, limit));
        return std::nullopt;
    }
    return degrees;
}

std::vector<std::string> Decoder::languagesField(const json& object, const std::string& path)
{
    std::vector<std::string> languages;
    eachItem(object, "languages", path, [&](const json& item, const std::string& itemPath) {
        const auto code = stringValue(item, itemPath, R"(a language code such as "fi")");
        if (code && !isLanguageCode(*code)) {
            problem(itemPath, fmt::format(R"({} is not a language code (expected a BCP 47 code such as "fi", "sv" or "en"))",
                                          quote(*code)));
        } else if (code) {
            languages.push_back(*code);
        }
    });
    return languages;
}

Address Decoder::addressValue(const json& value, const std::string& path)
{
    Address address;
    if (!isObject(value, path, R"(an address object {"street", "postal_code", "city"})")) return address;
    address.street = textField(value, "street", path, TextKind::Title, Need::Optional);
    address.postalCode = plainField(value, "postal_code", path).value_or("");
    address.city = textField(value, "city", path, TextKind::Title, Need::Optional);
    return address;
}

std::optional<GeoPoint> Decoder::locationValue(const json& value, const std::string& path)
{
    if (!isObject(value, path, R"(a location object {"lat": 60.17, "lon": 24.94})")) return std::nullopt;
    const auto lat = coordinateField(value, "lat", path, 90);
    const auto lon = coordinateField(value, "lon", path, 180);
    if (!lat || !lon) return std::nullopt;
    return GeoPoint{*lat, *lon};
}

Contact Decoder::contactValue(const json& value, const std::string& path)
{
    Contact contact;
    if (!isObject(value, path, R"(a contact object {"phone", "email", "url"})")) return contact;
    contact.phone = plainField(value, "phone", path).value_or("");
    contact.email = plainField(value, "email", path).value_or("");
    contact.url = urlField(value, "url", path).value_or("");
    return contact;
}

Audience Decoder::audienceValue(const json& value, const std::string& path)
{
    Audience audience;
    if (!isObject(value, path, R"(an audience object {"min_age", "max_age", "parents"})")) return audience;
    const auto minAge = integerField(value, "min_age", path, 0, kMaxAge);
    const auto maxAge = integerField(value, "max_age", path, 0, kMaxAge);
    if (minAge) audience.minAge = static_cast<int>(*minAge);
    if (maxAge) audience.maxAge = static_cast<int>(*maxAge);
    if (minAge && maxAge && *maxAge < *minAge) {
        problem(member(path, "max_age"), fmt::format("{} is below min_age {}", *maxAge, *minAge));
    }
    audience.parents = booleanField(value, "parents", path).value_or(false);
    return audience;
}

Cost Decoder::costValue(const json& value, const std::string& path)
{
    Cost cost;
    if (!isObject(value, path, R"(a cost object {"free": true, "description": {…}})")) return cost;
    cost.isFree = booleanField(value, "free", path);
    cost.description = textField(value, "description", path, TextKind::Body, Need::Optional);
    return cost;
}

Place decodePlace(const nlohmann::json& object, const std::string& path, std::vector<BundleProblem>& problems)
{
    Decoder decoder(problems);
    Place place;
    if (!decoder.isObject(object, path, "a place object")) return place;
    place.id = decoder.idField(object, "id", path, Need::Required).value_or("");
    place.kind = decoder.enumField<PlaceKind>(object, "kind", path, "a place kind", Need::Required).value_or(PlaceKind::Other);
    place.name = decoder.textField(object, "name", path, TextKind::Title, Need::Required);
    place.description = decoder.textField(object, "description", path, TextKind::Body, Need::Optional);
    if (const json* address = decoder.lookup(object, "address", path, Need::Optional, "")) {
        place.address = decoder.addressValue(*address, member(path, "address"));
    }
    if (const json* location = decoder.lookup(object, "location", path, Need::Optional, "")) {
        place.location = decoder.locationValue(*location, member(path, "location"));
    }
    if (const json* contact = decoder.lookup(object, "contact", path, Need::Optional, "")) {
        place.contact = decoder.contactValue(*contact, member(path, "contact"));
    }
    place.accessibility = decoder.textField(object, "accessibility", path, TextKind::Body, Need::Optional);
    place.parentId = decoder.idField(object, "parent", path, Need::Optional).value_or("");
    if (const json* hours = decoder.lookup(object, "hours", path, Need::Optional, "")) {
        place.hours = decoder.hoursValue(*hours, member(path, "hours"));
    }
    return place;
}

Service decodeService(const nlohmann::json& object, const std::string& path, std::vector<BundleProblem>& problems)
{
    Decoder decoder(problems);
    Service service;
    if (!decoder.isObject(object, path, "a service object")) return service;
    service.id = decoder.idField(object, "id", path, Need::Required).value_or("");
    service.category = decoder.enumField<ServiceCategory>(object, "category", path, "a service category", Need::Required)
                           .value_or(ServiceCategory::Other);
    service.name = decoder.textField(object, "name", path, TextKind::Title, Need::Required);
    service.summary = decoder.textField(object, "summary", path, TextKind::Line, Need::Optional);
    service.description = decoder.textField(object, "description", path, TextKind::Body, Need::Optional);
    if (const json* audience = decoder.lookup(object, "audience", path, Need::Optional, "")) {
        service.audience = decoder.audienceValue(*audience, member(path, "audience"));
    }
    service.languages = decoder.languagesField(object, path);
    if (const json* cost = decoder.lookup(object, "cost", path, Need::Optional, "")) {
        service.cost = decoder.costValue(*cost, member(path, "cost"));
    }
    if (const json* organisation = decoder.lookup(object, "organisation", path, Need::Optional, "")) {
        const auto organisationPath = member(path, "organisation");
        if (decoder.isObject(*organisation, organisationPath, R"(an organisation object {"kind", "name"})")) {
            service.organisationKind =
                decoder.enumField<OrganisationKind>(*organisation, "kind", organisationPath, "an organisation kind", Need::Optional)
                    .value_or(OrganisationKind::Public);
            service.organisationName = decoder.textField(*organisation, "name", organisationPath, TextKind::Title, Need::Optional);
        }
    }
    // Invalid entries stay as empty ids so that readBundle's paths match the JSON indexes.
    decoder.eachItem(object, "places", path, [&](const json& item, const std::string& itemPath) {
        service.placeIds.push_back(decoder.idValue(item, itemPath).value_or(""));
    });
    if (const json* contact = decoder.lookup(object, "contact", path, Need::Optional, "")) {
        service.contact = decoder.contactValue(*contact, member(path, "contact"));
    }
    decoder.eachItem(object, "hours", path, [&](const json& item, const std::string& itemPath) {
        ServiceHoursAtPlace atPlace;
        if (decoder.isObject(item, itemPath, R"(an object {"place": id, "hours": {…}})")) {
            atPlace.placeId = decoder.idField(item, "place", itemPath, Need::Required).value_or("");
            if (const json* hours = decoder.lookup(item, "hours", itemPath, Need::Required, kExpectHours)) {
                atPlace.hours = decoder.hoursValue(*hours, member(itemPath, "hours"));
            }
        }
        service.hoursAtPlaces.push_back(std::move(atPlace));
    });
    return service;
}

Event decodeEvent(const nlohmann::json& object, const std::string& path, std::vector<BundleProblem>& problems)
{
    Decoder decoder(problems);
    Event event;
    if (!decoder.isObject(object, path, "an event object")) return event;
    event.id = decoder.idField(object, "id", path, Need::Required).value_or("");
    event.category = decoder.enumField<EventCategory>(object, "category", path, "an event category", Need::Required)
                         .value_or(EventCategory::Other);
    event.title = decoder.textField(object, "title", path, TextKind::Title, Need::Required);
    event.description = decoder.textField(object, "description", path, TextKind::Body, Need::Optional);
    event.placeId = decoder.idField(object, "place", path, Need::Optional).value_or("");
    event.locationText = decoder.textField(object, "location_text", path, TextKind::Line, Need::Optional);
    if (const json* audience = decoder.lookup(object, "audience", path, Need::Optional, "")) {
        event.audience = decoder.audienceValue(*audience, member(path, "audience"));
    }
    event.languages = decoder.languagesField(object, path);
    event.registration = decoder.enumField<Registration>(object, "registration", path, "a registration", Need::Optional)
                             .value_or(Registration::NotNeeded);
    if (const json* cost = decoder.lookup(object, "cost", path, Need::Optional, "")) {
        event.cost = decoder.costValue(*cost, member(path, "cost"));
    }
    event.status = decoder.enumField<EventStatus>(object, "status", path, "an event status", Need::Optional)
                       .value_or(EventStatus::Scheduled);
    event.url = decoder.urlField(object, "url", path).value_or("");
    if (const json* schedule = decoder.lookup(object, "schedule", path, Need::Required,
                                              R"(a schedule object {"start": "YYYY-MM-DDTHH:MM", …})")) {
        event.schedule = decoder.scheduleValue(*schedule, member(path, "schedule"));
    }
    return event;
}

Announcement decodeAnnouncement(const nlohmann::json& object, const std::string& path, std::vector<BundleProblem>& problems)
{
    Decoder decoder(problems);
    Announcement announcement;
    if (!decoder.isObject(object, path, "an announcement object")) return announcement;
    announcement.id = decoder.idField(object, "id", path, Need::Required).value_or("");
    announcement.title = decoder.textField(object, "title", path, TextKind::Title, Need::Required);
    announcement.body = decoder.textField(object, "body", path, TextKind::Body, Need::Optional);
    announcement.validFrom = decoder.instantField(object, "valid_from", path);
    announcement.validUntil = decoder.instantField(object, "valid_until", path);
    if (announcement.validFrom && announcement.validUntil && *announcement.validUntil <= *announcement.validFrom) {
        decoder.problem(member(path, "valid_until"),
                        fmt::format("{} is not after valid_from {}", quote(formatInstant(*announcement.validUntil)),
                                    quote(formatInstant(*announcement.validFrom))));
    }
    announcement.placeId = decoder.idField(object, "place", path, Need::Optional).value_or("");
    return announcement;
}

} // namespace kohtaamo::bundle_codec
