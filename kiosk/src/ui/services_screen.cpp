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

void ServicesScreen::draw(const UiContext& ctx, const ContentArea&)
{
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
        const auto count = ctx.snapshot.services(ServiceQuery{.category = category}).size();
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
        const auto services = ctx.snapshot.services(ServiceQuery{.category = category});
        if (services.empty()) ui::text(ctx, ctx.t("services.none"), ctx.fonts.body, ctx.palette.textMuted);
        int index = 0;
        for (const Service* service : services) {
            ui::Card card;
            card.title = std::string(ctx.text(service->name));
            card.line1 = std::string(ctx.text(service->summary));
            std::string details = ui::audienceLabel(ctx, service->audience);
            if (!service->organisationName.empty()) details += " · " + std::string(ctx.text(service->organisationName));
            if (!service->languages.empty()) details += " · " + ui::languagesLabel(service->languages);
            card.line2 = details;
            if (ui::card(ctx, fmt::format("##service-{}", index++), card)) {
                ctx.state.openDetail(DetailTarget{DetailKind::Service, service->id, std::nullopt});
            }
        }
    }
    ui::endScrollArea(ctx);
}

} // namespace kohtaamo
