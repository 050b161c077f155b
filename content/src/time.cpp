#include "content/time.hpp"

#include <algorithm>
#include <charconv>
#include <fmt/format.h>

namespace kohtaamo {
namespace {

// Reads exactly `width` digits at `pos` (or 1..width when `exact` is false); advances pos.
std::optional<int> readNumber(std::string_view text, std::size_t& pos, int minWidth, int maxWidth)
{
    int value = 0;
    int width = 0;
    while (pos < text.size() && width < maxWidth && text[pos] >= '0' && text[pos] <= '9') {
        value = value * 10 + (text[pos] - '0');
        ++pos;
        ++width;
    }
    if (width < minWidth) return std::nullopt;
    return value;
}

bool expect(std::string_view text, std::size_t& pos, char c)
{
    if (pos < text.size() && text[pos] == c) {
        ++pos;
        return true;
    }
    return false;
}

std::optional<LocalDate> readDate(std::string_view text, std::size_t& pos)
{
    auto year = readNumber(text, pos, 4, 4);
    if (!year || !expect(text, pos, '-')) return std::nullopt;
    auto month = readNumber(text, pos, 2, 2);
    if (!month || !expect(text, pos, '-')) return std::nullopt;
    auto day = readNumber(text, pos, 2, 2);
    if (!day) return std::nullopt;
    date::year_month_day ymd{date::year{*year}, date::month(static_cast<unsigned>(*month)),
                             date::day(static_cast<unsigned>(*day))};
    if (!ymd.ok()) return std::nullopt;
    return LocalDate{ymd};
}

// HH:MM[:SS[.fff]]; hours may be unpadded (PTV's "9:00:00"). Whole seconds go to `seconds` when
// asked for; fractions are dropped.
std::optional<TimeOfDay> readTime(std::string_view text, std::size_t& pos, int* seconds = nullptr)
{
    auto hours = readNumber(text, pos, 1, 2);
    if (!hours || !expect(text, pos, ':')) return std::nullopt;
    auto minutes = readNumber(text, pos, 2, 2);
    if (!minutes) return std::nullopt;
    if (expect(text, pos, ':')) {
        auto wholeSeconds = readNumber(text, pos, 2, 2);
        if (!wholeSeconds || *wholeSeconds > 60) return std::nullopt;
        if (seconds) *seconds = std::min(*wholeSeconds, 59);
    }
    if (expect(text, pos, '.') && !readNumber(text, pos, 1, 9)) return std::nullopt;
    if (*minutes > 59 || *hours > 24 || (*hours == 24 && *minutes != 0)) return std::nullopt;
    return TimeOfDay{*hours * 60 + *minutes};
}

} // namespace

Result<TimeZone> TimeZone::named(std::string_view name)
{
    try {
        return TimeZone(date::locate_zone(name));
    } catch (const std::exception&) {
        return fail(ErrorCode::NotFound, fmt::format("unknown time zone \"{}\"", name));
    }
}

const TimeZone& TimeZone::helsinki()
{
    static const TimeZone zone(date::locate_zone("Europe/Helsinki"));
    return zone;
}

Instant TimeZone::toInstant(LocalDateTime local) const
{
    const auto info = m_zone->get_info(local);
    switch (info.result) {
    case date::local_info::unique:
    case date::local_info::ambiguous:   // the autumn hour that repeats: its first (summer-time) instant
        return Instant{local.time_since_epoch() - info.first.offset};
    case date::local_info::nonexistent:
    default:
        // The wall clock skips this time (spring DST gap): the first instant after the gap.
        return info.second.begin;
    }
}

LocalDateTime TimeZone::toLocal(Instant instant) const
{
    return std::chrono::floor<std::chrono::seconds>(m_zone->to_local(instant));
}

LocalDate TimeZone::localDate(Instant instant) const
{
    return std::chrono::floor<date::days>(toLocal(instant));
}

Minutes TimeZone::utcOffset(Instant instant) const
{
    return std::chrono::duration_cast<Minutes>(m_zone->get_info(instant).offset);
}

std::string_view TimeZone::name() const { return m_zone->name(); }

std::optional<LocalDate> parseDate(std::string_view text)
{
    std::size_t pos = 0;
    auto result = readDate(text, pos);
    if (pos != text.size()) return std::nullopt;
    return result;
}

std::optional<TimeOfDay> parseTimeOfDay(std::string_view text)
{
    std::size_t pos = 0;
    auto result = readTime(text, pos);
    if (pos != text.size()) return std::nullopt;
    return result;
}

std::optional<LocalDateTime> parseLocalDateTime(std::string_view text)
{
    std::size_t pos = 0;
    auto day = readDate(text, pos);
    if (!day || !(expect(text, pos, 'T') || expect(text, pos, ' '))) return std::nullopt;
    auto time = readTime(text, pos);
    if (!time || pos != text.size()) return std::nullopt;
    return LocalDateTime{*day} + Minutes{time->minutes};
}

std::optional<Instant> parseInstant(std::string_view text, const TimeZone& zone)
{
    std::size_t pos = 0;
    auto day = readDate(text, pos);
    if (!day) return std::nullopt;
    if (pos == text.size()) return zone.toInstant(LocalDateTime{*day});
    if (!(expect(text, pos, 'T') || expect(text, pos, ' '))) return std::nullopt;
    int seconds = 0;
    auto time = readTime(text, pos, &seconds);
    if (!time) return std::nullopt;
    const LocalDateTime local = LocalDateTime{*day} + Minutes{time->minutes} + std::chrono::seconds{seconds};
    if (pos == text.size()) return zone.toInstant(local);
    if (text[pos] == 'Z' || text[pos] == 'z') {
        return pos + 1 == text.size() ? std::optional(Instant{local.time_since_epoch()}) : std::nullopt;
    }
    const int sign = text[pos] == '+' ? 1 : text[pos] == '-' ? -1 : 0;
    if (sign == 0) return std::nullopt;
    ++pos;
    auto hours = readNumber(text, pos, 2, 2);
    expect(text, pos, ':');
    auto minutes = readNumber(text, pos, 2, 2);
    if (!hours || !minutes || pos != text.size() || *hours > 23 || *minutes > 59) return std::nullopt;
    const Minutes offset{sign * (*hours * 60 + *minutes)};
    return Instant{local.time_since_epoch() - offset};
}

std::string formatIso(Instant instant, const TimeZone& zone)
{
    const auto local = zone.toLocal(instant);
    const auto offset = zone.utcOffset(instant).count();
    const auto absOffset = offset < 0 ? -offset : offset;
    return fmt::format("{}:{:02}{}{:02}:{:02}", formatLocalDateTime(local),
                       (local - std::chrono::floor<std::chrono::minutes>(local)).count(),
                       offset < 0 ? '-' : '+', absOffset / 60, absOffset % 60);
}

std::string formatUtc(Instant instant)
{
    const LocalDateTime asLocal{instant.time_since_epoch()};
    return fmt::format("{}:{:02}Z", formatLocalDateTime(asLocal),
                       (asLocal - std::chrono::floor<std::chrono::minutes>(asLocal)).count());
}

std::string formatDate(LocalDate day)
{
    const date::year_month_day ymd{day};
    return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                       static_cast<unsigned>(ymd.day()));
}

std::string formatTimeOfDay(TimeOfDay time)
{
    return fmt::format("{:02}:{:02}", time.minutes / 60, time.minutes % 60);
}

std::string formatLocalDateTime(LocalDateTime local)
{
    const auto day = std::chrono::floor<date::days>(local);
    const auto minutes = std::chrono::duration_cast<Minutes>(local - day).count();
    return fmt::format("{}T{}", formatDate(day), formatTimeOfDay(TimeOfDay{static_cast<int>(minutes)}));
}

int weekdayIndex(LocalDate day)
{
    return static_cast<int>(date::weekday{day}.iso_encoding()) - 1;
}

} // namespace kohtaamo
