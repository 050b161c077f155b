#include "fonts.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <fstream>
#include <iterator>

namespace kohtaamo {
namespace {

// Zero-terminated pairs of inclusive code point ranges, as ImGui wants them.
constexpr ImWchar kGlyphRanges[] = {
    0x0020, 0x00FF,   // Basic Latin, Latin-1 (ä ö å é)
    0x0100, 0x017F,   // Latin Extended-A (š ž, Sámi letters)
    0x0400, 0x045F,   // Cyrillic: the Ukrainian and Russian alphabets (Є І Ї Ё) …
    0x0490, 0x0491,   // … and Ґ ґ; the rest of the block is other languages' letters, and at 1080p
                      // leaving it out keeps the atlas at 1024×1024 (4 MB less, as RGBA texture)
    0x2010, 0x205E,   // General Punctuation (– — ” … •)
    0x20AC, 0x20AC,   // €
    0,
};

// The display font only ever shows the clock; at 64 px its glyphs were two fifths of the atlas.
constexpr ImWchar kClockGlyphRanges[] = {
    0x0020, 0x003F,   // space, punctuation, digits, ':'
    0,
};

std::string firstExisting(const toml::table& table, std::string_view key)
{
    if (const auto* files = table[key].as_array()) {
        for (const auto& file : *files) {
            auto path = file.value<std::string>();
            std::error_code error;
            if (path && std::filesystem::exists(*path, error)) return *path;
        }
    }
    return {};
}

} // namespace

Result<FontFiles> findFonts(const std::filesystem::path& assetsDir)
{
    const auto config = assetsDir / "fonts.toml";
    try {
        const auto table = toml::parse_file(config.string());
        FontFiles files{firstExisting(table, "regular"), firstExisting(table, "bold")};
        if (files.regular.empty()) {
            return fail(ErrorCode::NotFound, fmt::format("{}: none of the regular fonts is installed "
                                                         "(install fonts-noto-core)",
                                                         config.string()));
        }
        if (files.bold.empty()) files.bold = files.regular;
        return files;
    } catch (const toml::parse_error& error) {
        return fail(ErrorCode::InvalidInput,
                    fmt::format("{}:{}: {}", config.string(), error.source().begin.line, error.description()));
    }
}

Result<FontData> loadFontData(const FontFiles& files)
{
    const auto read = [](const std::string& file) -> Result<std::vector<unsigned char>> {
        std::ifstream in(file, std::ios::binary);
        std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (!in.good() && !in.eof()) return fail(ErrorCode::Io, fmt::format("{}: cannot be read", file));
        if (bytes.empty()) return fail(ErrorCode::Io, fmt::format("{}: empty or unreadable", file));
        return bytes;
    };
    auto regular = read(files.regular);
    if (!regular) return std::unexpected(regular.error());
    auto bold = read(files.bold);
    if (!bold) return std::unexpected(bold.error());
    return FontData{std::move(*regular), std::move(*bold)};
}

Result<Fonts> bakeFonts(ImFontAtlas& atlas, const FontData& data, float unit, float textScale)
{
    atlas.Clear();
    ImFontConfig config;
    config.FontDataOwnedByAtlas = false;   // the bytes are shared by every bake
    config.OversampleH = 1;   // crisp enough at these sizes, and a third of the atlas
    config.OversampleV = 1;
    config.PixelSnapH = true;
    const float scale = unit * textScale;
    auto add = [&](const std::vector<unsigned char>& bytes, float designPixels, const ImWchar* ranges = kGlyphRanges) {
        // ImGui takes a mutable pointer, but with FontDataOwnedByAtlas = false it only reads.
        return atlas.AddFontFromMemoryTTF(const_cast<unsigned char*>(bytes.data()), static_cast<int>(bytes.size()),
                                          designPixels * scale, &config, ranges);
    };
    Fonts fonts;
    fonts.body = add(data.regular, 36);
    fonts.small = add(data.regular, 29);
    fonts.bold = add(data.bold, 36);
    fonts.heading = add(data.bold, 50);
    fonts.display = add(data.bold, 64, kClockGlyphRanges);
    if (!fonts.body || !fonts.small || !fonts.bold || !fonts.heading || !fonts.display || !atlas.Build()) {
        return fail(ErrorCode::Io, "the fonts could not be baked (are they TrueType or OpenType files?)");
    }
    // The renderer backend uploads RGBA; converting here keeps that work off the frame loop too.
    unsigned char* pixels = nullptr;
    int width = 0;
    int height = 0;
    atlas.GetTexDataAsRGBA32(&pixels, &width, &height);
    return fonts;
}

} // namespace kohtaamo
