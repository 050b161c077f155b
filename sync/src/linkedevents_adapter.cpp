#include "sync/linkedevents_adapter.hpp"

#include "polite_fetch.hpp"
#include "ptv_json.hpp"
#include "sync/source_adapter.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <set>

namespace kohtaamo {
namespace {

using ptv::array;
using ptv::json;
using ptv::member;
using ptv::string;

constexpr std::string_view kStateKind = "linkedevents";
constexpr std::string_view kEvent = "event";
// Set on a stored event whose date is the one it had before it was postponed.
constexpr std::string_view kPreviousTime = "kohtaamo_previous_time";
constexpr int kPageSize = 100;   // the API's maximum for events
constexpr std::string_view kInternet = "helsinki:internet";

// Parameters the fetch sets itself; the URL's own values would fight them.
const std::set<std::string, std::less<>> kOwnParameters{"start", "end", "days", "page", "page_size", "sort",
                                                        "last_modified_since", "show_deleted", "include"};

std::string percentDecoded(std::string_view text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        unsigned value = 0;
        if (text[i] == '%' && i + 2 < text.size() &&
            std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16).ptr == text.data() + i + 3) {
            out += static_cast<char>(value);
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

// {"id": "yso:p4354"} or {"@id": ".../keyword/yso:p4354/"} → "yso:p4354".
std::string refId(const json& ref)
{
    if (auto id = string(ref, "id"); !id.empty()) return id;
    std::string_view at = member(ref, "@id").is_string() ? member(ref, "@id").get_ref<const std::string&>() : std::string_view();
    while (!at.empty() && at.back() == '/') at.remove_suffix(1);
    const auto slash = at.rfind('/');
    return percentDecoded(slash == std::string_view::npos ? at : at.substr(slash + 1));
}

LocalizedText textMap(const json& value, const ptv::LanguageFilter& languages, bool html = false)
{
    LocalizedText text;
    const auto put = [&](const std::string& language, const std::string& raw) {
        auto clean = html ? htmlToText(raw) : raw;
        if (std::all_of(clean.begin(), clean.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); })) return;
        text.set(language, std::move(clean));
    };
    // Older instances send a plain string: Finnish.
    if (value.is_string()) put("fi", value.get<std::string>());
    if (!value.is_object()) return text;
    for (const auto& [language, item] : value.items()) {
        if (item.is_string() && languages.accepts(language)) put(language, item.get<std::string>());
    }
    return text;
}

// "www.helmet.fi/sello" as staff type it: a web address without its scheme.
std::string webUrl(std::string url)
{
    if (url.starts_with("www.")) return "https://" + url;
    return url;
}

std::string preferredText(const LocalizedText& text)
{
    for (const char* language : {"fi", "sv", "en"}) {
        if (auto value = text.exactly(language); !value.empty()) return std::string(value);
    }
    return text.empty() ? std::string() : text.all().begin()->second;
}

void decodeEntity(std::string_view entity, std::string& out)
{
    static const std::map<std::string_view, std::string_view> kNamed{
        {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"},
        {"ndash", "–"}, {"mdash", "—"}, {"hellip", "…"}, {"euro", "€"}, {"auml", "ä"}, {"ouml", "ö"},
        {"aring", "å"}, {"Auml", "Ä"}, {"Ouml", "Ö"}, {"Aring", "Å"}, {"rsquo", "’"}, {"lsquo", "‘"},
        {"rdquo", "”"}, {"ldquo", "“"}, {"bull", "•"}, {"middot", "·"}};
    if (auto it = kNamed.find(entity); it != kNamed.end()) {
        out += it->second;
        return;
    }
    unsigned long code = 0;
    bool ok = false;
    if (entity.size() > 1 && entity[0] == '#') {
        const bool hex = entity[1] == 'x' || entity[1] == 'X';
        const auto digits = entity.substr(hex ? 2 : 1);
        ok = !digits.empty() && std::from_chars(digits.data(), digits.data() + digits.size(), code, hex ? 16 : 10).ptr ==
                                    digits.data() + digits.size();
    }
    if (!ok || code == 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
        out += fmt::format("&{};", entity);
        return;
    }
    // UTF-8
    if (code < 0x80) {
        out += static_cast<char>(code);
    } else if (code < 0x800) {
        out += static_cast<char>(0xC0 | (code >> 6));
        out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
        out += static_cast<char>(0xE0 | (code >> 12));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (code >> 18));
        out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
    }
}

std::optional<int> ageOf(const json& value)
{
    if (!value.is_number_integer()) return std::nullopt;
    const auto age = value.get<long long>();
    if (age < 0 || age > 120) return std::nullopt;
    return static_cast<int>(age);
}

std::optional<EventStatus> statusOf(std::string_view status)
{
    if (status.empty() || status == "EventScheduled") return EventStatus::Scheduled;
    if (status == "EventCancelled") return EventStatus::Cancelled;
    if (status == "EventPostponed") return EventStatus::Postponed;
    if (status == "EventRescheduled") return EventStatus::Rescheduled;
    return std::nullopt;
}

bool isDateOnly(std::string_view text) { return text.size() == 10; }

class EventMapper {
public:
    EventMapper(const LinkedEventsOptions& options, std::string_view sourceId)
        : m_options(options), m_languages(options.languages), m_sourceId(sourceId) {}

