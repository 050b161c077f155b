#pragma once
// Flat, finger-sized widgets drawn with ImGui's draw list. Every pressable thing is at least
// Metrics::touchTarget() tall, shows press feedback, and needs no hover.

#include "ui_context.hpp"

#include <imgui.h>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kohtaamo::ui {

enum class ButtonStyle { Primary, Secondary, Selected };

/// The largest of the bold, body and small fonts in which every label's longest word fits `width`;
/// a row of buttons uses one font so the row reads evenly.
[[nodiscard]] ImFont* fittingFont(const UiContext& ctx, const std::vector<std::string>& labels, float width);

/// A button of the given size (0 = fit the label); returns true when tapped.
bool button(const UiContext& ctx, std::string_view id, std::string_view label, ImVec2 size = {0, 0},
            ButtonStyle style = ButtonStyle::Primary, ImFont* font = nullptr);

/// A toggle chip for filters; returns true when tapped.
bool chip(const UiContext& ctx, std::string_view id, std::string_view label, bool selected);

/// Wrapped text in a colour at the cursor, advancing it.
void text(const UiContext& ctx, std::string_view text, ImFont* font, ImU32 colour, float wrapWidth = 0);

/// A section heading with space above it.
void heading(const UiContext& ctx, std::string_view text);

struct Badge {
    std::string label;
    ImU32 background;
    ImU32 foreground;
};

/// A list card: a left column (time), a title, up to two lines below, and badges. Full width of the
/// current region; returns true when tapped.
struct Card {
    std::string leading;     ///< e.g. "09:30–11:00"
    std::string title;
    std::string line1;
    std::string line2;
    std::vector<Badge> badges;
    bool struckThrough = false;   ///< cancelled sessions stay listed, crossed out
};
bool card(const UiContext& ctx, std::string_view id, const Card& card);

/// Call inside a scrolling child: drag scrolls it with inertia, and a drag never becomes a tap.
class TouchScroller {
public:
    void update(const UiContext& ctx);

    /// Back to the top when the state asks for it (a new screen, the next family).
    void followResets(const UiContext& ctx);

private:
    float m_velocity = 0;
    bool m_dragging = false;
    unsigned m_generation = 0;
};

/// Wraps a scrolling region: BeginChild with drag-to-scroll; the scroll position lives in the state.
bool beginScrollArea(const UiContext& ctx, const char* id, ImVec2 size, TouchScroller& scroller);
void endScrollArea(const UiContext& ctx);

/// Height of wrapped text without drawing it.
[[nodiscard]] float textHeight(ImFont* font, std::string_view text, float wrapWidth);

} // namespace kohtaamo::ui

namespace kohtaamo::ui {

/// Measures a card's height without drawing it (for virtual lists).
[[nodiscard]] float cardHeight(const UiContext& ctx, const Card& card, float width);

/// A long list that only draws the rows in view: heights are measured once per `key` and width,
/// and the first visible row is found by binary search, so a frame of a 50,000-row list costs only
/// the rows on screen.
class VirtualList {
public:
    template <class Measure, class Draw>
    void draw(const CacheKey& key, std::size_t count, Measure&& measure, Draw&& drawRow)
    {
        const float width = ImGui::GetContentRegionAvail().x;
        if (!(key == m_key) || width != m_width || m_offsets.size() != count + 1) {
            m_key = key;
            m_width = width;
            m_offsets.assign(1, 0.0f);
            m_offsets.reserve(count + 1);
            for (std::size_t i = 0; i < count; ++i) m_offsets.push_back(m_offsets.back() + measure(i, width));
        }
        const float spacing = ImGui::GetStyle().ItemSpacing.y;
        const float startY = ImGui::GetCursorPosY();
        const float top = ImGui::GetScrollY() - startY;
        const float bottom = top + ImGui::GetWindowHeight();
        const std::size_t first = firstRowEndingAfter(top);
        const std::size_t last = std::max(first, firstRowEndingAfter(bottom) + 1);
        if (first > 0) ImGui::Dummy({width, m_offsets[first] - spacing});
        for (std::size_t i = first; i < std::min(last, count); ++i) drawRow(i);
        if (last < count) ImGui::Dummy({width, m_offsets[count] - m_offsets[last] - spacing});
    }

private:
    [[nodiscard]] std::size_t firstRowEndingAfter(float y) const
    {
        const auto it = std::upper_bound(m_offsets.begin() + 1, m_offsets.end(), y);
        return static_cast<std::size_t>(it - (m_offsets.begin() + 1));
    }
    CacheKey m_key;
    float m_width = 0;
    std::vector<float> m_offsets;   ///< m_offsets[i] = top of row i; m_offsets[count] = total height
};

/// Lays chips out left to right, wrapping to a new line when the next one does not fit.
class ChipFlow {
public:
    explicit ChipFlow(const UiContext& ctx) : m_ctx(ctx), m_right(ImGui::GetContentRegionAvail().x) {}
    bool chip(std::string_view id, std::string_view label, bool selected);

private:
    const UiContext& m_ctx;
    float m_right;
    bool m_first = true;
};

} // namespace kohtaamo::ui
