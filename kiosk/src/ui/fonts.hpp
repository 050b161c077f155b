#pragma once
// The kiosk's fonts, baked into ImGui's atlas for the current screen size and text scale.
// Rebuilding is a start-up or "larger text" tap cost (tens of ms), never a per-frame one.

#include "content/error.hpp"

#include <imgui.h>

#include <filesystem>
#include <string>

namespace kohtaamo {

struct FontFiles {
    std::string regular;
    std::string bold;
};

/// Reads assets/fonts.toml and picks the first existing file of each kind.
[[nodiscard]] Result<FontFiles> findFonts(const std::filesystem::path& assetsDir);

struct Fonts {
    ImFont* small = nullptr;     ///< secondary text, footer
    ImFont* body = nullptr;
    ImFont* bold = nullptr;
    ImFont* heading = nullptr;
    ImFont* display = nullptr;   ///< the clock: big digits (only ASCII space to '?' is baked)
};

/// Clears `atlas` and bakes the kiosk's fonts at `unit` (1/1080 of the short screen side) × `textScale`.
/// Glyphs: Latin-1, Latin Extended-A, General Punctuation, € and Cyrillic.
[[nodiscard]] Result<Fonts> bakeFonts(ImFontAtlas& atlas, const FontFiles& files, float unit, float textScale);

} // namespace kohtaamo