    void add(const json& item, const std::string& where)
    {
        const auto id = string(item, "id");
        if (!item.is_object() || id.empty()) {
            problem(where, "not an event with an id (skipped)");
            return;
        }
        // A place, keyword or image list fed in by mistake is not a list of events.
        if (const auto type = string(item, "@type"); !type.empty() && !type.starts_with("Event")) {
            problem(fmt::format("{} \"{}\"", where, id), fmt::format("a {}, not an event (skipped)", type));
            return;
        }
        if (!member(item, "super_event_type").is_null()) m_superTypes[id] = string(item, "super_event_type");
        m_events.insert_or_assign(id, &item);
    }

    ParsedFeed finish()
    {
        ParsedFeed feed;
        for (const auto& [id, item] : m_events) {
            try {
                if (auto event = mapEvent(*item, id)) feed.content.events.push_back(std::move(*event));
            } catch (const json::exception& error) {
                problem(fmt::format("event \"{}\"", id), fmt::format("cannot be read: {} (skipped)", error.what()));
            }
        }
        for (auto& [id, place] : m_places) feed.content.places.push_back(std::move(place));
        feed.problems = std::move(m_problems);
        return feed;
    }

private:
    void problem(std::string location, std::string message) { m_problems.push_back({std::move(location), std::move(message)}); }

    LocalizedText text(const json& value, bool html = false) const
    {
        auto wanted = textMap(value, m_languages, html);
        if (!wanted.empty() || m_languages.keepsAll()) return wanted;
        return textMap(value, ptv::LanguageFilter({}), html);
    }

    // Times: UTC with Z, a date only (a whole day in Helsinki), or null.
    bool readSchedule(const json& item, Event& event, const std::string& what)
    {
        const auto& zone = TimeZone::helsinki();
        const auto startText = string(item, "start_time");
        const auto endText = string(item, "end_time");
        Schedule& schedule = event.schedule;
        if (isDateOnly(startText)) {
            const auto day = parseDate(startText);
            if (!day) return false;
            // A date-only end is the last day, inclusive (events.md §1.1).
            auto last = *day;
            if (isDateOnly(endText)) {
                last = parseDate(endText).value_or(*day);
            } else if (auto end = parseInstant(endText, zone)) {
                last = zone.localDate(*end - std::chrono::seconds{1});
            }
            if (last < *day) last = *day;
            schedule.allDay = true;
            schedule.start = LocalDateTime{*day};
            schedule.duration = std::chrono::duration_cast<Minutes>(last + date::days{1} - *day);
            return true;
        }
        const auto start = parseInstant(startText, zone);
        if (!start) return false;
        // No end (or an unusable one) is an end equal to the start: a session without a length.
        Instant end = *start;
        if (isDateOnly(endText)) {
            if (auto day = parseDate(endText)) end = zone.toInstant(LocalDateTime{*day + date::days{1}});
        } else if (auto parsed = endText.empty() ? std::nullopt : parseInstant(endText, zone)) {
            end = *parsed;
        }
        if (end < *start) {
            problem(what, fmt::format("end_time {} is not after start_time {}; shown without an end", endText, startText));
            end = *start;
        } else if (end == *start && !endText.empty()) {
            problem(what, fmt::format("end_time {} is not after start_time {}; shown without an end", endText, startText));
        }
        // Wall-clock times in Helsinki, unless one falls in the repeated hour of an autumn night,
        // where a wall-clock time has two instants: then UTC keeps the event exact.
        const auto localStart = zone.toLocal(*start);
        const auto localEnd = zone.toLocal(end);
        if (zone.toInstant(localStart) == *start && zone.toInstant(localEnd) == end && localEnd >= localStart) {
            schedule.start = localStart;
            schedule.duration = std::chrono::duration_cast<Minutes>(localEnd - localStart);
        } else {
            schedule.timeZone = "UTC";
            schedule.start = LocalDateTime{start->time_since_epoch()};
            schedule.duration = std::chrono::duration_cast<Minutes>(end - *start);
        }
        return true;
    }

