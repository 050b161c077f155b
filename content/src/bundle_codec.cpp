#include "bundle_codec.hpp"

#include "content/occurrences.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <map>

namespace kohtaamo::bundle_codec {
namespace {

using nlohmann::json;

// Limits from bundle-format.md. Lengths are in code points, so a Finnish title is not cut short
// for its ä and ö.
constexpr std::size_t kMaxTitleLength = 200;
constexpr std::size_t kMaxTextLength = 4000;
constexpr std::size_t kMaxIdLength = 128;
constexpr std::int64_t kMaxAge = 120;
// Ten years: Linked Events has exhibitions running for years; the cap only keeps the minute
// arithmetic far from overflow.
constexpr std::int64_t kMaxDurationDays = 3653;
constexpr std::int64_t kMaxDurationMinutes = kMaxDurationDays * 24 * 60;
constexpr std::string_view kDefaultTimeZone = "Europe/Helsinki";
constexpr std::array<std::string_view, 7> kWeekdayKeys{"mo", "tu", "we", "th", "fr", "sa", "su"};

constexpr std::string_view kExpectText = R"(a text object such as {"fi": "…"})";
constexpr std::string_view kExpectId = "an id string of 1–128 characters";
constexpr std::string_view kExpectDate = R"(a date string "YYYY-MM-DD")";
constexpr std::string_view kExpectTime = R"(a time string "HH:MM")";
constexpr std::string_view kExpectHours = R"(an hours object such as {"weekly": […]})";
constexpr std::string_view kExpectWeekdays = R"(a list of weekdays such as ["mo", "we"])";

/// How a text is cleaned: titles are capped shorter, and only bodies keep their line breaks.
enum class TextKind { Title, Line, Body };
enum class Need { Optional, Required };
/// Which spellings a schedule value accepts: all-day series take dates, the rest date-times.
enum class DateForm { DateTime, Date, DateOrDateTime };

// Decodes the code point at `pos` and advances past it; nullopt for a malformed, overlong,
// surrogate or out-of-range sequence (the same ones nlohmann's parser refuses).
std::optional<char32_t> decodeUtf8(std::string_view text, std::size_t& pos)
{
    const auto lead = static_cast<unsigned char>(text[pos]);
    if (lead < 0x80) {
        ++pos;
        return lead;
    }
    std::size_t length = 0;
    char32_t codePoint = 0;
    char32_t smallest = 0;
    if ((lead & 0xE0) == 0xC0) {
        length = 2, codePoint = lead & 0x1F, smallest = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3, codePoint = lead & 0x0F, smallest = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4, codePoint = lead & 0x07, smallest = 0x10000;
    } else {
        return std::nullopt;
    }
    if (pos + length > text.size()) return std::nullopt;
    for (std::size_t i = 1; i < length; ++i) {
        const auto next = static_cast<unsigned char>(text[pos + i]);
        if ((next & 0xC0) != 0x80) return std::nullopt;
        codePoint = (codePoint << 6) | (next & 0x3F);
    }
    if (codePoint < smallest || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
        return std::nullopt;
    }
    pos += length;
    return codePoint;
}

bool isControl(char32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

// Bidi overrides and isolates can make a kiosk text read differently from what was published.
bool isBidiControl(char32_t c) { return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069); }


void trim(std::string& text)
{
    const auto first = text.find_first_not_of(" \n");
    if (first == std::string::npos) {
        text.clear();
        return;
    }
    text.erase(text.find_last_not_of(" \n") + 1);
    text.erase(0, first);
}

// `text` is valid UTF-8 here, so cutting before a lead byte never splits a sequence.
void capLength(std::string& text, std::size_t maxCodePoints)
{
    std::size_t count = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && count++ == maxCodePoints) {
            text.resize(i);
            trim(text);
            return;
        }
    }
}

