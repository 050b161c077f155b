#include "widgets.hpp"

#include <imgui_internal.h>

#include <algorithm>
#include <cmath>

namespace kohtaamo::ui {
namespace {

struct Colours {
    ImU32 background;
    ImU32 foreground;
};

Colours coloursFor(const UiContext& ctx, ButtonStyle style, bool pressed)
{
    const Palette& p = ctx.palette;
    if (pressed) return {p.pressed, p.onPrimary == p.text ? p.background : IM_COL32_WHITE};
    switch (style) {
    case ButtonStyle::Primary: return {p.primary, p.onPrimary};
    case ButtonStyle::Selected: return {p.selected, p.onSelected};
    case ButtonStyle::Secondary: break;
    }
    return {p.surface, p.text};
}

std::string imguiId(std::string_view id) { return std::string(id); }

// High-contrast "pressed" is white: draw its text black.
ImU32 pressedText(const UiContext& ctx)
{
    return ctx.palette.pressed == IM_COL32(255, 255, 255, 255) ? IM_COL32(0, 0, 0, 255) : IM_COL32(255, 255, 255, 255);
}

float longestWord(ImFont* font, std::string_view text)
{
    float longest = 0;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find_first_of(" \n", start);
        if (end == std::string_view::npos) end = text.size();
        const auto word = text.substr(start, end - start);
        longest = std::max(longest,
                           font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, word.data(), word.data() + word.size()).x);
        start = end + 1;
    }
    return longest;
}

} // namespace

ImFont* fittingFont(const UiContext& ctx, const std::vector<std::string>& labels, float width)
{
    const float wrap = width - ctx.metrics.px(24);
    for (ImFont* font : {ctx.fonts.bold, ctx.fonts.body}) {
        if (std::all_of(labels.begin(), labels.end(), [&](const std::string& l) { return longestWord(font, l) <= wrap; })) {
            return font;
        }
    }
    return ctx.fonts.small;
}

float textHeight(ImFont* font, std::string_view text, float wrapWidth)
{
    return font->CalcTextSizeA(font->FontSize, FLT_MAX, wrapWidth, text.data(), text.data() + text.size()).y;
}

bool button(const UiContext& ctx, std::string_view id, std::string_view label, ImVec2 size, ButtonStyle style,
            ImFont* font)
{
    font = font ? font : ctx.fonts.bold;
    const float padding = ctx.metrics.px(24);
    const ImVec2 labelSize = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, label.data(), label.data() + label.size());
    if (size.x <= 0) size.x = labelSize.x + 2 * padding;
    if (size.y <= 0) size.y = std::max(ctx.metrics.touchTarget(), labelSize.y + padding);
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const bool tapped = ImGui::InvisibleButton(imguiId(id).c_str(), size);
    const bool pressed = ImGui::IsItemActive();
    Colours colours = coloursFor(ctx, style, pressed);
    if (pressed) colours.foreground = pressedText(ctx);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(pos, {pos.x + size.x, pos.y + size.y}, colours.background);
    if (style == ButtonStyle::Secondary && !pressed) {
        draw->AddRect(pos, {pos.x + size.x, pos.y + size.y}, ctx.palette.border, 0, 0, ctx.metrics.px(2));
    }
    // Labels that do not fit wrap inside the button rather than spill out of it; when a word is too
    // long for the button ("Evenemang", "Українська") or the lines too many, the next smaller font
    // is used instead of cutting the label.
    const float wrap = size.x - padding;
    for (ImFont* smaller : {ctx.fonts.bold, ctx.fonts.body, ctx.fonts.small}) {
        const bool fits = longestWord(font, label) <= wrap && textHeight(font, label, wrap) <= size.y - padding / 2;
        if (fits || font == ctx.fonts.small) break;
        if (smaller->FontSize < font->FontSize) font = smaller;
    }
    const ImVec2 wrapped = font->CalcTextSizeA(font->FontSize, FLT_MAX, wrap, label.data(), label.data() + label.size());
    const ImVec2 textPos{pos.x + std::max(padding / 2, (size.x - wrapped.x) / 2), pos.y + (size.y - wrapped.y) / 2};
    draw->AddText(font, font->FontSize, textPos, colours.foreground, label.data(), label.data() + label.size(), wrap);
    return tapped;
}

bool chip(const UiContext& ctx, std::string_view id, std::string_view label, bool selected)
{
    return button(ctx, id, label, {0, 0}, selected ? ButtonStyle::Selected : ButtonStyle::Secondary, ctx.fonts.body);
}

