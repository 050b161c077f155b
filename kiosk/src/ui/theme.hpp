#pragma once
// Colours and sizes. Every size is derived from the screen (a "unit" of 1/1080 of its short side)
// and the family's text-size choice, so layouts hold from a 1080p panel to a 4K one, landscape
// or portrait. Shapes are flat (no rounded corners) because SDL's software renderer turns every
// rounded corner into a triangle fan and that alone costs tens of milliseconds a frame.

#include "kiosk_state.hpp"

#include <imgui.h>

namespace kohtaamo {

struct Palette {
    ImU32 background;
    ImU32 surface;        ///< cards
    ImU32 surfaceAlt;     ///< headers, bars
    ImU32 text;
    ImU32 textMuted;
    ImU32 primary;        ///< buttons
    ImU32 onPrimary;
    ImU32 pressed;
    ImU32 selected;       ///< selected chips
    ImU32 onSelected;
    ImU32 border;
    ImU32 open;           ///< "open now" marker
    ImU32 onOpen;
    ImU32 cancelled;
    ImU32 onCancelled;
    ImU32 announcement;
    ImU32 onAnnouncement;
    ImU32 overlay;        ///< dims the screen behind a prompt
};

/// Both palettes keep every text/background pair at or above 4.5:1 (WCAG AA); see theme_test.
[[nodiscard]] const Palette& paletteFor(Contrast contrast);

struct Metrics {
    float unit = 1.0f;          ///< 1/1080 of the screen's short side
    float textScale = 1.0f;     ///< the family's choice, 1.0–2.0
    float width = 1920;
    float height = 1080;
    [[nodiscard]] bool portrait() const { return height > width; }
    [[nodiscard]] float px(float designPixels) const { return designPixels * unit; }
    /// Minimum touch target: 9 mm ≈ 60 px on a 1080p 24" panel.
    [[nodiscard]] float touchTarget() const { return px(84) * std::max(1.0f, textScale * 0.85f); }
    [[nodiscard]] float margin() const { return px(28); }
    [[nodiscard]] float gap() const { return px(16); }
};

[[nodiscard]] Metrics metricsFor(float width, float height, float textScale);

} // namespace kohtaamo
