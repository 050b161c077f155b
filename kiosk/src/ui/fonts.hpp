#pragma once
// The kiosk's fonts, baked into an ImGui atlas for the current screen size and text scale. The
// font files are read once at start; a "larger text" tap bakes a new atlas off the frame loop
// (tens of ms at 2×) and the shell swaps it in between frames.

#include "content/error.hpp"

#include <imgui.h>

#include <filesystem>
#include <string>
#include <vector>

namespace kohtaamo {

struct FontFiles {
    std::string regular;
    std::string bold;
};

/// Reads assets/fonts.toml and picks the first existing file of each kind.
[[nodiscard]] Result<FontFiles> findFonts(const std::filesystem::path& assetsDir);

/// The bytes of the font files, so that baking never touches the disk. Read-only once loaded:
/// several atlases may bake from it at once.
struct FontData {
    std::vector<unsigned char> regular;
    std::vector<unsigned char> bold;
};
[[nodiscard]] Result<FontData> loadFontData(const FontFiles& files);

struct Fonts {
    ImFont* small = nullptr;     ///< secondary text, footer
    ImFont* body = nullptr;
    ImFont* bold = nullptr;
    ImFont* heading = nullptr;
    ImFont* display = nullptr;   ///< the clock: big digits (only ASCII space to '?' is baked)
};

/// Clears `atlas` and bakes the kiosk's fonts at `unit` (1/1080 of the short screen side) × `textScale`,
/// with the RGBA texture data ready for upload. Glyphs: Latin-1, Latin Extended-A, General
/// Punctuation, € and Cyrillic. Needs no ImGui context: it may run on any thread.
[[nodiscard]] Result<Fonts> bakeFonts(ImFontAtlas& atlas, const FontData& data, float unit, float textScale);

} // namespace kohtaamo
