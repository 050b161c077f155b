#include "sync/ical_adapter.hpp"

#include "ical_text.hpp"
#include "ical_zones.hpp"

#include "content/occurrences.hpp"

#include <fmt/format.h>
#include <libical/ical.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <memory>

namespace kohtaamo {
namespace {

constexpr std::size_t kMaxTitle = 200;
constexpr std::size_t kMaxDescription = 4000;
constexpr std::size_t kMaxLocation = 300;
constexpr std::size_t kMaxUrl = 2000;
constexpr Minutes kOneDay{24 * 60};

// libical keeps its last error in a thread-local errno; clear it so one feed's error never leaks
// into the next parse. (Debian builds libical with errors non-fatal, and we never flip that
// process-wide switch: the snapshot thread expands RRULEs with libical at the same time.)
class ClearLibicalError {
public:
    ClearLibicalError() = default;
    ~ClearLibicalError() { icalerror_clear_errno(); }
    ClearLibicalError(const ClearLibicalError&) = delete;
    ClearLibicalError& operator=(const ClearLibicalError&) = delete;
};

struct ComponentDeleter {
    void operator()(icalcomponent* component) const { icalcomponent_free(component); }
};
using ComponentPtr = std::unique_ptr<icalcomponent, ComponentDeleter>;

std::string takeString(char* text)
{
    std::string result = text != nullptr ? text : "";
    if (text != nullptr) icalmemory_free_buffer(text);
    return result;
}

std::string upper(std::string_view text)
{
    std::string result(text);
    for (char& c : result) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return result;
}

icalproperty* first(icalcomponent* component, icalproperty_kind kind)
{
    return icalcomponent_get_first_property(component, kind);
}

// TEXT values come unescaped (\, \; \\ \n) from libical; other kinds as written.
std::string textOf(icalproperty* property)
{
    icalvalue* value = icalproperty_get_value(property);
    if (value == nullptr) return {};
    if (icalvalue_isa(value) == ICAL_TEXT_VALUE) {
        const char* text = icalvalue_get_text(value);
        return text != nullptr ? text : "";
    }
    return takeString(icalproperty_get_value_as_string_r(property));
}

// fi, sv or en from a LANGUAGE parameter ("fi-FI"); otherwise the feed's configured language.
std::string languageOf(icalproperty* property, const std::string& feedLanguage)
{
    icalparameter* parameter = icalproperty_get_first_parameter(property, ICAL_LANGUAGE_PARAMETER);
    const char* tag = parameter != nullptr ? icalparameter_get_language(parameter) : nullptr;
    if (tag == nullptr) return feedLanguage;
    std::string primary(std::string_view(tag).substr(0, std::string_view(tag).find_first_of("-_")));
    for (char& c : primary) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return primary == "fi" || primary == "sv" || primary == "en" ? primary : feedLanguage;
}

LocalizedText readTexts(icalcomponent* component, icalproperty_kind kind, TextShape shape, std::size_t maxLength,
                        const std::string& feedLanguage)
{
    LocalizedText texts;
    for (icalproperty* p = icalcomponent_get_first_property(component, kind); p != nullptr;
         p = icalcomponent_get_next_property(component, kind)) {
        const std::string language = languageOf(p, feedLanguage);
        if (texts.exactly(language).empty()) texts.set(language, sanitizeText(textOf(p), shape, maxLength));
    }
    return texts;
}

bool isCancelled(icalcomponent* component)
{
    icalproperty* status = first(component, ICAL_STATUS_PROPERTY);
    if (status == nullptr) return false;
    const std::string value = upper(textOf(status));
    return icalproperty_get_status(status) == ICAL_STATUS_CANCELLED || value == "CANCELLED" || value == "CANCELED";
}

bool isPrivate(icalcomponent* component)
{
    icalproperty* property = first(component, ICAL_CLASS_PROPERTY);
    if (property == nullptr) return false;
    const icalproperty_class value = icalproperty_get_class(property);
    return value == ICAL_CLASS_PRIVATE || value == ICAL_CLASS_CONFIDENTIAL;
}

bool isThisAndFuture(icalproperty* recurrenceId)
{
    icalparameter* range = icalproperty_get_first_parameter(recurrenceId, ICAL_RANGE_PARAMETER);
    return range != nullptr && icalparameter_get_range(range) == ICAL_RANGE_THISANDFUTURE;
}

// libical drops a property whose value it cannot parse and leaves an X-LIC-ERROR naming it
// ("Can't parse as RECUR value in RRULE property. Removing entire property: FREQ=…"). Losing one
// of these would show sessions that are not held, so the event is skipped instead.
std::optional<std::string> unreadableTimeProperty(icalcomponent* component)
{
    static constexpr std::array<std::string_view, 7> kCritical{"DTSTART", "DTEND", "DURATION",     "RRULE",
                                                                "EXDATE",  "RDATE", "RECURRENCE-ID"};
    for (icalproperty* p = first(component, ICAL_XLICERROR_PROPERTY); p != nullptr;
         p = icalcomponent_get_next_property(component, ICAL_XLICERROR_PROPERTY)) {
        const char* text = icalproperty_get_xlicerror(p);
        if (text == nullptr) continue;
        const std::string_view message(text);
        if (!message.starts_with("Can't parse") && !message.starts_with("Cant parse")) continue;
        const std::size_t in = message.find(" in ");
        const std::size_t end = in == std::string_view::npos ? in : message.find(" property", in);
        if (end == std::string_view::npos) continue;
        const std::string_view name = message.substr(in + 4, end - in - 4);
        if (std::find(kCritical.begin(), kCritical.end(), name) == kCritical.end()) continue;
        std::string_view value;
        if (const std::size_t colon = message.find(": ", end); colon != std::string_view::npos) {
            value = message.substr(colon + 2);
        }
        return fmt::format("{} \"{}\" cannot be read", name, sanitizeText(value, TextShape::SingleLine, 80));
    }
    return std::nullopt;
}

std::optional<Instant> instantProperty(icalcomponent* component, icalproperty_kind kind)
{
    icalproperty* property = first(component, kind);
    if (property == nullptr) return std::nullopt;
    icalvalue* value = icalproperty_get_value(property);
    if (value == nullptr || icalvalue_isa(value) != ICAL_DATETIME_VALUE) return std::nullopt;
    auto raw = rawTimeOf(icalvalue_get_datetime(value));
    if (!raw) return std::nullopt;
    return Instant{raw->wall.time_since_epoch()};   // LAST-MODIFIED and DTSTAMP are UTC by definition
}

// A stable key for an event without UID, so it keeps its id from one download to the next.
std::string keyWithoutUid(icalcomponent* component)
{
    std::string material;
    if (icalproperty* start = first(component, ICAL_DTSTART_PROPERTY)) {
        material = takeString(icalproperty_as_ical_string_r(start));
    }
    material += '|';
    if (icalproperty* summary = first(component, ICAL_SUMMARY_PROPERTY)) material += textOf(summary);
    std::uint64_t hash = 14695981039346656037ull;   // FNV-1a
    for (unsigned char c : material) {
        hash ^= c;
        hash *= 1099511628211ull;
    }
    return fmt::format("nouid-{:016x}", hash);
}

/// One VEVENT as found in the feed, before series and their changed instances are matched.
struct Found {
    icalcomponent* component = nullptr;
    ZoneResolver* zones = nullptr;
    std::string uid;   ///< the UID, or keyWithoutUid()
    icalproperty* recurrenceId = nullptr;
    int sequence = 0;
    std::optional<Instant> modified;
    int order = 0;
    std::string where;               ///< "line 12, UID abc, \"Vauvaryhmä\"", for problems
    std::string whereWithoutTitle;   ///< the same without SUMMARY, for private events
};

void describe(Found& found, int line)
{
    const std::string uid = found.uid.size() > 40 ? found.uid.substr(0, 39) + "…" : found.uid;
    found.whereWithoutTitle = line > 0 ? fmt::format("line {}, UID {}", line, uid) : fmt::format("UID {}", uid);
    found.where = found.whereWithoutTitle;
    if (icalproperty* summary = first(found.component, ICAL_SUMMARY_PROPERTY)) {
        found.where += fmt::format(", \"{}\"", sanitizeText(textOf(summary), TextShape::SingleLine, 60));
    }
}

// Which of two copies of the same VEVENT (or of the same changed instance) counts.
bool supersedes(const Found& candidate, const Found& current)
{
    if (candidate.sequence != current.sequence) return candidate.sequence > current.sequence;
    if (candidate.modified != current.modified) return candidate.modified > current.modified;
    return candidate.order > current.order;
}

/// The wall clock a series runs on, from its DTSTART.
struct SeriesTime {
    TimeZone zone = TimeZone::helsinki();
    std::string tzid;   ///< DTSTART's TZID when `zone` is what it names
    bool allDay = false;
    LocalDateTime start;
    std::chrono::seconds timeOfDay{0};
};

// Series written with a TZID keep that zone. UTC and floating series, and those whose zone only
// the file defines, become Helsinki wall-clock series: a weekly group Google wrote in UTC then
// recurs at the Helsinki time Google shows, not an hour off after the DST change.
SeriesTime seriesOf(const RawTime& start, ZoneResolver& zones, const std::string& where)
{
    SeriesTime series;
    series.start = start.wall;
    if (start.isDate) {
        series.allDay = true;
        return series;
    }
    if (!start.tzid.empty()) {
        if (auto zone = zones.ianaZone(start.tzid, where)) {
            series.zone = *zone;
            series.tzid = start.tzid;
        }
    }
    if (series.tzid.empty()) {
        if (auto instant = zones.instantOf(start, where)) series.start = TimeZone::helsinki().toLocal(*instant);
    }
    series.timeOfDay = series.start - std::chrono::floor<date::days>(series.start);
    return series;
}

// The local date a value of an all-day series means: a DATE as it is, a date-time by the date it
// has in its own zone (Exchange writes RECURRENCE-ID;TZID=…:20200903T000000), a UTC one by its date
// in the calendar's zone.
LocalDate allDayDate(const RawTime& time, ZoneResolver& zones)
{
    if (time.isUtc) return zones.calendarZone().localDate(Instant{time.wall.time_since_epoch()});
    return std::chrono::floor<date::days>(time.wall);
}

// A time of the series (EXDATE, RDATE, RECURRENCE-ID, an override's DTSTART/DTEND) as wall-clock
// time of the series' zone, which is how content/occurrences matches instances.
LocalDateTime toSeriesWall(const RawTime& time, const SeriesTime& series, ZoneResolver& zones, const std::string& where)
{
    if (series.allDay) return LocalDateTime{allDayDate(time, zones)};
    if (time.isDate) return LocalDateTime{std::chrono::floor<date::days>(time.wall)} + series.timeOfDay;
    if (!time.isUtc && !time.tzid.empty() && time.tzid == series.tzid) return time.wall;
    if (auto instant = zones.instantOf(time, where)) return series.zone.toLocal(*instant);
    return time.wall;   // floating, or a zone nobody knows
}

class FeedReader {
public:
    FeedReader(const ICalSettings& settings, ParsedFeed& feed) : m_settings(settings), m_feed(feed) {}