    std::string placeFor(const json& location, Event& event)
    {
        auto id = refId(location);
        if (id.empty()) return {};
        const auto name = text(member(location, "name"));
        if (id == kInternet) {
            // A virtual event has no place to walk to; its name ("Internet") says where.
            ptv::appendText(event.locationText, name, ", ");
            return {};
        }
        if (name.empty()) return {};   // a reference only: the place is not in this feed
        if (!m_places.contains(id)) {
            Place place;
            place.id = id;
            place.provenance = Provenance{m_sourceId, id, std::nullopt};
            place.name = name;
            place.description = text(member(location, "description"), true);
            place.address.street = text(member(location, "street_address"));
            place.address.postalCode = string(location, "postal_code");
            place.address.city = text(member(location, "address_locality"));
            const json& coordinates = member(member(location, "position"), "coordinates");
            // GeoJSON order: longitude first.
            if (coordinates.is_array() && coordinates.size() >= 2 && coordinates[0].is_number() && coordinates[1].is_number()) {
                place.location = GeoPoint{.lat = coordinates[1].get<double>(), .lon = coordinates[0].get<double>()};
            }
            const json& telephone = member(location, "telephone");
            place.contact.phone = telephone.is_string() ? telephone.get<std::string>() : preferredText(text(telephone));
            place.contact.email = string(location, "email");
            place.contact.url = webUrl(preferredText(text(member(location, "info_url"))));
            for (const auto& [language, value] : place.name.all()) {
                std::string lower(value);
                for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                if (lower.find("kirjasto") != std::string::npos || lower.find("bibliotek") != std::string::npos ||
                    lower.find("library") != std::string::npos) {
                    place.kind = PlaceKind::Library;
                }
            }
            m_places.emplace(id, std::move(place));
        }
        return id;
    }

