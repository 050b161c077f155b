#include "staff_screen.hpp"

#include "formatting.hpp"

#include <fmt/format.h>

#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <unistd.h>

namespace kohtaamo {
namespace {

std::string whenText(const UiContext& ctx, const std::optional<Instant>& t)
{
    if (!t) return std::string(ctx.t("staff.never"));
    return fmt::format("{} {} ({})", ui::dayLabel(ctx, TimeZone::helsinki().localDate(*t)), ui::clockTime(*t),
                       ageText(std::chrono::duration_cast<std::chrono::seconds>(ctx.now - *t)));
}

std::string hostName()
{
    char name[256] = {};
    return ::gethostname(name, sizeof name - 1) == 0 ? std::string(name) : std::string("?");
}

// The addresses IT needs to reach the device: every non-loopback IPv4 and IPv6 address.
std::string ipAddresses()
{
    ifaddrs* list = nullptr;
    if (::getifaddrs(&list) != 0) return "?";
    std::string addresses;
    for (const ifaddrs* entry = list; entry; entry = entry->ifa_next) {
        if (!entry->ifa_addr || (entry->ifa_flags & IFF_LOOPBACK)) continue;
        const int family = entry->ifa_addr->sa_family;
        if (family != AF_INET && family != AF_INET6) continue;
        char text[NI_MAXHOST] = {};
        const socklen_t size = family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6);
        if (::getnameinfo(entry->ifa_addr, size, text, sizeof text, nullptr, 0, NI_NUMERICHOST) != 0) continue;
        if (!addresses.empty()) addresses += ", ";
        addresses += text;
    }
    ::freeifaddrs(list);
    return addresses.empty() ? "–" : addresses;
}

} // namespace

void StaffScreen::draw(const UiContext& ctx, const ContentArea&)
{
    const Metrics& m = ctx.metrics;
    const Palette& p = ctx.palette;
    ui::text(ctx, ctx.t("staff.title"), ctx.fonts.heading, p.text);
    if (ui::button(ctx, "##sync-now", ctx.t("staff.sync_now")) && ctx.shell.syncNow) ctx.shell.syncNow();
    if (ctx.shell.requestExit) {
        ImGui::SameLine(0, m.gap());
        if (ui::button(ctx, "##exit", ctx.t("staff.exit"), {0, 0}, ui::ButtonStyle::Secondary)) ctx.shell.requestExit();
    }
    ImGui::SameLine(0, m.gap());
    if (ui::button(ctx, "##close", ctx.t("staff.close"), {0, 0}, ui::ButtonStyle::Secondary)) ctx.state.goHome();
    if (ui::beginScrollArea(ctx, "##staff", ImGui::GetContentRegionAvail(), m_scroller)) {
        const auto updated = ctx.snapshot.lastUpdated();
        ui::text(ctx,
                 fmt::format("{}: {}    {}: {} ({})    {}: {}", ctx.t("staff.version"), ctx.version,
                             ctx.t("staff.device"), hostName(), ipAddresses(), ctx.t("staff.content_age"),
                             updated ? ageText(std::chrono::duration_cast<std::chrono::seconds>(ctx.now - *updated))
                                     : std::string(ctx.t("staff.never"))),
                 ctx.fonts.body, p.text);
        for (const auto& notice : ctx.shell.deviceNotices) ui::text(ctx, notice, ctx.fonts.small, p.cancelled);
        ui::heading(ctx, ctx.t("staff.sources"));
        int index = 0;
        for (const SourceState& source : ctx.snapshot.sources()) {
            ui::Card card;
            card.title = fmt::format("{} ({})", source.id, source.kind);
            card.line1 = fmt::format("{}: {} · {}: {}", ctx.t("staff.last_success"), whenText(ctx, source.lastSuccess),
                                     ctx.t("staff.items"), source.itemCount);
            card.line2 = source.error.empty() ? source.url
                                              : fmt::format("{}: {}", ctx.t("staff.last_error"), source.error);
            if (!source.error.empty()) card.badges.push_back({std::string(ctx.t("staff.last_error")), p.cancelled, p.onCancelled});
            ui::card(ctx, fmt::format("##source-{}", index++), card);
        }
        for (const auto& problem : ctx.snapshot.problems()) ui::text(ctx, problem, ctx.fonts.small, p.cancelled);
    }
    ui::endScrollArea(ctx);
}

} // namespace kohtaamo