void text(const UiContext&, std::string_view text, ImFont* font, ImU32 colour, float wrapWidth)
{
    // An empty view may have no data at all (a detail page's description still being read), and
    // ImGui takes a null end for a C string: give it an empty one instead.
    if (text.empty()) text = "";
    if (wrapWidth <= 0) wrapWidth = ImGui::GetContentRegionAvail().x;
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const float height = textHeight(font, text, wrapWidth);
    ImGui::GetWindowDrawList()->AddText(font, font->FontSize, pos, colour, text.data(), text.data() + text.size(),
                                        wrapWidth);
    ImGui::Dummy({wrapWidth, height});
}

void heading(const UiContext& ctx, std::string_view label)
{
    ImGui::Dummy({1, ctx.metrics.px(12)});
    text(ctx, label, ctx.fonts.heading, ctx.palette.text);
    ImGui::Dummy({1, ctx.metrics.px(4)});
}

namespace {

struct CardLayout {
    float padding;
    float leadingWidth;
    float textX;
    float textWidth;
    float badgesHeight;
    float titleHeight;
    float line1Height;
    float line2Height;
    float height;
};

CardLayout layoutCard(const UiContext& ctx, const Card& content, float width)
{
    const Metrics& m = ctx.metrics;
    CardLayout layout{};
    layout.padding = m.px(20);
    layout.leadingWidth = content.leading.empty() ? 0 : m.px(210) * m.textScale;
    layout.textX = layout.padding + m.px(8) + layout.leadingWidth + (layout.leadingWidth > 0 ? m.gap() : 0);
    layout.textWidth = std::max(m.px(100), width - layout.textX - layout.padding);
    if (!content.badges.empty()) layout.badgesHeight = ctx.fonts.small->FontSize + m.px(8) + m.px(10);
    layout.titleHeight = textHeight(ctx.fonts.bold, content.title, layout.textWidth);
    layout.line1Height = content.line1.empty() ? 0 : textHeight(ctx.fonts.body, content.line1, layout.textWidth);
    layout.line2Height = content.line2.empty() ? 0 : textHeight(ctx.fonts.small, content.line2, layout.textWidth);
    const float leadingHeight =
        content.leading.empty() ? 0 : textHeight(ctx.fonts.bold, content.leading, layout.leadingWidth);
    layout.height = std::max({m.touchTarget(), layout.padding * 2 + leadingHeight,
                              layout.padding * 2 + layout.badgesHeight + layout.titleHeight + layout.line1Height +
                                  layout.line2Height + m.px(4)});
    return layout;
}

} // namespace

float cardHeight(const UiContext& ctx, const Card& card, float width)
{
    return layoutCard(ctx, card, width).height + ctx.metrics.px(12) + ImGui::GetStyle().ItemSpacing.y * 2;
}

bool ChipFlow::chip(std::string_view id, std::string_view label, bool selected)
{
    const Metrics& m = m_ctx.metrics;
    ImFont* font = m_ctx.fonts.body;
    const float width = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, label.data(), label.data() + label.size()).x +
                        2 * m.px(24);
    if (!m_first) {
        ImGui::SameLine(0, m.gap());
        if (ImGui::GetCursorPosX() + width > m_right) ImGui::NewLine();
    }
    m_first = false;
    return ui::chip(m_ctx, id, label, selected);
}