    std::optional<Event> mapEvent(const json& item, const std::string& id)
    {
        const auto what = fmt::format("event \"{}\"", id);
        if (ptv::flag(item, "deleted")) return std::nullopt;
        // The container of a series spans all its dates; its sub events are the sessions.
        if (string(item, "super_event_type") == "recurring") return std::nullopt;

        Event event;
        event.provenance = Provenance{m_sourceId, id, parseInstant(string(item, "last_modified_time"), TimeZone::helsinki())};
        const auto superId = refId(member(item, "super_event"));
        const auto superType = m_superTypes.find(superId);
        const bool umbrella = superType != m_superTypes.end() && superType->second == "umbrella";
        event.id = superId.empty() || umbrella ? id : fmt::format("{}/{}", superId, id);

        event.title = text(member(item, "name"));
        if (event.title.empty()) {
            problem(what, "has no name in any language (skipped)");
            return std::nullopt;
        }
        event.description = text(member(item, "description"), true);
        if (event.description.empty()) event.description = text(member(item, "short_description"));
        const auto status = statusOf(string(item, "event_status"));
        if (!status) problem(what, fmt::format("unknown event_status \"{}\"; shown as scheduled", string(item, "event_status")));
        event.status = status.value_or(EventStatus::Scheduled);

        if (member(item, "start_time").is_null()) {
            problem(what, event.status == EventStatus::Postponed ? "postponed with no new date yet (not shown)"
                                                                 : "has no start_time (not shown)");
            return std::nullopt;
        }
        if (!readSchedule(item, event, what)) {
            problem(what, fmt::format("start_time \"{}\" is not a date or a date-time (skipped)", string(item, "start_time")));
            return std::nullopt;
        }

        event.placeId = placeFor(member(item, "location"), event);
        ptv::appendText(event.locationText, text(member(item, "location_extra_info")), ", ");
        event.audience.minAge = ageOf(member(item, "audience_min_age"));
        event.audience.maxAge = ageOf(member(item, "audience_max_age"));
        if (event.audience.minAge && event.audience.maxAge && *event.audience.maxAge < *event.audience.minAge) {
            event.audience.maxAge.reset();
        }
        for (const auto& language : array(item, "in_language")) {
            if (auto code = refId(language); ptv::isLanguageCode(code)) event.languages.push_back(std::move(code));
        }
        event.category = m_options.category;
        std::vector<std::string> keywords;
        for (const auto& keyword : array(item, "keywords")) keywords.push_back(refId(keyword));
        for (const auto& [keyword, category] : m_options.keywordCategories) {
            if (std::find(keywords.begin(), keywords.end(), keyword) != keywords.end()) {
                event.category = category;
                break;
            }
        }
        const auto enrolment = [&](std::string_view key) {
            const json& value = member(item, key);
            return !value.is_null() && !(value.is_string() && value.get<std::string>().empty());
        };
        event.registration = enrolment("registration") || enrolment("enrolment_start_time") || enrolment("enrolment_end_time")
                                 ? Registration::Required
                                 : m_options.registration;
        // Empty offers mean no price information, not "free" (events.md pitfall 8).
        const json& offers = array(item, "offers");
        if (!offers.empty()) {
            bool allFree = true;
            for (const auto& offer : offers) allFree = allFree && ptv::flag(offer, "is_free");
            event.cost.isFree = allFree;
            for (const auto& offer : offers) {
                ptv::appendText(event.cost.description, text(member(offer, "price")), "; ");
                ptv::appendText(event.cost.description, text(member(offer, "description"), true), "; ");
            }
        }
        event.url = webUrl(preferredText(text(member(item, "info_url"))));
        return event;
    }

    const LinkedEventsOptions& m_options;
    ptv::LanguageFilter m_languages;
    std::string m_sourceId;
    std::map<std::string, const json*, std::less<>> m_events;
    std::map<std::string, std::string, std::less<>> m_superTypes;
    std::map<std::string, Place, std::less<>> m_places;
    std::vector<FeedProblem> m_problems;
};

// ---- Fetch -------------------------------------------------------------------------------------

std::string selectionOf(const LinkedEventsOptions& options)
{
    std::string filters;
    for (const auto& [key, value] : options.filters) filters += fmt::format("&{}={}", key, value);
    std::string include;
    for (const auto& item : options.include) include += "," + item;
    return fmt::format("v1|{}|{}|{}|{}", options.endpoint, filters, include, options.daysAhead);
}

// What the state keeps of an event: everything the mapping might read, without pictures and bulk.
json trimEvent(const json& event)
{
    json out = event;
    for (const char* key : {"images", "videos", "external_links", "custom_data", "@context", "@type", "data_source",
                            "publisher", "created_time", "date_published", "provider_contact_info", "sub_events"}) {
        out.erase(key);
    }
    return out;
}

// A postponed event that lost its date keeps its previous date, so families see "postponed" in the
// slot they remember instead of the event vanishing.
void keepPreviousTime(json& event, const std::map<std::string, std::string, std::less<>>* previous, const std::string& id)
{
    if (!previous || !member(event, "start_time").is_null() || string(event, "event_status") != "EventPostponed") return;
    const auto it = previous->find(id);
    if (it == previous->end()) return;
    const json before = json::parse(it->second, nullptr, false);
    if (before.is_discarded() || member(before, "start_time").is_null()) return;
    event["start_time"] = member(before, "start_time");
    event["end_time"] = member(before, "end_time");
    event[std::string(kPreviousTime)] = true;
}

} // namespace

