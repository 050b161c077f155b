// PTV serviceHours → OpeningHours (../shared/domain/ptv.md §3.4 and pitfall 7).

#include "ptv_json.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace kohtaamo::ptv {
namespace {

enum class EntryType { Weekly, Exceptional, OverMidnight };

constexpr TimeOfDay kMidnight{0};
constexpr TimeOfDay kEndOfDay{24 * 60};
constexpr int kMaxSpanDays = 6;   // the codec's close_day_offset range

std::optional<EntryType> entryType(std::string_view name)
{
    // v7 and older called them Standard, Exception and Special (PTV-2184).
    if (name == "DaysOfTheWeek" || name == "Standard") return EntryType::Weekly;
    if (name == "Exceptional" || name == "Exception") return EntryType::Exceptional;
    if (name == "OverMidnight" || name == "Special") return EntryType::OverMidnight;
    return std::nullopt;
}

std::optional<int> weekday(std::string_view name)
{
    static constexpr std::array<std::string_view, 7> kNames{"monday", "tuesday", "wednesday", "thursday",
                                                            "friday", "saturday", "sunday"};
    std::string lower(name);
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto found = std::find(kNames.begin(), kNames.end(), lower);
    if (found == kNames.end()) return std::nullopt;
    return static_cast<int>(found - kNames.begin());
}

// "9:00:00", "09:00", "24:00:00"; PTV writes hours without padding in older data.
std::optional<TimeOfDay> timeOf(const json& item, std::string_view key)
{
    const auto text = string(item, key);
    return text.empty() ? std::nullopt : parseTimeOfDay(text);
}

// The whole day: an "always open" season, or an exceptional day open round the clock.
WeeklyHours allDay(std::optional<LocalDate> from, std::optional<LocalDate> to, LocalizedText note)
{
    return WeeklyHours{.weekdays = kAllWeekdays, .open = kMidnight, .close = kEndOfDay, .validFrom = from,
                       .validTo = to, .note = std::move(note)};
}

class HoursReader {
public:
    HoursReader(const LanguageFilter& languages, std::vector<std::string>& problems)
        : m_languages(languages), m_problems(problems) {}

    void read(const json& entry, std::size_t index)
    {
        const auto typeName = string(entry, "serviceHourType");
        const auto type = entryType(typeName);
        const auto where = fmt::format("serviceHours[{}]", index);
        if (!type) {
            m_problems.push_back(fmt::format("{}: unknown serviceHourType \"{}\" (skipped)", where, typeName));
            return;
        }
        const json& fromJson = member(entry, "validFrom");
        const json& toJson = member(entry, "validTo");
        const auto from = localDate(fromJson);
        const auto to = localDate(toJson);
        if ((!fromJson.is_null() && !from) || (!toJson.is_null() && !to)) {
            m_problems.push_back(fmt::format("{}: validFrom/validTo \"{}\"/\"{}\" are not dates (skipped)", where,
                                             fromJson.is_string() ? fromJson.get<std::string>() : fromJson.dump(),
                                             toJson.is_string() ? toJson.get<std::string>() : toJson.dump()));
            return;
        }
        if (from && to && *to < *from) {
            m_problems.push_back(fmt::format("{}: validTo {} is before validFrom {} (skipped)", where, formatDate(*to),
                                             formatDate(*from)));
            return;
        }
        LocalizedText note = localized(array(entry, "additionalInformation"), m_languages, {}, " ");
        if (*type == EntryType::Exceptional) {
            exceptional(entry, where, from, to, std::move(note));
        } else {
            // DaysOfTheWeek and OverMidnight differ only in dayTo, which weeklyBlock reads.
            weekly(entry, where, from, to, std::move(note));
        }
    }

    OpeningHours finish()
    {
        // Later exceptions win on a day they share (opening_hours.hpp), so long ranges go first and
        // the single days inside them after.
        std::stable_sort(m_hours.exceptions.begin(), m_hours.exceptions.end(),
                         [](const HoursException& a, const HoursException& b) { return a.to - a.from > b.to - b.from; });
        return std::move(m_hours);
    }

private:
    void weekly(const json& entry, const std::string& where, std::optional<LocalDate> from,
                std::optional<LocalDate> to, LocalizedText note)
    {
        // isAlwaysOpen / isReservation come without openingHour (ptv.md §3.4).
        if (flag(entry, "isAlwaysOpen")) {
            if (from || to) {
                m_hours.weekly.push_back(allDay(from, to, std::move(note)));
            } else {
                m_hours.alwaysOpen = true;
                appendText(m_hours.notes, note);
            }
            return;
        }
        if (flag(entry, "isReservation")) {
            m_hours.byAppointment = true;
            appendText(m_hours.notes, note);
            return;
        }
        if (flag(entry, "isClosed")) {
            // A closed season of regular hours is a closure for those dates; without dates, only its note.
            if (from) {
                m_hours.exceptions.push_back(HoursException{.from = *from, .to = to.value_or(*from), .closed = true,
                                                            .note = std::move(note)});
            } else {
                appendText(m_hours.notes, note);
            }
            return;
        }
        std::vector<WeeklyHours> blocks;
        const json& items = array(entry, "openingHour");
        for (std::size_t i = 0; i < items.size(); ++i) {
            auto block = weeklyBlock(items[i], fmt::format("{}.openingHour[{}]", where, i));
            if (!block) continue;
            // One entry lists a day per item; days with the same times become one row ("ma–pe 8–16").
            const auto same = std::find_if(blocks.begin(), blocks.end(), [&](const WeeklyHours& b) {
                return b.open == block->open && b.close == block->close && b.closeDayOffset == block->closeDayOffset;
            });
            if (same == blocks.end()) {
                blocks.push_back(*block);
            } else {
                same->weekdays |= block->weekdays;   // a repeated day is the same block again
            }
        }
        if (blocks.empty()) {
            // Text only, e.g. "Ajanvarauksella" written as a heading with no times.
            appendText(m_hours.notes, note);
            return;
        }
        for (auto& block : blocks) {
            block.validFrom = from;
            block.validTo = to;
            block.note = note;
            m_hours.weekly.push_back(std::move(block));
        }
    }