    void read(const std::vector<icalcomponent*>& calendars, const std::vector<int>& veventLines);

private:
    struct Series {
        Event event;
        SeriesTime time;
    };

    /// A changed instance whose series is missing becomes a OneOff: its RRULE, EXDATEs and RDATEs are ignored.
    enum class Shape { Series, OneOff };

    std::optional<Series> buildEvent(const Found& found, Shape shape);
    Minutes durationOf(const Found& found, LocalDateTime start, const SeriesTime& series);
    std::optional<std::string> readRrule(const Found& found, const RawTime& start, const SeriesTime& series);
    void normaliseUntil(icalrecurrencetype& rule, const Found& found, const RawTime& start,
                        const SeriesTime& series);
    std::vector<LocalDateTime> readDates(const Found& found, icalproperty_kind kind, const SeriesTime& series);
    void applyOverrides(Series& series, const std::vector<Found>& overrides);
    void problem(std::string where, std::string message)
    {
        m_feed.problems.push_back({std::move(where), std::move(message)});
    }

    const ICalSettings& m_settings;
    ParsedFeed& m_feed;
    std::vector<std::unique_ptr<ZoneResolver>> m_zones;
};

void FeedReader::read(const std::vector<icalcomponent*>& calendars, const std::vector<int>& veventLines)
{
    std::vector<Found> all;
    for (icalcomponent* calendar : calendars) {
        m_zones.push_back(std::make_unique<ZoneResolver>(calendar, m_feed.problems));
        for (icalcomponent* c = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT); c != nullptr;
             c = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT)) {
            Found found;
            found.component = c;
            found.zones = m_zones.back().get();
            const char* uid = icalcomponent_get_uid(c);
            found.uid = uid != nullptr ? sanitizeText(uid, TextShape::SingleLine, 1000) : "";
            if (found.uid.empty()) found.uid = keyWithoutUid(c);
            found.recurrenceId = first(c, ICAL_RECURRENCEID_PROPERTY);
            if (icalproperty* sequence = first(c, ICAL_SEQUENCE_PROPERTY)) {
                found.sequence = icalproperty_get_sequence(sequence);
            }
            found.modified = instantProperty(c, ICAL_LASTMODIFIED_PROPERTY);
            if (!found.modified) found.modified = instantProperty(c, ICAL_DTSTAMP_PROPERTY);
            found.order = static_cast<int>(all.size());
            all.push_back(found);
        }
    }
    // Line numbers come from the text scan; trust them only when it saw the same VEVENTs as libical.
    const bool linesKnown = veventLines.size() == all.size();
    for (std::size_t i = 0; i < all.size(); ++i) describe(all[i], linesKnown ? veventLines[i] : 0);

