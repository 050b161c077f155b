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