std::string htmlToText(std::string_view html)
{
    std::string out;
    bool space = false;
    const auto breakLine = [&](int lines) {
        while (!out.empty() && out.back() == ' ') out.pop_back();
        int have = 0;
        for (auto it = out.rbegin(); it != out.rend() && *it == '\n'; ++it) ++have;
        if (out.empty()) return;
        for (; have < lines; ++have) out += '\n';
        space = false;
    };
    for (std::size_t i = 0; i < html.size();) {
        const char c = html[i];
        if (c == '<') {
            const auto close = html.find('>', i);
            if (close == std::string_view::npos) break;
            std::string tag;
            for (char t : html.substr(i + 1, close - i - 1)) {
                if (std::isspace(static_cast<unsigned char>(t)) || (t == '/' && !tag.empty())) break;
                tag += static_cast<char>(std::tolower(static_cast<unsigned char>(t)));
            }
            if (tag == "br" || tag == "br/") breakLine(1);
            else if (tag == "p" || tag == "/p" || tag == "div" || tag == "/div" || tag == "ul" || tag == "/ul" ||
                     tag == "ol" || tag == "/ol" || tag.starts_with("h") || tag.starts_with("/h")) breakLine(2);
            else if (tag == "li") {
                breakLine(1);
                out += "• ";
            }
            i = close + 1;
        } else if (c == '&') {
            const auto semicolon = html.find(';', i);
            const auto entity = semicolon == std::string_view::npos ? std::string_view() : html.substr(i + 1, semicolon - i - 1);
            if (entity == "nbsp" || entity == "#160") {
                space = !out.empty() && out.back() != '\n';
                i = semicolon + 1;
            } else if (semicolon != std::string_view::npos && semicolon - i <= 10) {
                if (space) out += ' ';
                space = false;
                decodeEntity(entity, out);
                i = semicolon + 1;
            } else {
                out += c;
                ++i;
            }
        } else if (std::isspace(static_cast<unsigned char>(c))) {
            space = !out.empty() && out.back() != '\n';
            ++i;
        } else {
            if (space) out += ' ';
            space = false;
            out += c;
            ++i;
        }
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
}

Result<LinkedEventsOptions> linkedEventsOptions(const SourceConfig& source)
{
    LinkedEventsOptions options;
    const auto bad = [&](std::string_view key, std::string_view value, std::string_view expected) {
        return fail(ErrorCode::InvalidInput, fmt::format("source \"{}\": {} = {}: expected {}", source.id, key, value, expected));
    };
    if (!source.url.starts_with("https://") && !source.url.starts_with("http://")) {
        return bad("url", source.url, "an http(s) event-list URL, e.g. https://api.hel.fi/linkedevents/v1/event/?keyword=yso:p4354");
    }
    std::string_view url = source.url;
    url = url.substr(0, url.find('#'));
    const auto question = url.find('?');
    options.endpoint = std::string(url.substr(0, question));
    if (question != std::string_view::npos) {
        std::string_view query = url.substr(question + 1);
        while (!query.empty()) {
            const auto amp = query.find('&');
            const auto pair = query.substr(0, amp);
            query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
            if (pair.empty()) continue;
            const auto equals = pair.find('=');
            std::string key(pair.substr(0, equals));
            std::string value(equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1));
            if (key == "include") {
                for (std::size_t start = 0; start <= value.size();) {
                    const auto comma = std::min(value.find(',', start), value.size());
                    auto item = value.substr(start, comma - start);
                    if (!item.empty() && std::find(options.include.begin(), options.include.end(), item) == options.include.end()) {
                        options.include.push_back(item);
                    }
                    start = comma + 1;
                }
            } else if (!kOwnParameters.contains(key)) {
                options.filters.emplace_back(std::move(key), std::move(value));
            }
        }
    }

    const auto text = [&](std::string_view key) -> const std::string* {
        const auto it = source.settings.find(key);
        return it == source.settings.end() ? nullptr : &it->second;
    };
    const auto integer = [&](std::string_view key, int min, int max, int& out) -> Result<void> {
        const auto* value = text(key);
        if (!value) return {};
        int number = 0;
        const auto [end, error] = std::from_chars(value->data(), value->data() + value->size(), number);
        if (error != std::errc{} || end != value->data() + value->size() || number < min || number > max) {
            return bad(key, *value, fmt::format("a whole number from {} to {}", min, max));
        }
        out = number;
        return {};
    };
    if (auto r = integer("days_ahead", 1, 365, options.daysAhead); !r) return std::unexpected(r.error());
    int overlap = static_cast<int>(options.overlap.count());
    if (auto r = integer("overlap_minutes", 0, 24 * 60, overlap); !r) return std::unexpected(r.error());
    options.overlap = std::chrono::minutes{overlap};
    if (const auto* category = text("category")) {
        const auto parsed = fromKey<EventCategory>(*category);
        if (!parsed) return bad("category", *category, "one of peer_group, dropin, club, info, other");
        options.category = *parsed;
    }
    if (const auto* registration = text("registration")) {
        const auto parsed = fromKey<Registration>(*registration);
        if (!parsed) return bad("registration", *registration, "none or required");
        options.registration = *parsed;
    }
    const auto list = [](std::string_view value) {
        std::vector<std::string> items;
        std::string current;
        for (char c : value) {
            if (c == ',' || c == '[' || c == ']' || c == '"' || c == '\'' || std::isspace(static_cast<unsigned char>(c))) {
                if (!current.empty()) items.push_back(std::exchange(current, {}));
            } else {
                current += c;
            }
        }
        if (!current.empty()) items.push_back(current);
        return items;
    };
    if (const auto* languages = text("languages")) {
        options.languages = list(*languages);
        for (const auto& code : options.languages) {
            if (!ptv::isLanguageCode(code)) return bad("languages", *languages, R"(language codes, e.g. ["fi", "sv", "en"])");
        }
    }
    if (const auto* mapping = text("keyword_categories")) {
        for (const auto& item : list(*mapping)) {
            const auto equals = item.find('=');
            const auto category = equals == std::string::npos ? std::nullopt : fromKey<EventCategory>(item.substr(equals + 1));
            if (!category || equals == 0) {
                return bad("keyword_categories", *mapping, R"("keyword=category" items, e.g. ["yso:p4354=peer_group"])");
            }
            options.keywordCategories.emplace_back(item.substr(0, equals), *category);
        }
    }
    return options;
}

