#pragma once
// The frame around every screen, drawn in one place: the header (place, clock, hidden staff
// corner), the bottom bar (Back, the main screens, languages, text size and contrast) and the
// footer (content freshness). Essential controls sit at the bottom, in reach on a portrait screen.
// Overlays (the idle prompt, the PIN keypad) are drawn over everything.

#include "ui_context.hpp"

#include <imgui.h>

namespace kohtaamo {

struct ContentArea {
    ImVec2 min;
    ImVec2 max;
    [[nodiscard]] float width() const { return max.x - min.x; }
    [[nodiscard]] float height() const { return max.y - min.y; }
};

/// Draws header, bottom bar and footer in the current full-screen window; returns where the screen goes.
[[nodiscard]] ContentArea drawChrome(const UiContext& ctx);

/// The "Still here?" prompt and the staff PIN keypad, when they are up.
void drawOverlays(const UiContext& ctx);

/// How old the content is, for the footer and the staff panel ("2 h", "3 d").
[[nodiscard]] std::string ageText(std::chrono::seconds age);

} // namespace kohtaamo