    std::vector<Found> masters;
    std::map<std::string, std::size_t> masterIndex;
    std::map<std::string, std::vector<Found>> overrides;
    for (const Found& found : all) {
        if (found.recurrenceId != nullptr) {
            overrides[found.uid].push_back(found);
            continue;
        }
        auto [it, inserted] = masterIndex.emplace(found.uid, masters.size());
        if (inserted) {
            masters.push_back(found);
            continue;
        }
        Found& kept = masters[it->second];
        if (supersedes(found, kept)) kept = found;
        problem(found.where,
                fmt::format("UID appears more than once; the copy with SEQUENCE {} is used", kept.sequence));
    }

    for (const Found& master : masters) {
        auto series = buildEvent(master, Shape::Series);
        if (!series) continue;
        if (auto it = overrides.find(master.uid); it != overrides.end()) applyOverrides(*series, it->second);
        m_feed.content.events.push_back(std::move(series->event));
    }
    // A changed instance whose series is not in the feed (an invitation to one session) is shown
    // as an event of its own. One whose series was skipped stays hidden with it.
    for (const auto& [uid, changes] : overrides) {
        if (masterIndex.contains(uid)) continue;
        std::map<std::string, const Found*> newest;
        for (const Found& change : changes) {
            const std::string key = takeString(icalproperty_get_value_as_string_r(change.recurrenceId));
            auto [it, inserted] = newest.emplace(key, &change);
            if (!inserted && supersedes(change, *it->second)) it->second = &change;
        }
        for (const auto& [key, change] : newest) {
            auto series = buildEvent(*change, Shape::OneOff);
            if (!series) continue;
            series->event.id += ":" + key;
            m_feed.content.events.push_back(std::move(series->event));
        }
    }
}

