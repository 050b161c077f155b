#include "content/occurrences.hpp"

#include <fmt/format.h>
#include <libical/ical.h>

#include <algorithm>
#include <memory>
#include <set>
#include <string>

namespace kohtaamo {
namespace {

constexpr int kMaxScannedInstances = 10'000;

icaltimetype toIcal(LocalDateTime local)
{
    const auto day = std::chrono::floor<date::days>(local);
    const date::year_month_day ymd{day};
    const date::hh_mm_ss clock{local - day};
    icaltimetype time = icaltime_null_time();
    time.year = static_cast<int>(ymd.year());
    time.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
    time.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
    time.hour = static_cast<int>(clock.hours().count());
    time.minute = static_cast<int>(clock.minutes().count());
    time.second = static_cast<int>(clock.seconds().count());
    return time;   // floating: no zone, not a date
}

LocalDateTime fromIcal(const icaltimetype& time)
{
    const date::year_month_day ymd{date::year{time.year}, date::month(static_cast<unsigned>(time.month)),
                                   date::day(static_cast<unsigned>(time.day))};
    return LocalDateTime{date::local_days{ymd}} + std::chrono::hours{time.hour} + std::chrono::minutes{time.minute} +
           std::chrono::seconds{time.second};
}

Result<icalrecurrencetype> parseRrule(std::string_view rrule)
{
    const std::string text(rrule);
    icalerror_clear_errno();
    icalrecurrencetype rule = icalrecurrencetype_from_string(text.c_str());
    if (rule.freq == ICAL_NO_RECURRENCE || icalerrno != ICAL_NO_ERROR) {
        icalerror_clear_errno();
        return fail(ErrorCode::InvalidInput, fmt::format("\"{}\" is not a valid RRULE", rrule));
    }
    return rule;
}

struct IteratorDeleter {
    void operator()(icalrecur_iterator* iterator) const { icalrecur_iterator_free(iterator); }
};

// UNTIL is inclusive and an instant when given in UTC. We iterate on floating wall-clock times, so
// turn UNTIL into the series' own wall-clock time; a date-only UNTIL includes that whole day.
void makeUntilFloating(icalrecurrencetype& rule, const TimeZone& zone)
{
    if (icaltime_is_null_time(rule.until)) return;
    if (rule.until.is_date) {
        rule.until.is_date = 0;
        rule.until.hour = 23;
        rule.until.minute = 59;
        rule.until.second = 59;
    } else if (icaltime_is_utc(rule.until)) {
        const Instant until{std::chrono::seconds{icaltime_as_timet(rule.until)}};
        rule.until = toIcal(zone.toLocal(until));
    }
    rule.until.zone = nullptr;
}

// Wall-clock starts of the recurrence in [scanFrom, scanTo], DTSTART and RDATEs included,
// EXDATEs removed. DTSTART is always an instance, as Google and Apple show it.
Result<std::set<LocalDateTime>> recurrenceStarts(const Schedule& schedule, const TimeZone& zone,
                                                 LocalDateTime scanFrom, LocalDateTime scanTo)
{
    std::set<LocalDateTime> starts;
    if (schedule.start >= scanFrom && schedule.start <= scanTo) starts.insert(schedule.start);
    if (!schedule.rrule.empty()) {
        auto rule = parseRrule(schedule.rrule);
        if (!rule) return std::unexpected(rule.error());
        makeUntilFloating(*rule, zone);
        std::unique_ptr<icalrecur_iterator, IteratorDeleter> iterator(
            icalrecur_iterator_new(*rule, toIcal(schedule.start)));
        if (!iterator) {
            icalerror_clear_errno();
            return fail(ErrorCode::InvalidInput, fmt::format("RRULE \"{}\" cannot be expanded", schedule.rrule));
        }
        // Skipping ahead keeps long-running series cheap; libical refuses it with COUNT, where
        // every instance from DTSTART must be counted.
        if (rule->count == 0 && scanFrom > schedule.start) {
            icalrecur_iterator_set_start(iterator.get(), toIcal(scanFrom));
        }
        for (int scanned = 0; scanned < kMaxScannedInstances; ++scanned) {
            const icaltimetype next = icalrecur_iterator_next(iterator.get());
            if (icaltime_is_null_time(next)) break;
            const LocalDateTime start = fromIcal(next);
            if (start > scanTo) break;
            if (start >= scanFrom) starts.insert(start);
        }
        icalerror_clear_errno();
    }
    for (const auto& extra : schedule.rdates) {
        if (extra >= scanFrom && extra <= scanTo) starts.insert(extra);
    }
    for (const auto& removed : schedule.exdates) starts.erase(removed);
    return starts;
}

bool overlaps(const Occurrence& occurrence, Instant from, Instant to)
{
    if (occurrence.start >= to) return false;
    return occurrence.end > from || (occurrence.end == occurrence.start && occurrence.start >= from);
}

} // namespace

Result<void> validateRrule(std::string_view rrule)
{
    auto rule = parseRrule(rrule);
    if (!rule) return std::unexpected(rule.error());
    return {};
}

Result<std::vector<Occurrence>> expandOccurrences(const Event& event, Instant from, Instant to)
{
    const Schedule& schedule = event.schedule;
    auto zone = TimeZone::named(schedule.timeZone);
    if (!zone) return std::unexpected(zone.error());

    // Scan a little wider than the window in wall-clock time: zone offsets, the event's own length
    // and overrides that move an instance into the window from outside it.
    const auto margin = date::days{1} + schedule.duration;
    LocalDateTime scanFrom = zone->toLocal(from) - margin;
    LocalDateTime scanTo = zone->toLocal(to) + date::days{1};
    for (const auto& change : schedule.overrides) {
        scanFrom = std::min(scanFrom, change.recurrenceId);
        scanTo = std::max(scanTo, change.recurrenceId);
    }
    auto starts = recurrenceStarts(schedule, *zone, scanFrom, scanTo);
    if (!starts) return std::unexpected(starts.error());

    std::vector<Occurrence> occurrences;
    for (const LocalDateTime& originalStart : *starts) {
        LocalDateTime start = originalStart;
        Minutes duration = schedule.duration;
        Occurrence occurrence;
        occurrence.status = event.status;
        occurrence.allDay = schedule.allDay;
        auto change = std::find_if(schedule.overrides.begin(), schedule.overrides.end(),
                                   [&](const OccurrenceOverride& o) { return o.recurrenceId == originalStart; });
        if (change != schedule.overrides.end()) {
            if (change->start) start = *change->start;
            if (change->duration) duration = *change->duration;
            if (change->status) occurrence.status = *change->status;
            if (!change->title.empty()) occurrence.titleOverride = &change->title;
        }
        occurrence.start = zone->toInstant(start);
        occurrence.end = zone->toInstant(start + duration);
        if (overlaps(occurrence, from, to)) occurrences.push_back(occurrence);
    }
    std::sort(occurrences.begin(), occurrences.end(),
              [](const Occurrence& a, const Occurrence& b) { return a.start < b.start; });
    return occurrences;
}

} // namespace kohtaamo
