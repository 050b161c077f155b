#include "chrome.hpp"

#include "formatting.hpp"
#include "widgets.hpp"

#include <fmt/format.h>

namespace kohtaamo {
namespace {

// Content older than this is called out plainly in the footer.
constexpr std::chrono::hours kStaleAfter{24};

struct NavItem {
    Screen screen;
    std::string_view key;
};
constexpr NavItem kNav[] = {{Screen::Home, "nav.home"},
                            {Screen::Events, "nav.events"},
                            {Screen::DropIn, "nav.dropin"},
                            {Screen::Services, "nav.services"},
                            {Screen::Search, "nav.search"}};

float drawHeader(const UiContext& ctx)
{
    const Metrics& m = ctx.metrics;
    const Palette& p = ctx.palette;
    const float height = m.px(120) * std::max(1.0f, m.textScale * 0.8f);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled({0, 0}, {m.width, height}, p.surfaceAlt);
    const ImU32 onHeader = ctx.state.contrast() == Contrast::High ? p.text : p.onPrimary;

    // The hidden staff corner: five taps on the title within three seconds.
    ImGui::SetCursorScreenPos({0, 0});
    if (ImGui::InvisibleButton("##staff-corner", {m.px(220), height})) ctx.state.noteCornerTap(ctx.now);

    const Place* here = ctx.site.placeId.empty() ? nullptr : ctx.snapshot.place(ctx.site.placeId);
    const std::string title = here ? std::string(ctx.text(here->name)) : std::string(ctx.t("app.title"));
    const std::string subtitle(ctx.t("app.subtitle"));
    const float titleY = (height - ctx.fonts.heading->FontSize - ctx.fonts.small->FontSize) / 2;
    draw->AddText(ctx.fonts.heading, ctx.fonts.heading->FontSize, {m.margin(), titleY}, onHeader, title.c_str());
    draw->AddText(ctx.fonts.small, ctx.fonts.small->FontSize, {m.margin(), titleY + ctx.fonts.heading->FontSize},
                  onHeader, subtitle.c_str());

    const std::string clock = ui::clockTime(ctx.now);
    const std::string day = ui::dayLabel(ctx, TimeZone::helsinki().localDate(ctx.now));
    const ImVec2 clockSize = ctx.fonts.display->CalcTextSizeA(ctx.fonts.display->FontSize, FLT_MAX, 0, clock.c_str());
    const ImVec2 daySize = ctx.fonts.body->CalcTextSizeA(ctx.fonts.body->FontSize, FLT_MAX, 0, day.c_str());
    const float right = m.width - m.margin();
    draw->AddText(ctx.fonts.display, ctx.fonts.display->FontSize, {right - clockSize.x, (height - clockSize.y) / 2},
                  onHeader, clock.c_str());
    draw->AddText(ctx.fonts.body, ctx.fonts.body->FontSize,
                  {right - clockSize.x - m.gap() * 2 - daySize.x, (height - daySize.y) / 2}, onHeader, day.c_str());
    return height;
}

bool isStale(const UiContext& ctx)
{
    const auto updated = ctx.snapshot.lastUpdated();
    return !ctx.loading() && (ctx.snapshot.empty() || !updated || ctx.now - *updated > kStaleAfter);
}

std::string footerText(const UiContext& ctx)
{
    if (ctx.loading()) return std::string(ctx.t("app.loading"));
    if (ctx.snapshot.empty()) return std::string(ctx.t("footer.no_content"));
    const auto updated = ctx.snapshot.lastUpdated();
    if (!updated) return std::string(ctx.t("footer.never"));
    const LocalDate day = TimeZone::helsinki().localDate(*updated);
    const std::string when = fmt::format("{} {}", ui::relativeDay(ctx, day), ui::clockTime(*updated));
    return ctx.now - *updated > kStaleAfter ? ctx.tf("footer.stale", {{"time", when}})
                                            : ctx.tf("footer.updated", {{"time", when}});
}

// Bottom bar, from the bottom up: footer line, languages and display options, navigation.
float drawBottomBar(const UiContext& ctx)
{
    const Metrics& m = ctx.metrics;
    const Palette& p = ctx.palette;
    const float rowHeight = m.touchTarget();
    const float footerHeight = ctx.fonts.small->FontSize + m.px(20);
    // Portrait screens are narrow: the display options get a row of their own.
    const int rows = m.portrait() ? 3 : 2;
    const float barHeight = rowHeight * static_cast<float>(rows) + m.gap() * static_cast<float>(rows + 1) + footerHeight;
    const float top = m.height - barHeight;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled({0, top}, {m.width, m.height}, p.surface);
    draw->AddLine({0, top}, {m.width, top}, p.border, m.px(2));

    // Navigation row: Back, then the main screens, sharing the width.
    const float usable = m.width - 2 * m.margin();
    const int count = static_cast<int>(std::size(kNav)) + 1;
    const float buttonWidth = (usable - m.gap() * static_cast<float>(count - 1)) / static_cast<float>(count);
    float x = m.margin();
    const float navY = top + m.gap();
    ImGui::SetCursorScreenPos({x, navY});
    if (ctx.state.canGoBack()) {
        if (ui::button(ctx, "##back", fmt::format("‹ {}", ctx.t("nav.back")), {buttonWidth, rowHeight},
                       ui::ButtonStyle::Secondary)) {
            ctx.state.back();
        }
    }
    x += buttonWidth + m.gap();
    std::vector<std::string> labels;
    for (const NavItem& item : kNav) labels.emplace_back(ctx.t(item.key));
    ImFont* navFont = ui::fittingFont(ctx, labels, buttonWidth);
    for (const NavItem& item : kNav) {
        ImGui::SetCursorScreenPos({x, navY});
        const bool current = ctx.state.screen() == item.screen;
        if (ui::button(ctx, fmt::format("##nav-{}", item.key), ctx.t(item.key), {buttonWidth, rowHeight},
                       current ? ui::ButtonStyle::Selected : ui::ButtonStyle::Primary, navFont)) {
            ctx.state.open(item.screen);
        }
        x += buttonWidth + m.gap();
    }

    // Languages, each named in itself, then the two display options.
    const auto& languages = ctx.site.languages;
    const int optionCount = static_cast<int>(languages.size()) + (m.portrait() ? 0 : 2);
    const float optionWidth =
        (usable - m.gap() * static_cast<float>(optionCount - 1)) / static_cast<float>(optionCount);
    x = m.margin();
    const float languageY = navY + rowHeight + m.gap();
    std::vector<std::string> names;
    for (const auto& language : languages) names.emplace_back(ctx.translations.languageName(language));
    ImFont* languageFont = ui::fittingFont(ctx, names, optionWidth) == ctx.fonts.small ? ctx.fonts.small : ctx.fonts.body;
    for (const auto& language : languages) {
        ImGui::SetCursorScreenPos({x, languageY});
        const bool current = ctx.state.language() == language;
        if (ui::button(ctx, "##lang-" + language, ctx.translations.languageName(language), {optionWidth, rowHeight},
                       current ? ui::ButtonStyle::Selected : ui::ButtonStyle::Secondary, languageFont)) {
            ctx.state.setLanguage(language);
        }
        x += optionWidth + m.gap();
    }
    float optionsY = languageY;
    float displayWidth = optionWidth;
    if (m.portrait()) {
        x = m.margin();
        optionsY = languageY + rowHeight + m.gap();
        displayWidth = (usable - m.gap()) / 2;
    }
    ImGui::SetCursorScreenPos({x, optionsY});
    const bool large = ctx.state.textScale() > 1.0f;
    if (ui::button(ctx, "##larger-text", ctx.t("a11y.larger_text"), {displayWidth, rowHeight},
                   large ? ui::ButtonStyle::Selected : ui::ButtonStyle::Secondary, ctx.fonts.body)) {
        ctx.state.setTextScale(large ? 1.0f : 1.5f);
        if (ctx.shell.textScaleChanged) ctx.shell.textScaleChanged();
    }
    x += displayWidth + m.gap();
    ImGui::SetCursorScreenPos({x, optionsY});
    const bool high = ctx.state.contrast() == Contrast::High;
    if (ui::button(ctx, "##contrast", ctx.t("a11y.contrast"), {displayWidth, rowHeight},
                   high ? ui::ButtonStyle::Selected : ui::ButtonStyle::Secondary, ctx.fonts.body)) {
        ctx.state.setContrast(high ? Contrast::Normal : Contrast::High);
    }

    const std::string footer = footerText(ctx);
    draw->AddText(isStale(ctx) ? ctx.fonts.bold : ctx.fonts.small, ctx.fonts.small->FontSize,
                  {m.margin(), m.height - footerHeight + m.px(8)}, isStale(ctx) ? p.text : p.textMuted,
                  footer.c_str());
    const std::string version = fmt::format("Kohtaamo {}", ctx.version);
    const ImVec2 versionSize = ctx.fonts.small->CalcTextSizeA(ctx.fonts.small->FontSize, FLT_MAX, 0, version.c_str());
    draw->AddText(ctx.fonts.small, ctx.fonts.small->FontSize,
                  {m.width - m.margin() - versionSize.x, m.height - footerHeight + m.px(8)}, p.textMuted,
                  version.c_str());
    return barHeight;
}

// A full-screen window that dims what is behind a prompt and takes the taps meant for it.
void drawDim(const UiContext& ctx)
{
    ImGui::SetNextWindowPos({0, 0});
    ImGui::SetNextWindowSize({ctx.metrics.width, ctx.metrics.height});
    ImGui::SetNextWindowFocus();
    ImGui::PushStyleColor(ImGuiCol_WindowBg, ctx.palette.overlay);
    ImGui::Begin("##dim", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                       ImGuiWindowFlags_NoSavedSettings);
    ImGui::End();
    ImGui::PopStyleColor();
    ImGui::SetNextWindowFocus();
}

void drawIdlePrompt(const UiContext& ctx)
{
    const Metrics& m = ctx.metrics;
    const float width = std::min(m.width - 2 * m.margin(), m.px(900));
    ImGui::SetNextWindowPos({(m.width - width) / 2, m.height * 0.4f});
    ImGui::SetNextWindowSize({width, 0});
    ImGui::Begin("##idle", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_AlwaysAutoResize |
                     ImGuiWindowFlags_NoSavedSettings);
    ui::text(ctx, ctx.t("idle.still_here"), ctx.fonts.heading, ctx.palette.text);
    ui::text(ctx, ctx.tf("idle.reset_in", {{"seconds", std::to_string(ctx.state.promptSecondsLeft(ctx.now))}}),
             ctx.fonts.body, ctx.palette.text);
    ImGui::Dummy({1, m.gap()});
    if (ui::button(ctx, "##continue", ctx.t("idle.continue"), {ImGui::GetContentRegionAvail().x, m.touchTarget() * 1.2f})) {
        ctx.state.noteInput(ctx.now);
    }
    ImGui::End();
}

void drawPinPad(const UiContext& ctx)
{
    const Metrics& m = ctx.metrics;
    const float key = m.touchTarget() * 1.2f;
    const float width = key * 3 + m.gap() * 2 + 2 * m.margin();
    ImGui::SetNextWindowPos({(m.width - width) / 2, m.height * 0.25f});
    ImGui::SetNextWindowSize({width, 0});
    ImGui::Begin("##pin", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_AlwaysAutoResize |
                     ImGuiWindowFlags_NoSavedSettings);
    std::string& entry = ctx.state.pinEntry();
    ui::text(ctx, ctx.t("staff.pin"), ctx.fonts.heading, ctx.palette.text);
    ui::text(ctx, std::string(entry.size(), '*') + " ", ctx.fonts.display, ctx.palette.text);
    static constexpr const char* kKeys[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "×", "0", "OK"};
    for (int i = 0; i < 12; ++i) {
        if (i % 3 != 0) ImGui::SameLine(0, m.gap());
        const std::string label = kKeys[i];
        if (ui::button(ctx, fmt::format("##pin-{}", i), label, {key, key},
                       label == "OK" ? ui::ButtonStyle::Primary : ui::ButtonStyle::Secondary, ctx.fonts.heading)) {
            if (label == "×") {
                ctx.state.closePinPad();
            } else if (label == "OK") {
                if (ctx.shell.checkPin && ctx.shell.checkPin(entry)) ctx.state.unlockStaff();
                else entry.clear();
            } else if (entry.size() < 12) {
                entry += label;
            }
        }
    }
    ImGui::End();
}

} // namespace

std::string ageText(std::chrono::seconds age)
{
    using namespace std::chrono;
    if (age < hours{1}) return fmt::format("{} min", duration_cast<minutes>(age).count());
    if (age < hours{48}) return fmt::format("{} h", duration_cast<hours>(age).count());
    return fmt::format("{} d", duration_cast<hours>(age).count() / 24);
}

ContentArea drawChrome(const UiContext& ctx)
{
    const float headerHeight = drawHeader(ctx);
    const float barHeight = drawBottomBar(ctx);
    const Metrics& m = ctx.metrics;
    return ContentArea{{m.margin(), headerHeight + m.gap()}, {m.width - m.margin(), m.height - barHeight - m.gap()}};
}

void drawOverlays(const UiContext& ctx)
{
    if (ctx.state.idlePhase() == IdlePhase::Prompt) {
        drawDim(ctx);
        drawIdlePrompt(ctx);
        ctx.requestAnimationFrame();   // the countdown ticks every second
    } else if (ctx.state.pinPadOpen()) {
        drawDim(ctx);
        drawPinPad(ctx);
    }
}

} // namespace kohtaamo