/// The cleaned text, or the byte offset of the first invalid UTF-8 sequence.
std::expected<std::string, std::size_t> sanitise(std::string_view raw, TextKind kind)
{
    std::string out;
    out.reserve(raw.size());
    std::size_t pos = 0;
    while (pos < raw.size()) {
        const std::size_t start = pos;
        const auto codePoint = decodeUtf8(raw, pos);
        if (!codePoint) return std::unexpected(start);
        if (*codePoint == '\r' && pos < raw.size() && raw[pos] == '\n') continue;
        if (*codePoint == '\n' || *codePoint == '\r' || *codePoint == '\t') {
            // These separate words; dropping them outright would glue "Vauva\nryhmä" together.
            out += kind == TextKind::Body && *codePoint != '\t' ? '\n' : ' ';
            continue;
        }
        if (isControl(*codePoint) || isBidiControl(*codePoint)) continue;
        out.append(raw.substr(start, pos - start));
    }
    trim(out);
    capLength(out, kind == TextKind::Title ? kMaxTitleLength : kMaxTextLength);
    return out;
}

// A string as JSON shows it, shortened so one bad value cannot flood the problem list.
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

std::string member(const std::string& path, std::string_view key)
{
    const bool plain = !key.empty() && key.find_first_not_of("abcdefghijklmnopqrstuvwxyz"
                                                              "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == key.npos;
    return plain ? fmt::format("{}.{}", path, key) : fmt::format("{}[{}]", path, quote(key));
}

std::string element(const std::string& path, std::size_t index) { return fmt::format("{}[{}]", path, index); }

template <class Enum>
std::string keyList()
{
    std::string list;
    for (int i = 0;; ++i) {
        const auto key = toKey(static_cast<Enum>(i));
        if (key.empty()) return list;
        list += list.empty() ? "" : ", ";
        list += key;
    }
}

/// Reads JSON values into the model, appending a problem for everything that is wrong and carrying
/// on, so one pass over a bundle reports all of its problems.
class Decoder {
public:
    explicit Decoder(std::vector<BundleProblem>& problems) : m_problems(problems) {}

    void problem(std::string path, std::string message) { m_problems.push_back({std::move(path), std::move(message)}); }
    [[nodiscard]] std::size_t problemCount() const { return m_problems.size(); }

    void wrongType(const std::string& path, std::string_view expected, const json& value)
    {
        problem(path, fmt::format("expected {}, got {}", expected, describe(value)));
    }

    bool isObject(const json& value, const std::string& path, std::string_view expected)
    {
        if (value.is_object()) return true;
        wrongType(path, expected, value);
        return false;
    }

    // Null counts as absent, as many JSON writers emit it for an unset optional value.
    const json* lookup(const json& object, std::string_view key, const std::string& path, Need need,
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

    template <class Fn>
    void eachItem(const json& object, std::string_view key, const std::string& path, Fn&& fn)
    {
        const json* list = lookup(object, key, path, Need::Optional, "a list");
        if (!list) return;
        const auto listPath = member(path, key);
        if (!list->is_array()) {
            wrongType(listPath, "a list", *list);
            return;
        }
        for (std::size_t i = 0; i < list->size(); ++i) fn((*list)[i], element(listPath, i));
    }

    std::optional<std::string> stringValue(const json& value, const std::string& path, std::string_view expected)
    {
        if (value.is_string()) return value.get<std::string>();
        wrongType(path, expected, value);
        return std::nullopt;
    }

    void invalidUtf8(const std::string& path, std::string_view text, std::size_t offset)
    {
        problem(path, fmt::format("{} has invalid UTF-8 at byte {} (texts must be UTF-8)", quote(text), offset));
    }

    std::optional<std::string> idValue(const json& value, const std::string& path)
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

    std::optional<std::string> idField(const json& object, std::string_view key, const std::string& path, Need need)
    {
        const json* value = lookup(object, key, path, need, kExpectId);
        return value ? idValue(*value, member(path, key)) : std::nullopt;
    }

    LocalizedText textValue(const json& value, const std::string& path, TextKind kind)
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

    LocalizedText textField(const json& object, std::string_view key, const std::string& path, TextKind kind, Need need)
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

    /// A single-line string such as a phone number, cleaned like a title.
    std::optional<std::string> plainField(const json& object, std::string_view key, const std::string& path)
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

    std::optional<std::string> urlField(const json& object, std::string_view key, const std::string& path)
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

    std::optional<LocalDate> dateValue(const json& value, const std::string& path)
    {
        const auto text = stringValue(value, path, kExpectDate);
        if (!text) return std::nullopt;
        auto day = parseDate(*text);
        if (!day) problem(path, fmt::format("{} is not a date (expected YYYY-MM-DD)", quote(*text)));
        return day;
    }

    std::optional<LocalDate> dateField(const json& object, std::string_view key, const std::string& path, Need need)
    {
        const json* value = lookup(object, key, path, need, kExpectDate);
        return value ? dateValue(*value, member(path, key)) : std::nullopt;
    }

    std::optional<TimeOfDay> timeField(const json& object, std::string_view key, const std::string& path)
    {
        const json* value = lookup(object, key, path, Need::Required, kExpectTime);
        if (!value) return std::nullopt;
        const auto text = stringValue(*value, member(path, key), kExpectTime);
        if (!text) return std::nullopt;
        auto time = parseTimeOfDay(*text);
        if (!time) problem(member(path, key), fmt::format("{} is not a time (expected HH:MM)", quote(*text)));
        return time;
    }

    std::optional<LocalDateTime> localDateTimeValue(const json& value, const std::string& path, DateForm form)
    {
        const auto text = stringValue(value, path,
                                      form == DateForm::Date ? kExpectDate : R"(a local date-time string "YYYY-MM-DDTHH:MM")");
        if (!text) return std::nullopt;
        const auto day = parseDate(*text);
        const auto local = parseLocalDateTime(*text);
        if (day && form != DateForm::DateTime) return LocalDateTime{*day};
        if (local && form != DateForm::Date) return local;
        if (form == DateForm::Date) {
            problem(path, local ? fmt::format("{} has a time of day, but the event is all-day (expected YYYY-MM-DD)", quote(*text))
                                : fmt::format("{} is not a date (expected YYYY-MM-DD)", quote(*text)));
        } else if (form == DateForm::DateOrDateTime) {
            problem(path, fmt::format("{} is not a date or a local date-time (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM)", quote(*text)));
        } else if (day) {
            problem(path, fmt::format(R"({} has no time of day (expected YYYY-MM-DDTHH:MM, or set "all_day": true))", quote(*text)));
        } else if (parseInstant(*text, TimeZone::helsinki())) {
            problem(path, fmt::format("{} has a UTC offset (expected wall-clock time YYYY-MM-DDTHH:MM in the schedule's timezone)",
                                      quote(*text)));
        } else {
            problem(path, fmt::format("{} is not a local date-time (expected YYYY-MM-DDTHH:MM)", quote(*text)));
        }
        return std::nullopt;
    }

    std::optional<Instant> instantField(const json& object, std::string_view key, const std::string& path)
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

    template <class Enum>
    std::optional<Enum> enumField(const json& object, std::string_view key, const std::string& path, std::string_view what,
                                  Need need)
    {
        const auto expected = fmt::format("{} (one of {})", what, keyList<Enum>());
        const json* value = lookup(object, key, path, need, expected);
        if (!value) return std::nullopt;
        const auto text = stringValue(*value, member(path, key), expected);
        if (!text) return std::nullopt;
        auto result = fromKey<Enum>(*text);
        if (!result) {
            problem(member(path, key), fmt::format("{} is not {} (expected one of {})", quote(*text), what, keyList<Enum>()));
        }
        return result;
    }

    std::optional<bool> booleanField(const json& object, std::string_view key, const std::string& path)
    {
        const json* value = lookup(object, key, path, Need::Optional, "true or false");
        if (!value) return std::nullopt;
        if (value->is_boolean()) return value->get<bool>();
        wrongType(member(path, key), "true or false", *value);
        return std::nullopt;
    }

    std::optional<std::int64_t> integerValue(const json& value, const std::string& path, std::int64_t min, std::int64_t max)
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

    std::optional<std::int64_t> integerField(const json& object, std::string_view key, const std::string& path,
                                             std::int64_t min, std::int64_t max)
    {
        const json* value = lookup(object, key, path, Need::Optional, "a whole number");
        return value ? integerValue(*value, member(path, key), min, max) : std::nullopt;
    }

    std::optional<double> coordinateField(const json& object, std::string_view key, const std::string& path, double limit)
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

    std::vector<std::string> languagesField(const json& object, const std::string& path)
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

    std::optional<WeekdaySet> weekdaysField(const json& object, const std::string& path)
    {
        const json* value = lookup(object, "days", path, Need::Required, kExpectWeekdays);
        if (!value) return std::nullopt;
        const auto daysPath = member(path, "days");
        if (!value->is_array()) {
            wrongType(daysPath, kExpectWeekdays, *value);
            return std::nullopt;
        }
        if (value->empty()) {
            problem(daysPath, "is empty (expected at least one weekday)");
            return std::nullopt;
        }
        WeekdaySet days = 0;
        bool valid = true;
        for (std::size_t i = 0; i < value->size(); ++i) {
            const auto itemPath = element(daysPath, i);
            const auto key = stringValue((*value)[i], itemPath, R"(a weekday such as "mo")");
            const auto found = key ? std::find(kWeekdayKeys.begin(), kWeekdayKeys.end(), *key) : kWeekdayKeys.end();
            if (found == kWeekdayKeys.end()) {
                if (key) problem(itemPath, fmt::format("{} is not a weekday (expected one of mo, tu, we, th, fr, sa, su)", quote(*key)));
                valid = false;
                continue;
            }
            days |= static_cast<WeekdaySet>(1u << (found - kWeekdayKeys.begin()));
        }
        return valid ? std::optional(days) : std::nullopt;
    }

    Address addressValue(const json& value, const std::string& path)
    {
        Address address;
        if (!isObject(value, path, R"(an address object {"street", "postal_code", "city"})")) return address;
        address.street = textField(value, "street", path, TextKind::Title, Need::Optional);
        address.postalCode = plainField(value, "postal_code", path).value_or("");
        address.city = textField(value, "city", path, TextKind::Title, Need::Optional);
        return address;
    }

    std::optional<GeoPoint> locationValue(const json& value, const std::string& path)
    {
        if (!isObject(value, path, R"(a location object {"lat": 60.17, "lon": 24.94})")) return std::nullopt;
        const auto lat = coordinateField(value, "lat", path, 90);
        const auto lon = coordinateField(value, "lon", path, 180);
        if (!lat || !lon) return std::nullopt;
        return GeoPoint{*lat, *lon};
    }

    Contact contactValue(const json& value, const std::string& path)
    {
        Contact contact;
        if (!isObject(value, path, R"(a contact object {"phone", "email", "url"})")) return contact;
        contact.phone = plainField(value, "phone", path).value_or("");
        contact.email = plainField(value, "email", path).value_or("");
        contact.url = urlField(value, "url", path).value_or("");
        return contact;
    }

    Audience audienceValue(const json& value, const std::string& path)
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

    Cost costValue(const json& value, const std::string& path)
    {
        Cost cost;
        if (!isObject(value, path, R"(a cost object {"free": true, "description": {…}})")) return cost;
        cost.isFree = booleanField(value, "free", path);
        cost.description = textField(value, "description", path, TextKind::Body, Need::Optional);
        return cost;
    }

    OpeningHours hoursValue(const json& value, const std::string& path);
    Schedule scheduleValue(const json& value, const std::string& path);

private:
    std::optional<LocalDate> checkedRange(const json& item, const std::string& path, std::optional<LocalDate> from);
    void readDuration(const json& object, const std::string& path, LocalDateTime start, bool startValid, bool allDay,
                      std::optional<Minutes>& duration);

    std::vector<BundleProblem>& m_problems;
};

// Reads "to" and checks it is not before `from` (both inclusive dates).
std::optional<LocalDate> Decoder::checkedRange(const json& item, const std::string& path, std::optional<LocalDate> from)
{
    auto to = dateField(item, "to", path, Need::Optional);
    if (from && to && *to < *from) {
        problem(member(path, "to"), fmt::format("\"{}\" is before from \"{}\"", formatDate(*to), formatDate(*from)));
        return std::nullopt;
    }
    return to;
}

OpeningHours Decoder::hoursValue(const json& value, const std::string& path)
{
    OpeningHours hours;
    if (!isObject(value, path, kExpectHours)) return hours;
    eachItem(value, "weekly", path, [&](const json& item, const std::string& itemPath) {
        if (!isObject(item, itemPath, R"(a weekly hours object {"days", "open", "close"})")) return;
        WeeklyHours weekly;
        weekly.weekdays = weekdaysField(item, itemPath).value_or(0);
        const auto open = timeField(item, "open", itemPath);
        const auto close = timeField(item, "close", itemPath);
        if (open) weekly.open = *open;
        if (close) weekly.close = *close;
        if (open && open->minutes == 24 * 60) problem(member(itemPath, "open"), R"("24:00" is only valid as a closing time)");
        const auto offset = integerField(item, "close_day_offset", itemPath, 0, 6);
        // Closing at or before opening can only mean the hours run past midnight.
        weekly.closeDayOffset = offset ? static_cast<int>(*offset) : weekly.close <= weekly.open ? 1 : 0;
        if (offset && *offset == 0 && open && close && *close < *open) {
            problem(member(itemPath, "close"), fmt::format("\"{}\" is before open \"{}\" on the same day (close_day_offset is 0)",
                                                           formatTimeOfDay(*close), formatTimeOfDay(*open)));
        }
        weekly.kind = enumField<HoursKind>(item, "kind", itemPath, "an hours kind", Need::Optional).value_or(HoursKind::Regular);
        weekly.validFrom = dateField(item, "from", itemPath, Need::Optional);
        weekly.validTo = checkedRange(item, itemPath, weekly.validFrom);
        weekly.note = textField(item, "note", itemPath, TextKind::Line, Need::Optional);
        hours.weekly.push_back(std::move(weekly));
    });
    eachItem(value, "exceptions", path, [&](const json& item, const std::string& itemPath) {
        if (!isObject(item, itemPath, R"(an exception object {"date", "closed", "blocks", "note"})")) return;
        HoursException exception;
        const bool hasDate = item.contains("date");
        const bool hasRange = item.contains("from") || item.contains("to");
        if (hasDate && hasRange) {
            problem(member(itemPath, "date"), "give either date or from + to, not both");
        } else if (hasDate) {
            const auto day = dateField(item, "date", itemPath, Need::Required);
            if (day) exception.from = exception.to = *day;
        } else if (hasRange) {
            const auto from = dateField(item, "from", itemPath, Need::Required);
            const auto to = dateField(item, "to", itemPath, Need::Required);
            if (from && to && *to < *from) {
                problem(member(itemPath, "to"), fmt::format("\"{}\" is before from \"{}\"", formatDate(*to), formatDate(*from)));
            }
            if (from && to) exception.from = *from, exception.to = *to;
        } else {
            problem(member(itemPath, "date"), R"(missing (required: a date "YYYY-MM-DD", or "from" and "to"))");
        }
        exception.closed = booleanField(item, "closed", itemPath).value_or(false);
        eachItem(item, "blocks", itemPath, [&](const json& blockJson, const std::string& blockPath) {
            if (!isObject(blockJson, blockPath, R"(a block object {"open", "close"})")) return;
            TimeBlock block;
            block.open = timeField(blockJson, "open", blockPath).value_or(TimeOfDay{});
            block.close = timeField(blockJson, "close", blockPath).value_or(TimeOfDay{});
            block.kind = enumField<HoursKind>(blockJson, "kind", blockPath, "an hours kind", Need::Optional).value_or(HoursKind::Regular);
            exception.blocks.push_back(block);
        });
        if (exception.closed && !exception.blocks.empty()) {
            problem(member(itemPath, "blocks"), "a closed exception has no opening blocks (remove \"blocks\" or \"closed\")");
        }
        exception.note = textField(item, "note", itemPath, TextKind::Line, Need::Optional);
        hours.exceptions.push_back(std::move(exception));
    });
    hours.alwaysOpen = booleanField(value, "always_open", path).value_or(false);
    hours.byAppointment = booleanField(value, "by_appointment", path).value_or(false);
    hours.notes = textField(value, "notes", path, TextKind::Body, Need::Optional);
    return hours;
}

// "end" (after `start`; an inclusive date for all-day events) or "duration_minutes", not both.
void Decoder::readDuration(const json& object, const std::string& path, LocalDateTime start, bool startValid, bool allDay,
                           std::optional<Minutes>& duration)
{
    const json* endJson = lookup(object, "end", path, Need::Optional, "");
    const json* minutesJson = lookup(object, "duration_minutes", path, Need::Optional, "");
    if (endJson && minutesJson) {
        problem(member(path, "duration_minutes"), "give either end or duration_minutes, not both");
    } else if (minutesJson) {
        const auto minutes = integerValue(*minutesJson, member(path, "duration_minutes"), 1, kMaxDurationMinutes);
        if (minutes) duration = Minutes{*minutes};
    } else if (endJson) {
        const auto endPath = member(path, "end");
        const auto end = localDateTimeValue(*endJson, endPath, allDay ? DateForm::Date : DateForm::DateTime);
        if (!end || !startValid) return;
        const auto endExclusive = allDay ? *end + date::days{1} : *end;
        const auto shown = allDay ? formatDate(std::chrono::floor<date::days>(*end)) : formatLocalDateTime(*end);
        if (endExclusive <= start) {
            problem(endPath, fmt::format("\"{}\" is not after start \"{}\"", shown, allDay ? formatDate(std::chrono::floor<date::days>(start))
                                                                                       : formatLocalDateTime(start)));
        } else if (endExclusive - start > Minutes{kMaxDurationMinutes}) {
            problem(endPath, fmt::format("\"{}\" is more than {} days after start", shown, kMaxDurationDays));
        } else {
            duration = std::chrono::duration_cast<Minutes>(endExclusive - start);
        }
    }
}

Schedule Decoder::scheduleValue(const json& value, const std::string& path)
{
    Schedule schedule;
    if (!isObject(value, path, R"(a schedule object {"start": "YYYY-MM-DDTHH:MM", …})")) return schedule;
    schedule.allDay = booleanField(value, "all_day", path).value_or(false);
    const auto form = schedule.allDay ? DateForm::Date : DateForm::DateTime;
    const auto instanceForm = schedule.allDay ? DateForm::DateOrDateTime : DateForm::DateTime;

    const json* startJson = lookup(value, "start", path, Need::Required,
                                   schedule.allDay ? kExpectDate : R"(a local date-time string "YYYY-MM-DDTHH:MM")");
    const auto start = startJson ? localDateTimeValue(*startJson, member(path, "start"), form) : std::nullopt;
    if (start) schedule.start = *start;
    std::optional<Minutes> duration;
    readDuration(value, path, schedule.start, start.has_value(), schedule.allDay, duration);
    schedule.duration = duration.value_or(Minutes{0});

    if (const json* zone = lookup(value, "timezone", path, Need::Optional, "a time zone name")) {
        if (const auto name = stringValue(*zone, member(path, "timezone"), R"(an IANA time zone name such as "Europe/Helsinki")")) {
            if (TimeZone::named(*name)) {
                schedule.timeZone = *name;
            } else {
                problem(member(path, "timezone"),
                        fmt::format(R"({} is not a known time zone (expected an IANA name such as "Europe/Helsinki"))", quote(*name)));
            }
        }
    }

    if (const json* rruleJson = lookup(value, "rrule", path, Need::Optional, "an RRULE string")) {
        if (auto rrule = stringValue(*rruleJson, member(path, "rrule"), R"(an RRULE string such as "FREQ=WEEKLY;BYDAY=TU")")) {
            rrule->erase(rrule->find_last_not_of(" \t\r\n") + 1);
            rrule->erase(0, rrule->find_first_not_of(" \t\r\n"));
            // The property name is a common copy-paste from an .ics file; the value is what we store.
            if (rrule->size() >= 6 && (rrule->starts_with("RRULE:") || rrule->starts_with("rrule:"))) rrule->erase(0, 6);
            if (!rrule->empty()) {
                if (const auto valid = validateRrule(*rrule); !valid) {
                    // validateRrule's sentence usually quotes the rule already; never lose the value.
                    const auto& reason = valid.error().message;
                    problem(member(path, "rrule"), reason.find(quote(*rrule)) != std::string::npos
                                                       ? reason
                                                       : fmt::format("{} is not a valid RRULE: {}", quote(*rrule), reason));
                } else {
                    schedule.rrule = std::move(*rrule);
                }
            }
        }
    }

    eachItem(value, "exdates", path, [&](const json& item, const std::string& itemPath) {
        if (auto local = localDateTimeValue(item, itemPath, instanceForm)) schedule.exdates.push_back(*local);
    });
    eachItem(value, "rdates", path, [&](const json& item, const std::string& itemPath) {
        if (auto local = localDateTimeValue(item, itemPath, instanceForm)) schedule.rdates.push_back(*local);
    });

    std::map<LocalDateTime, std::string> seenRecurrenceIds;
    eachItem(value, "overrides", path, [&](const json& item, const std::string& itemPath) {
        if (!isObject(item, itemPath, R"(an override object {"recurrence_id", …})")) return;
        OccurrenceOverride change;
        const json* idJson = lookup(item, "recurrence_id", itemPath, Need::Required, "the instance's original local start");
        const auto idPath = member(itemPath, "recurrence_id");
        const auto recurrenceId = idJson ? localDateTimeValue(*idJson, idPath, instanceForm) : std::nullopt;
        if (recurrenceId) {
            change.recurrenceId = *recurrenceId;
            if (auto [it, inserted] = seenRecurrenceIds.emplace(*recurrenceId, idPath); !inserted) {
                problem(idPath, fmt::format("\"{}\" is overridden twice (also at {})", formatLocalDateTime(*recurrenceId), it->second));
            }
        }
        if (const json* startOverride = lookup(item, "start", itemPath, Need::Optional, "")) {
            change.start = localDateTimeValue(*startOverride, member(itemPath, "start"), instanceForm);
        }
        const auto base = change.start ? change.start : recurrenceId;
        readDuration(item, itemPath, base.value_or(LocalDateTime{}), base.has_value(), schedule.allDay, change.duration);
        change.status = enumField<EventStatus>(item, "status", itemPath, "an event status", Need::Optional);
        change.title = textField(item, "title", itemPath, TextKind::Title, Need::Optional);
        schedule.overrides.push_back(std::move(change));
    });
    return schedule;
}

// ---- Encoding ------------------------------------------------------------------------------

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

} // namespace

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