    std::optional<WeeklyHours> weeklyBlock(const json& item, const std::string& where)
    {
        const auto dayFrom = weekday(string(item, "dayFrom"));
        const auto open = timeOf(item, "from");
        const auto close = timeOf(item, "to");
        if (!dayFrom || !open || !close || *open == kEndOfDay) {
            m_problems.push_back(fmt::format("{}: day \"{}\" from \"{}\" to \"{}\" cannot be read (skipped)", where,
                                             string(item, "dayFrom"), string(item, "from"), string(item, "to")));
            return std::nullopt;
        }
        // dayTo is "" on ordinary days; set, it ends the span on that weekday (OverMidnight,
        // possibly several days later: Monday 02:15 → Friday 00:45).
        const auto dayToName = string(item, "dayTo");
        int span = *close <= *open ? 1 : 0;
        if (!dayToName.empty()) {
            const auto dayTo = weekday(dayToName);
            if (!dayTo) {
                m_problems.push_back(fmt::format("{}: dayTo \"{}\" is not a weekday (skipped)", where, dayToName));
                return std::nullopt;
            }
            span = (*dayTo - *dayFrom + 7) % 7;
            if (span == 0 && *close <= *open) span = 7;
        }
        if (span > kMaxSpanDays) {
            m_problems.push_back(fmt::format("{}: a span from {} {} to {} {} is a week or longer (skipped)", where,
                                             string(item, "dayFrom"), string(item, "from"), dayToName, string(item, "to")));
            return std::nullopt;
        }
        WeeklyHours block;
        block.weekdays = static_cast<WeekdaySet>(1u << *dayFrom);
        block.open = *open;
        // Closing at midnight the next day is closing at the end of this one.
        const bool endOfDay = span == 1 && *close == kMidnight;
        block.close = endOfDay ? kEndOfDay : *close;
        block.closeDayOffset = endOfDay ? 0 : span;
        return block;
    }

    void exceptional(const json& entry, const std::string& where, std::optional<LocalDate> from,
                     std::optional<LocalDate> to, LocalizedText note)
    {
        if (!from) {
            // No dates: only a text ("Juhlapyhinä poikkeavat aukioloajat", or a range written in words).
            appendText(m_hours.notes, note);
            return;
        }
        HoursException exception{.from = *from, .to = to.value_or(*from), .note = std::move(note)};
        if (flag(entry, "isClosed")) {
            exception.closed = true;
        } else if (flag(entry, "isAlwaysOpen")) {
            exception.blocks.push_back(TimeBlock{kMidnight, kEndOfDay});
        } else if (flag(entry, "isReservation")) {
            m_hours.byAppointment = true;
        } else {
            const json& items = array(entry, "openingHour");
            for (std::size_t i = 0; i < items.size(); ++i) {
                const auto open = timeOf(items[i], "from");
                const auto close = timeOf(items[i], "to");
                if (!open || !close || *open == kEndOfDay) {
                    m_problems.push_back(fmt::format("{}.openingHour[{}]: from \"{}\" to \"{}\" cannot be read (skipped)",
                                                     where, i, string(items[i], "from"), string(items[i], "to")));
                    continue;
                }
                // 00:00–00:00 carries only the entry's text (pitfall 7).
                if (*open == kMidnight && *close == kMidnight) continue;
                exception.blocks.push_back(TimeBlock{*open, *close == kMidnight ? kEndOfDay : *close});
            }
            // Dated, not closed, no times and no text says nothing.
            if (exception.blocks.empty() && exception.note.empty()) return;
        }
        merge(std::move(exception));
    }

    // Entries for the same dates are one exception: their blocks together, closed if any is closed.
    void merge(HoursException exception)
    {
        const auto same = std::find_if(m_hours.exceptions.begin(), m_hours.exceptions.end(), [&](const HoursException& e) {
            return e.from == exception.from && e.to == exception.to;
        });
        if (same == m_hours.exceptions.end()) {
            m_hours.exceptions.push_back(std::move(exception));
            return;
        }
        same->closed = same->closed || exception.closed;
        if (same->closed) {
            same->blocks.clear();
        } else {
            same->blocks.insert(same->blocks.end(), exception.blocks.begin(), exception.blocks.end());
        }
        appendText(same->note, exception.note, "; ");
    }

    const LanguageFilter& m_languages;
    std::vector<std::string>& m_problems;
    OpeningHours m_hours;
};

} // namespace

OpeningHours serviceHours(const json& list, const LanguageFilter& languages, std::vector<std::string>& problems)
{
    HoursReader reader(languages, problems);
    if (!list.is_array()) return reader.finish();
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (!list[i].is_object()) {
            problems.push_back(fmt::format("serviceHours[{}]: not an object (skipped)", i));
            continue;
        }
        reader.read(list[i], i);
    }
    return reader.finish();
}

} // namespace kohtaamo::ptv
