#include "theme.hpp"

#include <algorithm>

namespace kohtaamo {
namespace {

constexpr ImU32 rgb(unsigned value)
{
    // ImGui packs colours as ABGR.
    return IM_COL32((value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff, 0xff);
}

constexpr Palette kNormal{
    .background = rgb(0xF6F3EE),
    .surface = rgb(0xFFFFFF),
    .surfaceAlt = rgb(0x0F4C5C),
    .text = rgb(0x1D2327),
    .textMuted = rgb(0x4A5358),
    .primary = rgb(0x0F4C5C),
    .onPrimary = rgb(0xFFFFFF),
    .pressed = rgb(0x082F39),
    .selected = rgb(0x0F4C5C),
    .onSelected = rgb(0xFFFFFF),
    .border = rgb(0xB9C2C6),
    .open = rgb(0x1E6B34),
    .onOpen = rgb(0xFFFFFF),
    .cancelled = rgb(0xA4262C),
    .onCancelled = rgb(0xFFFFFF),
    .announcement = rgb(0xFFE9A8),
    .onAnnouncement = rgb(0x1D2327),
    .overlay = IM_COL32(0, 0, 0, 150),
};

constexpr Palette kHigh{
    .background = rgb(0x000000),
    .surface = rgb(0x101010),
    .surfaceAlt = rgb(0x000000),
    .text = rgb(0xFFFFFF),
    .textMuted = rgb(0xE6E6E6),
    .primary = rgb(0xFFD400),
    .onPrimary = rgb(0x000000),
    .pressed = rgb(0xFFFFFF),
    .selected = rgb(0xFFD400),
    .onSelected = rgb(0x000000),
    .border = rgb(0xFFFFFF),
    .open = rgb(0x7CFC8A),
    .onOpen = rgb(0x000000),
    .cancelled = rgb(0xFF8A80),
    .onCancelled = rgb(0x000000),
    .announcement = rgb(0xFFD400),
    .onAnnouncement = rgb(0x000000),
    .overlay = IM_COL32(0, 0, 0, 200),
};

} // namespace

const Palette& paletteFor(Contrast contrast) { return contrast == Contrast::High ? kHigh : kNormal; }

Metrics metricsFor(float width, float height, float textScale)
{
    Metrics metrics;
    metrics.width = width;
    metrics.height = height;
    metrics.unit = std::min(width, height) / 1080.0f;
    metrics.textScale = textScale;
    return metrics;
}

} // namespace kohtaamo
