// Headless frames of every screen, rendered by the real binary as `--screenshot` users run it, in
// Finnish, Swedish and English, landscape and portrait, plus high contrast and large text. Each
// must be non-blank, differ between languages where the content does, and match the reviewed
// reference in tests/kiosk/reference within a tolerance (references are compared at quarter size,
// so anti-aliasing noise does not count). KOHTAAMO_UPDATE_REFERENCES=1 rewrites the references;
// look at every changed one before committing it.

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <stb_image.h>
#include <stb_image_resize.h>
#include <stb_image_write.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>
#include <filesystem>
#include <memory>
#include <random>
#include <set>

namespace {

const std::filesystem::path kReferenceDir = KOHTAAMO_SOURCE_DIR "/tests/kiosk/reference";
constexpr const char* kNow = "2026-03-10T10:00";
constexpr int kDownscale = 4;
// Mean absolute difference per channel (0–255) allowed against a reference at quarter size.
constexpr double kTolerance = 3.0;

struct Image {
    int width = 0;
    int height = 0;
    std::vector<unsigned char> rgba;
};

Image load(const std::filesystem::path& file)
{
    Image image;
    int channels = 0;
    std::unique_ptr<unsigned char, decltype(&stbi_image_free)> data(
        stbi_load(file.string().c_str(), &image.width, &image.height, &channels, 4), &stbi_image_free);
    REQUIRE_MESSAGE(data, "cannot read " << file.string());
    image.rgba.assign(data.get(), data.get() + static_cast<std::size_t>(image.width * image.height * 4));
    return image;
}

Image downscale(const Image& image)
{
    Image small{image.width / kDownscale, image.height / kDownscale, {}};
    small.rgba.resize(static_cast<std::size_t>(small.width * small.height * 4));
    stbir_resize_uint8(image.rgba.data(), image.width, image.height, 0, small.rgba.data(), small.width, small.height, 0,
                       4);
    return small;
}

double meanDifference(const Image& a, const Image& b)
{
    if (a.width != b.width || a.height != b.height) return 255;
    double total = 0;
    for (std::size_t i = 0; i < a.rgba.size(); ++i) total += std::abs(int(a.rgba[i]) - int(b.rgba[i]));
    return total / static_cast<double>(a.rgba.size());
}

/// Share of pixels that differ at all between two same-sized images.
double changedShare(const Image& a, const Image& b)
{
    std::size_t changed = 0;
    for (std::size_t i = 0; i < a.rgba.size(); i += 4) {
        if (std::memcmp(&a.rgba[i], &b.rgba[i], 3) != 0) ++changed;
    }
    return static_cast<double>(changed) / static_cast<double>(a.rgba.size() / 4);
}

/// The same temp cache for every frame: the demo region is loaded once, at the pretend time.
class Renderer {
public:
    Renderer()
    {
        std::random_device random;
        m_dir = std::filesystem::temp_directory_path() / fmt::format("kohtaamo-shots-{}", random());
        std::filesystem::create_directories(m_dir);
    }
    ~Renderer()
    {
        std::error_code ignored;
        std::filesystem::remove_all(m_dir, ignored);
    }

    Image render(const std::string& name, const std::string& arguments)
    {
        const auto file = m_dir / (name + ".png");
        const std::string command = fmt::format("'{}' --data-dir '{}' --now {} --screenshot '{}' {} > /dev/null",
                                                KOHTAAMO_KIOSK_BINARY, (m_dir / "data").string(), kNow, file.string(),
                                                arguments);
        REQUIRE_MESSAGE(std::system(command.c_str()) == 0, command);
        return load(file);
    }

private:
    std::filesystem::path m_dir;
};

Renderer& renderer()
{
    static Renderer instance;
    return instance;
}

void checkNotBlank(const Image& image)
{
    std::set<std::uint32_t> colours;
    for (std::size_t i = 0; i < image.rgba.size(); i += 4 * 7) {
        colours.insert(std::uint32_t(image.rgba[i]) << 16 | std::uint32_t(image.rgba[i + 1]) << 8 | image.rgba[i + 2]);
    }
    CHECK(colours.size() > 8);
}

void checkAgainstReference(const std::string& name, const Image& image)
{
    const Image small = downscale(image);
    const auto reference = kReferenceDir / (name + ".png");
    const char* update = std::getenv("KOHTAAMO_UPDATE_REFERENCES");
    if (update && std::string(update) == "1") {
        std::filesystem::create_directories(kReferenceDir);
        stbi_write_png(reference.string().c_str(), small.width, small.height, 4, small.rgba.data(), small.width * 4);
        return;
    }
    REQUIRE_MESSAGE(std::filesystem::exists(reference), "no reviewed reference " << reference.string());
    const double difference = meanDifference(small, load(reference));
    CHECK_MESSAGE(difference <= kTolerance, name << " differs from its reference by " << difference);
}

struct Shot {
    std::string screen;
    std::string extra;   // e.g. "--item majakka"
};

const std::vector<Shot> kScreens{
    {"home", ""},
    {"events", ""},
    {"dropin", ""},
    {"services", ""},
    {"detail", "--item ev-vauvaryhma-majakka"},
    {"search", "--search perhe"},
};

} // namespace

TEST_CASE("every screen in fi, sv and en, landscape and portrait, matches its reviewed reference")
{
    for (const auto& [width, height] : {std::pair{1920, 1080}, std::pair{1080, 1920}}) {
        for (const Shot& shot : kScreens) {
            std::map<std::string, Image> byLanguage;
            for (const char* language : {"fi", "sv", "en"}) {
                const std::string name = fmt::format("{}-{}-{}x{}", shot.screen, language, width, height);
                CAPTURE(name);
                Image image = renderer().render(
                    name, fmt::format("--screen {} --lang {} --size {}x{} {}", shot.screen, language, width, height,
                                      shot.extra));
                CHECK(image.width == width);
                CHECK(image.height == height);
                checkNotBlank(image);
                checkAgainstReference(name, image);
                byLanguage.emplace(language, std::move(image));
            }
            // The same screen in another language shows other words: a good share of pixels changes.
            CHECK(changedShare(byLanguage["fi"], byLanguage["sv"]) > 0.01);
            CHECK(changedShare(byLanguage["fi"], byLanguage["en"]) > 0.01);
        }
    }
}

TEST_CASE("high contrast and large text versions of every screen")
{
    for (const Shot& shot : kScreens) {
        for (const auto& [suffix, options] : {std::pair{"contrast", "--contrast high"}, std::pair{"large", "--text-scale 1.6"}}) {
            const std::string name = fmt::format("{}-fi-{}", shot.screen, suffix);
            CAPTURE(name);
            Image image = renderer().render(
                name, fmt::format("--screen {} --lang fi --size 1920x1080 {} {}", shot.screen, options, shot.extra));
            checkNotBlank(image);
            checkAgainstReference(name, image);
        }
    }
}

TEST_CASE("the staff screen renders behind its PIN, and a bad item is a clear error")
{
    Image image = renderer().render("staff", "--screen staff --lang fi --size 1920x1080");
    checkNotBlank(image);
    const std::string command = fmt::format("'{}' --data-dir /tmp --now {} --screenshot /dev/null --screen detail "
                                            "--item no-such-thing 2> /dev/null",
                                            KOHTAAMO_KIOSK_BINARY, kNow);
    CHECK(std::system(command.c_str()) != 0);
}
