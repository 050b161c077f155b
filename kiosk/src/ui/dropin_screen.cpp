#include "dropin_screen.hpp"

#include "formatting.hpp"

#include <fmt/format.h>

namespace kohtaamo {

void DropInScreen::refresh(const UiContext& ctx)
{
    const CacheKey key = ctx.cacheKey(std::hash<std::string>{}(ctx.state.language()));
    if (m_cacheKey == key) return;
    m_cacheKey = key;
    m_places.clear();
    const TimeZone& zone = TimeZone::helsinki();
    const LocalDate today = zone.localDate(ctx.now);
    const Palette& p = ctx.palette;
    for (const Place& place : ctx.snapshot.places()) {
        PlaceWeek week{&place, {}, {}};
        bool any = false;
        for (int offset = 0; offset < 7; ++offset) {
            const LocalDate day = today + date::days{offset};
            auto intervals = openingsBetween(place.hours, zone.toInstant(LocalDateTime{day}),
                                             zone.toInstant(LocalDateTime{day + date::days{1}}), zone,
                                             HoursFilter::DropInOnly);
            // Only intervals that open on this day belong to its line.
            std::erase_if(intervals, [&](const OpenInterval& i) { return zone.localDate(i.start) != day; });
            DayLine line{ui::dayLabel(ctx, day), {}, offset == 0, false};
            for (const auto& exception : place.hours.exceptions) {
                if (exception.closed && exception.from <= day && day <= exception.to) line.closed = true;
            }
            for (const OpenInterval& interval : intervals) {
                if (!line.hours.empty()) line.hours += ", ";
                line.hours += ui::timeRange(interval.start, interval.end);
            }
            if (line.hours.empty()) line.hours = line.closed ? std::string(ctx.t("dropin.closed_day")) : "–";
            for (const LocalizedText* note : notesOn(place.hours, day)) line.hours += " · " + std::string(ctx.text(*note));
            any = any || !intervals.empty();
            week.days.push_back(std::move(line));
        }
        if (!any) continue;
        week.header.title = std::string(ctx.text(place.name));
        if (const Place* parent = ctx.snapshot.place(place.parentId)) week.header.line2 = std::string(ctx.text(parent->name));
        if (isOpenAt(place.hours, ctx.now, zone, HoursFilter::DropInOnly)) {
            week.header.badges.push_back({std::string(ctx.t("dropin.open_now")), p.open, p.onOpen});
        }
        m_places.push_back(std::move(week));
    }
    std::stable_sort(m_places.begin(), m_places.end(), [](const PlaceWeek& a, const PlaceWeek& b) {
        return !a.header.badges.empty() && b.header.badges.empty();
    });
}

float DropInScreen::placeHeight(const UiContext& ctx, const PlaceWeek& week, float width) const
{
    const float spacing = ImGui::GetStyle().ItemSpacing.y;
    const float dayColumn = ctx.metrics.px(220) * ctx.metrics.textScale;
    const float textWidth = std::max(ctx.metrics.px(100), width - ctx.metrics.px(28) - dayColumn);
    float height = ui::cardHeight(ctx, week.header, width);
    for (const DayLine& line : week.days) {
        ImFont* font = line.today ? ctx.fonts.bold : ctx.fonts.body;
        height += std::max(ui::textHeight(font, line.day, dayColumn), ui::textHeight(font, line.hours, textWidth)) + spacing;
    }
    return height + ctx.metrics.gap() * 2 + spacing;
}

void DropInScreen::drawPlace(const UiContext& ctx, const PlaceWeek& week, std::size_t index, float width)
{
    const Metrics& m = ctx.metrics;
    const Palette& p = ctx.palette;
    const float dayColumn = m.px(220) * m.textScale;
    ImGui::BeginChild(fmt::format("##dropin-place-{}", index).c_str(), {width, placeHeight(ctx, week, width)}, false,
                      ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    if (ui::card(ctx, "##place", week.header)) {
        ctx.state.openDetail(DetailTarget{DetailKind::Place, week.place->id, std::nullopt});
    }
    for (const DayLine& line : week.days) {
        ImGui::SetCursorPosX(ImGui::GetCursorPosX() + m.px(28));
        ImFont* font = line.today ? ctx.fonts.bold : ctx.fonts.body;
        ui::text(ctx, line.day, font, p.text, dayColumn);
        ImGui::SameLine(0, 0);
        ui::text(ctx, line.hours, font, line.closed ? p.cancelled : p.text);
    }
    ImGui::EndChild();
}

void DropInScreen::draw(const UiContext& ctx, const ContentArea&)
{
    refresh(ctx);
    const Metrics& m = ctx.metrics;
    ui::text(ctx, ctx.t("dropin.title"), ctx.fonts.heading, ctx.palette.text);
    if (ui::beginScrollArea(ctx, "##dropin", ImGui::GetContentRegionAvail(), m_scroller)) {
        if (m_places.empty()) ui::text(ctx, ctx.t("dropin.no_hours"), ctx.fonts.body, ctx.palette.textMuted);
        // Two places side by side in landscape, so a week of several places fits without scrolling.
        const std::size_t columns = m.portrait() ? 1 : 2;
        const float columnWidth =
            (ImGui::GetContentRegionAvail().x - m.gap() * static_cast<float>(columns - 1)) / static_cast<float>(columns);
        const std::size_t rows = (m_places.size() + columns - 1) / columns;
        const float spacing = ImGui::GetStyle().ItemSpacing.y;
        m_list.draw(
            m_cacheKey, rows,
            [&](std::size_t row, float) {
                float height = 0;
                for (std::size_t c = 0; c < columns && row * columns + c < m_places.size(); ++c) {
                    height = std::max(height, placeHeight(ctx, m_places[row * columns + c], columnWidth));
                }
                return height + spacing;
            },
            [&](std::size_t row) {
                for (std::size_t c = 0; c < columns && row * columns + c < m_places.size(); ++c) {
                    if (c > 0) ImGui::SameLine(0, m.gap());
                    drawPlace(ctx, m_places[row * columns + c], row * columns + c, columnWidth);
                }
            });
    }
    ui::endScrollArea(ctx);
}

} // namespace kohtaamo
