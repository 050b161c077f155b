#include "bundle_decode.hpp"

#include "content/occurrences.hpp"

#include <algorithm>
#include <map>

namespace kohtaamo::bundle_codec {

using nlohmann::json;

namespace {

// Ten years: Linked Events has exhibitions running for years; the cap only keeps the minute
// arithmetic far from overflow.
constexpr std::int64_t kMaxDurationDays = 3653;
constexpr std::int64_t kMaxDurationMinutes = kMaxDurationDays * 24 * 60;

constexpr std::string_view kExpectDate = R"(a date string "YYYY-MM-DD")";
constexpr std::string_view kExpectTime = R"(a time string "HH:MM")";
constexpr std::string_view kExpectWeekdays = R"(a list of weekdays such as ["mo", "we"])";

} // namespace

std::optional<LocalDate> Decoder::dateValue(const json& value, const std::string& path)
{
    const auto text = stringValue(value, path, kExpectDate);
    if (!text) return std::nullopt;
    auto day = parseDate(*text);
    if (!day) problem(path, fmt::format("{} is not a date (expected YYYY-MM-DD)", quote(*text)));
    return day;
}

std::optional<LocalDate> Decoder::dateField(const json& object, std::string_view key, const std::string& path, Need need)
{
    const json* value = lookup(object, key, path, need, kExpectDate);
    return value ? dateValue(*value, member(path, key)) : std::nullopt;
}

std::optional<TimeOfDay> Decoder::timeField(const json& object, std::string_view key, const std::string& path)
{
    const json* value = lookup(object, key, path, Need::Required, kExpectTime);
    if (!value) return std::nullopt;
    const auto text = stringValue(*value, member(path, key), kExpectTime);
    if (!text) return std::nullopt;
    auto time = parseTimeOfDay(*text);
    if (!time) problem(member(path, key), fmt::format("{} is not a time (expected HH:MM)", quote(*text)));
    return time;
}

std::optional<LocalDateTime> Decoder::localDateTimeValue(const json& value, const std::string& path, DateForm form)
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

std::optional<WeekdaySet> Decoder::weekdaysField(const json& object, const std::string& path)
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

} // namespace kohtaamo::bundle_codec
