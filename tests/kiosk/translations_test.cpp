#include "ui/translations.hpp"

#include <doctest/doctest.h>

#include <set>

using namespace kohtaamo;

namespace {

const std::vector<std::string> kLanguages{"fi", "sv", "en", "uk", "ru"};

// Every "{name}" (lower case letters and '_') in the text. A scan rather than std::regex: GCC 12
// warns falsely (-Wmaybe-uninitialized) inside <regex> in the sanitizer build.
std::set<std::string> placeholders(std::string_view text)
{
    const auto isNameChar = [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; };
    std::set<std::string> names;
    for (std::size_t open = text.find('{'); open != std::string_view::npos; open = text.find('{', open + 1)) {
        std::size_t end = open + 1;
        while (end < text.size() && isNameChar(text[end])) ++end;
        if (end > open + 1 && end < text.size() && text[end] == '}') names.emplace(text.substr(open, end - open + 1));
    }
    return names;
}

} // namespace

TEST_CASE("every UI language has every key, with the same placeholders as Finnish")
{
    auto translations = Translations::load(KOHTAAMO_SOURCE_DIR "/assets/i18n", kLanguages);
    REQUIRE_MESSAGE(translations, (translations ? "" : translations.error().message));
    CHECK(translations->problems().empty());
    const std::vector<std::string> keys{"home.open_until", "events.count", "detail.ages", "search.none",
                                        "idle.reset_in", "footer.updated", "date.format", "home.next_dropin"};
    for (const auto& language : kLanguages) {
        CAPTURE(language);
        CHECK(translations->missingKeys(language).empty());
        for (const auto& key : keys) {
            CHECK(placeholders(translations->text(language, key)) == placeholders(translations->text("fi", key)));
        }
    }
}

TEST_CASE("each language names itself")
{
    auto translations = Translations::load(KOHTAAMO_SOURCE_DIR "/assets/i18n", kLanguages);
    REQUIRE(translations);
    CHECK(translations->languageName("fi") == "Suomi");
    CHECK(translations->languageName("sv") == "Svenska");
    CHECK(translations->languageName("en") == "English");
    CHECK(translations->languageName("uk") == "Українська");
    CHECK(translations->languageName("ru") == "Русский");
}

TEST_CASE("placeholders are filled; a missing key falls back to Finnish, then to the key")
{
    auto translations = Translations::load(KOHTAAMO_SOURCE_DIR "/assets/i18n", {"fi", "en", "xx"});
    REQUIRE(translations);
    CHECK(translations->format("en", "home.open_until", {{"time", "15:00"}}) == "Open until 15:00");
    CHECK(translations->format("fi", "events.count", {{"count", "3"}}) == "3 tapahtumaa");
    CHECK(translations->text("xx", "nav.home") == "Etusivu");   // no xx.toml: reported, Finnish shown
    CHECK_FALSE(translations->problems().empty());
    CHECK(translations->text("en", "no.such.key") == "no.such.key");
}