std::optional<FeedReader::Series> FeedReader::buildEvent(const Found& found, Shape shape)
{
    icalcomponent* c = found.component;
    if (isPrivate(c)) {
        // The title of a private appointment is not repeated, not even in the log.
        problem(found.whereWithoutTitle, "private or confidential event not shown");
        return std::nullopt;
    }
    if (auto unreadable = unreadableTimeProperty(c)) {
        problem(found.where, "skipped: " + *unreadable);
        return std::nullopt;
    }
    icalproperty* dtstart = first(c, ICAL_DTSTART_PROPERTY);
    const auto start = dtstart != nullptr ? readTime(dtstart) : std::nullopt;
    if (!start) {
        problem(found.where, "skipped: no DTSTART");
        return std::nullopt;
    }
    Series series;
    Event& event = series.event;
    event.title = readTexts(c, ICAL_SUMMARY_PROPERTY, TextShape::SingleLine, kMaxTitle, m_settings.feedLanguage);
    if (event.title.empty()) {
        problem(found.where, "skipped: no SUMMARY");
        return std::nullopt;
    }
    series.time = seriesOf(*start, *found.zones, found.where);
    Schedule& schedule = event.schedule;
    schedule.start = series.time.start;
    schedule.allDay = series.time.allDay;
    schedule.timeZone = std::string(series.time.zone.name());
    schedule.duration = durationOf(found, schedule.start, series.time);
    if (shape == Shape::Series) {
        auto rrule = readRrule(found, *start, series.time);
        if (!rrule) return std::nullopt;
        schedule.rrule = std::move(*rrule);
        schedule.exdates = readDates(found, ICAL_EXDATE_PROPERTY, series.time);
        schedule.rdates = readDates(found, ICAL_RDATE_PROPERTY, series.time);
    }

    event.id = m_settings.sourceId + ":" + found.uid;
    event.provenance.sourceId = m_settings.sourceId;
    event.provenance.upstreamId = found.uid;
    event.provenance.upstreamModified = found.modified;
    event.category = m_settings.category;
    event.description =
        readTexts(c, ICAL_DESCRIPTION_PROPERTY, TextShape::MultiLine, kMaxDescription, m_settings.feedLanguage);
    event.locationText =
        readTexts(c, ICAL_LOCATION_PROPERTY, TextShape::SingleLine, kMaxLocation, m_settings.feedLanguage);
    event.placeId = m_settings.placeId;
    event.audience = m_settings.audience;
    event.languages = m_settings.languages;
    event.registration = m_settings.registration;
    event.cost.isFree = m_settings.isFree;
    event.status = isCancelled(c) ? EventStatus::Cancelled : EventStatus::Scheduled;
    if (icalproperty* url = first(c, ICAL_URL_PROPERTY)) {
        std::string text = sanitizeText(textOf(url), TextShape::SingleLine, kMaxUrl);
        const std::string scheme = upper(text.substr(0, 8));
        const bool web = scheme.starts_with("HTTP://") || scheme.starts_with("HTTPS://");
        if (web && text.find(' ') == std::string::npos) {
            event.url = std::move(text);
        }
    }
    return series;
}