std::string linkedEventsUrl(const LinkedEventsOptions& options, Instant windowStart, std::optional<Instant> changedSince)
{
    const auto& zone = TimeZone::helsinki();
    const Instant windowEnd = zone.toInstant(LocalDateTime{zone.localDate(windowStart) + date::days{options.daysAhead}});
    std::string url = options.endpoint + "?";
    for (const auto& [key, value] : options.filters) url += fmt::format("{}={}&", key, value);
    std::string include;
    for (const auto& item : options.include) {
        if (!include.empty()) include += ',';
        include += item;
    }
    // Explicit UTC (Z): naive times mean Helsinki for start/end but UTC for last_modified_since (pitfall 1).
    url += fmt::format("start={}&end={}&include={}&page_size={}", formatUtc(windowStart), formatUtc(windowEnd), include, kPageSize);
    if (changedSince) {
        url += fmt::format("&sort=last_modified_time&last_modified_since={}&show_deleted=true", formatUtc(*changedSince));
    } else {
        url += "&sort=start_time";
    }
    return url;
}

Result<ParsedFeed> parseLinkedEvents(const std::vector<std::string_view>& documents, const LinkedEventsOptions& options,
                                     std::string_view sourceId)
{
    std::vector<json> parsed;
    parsed.reserve(documents.size());
    EventMapper mapper(options, sourceId);
    for (std::size_t d = 0; d < documents.size(); ++d) {
        const std::string where = documents.size() > 1 ? fmt::format("document {}", d + 1) : std::string("document");
        parsed.push_back(json::parse(documents[d], nullptr, false));
        if (parsed.back().is_discarded()) {
            return fail(ErrorCode::InvalidInput, fmt::format("Linked Events source \"{}\": {} is not JSON", sourceId, where));
        }
    }
    for (std::size_t d = 0; d < parsed.size(); ++d) {
        const json& document = parsed[d];
        const json* items = &document;
        if (document.is_object() && document.contains("data")) items = &document["data"];
        if (items->is_array()) {
            for (std::size_t i = 0; i < items->size(); ++i) mapper.add((*items)[i], fmt::format("document {} item {}", d + 1, i + 1));
        } else if (!items->is_null()) {
            mapper.add(*items, fmt::format("document {}", d + 1));
        }
    }
    ParsedFeed feed = mapper.finish();
    conformToStore(feed);
    return feed;
}

