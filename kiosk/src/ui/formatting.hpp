#pragma once
// Dates, times and audiences as families read them, in the chosen language.

#include "ui_context.hpp"

#include <string>

namespace kohtaamo::ui {

[[nodiscard]] std::string clockTime(Instant t);                              // "09:30"
[[nodiscard]] std::string timeRange(Instant start, Instant end);             // "09:30–11:00"
[[nodiscard]] std::string dayLabel(const UiContext& ctx, LocalDate day);      // "ti 10.3." / "Tue 10/3"
/// "tänään", "huomenna" or dayLabel().
[[nodiscard]] std::string relativeDay(const UiContext& ctx, LocalDate day);
[[nodiscard]] std::string audienceLabel(const UiContext& ctx, const Audience& audience);
[[nodiscard]] std::string languagesLabel(const std::vector<std::string>& languages);
[[nodiscard]] std::string_view weekdayKey(int isoIndex);                     // 0 → "weekday.mo"
[[nodiscard]] std::string_view categoryKey(ServiceCategory category);
[[nodiscard]] std::string_view eventTypeKey(EventCategory category);
[[nodiscard]] std::string_view ageBandKey(AgeBand band);

} // namespace kohtaamo::ui
