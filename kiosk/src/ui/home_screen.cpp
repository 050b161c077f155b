#include "home_screen.hpp"

#include "event_cards.hpp"
#include "formatting.hpp"

#include <fmt/format.h>

namespace kohtaamo {

void HomeScreen::refresh(const UiContext& ctx)
{
    if (m_cacheKey == ctx.cacheKey()) return;
    m_cacheKey = ctx.cacheKey();
    m_places = ctx.snapshot.placesAt(ctx.now);
    // Open places first, then by the next drop-in time: what a family can walk into soonest.
    std::stable_sort(m_places.begin(), m_places.end(), [](const PlaceNow& a, const PlaceNow& b) {
        if (a.openNow.has_value() != b.openNow.has_value()) return a.openNow.has_value();
        const Instant never = Instant::max();
        return (a.nextDropIn ? a.nextDropIn->start : never) < (b.nextDropIn ? b.nextDropIn->start : never);
    });
    const TimeZone& zone = TimeZone::helsinki();
    const Instant endOfDay = zone.toInstant(LocalDateTime{zone.localDate(ctx.now) + date::days{1}});
    m_today = ctx.snapshot.occurrences(EventQuery{.from = ctx.now, .to = endOfDay});
}

void HomeScreen::draw(const UiContext& ctx, const ContentArea& area)
{
    const Metrics& m = ctx.metrics;
    refresh(ctx);
    if (ctx.snapshot.empty()) {
        ui::heading(ctx, ctx.loading() ? ctx.t("app.loading") : ctx.t("footer.no_content"));
        return;
    }
    for (const Announcement* announcement : ctx.snapshot.announcementsAt(ctx.now, ctx.site.placeId)) {
        const float width = area.width();
        const std::string title(ctx.text(announcement->title));
        const std::string body(ctx.text(announcement->body));
        const float padding = m.px(18);
        const float height = padding * 2 + ui::textHeight(ctx.fonts.bold, title, width - 2 * padding) +
                             (body.empty() ? 0 : ui::textHeight(ctx.fonts.small, body, width - 2 * padding));
        const ImVec2 pos = ImGui::GetCursorScreenPos();
        ImDrawList* draw = ImGui::GetWindowDrawList();
        draw->AddRectFilled(pos, {pos.x + width, pos.y + height}, ctx.palette.announcement);
        draw->AddText(ctx.fonts.bold, ctx.fonts.bold->FontSize, {pos.x + padding, pos.y + padding},
                      ctx.palette.onAnnouncement, title.c_str(), nullptr, width - 2 * padding);
        draw->AddText(ctx.fonts.small, ctx.fonts.small->FontSize,
                      {pos.x + padding, pos.y + padding + ui::textHeight(ctx.fonts.bold, title, width - 2 * padding)},
                      ctx.palette.onAnnouncement, body.c_str(), nullptr, width - 2 * padding);
        ImGui::Dummy({width, height + m.gap()});
    }
    const ImVec2 remaining = ImGui::GetContentRegionAvail();
    if (m.portrait()) {
        drawOpenNow(ctx, {remaining.x, remaining.y * 0.42f});
        drawToday(ctx, {remaining.x, 0});
    } else {
        const float left = (remaining.x - m.gap() * 2) * 0.42f;
        drawOpenNow(ctx, {left, remaining.y});
        ImGui::SameLine(0, m.gap() * 2);
        drawToday(ctx, {0, remaining.y});
    }
}

void HomeScreen::drawOpenNow(const UiContext& ctx, ImVec2 size)
{
    ImGui::BeginGroup();
    ui::text(ctx, ctx.t("home.open_now"), ctx.fonts.heading, ctx.palette.text, size.x);
    const float listHeight = size.y - ctx.fonts.heading->FontSize;
    if (ui::beginScrollArea(ctx, "##open-now", {size.x, listHeight}, m_placesScroller)) {
        int index = 0;
        for (const PlaceNow& state : m_places) {
            ui::Card card;
            card.title = std::string(ctx.text(state.place->name));
            const bool dropInNow = state.nextDropIn && state.nextDropIn->start <= ctx.now;
            if (dropInNow) {
                card.badges.push_back({std::string(ctx.t("dropin.open_now")), ctx.palette.open, ctx.palette.onOpen});
                card.line1 = ctx.tf("home.dropin_until", {{"time", ui::clockTime(state.nextDropIn->end)}});
            } else if (state.openNow) {
                card.line1 = ctx.tf("home.open_until", {{"time", ui::clockTime(state.openNow->end)}});
            } else {
                card.line1 = std::string(ctx.t("home.closed"));
            }
            if (state.nextDropIn && !dropInNow) {
                const LocalDate day = TimeZone::helsinki().localDate(state.nextDropIn->start);
                card.line2 = ctx.tf("home.next_dropin",
                                    {{"when", fmt::format("{} {}", ui::relativeDay(ctx, day),
                                                          ui::timeRange(state.nextDropIn->start, state.nextDropIn->end))}});
            }
            if (ui::card(ctx, fmt::format("##place-{}", index++), card)) {
                ctx.state.openDetail(DetailTarget{DetailKind::Place, state.place->id, std::nullopt});
            }
        }
    }
    ui::endScrollArea(ctx);
    ImGui::EndGroup();
}

void HomeScreen::drawToday(const UiContext& ctx, ImVec2 size)
{
    ImGui::BeginGroup();
    const float width = size.x > 0 ? size.x : ImGui::GetContentRegionAvail().x;
    ui::text(ctx, ctx.t("home.today"), ctx.fonts.heading, ctx.palette.text, width);
    const auto& today = m_today;
    const float listHeight = size.y > 0 ? size.y - ctx.fonts.heading->FontSize : ImGui::GetContentRegionAvail().y;
    if (ui::beginScrollArea(ctx, "##today", {width, listHeight}, m_todayScroller)) {
        if (today.empty()) ui::text(ctx, ctx.t("home.no_events_today"), ctx.fonts.body, ctx.palette.textMuted);
        int index = 0;
        for (const EventOccurrence& item : today) ui::eventCardButton(ctx, item, false, index++);
        ImGui::Dummy({1, ctx.metrics.gap()});
        if (ui::button(ctx, "##all-events", ctx.t("home.see_all_events"), {ImGui::GetContentRegionAvail().x, 0},
                       ui::ButtonStyle::Secondary)) {
            ctx.state.open(Screen::Events);
        }
    }
    ui::endScrollArea(ctx);
    ImGui::EndGroup();
}

} // namespace kohtaamo