// DTEND is exclusive; the length is taken in wall-clock time of the series, as content expands it.
Minutes FeedReader::durationOf(const Found& found, LocalDateTime start, const SeriesTime& series)
{
    const Minutes fallback = series.allDay ? kOneDay : Minutes{0};
    std::optional<Minutes> length;
    if (icalproperty* dtend = first(found.component, ICAL_DTEND_PROPERTY)) {
        if (auto end = readTime(dtend)) {
            length = std::chrono::floor<Minutes>(toSeriesWall(*end, series, *found.zones, found.where) - start);
        }
    } else if (icalproperty* duration = first(found.component, ICAL_DURATION_PROPERTY)) {
        const icaldurationtype value = icalproperty_get_duration(duration);
        if (!icaldurationtype_is_bad_duration(value)) {
            length = std::chrono::floor<Minutes>(std::chrono::seconds{icaldurationtype_as_int(value)});
        }
    }
    if (!length) return fallback;
    if (*length < Minutes{0}) {
        problem(found.where, "ends before it starts; shown without an end time");
        return fallback;
    }
    if (series.allDay && *length == Minutes{0}) return kOneDay;
    return *length;
}

std::optional<std::string> FeedReader::readRrule(const Found& found, const RawTime& start, const SeriesTime& series)
{
    icalproperty* property = first(found.component, ICAL_RRULE_PROPERTY);
    if (property == nullptr) return std::string{};
    if (icalcomponent_count_properties(found.component, ICAL_RRULE_PROPERTY) > 1) {
        problem(found.where, "several RRULEs; only the first is used");
    }
    icalrecurrencetype rule = icalproperty_get_rrule(property);
    normaliseUntil(rule, found, start, series);
    std::string text = takeString(icalrecurrencetype_as_string_r(&rule));
    if (auto valid = validateRrule(text); !valid) {
        problem(found.where, "skipped: " + valid.error().message);
        return std::nullopt;
    }
    const bool dayRules =
        rule.by_day[0] != ICAL_RECURRENCE_ARRAY_MAX || rule.by_month_day[0] != ICAL_RECURRENCE_ARRAY_MAX;
    if (start.isUtc && dayRules &&
        std::chrono::floor<date::days>(series.start) != std::chrono::floor<date::days>(start.wall)) {
        problem(found.where, "the series is written in UTC on another date than in Helsinki; its weekdays are "
                               "read in Helsinki time");
    }
    return text;
}

// content/occurrences compares a UTC UNTIL as an instant and a floating one as wall-clock time of
// the series, and includes the whole day of a DATE UNTIL. Values are made to mean that.
void FeedReader::normaliseUntil(icalrecurrencetype& rule, const Found& found, const RawTime& start,
                                const SeriesTime& series)
{
    if (icaltime_is_null_time(rule.until)) return;
    auto until = rawTimeOf(rule.until);
    if (!until) return;
    if (series.allDay) {
        // Outlook writes the UNTIL of an all-day series as the UTC instant of the last day's local
        // midnight in the author's zone (20200916T230000Z for 17 September in London); that day
        // must stay in the series, so it becomes the DATE it is in the calendar's zone.
        const LocalDate last = allDayDate(*until, *found.zones);
        rule.until = toIcalTime(LocalDateTime{last});
        rule.until.is_date = 1;
        return;
    }
    if (until->isDate || until->isUtc) return;
    // A floating UNTIL on a zoned or UTC series (RFC 5545 wants UTC there): DTSTART's zone.
    until->tzid = start.tzid;
    until->isUtc = start.isUtc;
    if (auto instant = found.zones->instantOf(*until, found.where)) {
        rule.until = icaltime_from_timet_with_zone(instant->time_since_epoch().count(), 0,
                                                    icaltimezone_get_utc_timezone());
    }
}