bool card(const UiContext& ctx, std::string_view id, const Card& content)
{
    const Metrics& m = ctx.metrics;
    const Palette& p = ctx.palette;
    const float width = ImGui::GetContentRegionAvail().x;
    const CardLayout layout = layoutCard(ctx, content, width);
    const float padding = layout.padding;
    const float leadingWidth = layout.leadingWidth;
    const float textX = layout.textX;
    const float textWidth = layout.textWidth;
    const float badgesHeight = layout.badgesHeight;
    const float titleHeight = layout.titleHeight;
    const float line1Height = layout.line1Height;
    const float height = layout.height;

    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const bool tapped = ImGui::InvisibleButton(imguiId(id).c_str(), {width, height});
    const bool pressed = ImGui::IsItemActive();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(pos, {pos.x + width, pos.y + height}, pressed ? p.border : p.surface);
    draw->AddRectFilled(pos, {pos.x + m.px(8), pos.y + height}, content.struckThrough ? p.cancelled : p.primary);

    if (!content.leading.empty()) {
        draw->AddText(ctx.fonts.bold, ctx.fonts.bold->FontSize, {pos.x + padding + m.px(8), pos.y + padding}, p.text,
                      content.leading.data(), content.leading.data() + content.leading.size(), leadingWidth);
    }
    float y = pos.y + padding;
    float x = pos.x + textX;
    for (const Badge& badge : content.badges) {
        const ImVec2 size = ctx.fonts.small->CalcTextSizeA(ctx.fonts.small->FontSize, FLT_MAX, 0, badge.label.c_str());
        const ImVec2 min{x, y};
        const ImVec2 max{x + size.x + m.px(20), y + size.y + m.px(8)};
        draw->AddRectFilled(min, max, badge.background);
        draw->AddText(ctx.fonts.small, ctx.fonts.small->FontSize, {min.x + m.px(10), min.y + m.px(4)}, badge.foreground,
                      badge.label.c_str());
        x = max.x + m.px(10);
    }
    if (!content.badges.empty()) y += badgesHeight;
    x = pos.x + textX;
    draw->AddText(ctx.fonts.bold, ctx.fonts.bold->FontSize, {x, y}, p.text, content.title.data(),
                  content.title.data() + content.title.size(), textWidth);
    if (content.struckThrough) {
        const float lineY = y + ctx.fonts.bold->FontSize * 0.55f;
        const float titleWidth =
            std::min(textWidth, ctx.fonts.bold->CalcTextSizeA(ctx.fonts.bold->FontSize, FLT_MAX, 0,
                                                             content.title.c_str()).x);
        draw->AddLine({x, lineY}, {x + titleWidth, lineY}, p.text, m.px(3));
    }
    y += titleHeight + m.px(4);
    if (!content.line1.empty()) {
        draw->AddText(ctx.fonts.body, ctx.fonts.body->FontSize, {x, y}, p.text, content.line1.data(),
                      content.line1.data() + content.line1.size(), textWidth);
        y += line1Height;
    }
    if (!content.line2.empty()) {
        draw->AddText(ctx.fonts.small, ctx.fonts.small->FontSize, {x, y}, p.textMuted, content.line2.data(),
                      content.line2.data() + content.line2.size(), textWidth);
    }
    ImGui::Dummy({1, m.px(12)});
    return tapped;
}

void TouchScroller::followResets(const UiContext& ctx)
{
    const unsigned generation = ctx.state.scrollGeneration(ctx.state.screen());
    if (generation == m_generation) return;
    m_generation = generation;
    m_velocity = 0;
    m_dragging = false;
    ImGui::SetScrollY(0);
}

void TouchScroller::update(const UiContext& ctx)
{
    ImGuiIO& io = ImGui::GetIO();
    const float threshold = ctx.metrics.px(14);
    if (!m_dragging &&
        ImGui::IsWindowHovered(ImGuiHoveredFlags_ChildWindows | ImGuiHoveredFlags_AllowWhenBlockedByActiveItem) &&
        ImGui::IsMouseDragging(ImGuiMouseButton_Left, threshold)) {
        m_dragging = true;
        m_velocity = 0;
    }
    if (m_dragging) {
        if (ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
            const float delta = io.MouseDelta.y;
            ImGui::SetScrollY(ImGui::GetScrollY() - delta);
            if (io.DeltaTime > 0) m_velocity = 0.8f * m_velocity + 0.2f * (-delta / io.DeltaTime);
            // A drag is never a tap on whatever the finger started on.
            ImGui::ClearActiveID();
        } else {
            m_dragging = false;
        }
        ctx.requestAnimationFrame();
        return;
    }
    if (std::fabs(m_velocity) > ctx.metrics.px(20)) {
        ImGui::SetScrollY(ImGui::GetScrollY() + m_velocity * io.DeltaTime);
        m_velocity *= std::pow(0.04f, io.DeltaTime);
        ctx.requestAnimationFrame();
    } else {
        m_velocity = 0;
    }
}

bool beginScrollArea(const UiContext& ctx, const char* id, ImVec2 size, TouchScroller& scroller)
{
    const bool visible = ImGui::BeginChild(id, size, false, ImGuiWindowFlags_NoBackground);
    scroller.followResets(ctx);
    scroller.update(ctx);
    return visible;
}

void endScrollArea(const UiContext&) { ImGui::EndChild(); }

} // namespace kohtaamo::ui
