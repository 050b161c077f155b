#include "services_screen.hpp"

#include "formatting.hpp"

#include <fmt/format.h>

namespace kohtaamo {
namespace {

constexpr ServiceCategory kCategories[] = {
    ServiceCategory::Neuvola,     ServiceCategory::FamilyCounselling, ServiceCategory::FamilyWork,
    ServiceCategory::EarlyEducation, ServiceCategory::NgoParish,      ServiceCategory::PeerSupport,
    ServiceCategory::CrisisHelp,  ServiceCategory::Other};

} // namespace

void ServicesScreen::refresh(const UiContext& ctx)
{
    const auto category = ctx.state.serviceCategory();
    const CacheKey key = ctx.cacheKey(std::hash<std::string>{}(ctx.state.language()) * 16 +
                                      (category ? static_cast<std::size_t>(*category) + 1 : 0));
    if (m_cacheKey == key) return;
    m_cacheKey = key;
    m_counts.clear();
    for (ServiceCategory each : kCategories) {
        m_counts.push_back(ctx.snapshot.services(ServiceQuery{.category = each}).size());
    }
    m_rows.clear();
    if (!category) return;
    for (const Service* service : ctx.snapshot.services(ServiceQuery{.category = *category})) {
        ui::Card card;
        card.title = std::string(ctx.text(service->name));
        card.line1 = std::string(ctx.text(service->summary));
        std::string details = ui::audienceLabel(ctx, service->audience);
        if (!service->organisationName.empty()) details += " · " + std::string(ctx.text(service->organisationName));
        if (!service->languages.empty()) details += " · " + ui::languagesLabel(service->languages);
        card.line2 = details;
        m_rows.push_back(Row{service, std::move(card)});
    }
}

void ServicesScreen::draw(const UiContext& ctx, const ContentArea&)
{
    refresh(ctx);
    if (auto category = ctx.state.serviceCategory()) drawList(ctx, *category);
    else drawCategories(ctx);
}

void ServicesScreen::drawCategories(const UiContext& ctx)
{
    const Metrics& m = ctx.metrics;
    ui::text(ctx, ctx.t("services.choose_category"), ctx.fonts.heading, ctx.palette.text);
    const int columns = m.portrait() ? 2 : 4;
    const ImVec2 available = ImGui::GetContentRegionAvail();
    const float width = (available.x - m.gap() * static_cast<float>(columns - 1)) / static_cast<float>(columns);
    const int rows = (static_cast<int>(std::size(kCategories)) + columns - 1) / columns;
    const float height = std::clamp((available.y - m.gap() * static_cast<float>(rows)) / static_cast<float>(rows),
                                    m.touchTarget(), m.px(260));
    int index = 0;
    for (ServiceCategory category : kCategories) {
        if (index % columns != 0) ImGui::SameLine(0, m.gap());
        const auto count = m_counts[static_cast<std::size_t>(index)];
        const std::string label = fmt::format("{}\n({})", ctx.t(ui::categoryKey(category)), count);
        if (ui::button(ctx, fmt::format("##category-{}", index), label, {width, height}, ui::ButtonStyle::Primary,
                       ctx.fonts.heading)) {
            ctx.state.setServiceCategory(category);
        }
        ++index;
    }
}

void ServicesScreen::drawList(const UiContext& ctx, ServiceCategory category)
{
    ui::text(ctx, ctx.t(ui::categoryKey(category)), ctx.fonts.heading, ctx.palette.text);
    if (ui::button(ctx, "##all-categories", ctx.t("services.choose_category"), {0, 0}, ui::ButtonStyle::Secondary)) {
        ctx.state.setServiceCategory(std::nullopt);
        return;
    }
    ImGui::Dummy({1, ctx.metrics.gap()});
    if (ui::beginScrollArea(ctx, "##services", ImGui::GetContentRegionAvail(), m_scroller)) {
        if (m_rows.empty()) ui::text(ctx, ctx.t("services.none"), ctx.fonts.body, ctx.palette.textMuted);
        m_list.draw(
            m_cacheKey, m_rows.size(), [&](std::size_t i, float width) { return ui::cardHeight(ctx, m_rows[i].card, width); },
            [&](std::size_t i) {
                if (ui::card(ctx, fmt::format("##service-{}", i), m_rows[i].card)) {
                    ctx.state.openDetail(DetailTarget{DetailKind::Service, m_rows[i].service->id, std::nullopt});
                }
            });
    }
    ui::endScrollArea(ctx);
}

} // namespace kohtaamo