std::vector<LocalDateTime> FeedReader::readDates(const Found& found, icalproperty_kind kind, const SeriesTime& series)
{
    std::vector<LocalDateTime> dates;
    for (icalproperty* p = first(found.component, kind); p != nullptr;
         p = icalcomponent_get_next_property(found.component, kind)) {
        if (auto time = readTime(p)) dates.push_back(toSeriesWall(*time, series, *found.zones, found.where));
    }
    std::sort(dates.begin(), dates.end());
    dates.erase(std::unique(dates.begin(), dates.end()), dates.end());
    return dates;
}

void FeedReader::applyOverrides(Series& series, const std::vector<Found>& overrides)
{
    // Keyed by the original start as wall-clock time of the series, so the same instance written
    // once in UTC and once with a TZID is recognised as one.
    std::map<LocalDateTime, const Found*> newest;
    for (const Found& change : overrides) {
        auto recurrenceId = readTime(change.recurrenceId);
        if (!recurrenceId) {
            problem(change.where, "RECURRENCE-ID cannot be read; the change is ignored");
            continue;
        }
        const LocalDateTime key = toSeriesWall(*recurrenceId, series.time, *change.zones, change.where);
        auto [it, inserted] = newest.emplace(key, &change);
        if (!inserted) {
            if (supersedes(change, *it->second)) it->second = &change;
            problem(change.where, fmt::format("the same session is changed more than once; the copy with "
                                                "SEQUENCE {} is used",
                                                it->second->sequence));
        }
    }
    Schedule& schedule = series.event.schedule;
    for (const auto& [recurrenceId, change] : newest) {
        if (auto unreadable = unreadableTimeProperty(change->component)) {
            problem(change->where, "change ignored: " + *unreadable);
            continue;
        }
        if (isThisAndFuture(change->recurrenceId)) {
            problem(change->where, "RANGE=THISANDFUTURE is not supported; the change is applied to this session only");
        }
        OccurrenceOverride result;
        result.recurrenceId = recurrenceId;
        LocalDateTime start = recurrenceId;
        if (icalproperty* dtstart = first(change->component, ICAL_DTSTART_PROPERTY)) {
            if (auto time = readTime(dtstart)) start = toSeriesWall(*time, series.time, *change->zones, change->where);
        }
        if (start != recurrenceId) result.start = start;
        if (const Minutes length = durationOf(*change, start, series.time); length != schedule.duration) {
            result.duration = length;
        }
        if (isCancelled(change->component)) result.status = EventStatus::Cancelled;
        LocalizedText title = readTexts(change->component, ICAL_SUMMARY_PROPERTY, TextShape::SingleLine, kMaxTitle,
                                        m_settings.feedLanguage);
        if (!title.empty() && title != series.event.title) result.title = std::move(title);
        if (!result.start && !result.duration && !result.status && result.title.empty()) continue;
        schedule.overrides.push_back(std::move(result));
    }
}

} // namespace

Result<ParsedFeed> parseICalendar(std::string_view bytes, const ICalSettings& settings)
{
    auto prepared = prepareCalendarText(bytes);
    if (!prepared) return std::unexpected(prepared.error());
    ParsedFeed feed;
    feed.problems = std::move(prepared->problems);

    const ClearLibicalError clearError;
    const ComponentPtr root(icalparser_parse_string(prepared->text.c_str()));
    std::vector<icalcomponent*> calendars;
    if (root && icalcomponent_isa(root.get()) == ICAL_VCALENDAR_COMPONENT) {
        calendars.push_back(root.get());
    } else if (root) {
        for (icalcomponent* c = icalcomponent_get_first_component(root.get(), ICAL_VCALENDAR_COMPONENT); c != nullptr;
             c = icalcomponent_get_next_component(root.get(), ICAL_VCALENDAR_COMPONENT)) {
            calendars.push_back(c);
        }
    }
    if (calendars.empty()) {
        return fail(ErrorCode::InvalidInput, "not an iCalendar feed: libical found no VCALENDAR in it");
    }

    FeedReader reader(settings, feed);
    reader.read(calendars, prepared->veventLines);
    return feed;
}

} // namespace kohtaamo
