#include "ui/theme.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace kohtaamo;

namespace {

// WCAG 2.1 relative luminance and contrast ratio.
double luminance(ImU32 colour)
{
    auto channel = [](unsigned value) {
        const double c = value / 255.0;
        return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(colour & 0xff) + 0.7152 * channel((colour >> 8) & 0xff) +
           0.0722 * channel((colour >> 16) & 0xff);
}

double contrast(ImU32 a, ImU32 b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

} // namespace

TEST_CASE("every text and background pair reaches 4.5:1 in both themes")
{
    for (Contrast mode : {Contrast::Normal, Contrast::High}) {
        const Palette& p = paletteFor(mode);
        CAPTURE(static_cast<int>(mode));
        const std::pair<ImU32, ImU32> pairs[] = {
            {p.text, p.background},       {p.text, p.surface},          {p.textMuted, p.background},
            {p.textMuted, p.surface},     {p.onPrimary, p.primary},     {p.onSelected, p.selected},
            {p.onOpen, p.open},           {p.onCancelled, p.cancelled}, {p.onAnnouncement, p.announcement},
            {p.cancelled, p.background},  {p.open, p.background},
        };
        for (const auto& [foreground, background] : pairs) CHECK(contrast(foreground, background) >= 4.5);
        // The header text sits on surfaceAlt.
        const ImU32 onHeader = mode == Contrast::High ? p.text : p.onPrimary;
        CHECK(contrast(onHeader, p.surfaceAlt) >= 4.5);
    }
}

TEST_CASE("touch targets are at least 9 mm on a 24-inch 1080p panel at any text size")
{
    // A 24" 1920×1080 panel has about 3.6 px per mm, so 9 mm is about 33 px; we keep 60 px as the floor.
    for (float scale : {1.0f, 1.5f, 2.0f}) {
        CHECK(metricsFor(1920, 1080, scale).touchTarget() >= 60);
        CHECK(metricsFor(1080, 1920, scale).touchTarget() >= 60);
    }
    CHECK(metricsFor(1280, 720, 1.0f).touchTarget() >= 54);
}
