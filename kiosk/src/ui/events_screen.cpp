#include "events_screen.hpp"

#include "event_cards.hpp"
#include "formatting.hpp"

#include <fmt/format.h>

namespace kohtaamo {
namespace {

constexpr int kDaysShown = 14;

std::size_t filterHash(const EventFilters& filters)
{
    std::size_t hash = std::hash<std::string>{}(filters.language);
    hash = hash * 31 + (filters.ageBand ? static_cast<std::size_t>(*filters.ageBand) + 1 : 0);
    hash = hash * 31 + (filters.category ? static_cast<std::size_t>(*filters.category) + 1 : 0);
    return hash * 4 + (filters.freeOnly ? 2 : 0) + (filters.dropInOnly ? 1 : 0);
}

} // namespace

void EventsScreen::refresh(const UiContext& ctx)
{
    const EventFilters& filters = ctx.state.eventFilters();
    const CacheKey key = ctx.cacheKey(filterHash(filters) * 7 + std::hash<std::string>{}(ctx.state.language()));
    if (m_cacheKey == key) return;
    m_cacheKey = key;
    const TimeZone& zone = TimeZone::helsinki();
    const LocalDate today = zone.localDate(ctx.now);
    EventQuery query{.from = ctx.now, .to = zone.toInstant(LocalDateTime{today + date::days{kDaysShown}})};
    query.ageBand = filters.ageBand;
    query.language = filters.language;
    query.category = filters.category;
    query.freeOnly = filters.freeOnly;
    query.dropInOnly = filters.dropInOnly;
    m_rows.clear();
    std::optional<LocalDate> currentDay;
    const auto sessions = ctx.snapshot.occurrenceIndices(query);
    m_sessionCount = sessions.size();
    // A large region has 50,000 sessions in 14 days: one allocation of the right size, no doubling.
    m_rows.shrink_to_fit();
    m_rows.reserve(sessions.size() + kDaysShown);
    for (std::uint32_t session : sessions) {
        const LocalDate day = std::max(today, zone.localDate(ctx.snapshot.occurrences()[session].occurrence.start));
        if (day != currentDay) {
            m_rows.push_back(Row{day});
            currentDay = day;
        }
        m_rows.push_back(Row{day, session});
    }
}

void EventsScreen::drawFilters(const UiContext& ctx)
{
    EventFilters& filters = ctx.state.eventFilters();
    ui::text(ctx, ctx.t("filter.age"), ctx.fonts.bold, ctx.palette.textMuted);
    {
        ui::ChipFlow flow(ctx);
        if (flow.chip("##age-any", ctx.t("age.any"), !filters.ageBand)) filters.ageBand.reset();
        for (AgeBand band : {AgeBand::Baby, AgeBand::Toddler, AgeBand::Preschool, AgeBand::School, AgeBand::Youth,
                             AgeBand::Parents}) {
            if (flow.chip(fmt::format("##age-{}", static_cast<int>(band)), ctx.t(ui::ageBandKey(band)),
                          filters.ageBand == band)) {
                filters.ageBand = filters.ageBand == band ? std::nullopt : std::optional(band);
            }
        }
    }
    ui::text(ctx, ctx.t("filter.type"), ctx.fonts.bold, ctx.palette.textMuted);
    {
        ui::ChipFlow flow(ctx);
        if (flow.chip("##type-any", ctx.t("type.any"), !filters.category)) filters.category.reset();
        for (EventCategory category :
             {EventCategory::PeerGroup, EventCategory::DropIn, EventCategory::Club, EventCategory::Info}) {
            if (flow.chip(fmt::format("##type-{}", static_cast<int>(category)), ctx.t(ui::eventTypeKey(category)),
                          filters.category == category)) {
                filters.category = filters.category == category ? std::nullopt : std::optional(category);
            }
        }
        if (flow.chip("##free", ctx.t("filter.free_only"), filters.freeOnly)) filters.freeOnly = !filters.freeOnly;
        if (flow.chip("##dropin", ctx.t("filter.dropin_only"), filters.dropInOnly)) {
            filters.dropInOnly = !filters.dropInOnly;
        }
    }
    ui::text(ctx, ctx.t("filter.language"), ctx.fonts.bold, ctx.palette.textMuted);
    {
        ui::ChipFlow flow(ctx);
        if (flow.chip("##lang-any", ctx.t("filter.any_language"), filters.language.empty())) filters.language.clear();
        for (const auto& language : ctx.site.languages) {
            if (flow.chip("##held-in-" + language, ui::languagesLabel({language}), filters.language == language)) {
                filters.language = filters.language == language ? std::string() : language;
            }
        }
        if (!(filters == EventFilters{}) && flow.chip("##clear", ctx.t("filter.clear"), false)) filters = {};
    }
}

void EventsScreen::draw(const UiContext& ctx, const ContentArea&)
{
    const Metrics& m = ctx.metrics;
    // Landscape: the filters stand beside the list; portrait: above it, within thumb reach of neither
    // edge, and the list keeps the lower part of the screen.
    if (!m.portrait()) {
        ImGui::BeginChild("##filters", {ImGui::GetContentRegionAvail().x * 0.38f, 0}, false,
                          ImGuiWindowFlags_NoBackground);
        m_filterScroller.followResets(ctx);
        m_filterScroller.update(ctx);
    }
    ui::text(ctx, ctx.t("events.title"), ctx.fonts.heading, ctx.palette.text);
    drawFilters(ctx);
    refresh(ctx);
    ImGui::Dummy({1, m.gap()});
    ui::text(ctx, ctx.tf("events.count", {{"count", std::to_string(m_sessionCount)}}), ctx.fonts.small,
             ctx.palette.textMuted);
    if (!m.portrait()) {
        ImGui::EndChild();
        ImGui::SameLine(0, m.gap() * 2);
    }
    if (ui::beginScrollArea(ctx, "##events", ImGui::GetContentRegionAvail(), m_scroller)) {
        if (m_rows.empty()) ui::text(ctx, ctx.t("events.none"), ctx.fonts.body, ctx.palette.textMuted);
        const float spacing = ImGui::GetStyle().ItemSpacing.y;
        m_list.draw(
            m_cacheKey, m_rows.size(),
            [&](std::size_t i, float width) {
                const Row& row = m_rows[i];
                if (row.isHeading()) return ui::textHeight(ctx.fonts.heading, "Åg", width) + ctx.metrics.px(16) + spacing * 2;
                return ui::cardHeight(ctx, ui::eventCard(ctx, ctx.snapshot.occurrences()[row.session], false), width);
            },
            [&](std::size_t i) {
                const Row& row = m_rows[i];
                if (row.isHeading()) {
                    ImGui::Dummy({1, ctx.metrics.px(16)});
                    const std::string label = ui::dayLabel(ctx, row.day);
                    const std::string relative = ui::relativeDay(ctx, row.day);
                    ui::text(ctx, relative == label ? label : fmt::format("{} · {}", label, relative),
                             ctx.fonts.heading, ctx.palette.text);
                } else {
                    ui::eventCardButton(ctx, ctx.snapshot.occurrences()[row.session], false, static_cast<int>(i));
                }
            });
    }
    ui::endScrollArea(ctx);
}

} // namespace kohtaamo
