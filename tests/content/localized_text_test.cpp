#include "content/localized_text.hpp"

#include <doctest/doctest.h>

using namespace kohtaamo;

TEST_CASE("a missing translation falls back along the configured order, never to a blank")
{
    const LocalizedText text{{"fi", "Perhekahvila"}, {"en", "Family café"}};
    CHECK(text.in("fi") == "Perhekahvila");
    CHECK(text.in("en") == "Family café");
    CHECK(text.in(LanguageOrder{"sv", "en", "fi"}) == "Family café");
    CHECK(text.in(LanguageOrder{"sv", "fi"}) == "Perhekahvila");
    CHECK(text.in("uk") == "Perhekahvila");   // the last resort order is fi, sv, en
    CHECK(text.exactly("sv").empty());
}

TEST_CASE("fallback reaches any published language when fi, sv and en are all missing")
{
    const LocalizedText text{{"se", "Bearašbiras"}};
    CHECK(text.in("fi") == "Bearašbiras");
}

TEST_CASE("setting an empty text removes that language")
{
    LocalizedText text{{"fi", "Vauvaryhmä"}, {"sv", "Babygrupp"}};
    text.set("sv", "");
    CHECK(text.in("sv") == "Vauvaryhmä");
    CHECK(text.all().size() == 1);
    CHECK(LocalizedText{}.in("fi").empty());
}

TEST_CASE("texts of any length and language survive packing, sorted by language code")
{
    const std::string longText(20000, 'a');   // a length that takes three bytes to store
    LocalizedText text;
    text.set("sv", "Babygrupp");
    text.set("fi", longText);
    text.set("uk", std::string(200, 'b'));
    text.set("sv", "Babygruppen");
    CHECK(text.exactly("fi") == longText);
    CHECK(text.exactly("uk") == std::string(200, 'b'));
    CHECK(text.exactly("sv") == "Babygruppen");
    CHECK(text.exactly("f").empty());
    std::vector<std::string> languages;
    for (const auto& [language, value] : text.all()) languages.push_back(language);
    CHECK(languages == std::vector<std::string>{"fi", "sv", "uk"});
    // Equal content is equal whatever order it was set in.
    LocalizedText other{{"uk", std::string(200, 'b')}, {"sv", "Babygruppen"}, {"fi", longText}};
    CHECK(other == text);
    text.set("fi", text.exactly("sv"));   // a text of its own, copied before the buffer is rebuilt
    CHECK(text.exactly("fi") == "Babygruppen");
}

TEST_CASE("keeping only some languages leaves what in() reads for those languages unchanged")
{
    const std::vector<std::string> kiosk{"fi", "sv", "en", "uk", "ru"};
    LocalizedText text{{"fi", "Vauvaryhmä"}, {"se", "Mánáidjoavku"}, {"uk", "Група для немовлят"}, {"de", "Babygruppe"}};
    text.keepOnly(kiosk);
    CHECK(text.all().size() == 2);
    CHECK(text.in("uk") == "Група для немовлят");
    CHECK(text.in("sv") == "Vauvaryhmä");

    // Without fi, sv or en, in() ends at the first language by code: it stays.
    LocalizedText sami{{"se", "Mánáidjoavku"}, {"smn", "Párnážjuávkku"}, {"uk", "Група"}};
    const std::string before(sami.in("fi"));
    sami.keepOnly(kiosk);
    CHECK(sami.in("fi") == before);
    CHECK(sami.in("uk") == "Група");
    CHECK(sami.all().size() == 2);

    LocalizedText onlySami{{"se", "Mánáidjoavku"}};
    onlySami.keepOnly(kiosk);
    CHECK(onlySami.in("fi") == "Mánáidjoavku");
}

TEST_CASE("copies share one buffer until one of them changes; equal texts can be made one")
{
    LocalizedText original{{"fi", "Ryhmätila"}, {"sv", "Grupprummet"}};
    LocalizedText copy = original;
    CHECK(copy.exactly("fi").data() == original.exactly("fi").data());
    copy.set("fi", "Sali");
    CHECK(original.exactly("fi") == "Ryhmätila");
    CHECK(copy.exactly("fi") == "Sali");

    SharedTexts shared;
    LocalizedText first{{"fi", "Juhannus – suljettu"}};
    LocalizedText second{{"fi", "Juhannus – suljettu"}};
    CHECK(first.exactly("fi").data() != second.exactly("fi").data());
    shared.share(first);
    shared.share(second);
    CHECK(first.exactly("fi").data() == second.exactly("fi").data());
    CHECK(second == LocalizedText{{"fi", "Juhannus – suljettu"}});
    LocalizedText moved = std::move(second);
    CHECK(moved.exactly("fi") == "Juhannus – suljettu");
}
