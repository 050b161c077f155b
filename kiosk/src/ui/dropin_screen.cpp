#include "dropin_screen.hpp"

#include "formatting.hpp"

#include <fmt/format.h>

namespace kohtaamo {

void DropInScreen::refresh(const UiContext& ctx)
{
    if (m_cacheKey == ctx.cacheKey()) return;
    m_cacheKey = ctx.cacheKey();
    m_places.clear();
    const TimeZone& zone = TimeZone::helsinki();
    const LocalDate today = zone.localDate(ctx.now);
    for (const Place& place : ctx.snapshot.places()) {
        PlaceWeek week{&place, isOpenAt(place.hours, ctx.now, zone, HoursFilter::DropInOnly), {}};
        bool any = false;
        for (int offset = 0; offset < 7; ++offset) {
            const LocalDate day = today + date::days{offset};
            DayLine line{day, openingsBetween(place.hours, zone.toInstant(LocalDateTime{day}),
                                              zone.toInstant(LocalDateTime{day + date::days{1}}), zone,
                                              HoursFilter::DropInOnly),
                         notesOn(place.hours, day), false};
            // Only intervals that open on this day belong to its line.
            std::erase_if(line.intervals, [&](const OpenInterval& i) { return zone.localDate(i.start) != day; });
            for (const auto& exception : place.hours.exceptions) {
                if (exception.closed && exception.from <= day && day <= exception.to) line.closedByException = true;
            }
            any = any || !line.intervals.empty();
            week.days.push_back(std::move(line));
        }
        if (any) m_places.push_back(std::move(week));
    }
    std::stable_sort(m_places.begin(), m_places.end(),
                     [](const PlaceWeek& a, const PlaceWeek& b) { return a.openNow && !b.openNow; });
}

void DropInScreen::draw(const UiContext& ctx, const ContentArea&)
{
    refresh(ctx);
    const Metrics& m = ctx.metrics;
    const Palette& p = ctx.palette;
    ui::text(ctx, ctx.t("dropin.title"), ctx.fonts.heading, p.text);
    if (ui::beginScrollArea(ctx, "##dropin", ImGui::GetContentRegionAvail(), m_scroller)) {
        if (m_places.empty()) ui::text(ctx, ctx.t("dropin.no_hours"), ctx.fonts.body, p.textMuted);
        int index = 0;
        const float dayColumn = m.px(220) * m.textScale;
        // Two places side by side in landscape, so a week of several places fits without scrolling.
        const bool twoColumns = !m.portrait();
        if (twoColumns) ImGui::Columns(2, "##dropin-columns", false);
        for (const PlaceWeek& week : m_places) {
            ui::Card header;
            header.title = std::string(ctx.text(week.place->name));
            const Place* parent = ctx.snapshot.place(week.place->parentId);
            if (parent) header.line2 = std::string(ctx.text(parent->name));
            if (week.openNow) header.badges.push_back({std::string(ctx.t("dropin.open_now")), p.open, p.onOpen});
            if (ui::card(ctx, fmt::format("##dropin-place-{}", index++), header)) {
                ctx.state.openDetail(DetailTarget{DetailKind::Place, week.place->id, std::nullopt});
            }
            for (const DayLine& line : week.days) {
                const float x = ImGui::GetCursorPosX() + m.px(28);
                ImGui::SetCursorPosX(x);
                const bool today = line.day == TimeZone::helsinki().localDate(ctx.now);
                ImFont* font = today ? ctx.fonts.bold : ctx.fonts.body;
                ui::text(ctx, ui::dayLabel(ctx, line.day), font, p.text, dayColumn);
                ImGui::SameLine(0, 0);
                std::string hours;
                for (const OpenInterval& interval : line.intervals) {
                    if (!hours.empty()) hours += ", ";
                    hours += ui::timeRange(interval.start, interval.end);
                }
                if (hours.empty()) hours = line.closedByException ? std::string(ctx.t("dropin.closed_day")) : "–";
                for (const LocalizedText* note : line.notes) hours += " · " + std::string(ctx.text(*note));
                ui::text(ctx, hours, font, line.closedByException ? p.cancelled : p.text);
            }
            ImGui::Dummy({1, m.gap() * 2});
            if (twoColumns) ImGui::NextColumn();
        }
        if (twoColumns) ImGui::Columns(1);
    }
    ui::endScrollArea(ctx);
}

} // namespace kohtaamo