FetchResult<LinkedEventsFetch> fetchLinkedEvents(HttpClient& http, const SourceConfig& source, const LinkedEventsOptions& options,
                                                 const FetchState& previous, Instant now, const FetchPolicy& policy)
{
    PoliteFetcher fetcher(http, policy, fmt::format("Linked Events source \"{}\"", source.id), "application/json");
    const auto& zone = TimeZone::helsinki();
    const LocalDate today = zone.localDate(now);
    const Instant windowStart = zone.toInstant(LocalDateTime{today});
    const auto selection = selectionOf(options);
    // The window moves at midnight, and events entering it were not modified: a new day is a full fetch.
    const bool full = previous.kind != kStateKind || previous.selection != selection || !previous.records ||
                      !previous.lastSync || !previous.lastFullSync || zone.localDate(*previous.lastFullSync) != today;
    const std::optional<Instant> since = full ? std::nullopt : std::optional(*previous.lastSync - options.overlap);

    const std::map<std::string, std::string, std::less<>>* before = nullptr;
    if (previous.records) {
        if (auto it = previous.records->byKind.find(kEvent); it != previous.records->byKind.end()) before = &it->second;
    }
    auto records = std::make_shared<MirroredRecords>();
    auto& events = records->byKind[std::string(kEvent)];
    if (!full && before) events = *before;

    bool changed = full;
    std::string url = linkedEventsUrl(options, windowStart, since);
    std::set<std::string, std::less<>> visited;
    for (std::size_t page = 1; !url.empty(); ++page) {
        if (page > policy.maxPages || !visited.insert(url).second) {
            return std::unexpected(fetcher.failure(ErrorCode::LimitExceeded,
                                                   fmt::format("{}: paging does not end (page {})", url, page)));
        }
        auto body = fetcher.get(url);
        if (!body) return std::unexpected(body.error());
        const json document = json::parse(**body, nullptr, false);
        const json& data = member(document, "data");
        if (document.is_discarded() || !data.is_array()) {
            return std::unexpected(fetcher.failure(ErrorCode::InvalidInput,
                                                   fmt::format("{}: not a Linked Events list page ({{\"meta\", \"data\"}})", url)));
        }
        for (const auto& item : data) {
            const auto id = string(item, "id");
            if (id.empty()) continue;
            if (ptv::flag(item, "deleted")) {
                changed = events.erase(id) > 0 || changed;
                continue;
            }
            json kept = trimEvent(item);
            keepPreviousTime(kept, before, id);
            auto text = kept.dump();
            auto [it, inserted] = events.try_emplace(id, text);
            if (!inserted && it->second != text) {
                it->second = std::move(text);
                inserted = true;
            }
            changed = changed || inserted;
        }
        const json& next = member(member(document, "meta"), "next");
        url = next.is_string() ? next.get<std::string>() : std::string();
        // Followed verbatim, but only to the web: a page must not point the kiosk at its own files.
        if (!url.empty() && !url.starts_with("https://") && !url.starts_with("http://")) {
            return std::unexpected(fetcher.failure(ErrorCode::InvalidInput, fmt::format("meta.next \"{}\" is not an http(s) URL", url)));
        }
    }

    LinkedEventsFetch result;
    result.full = full;
    result.state = FetchState{.kind = std::string(kStateKind), .selection = selection, .lastSync = now,
                              .lastFullSync = full ? std::optional(now) : previous.lastFullSync, .records = records};
    result.stats = fetcher.stats();
    if (!changed) return result;
    std::vector<std::string_view> documents;
    for (const auto& [id, record] : events) documents.push_back(record);
    auto feed = parseLinkedEvents(documents, options, source.id);
    if (!feed) return std::unexpected(fetcher.failure(feed.error().code, feed.error().message));
    result.feed = std::move(*feed);
    return result;
}

} // namespace kohtaamo
