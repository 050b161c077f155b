#include "content/opening_hours.hpp"

#include <algorithm>

namespace kohtaamo {
namespace {

const HoursException* exceptionOn(const OpeningHours& hours, LocalDate day)
{
    // Later entries win, so a one-day exception listed after a long range refines it.
    const HoursException* found = nullptr;
    for (const auto& exception : hours.exceptions) {
        if (exception.from <= day && day <= exception.to) found = &exception;
    }
    return found;
}

bool weeklyAppliesOn(const WeeklyHours& block, LocalDate day)
{
    if (!(block.weekdays & (1u << weekdayIndex(day)))) return false;
    if (block.validFrom && day < *block.validFrom) return false;
    if (block.validTo && day > *block.validTo) return false;
    return true;
}

bool passes(HoursFilter filter, HoursKind kind)
{
    return filter == HoursFilter::Any || kind == HoursKind::DropIn;
}

int spanDays(TimeOfDay open, TimeOfDay close) { return close <= open ? 1 : 0; }

// The intervals that open on one local date.
void appendIntervalsOpeningOn(const OpeningHours& hours, LocalDate day, const TimeZone& zone, HoursFilter filter,
                              std::vector<OpenInterval>& out)
{
    auto add = [&](TimeOfDay open, TimeOfDay close, int closeDayOffset, HoursKind kind, bool fromException,
                   const LocalizedText* note) {
        if (!passes(filter, kind)) return;
        const LocalDateTime localOpen = LocalDateTime{day} + Minutes{open.minutes};
        const LocalDateTime localClose = LocalDateTime{day + date::days{closeDayOffset}} + Minutes{close.minutes};
        const Instant start = zone.toInstant(localOpen);
        const Instant end = zone.toInstant(localClose);
        if (end <= start) return;
        out.push_back(OpenInterval{start, end, kind, fromException, note && !note->empty() ? note : nullptr});
    };

    if (const HoursException* exception = exceptionOn(hours, day)) {
        if (exception->closed) return;
        if (!exception->blocks.empty()) {
            for (const auto& block : exception->blocks) {
                add(block.open, block.close, spanDays(block.open, block.close), block.kind, true, &exception->note);
            }
            return;
        }
        // A note-only exception leaves the weekly hours in force.
    }
    for (const auto& block : hours.weekly) {
        if (weeklyAppliesOn(block, day)) {
            const int offset = block.closeDayOffset > 0 ? block.closeDayOffset : spanDays(block.open, block.close);
            add(block.open, block.close, offset, block.kind, false, &block.note);
        }
    }
}

} // namespace

std::vector<const LocalizedText*> notesOn(const OpeningHours& hours, LocalDate day)
{
    std::vector<const LocalizedText*> notes;
    if (const HoursException* exception = exceptionOn(hours, day); exception && !exception->note.empty()) {
        notes.push_back(&exception->note);
    }
    for (const auto& block : hours.weekly) {
        if (weeklyAppliesOn(block, day) && !block.note.empty() &&
            std::find_if(notes.begin(), notes.end(), [&](auto* n) { return *n == block.note; }) == notes.end()) {
            notes.push_back(&block.note);
        }
    }
    return notes;
}

std::vector<OpenInterval> openingsBetween(const OpeningHours& hours, Instant from, Instant to, const TimeZone& zone,
                                          HoursFilter filter)
{
    std::vector<OpenInterval> result;
    if (to <= from) return result;
    if (hours.alwaysOpen) {
        if (filter == HoursFilter::Any) result.push_back(OpenInterval{from, to, HoursKind::Regular, false, nullptr});
        return result;
    }
    // Blocks opening up to a week before `from` may still be open (multi-day OverMidnight spans).
    const LocalDate firstDay = zone.localDate(from) - date::days{7};
    const LocalDate lastDay = zone.localDate(to);
    std::vector<OpenInterval> candidates;
    for (LocalDate day = firstDay; day <= lastDay; day += date::days{1}) {
        appendIntervalsOpeningOn(hours, day, zone, filter, candidates);
    }
    for (const auto& interval : candidates) {
        if (interval.start < to && interval.end > from) result.push_back(interval);
    }
    std::stable_sort(result.begin(), result.end(),
                     [](const OpenInterval& a, const OpenInterval& b) { return a.start < b.start; });
    return result;
}

std::optional<OpenInterval> openIntervalAt(const OpeningHours& hours, Instant t, const TimeZone& zone,
                                           HoursFilter filter)
{
    const auto intervals = openingsBetween(hours, t, t + std::chrono::seconds{1}, zone, filter);
    if (intervals.empty()) return std::nullopt;
    // Of overlapping blocks, report the one that stays open longest.
    return *std::max_element(intervals.begin(), intervals.end(),
                             [](const OpenInterval& a, const OpenInterval& b) { return a.end < b.end; });
}

std::optional<OpenInterval> nextOpening(const OpeningHours& hours, Instant t, const TimeZone& zone,
                                        HoursFilter filter, date::days horizon)
{
    if (hours.alwaysOpen) return std::nullopt;
    // Look a week at a time so the common case (opens again within days) stays cheap.
    for (Instant windowStart = t; windowStart < t + horizon; windowStart += date::days{7}) {
        const auto intervals = openingsBetween(hours, windowStart, windowStart + date::days{7}, zone, filter);
        for (const auto& interval : intervals) {
            if (interval.start > t) return interval;
        }
    }
    return std::nullopt;
}

} // namespace kohtaamo
