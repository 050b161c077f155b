#include "sync/kiosk_config.hpp"

#include <doctest/doctest.h>

using namespace kohtaamo;

namespace {

std::string problemsText(const ConfigResult& result)
{
    std::string text;
    for (const auto& problem : result.problems) text += problem.message + "\n";
    return text;
}

} // namespace

TEST_CASE("a complete config is read with its sources, site and settings")
{
    const auto result = parseKioskConfig(R"(
data_dir = "/var/lib/kohtaamo"
idle_seconds = 120

[site]
place = "majakka"
default_language = "sv"
languages = ["fi", "sv", "en"]
fallback = ["sv", "fi"]

[[source]]
id = "perhekeskus"
kind = "bundle"
url = "https://content.example.fi/jarvela.json"
interval_minutes = 30

[[source]]
id = "kalenteri"
kind = "ical"
url = "file:///srv/kalenteri.ics"
place = "majakka"
category = "peer_group"
max_age = 6
)",
                                         "kiosk.toml");
    INFO(problemsText(result));
    CHECK(result.problems.empty());
    const auto& config = result.config;
    CHECK(config.dataDir == "/var/lib/kohtaamo");
    CHECK(config.idleTimeout == std::chrono::seconds{120});
    CHECK(config.site.placeId == "majakka");
    CHECK(config.site.defaultLanguage == "sv");
    CHECK(config.site.fallback == LanguageOrder{"sv", "fi"});
    REQUIRE(config.sources.size() == 2);
    CHECK(config.sources[0].interval == std::chrono::minutes{30});
    CHECK(config.sources[1].interval == std::chrono::hours{1});
    CHECK(config.sources[1].settings.at("place") == "majakka");
    CHECK(config.sources[1].settings.at("max_age") == "6");
}

TEST_CASE("each bad key is named with file and line, and the rest of the config still counts")
{
    const auto result = parseKioskConfig(R"([site]
default_language = "de"

[[source]]
id = "a"
kind = "rss"
url = "https://x"

[[source]]
id = "b"
kind = "ical"
url = "ftp://example.org/cal.ics"

[[source]]
kind = "bundle"
url = "https://example.org/b.json"

[[source]]
id = "ok"
kind = "bundle"
url = "https://example.org/ok.json"
interval_minutes = 0
)",
                                         "/etc/kohtaamo/kiosk.toml");
    const std::string text = problemsText(result);
    CHECK(text.find("kiosk.toml:2: site.default_language: \"de\" is not one of site.languages") != std::string::npos);
    CHECK(text.find("kiosk.toml:6: source[0].kind: \"rss\"") != std::string::npos);
    CHECK(text.find("kiosk.toml:12: source[1].url: \"ftp://example.org/cal.ics\" must start with") != std::string::npos);
    CHECK(text.find("source[2].id: is required") != std::string::npos);
    CHECK(text.find("kiosk.toml:22: source[3].interval_minutes") != std::string::npos);
    REQUIRE(result.config.sources.size() == 1);
    CHECK(result.config.sources[0].id == "ok");
    CHECK(result.config.site.defaultLanguage == "fi");
}

TEST_CASE("a syntax error gives the defaults and a located problem")
{
    const auto result = parseKioskConfig("[site\nplace = 1\n", "kiosk.toml");
    REQUIRE(result.problems.size() == 1);
    CHECK(result.problems[0].message.rfind("kiosk.toml:1: syntax error", 0) == 0);
    CHECK(result.config.sources.empty());
}

TEST_CASE("duplicate source ids are refused, the first kept")
{
    const auto result = parseKioskConfig(R"(
[[source]]
id = "a"
kind = "bundle"
url = "https://example.org/1.json"
[[source]]
id = "a"
kind = "bundle"
url = "https://example.org/2.json"
)",
                                         "kiosk.toml");
    REQUIRE(result.config.sources.size() == 1);
    CHECK(result.config.sources[0].url == "https://example.org/1.json");
    CHECK(problemsText(result).find("source[1].id: \"a\" is used by another source") != std::string::npos);
}

TEST_CASE("a missing file is a problem, not a crash")
{
    const auto result = loadKioskConfig("/nonexistent/kiosk.toml");
    REQUIRE(result.problems.size() == 1);
    CHECK(result.problems[0].message.find("cannot be read") != std::string::npos);
}

TEST_CASE("the night schedule needs both times")
{
    const auto good = parseKioskConfig("[night]\nscreen_off = \"21:30\"\nscreen_on = \"7:00\"\n", "kiosk.toml");
    CHECK(good.problems.empty());
    REQUIRE(good.config.night);
    CHECK(good.config.night->screenOff.minutes == 21 * 60 + 30);
    CHECK(good.config.night->screenOn.minutes == 7 * 60);
    const auto bad = parseKioskConfig("[night]\nscreen_off = \"late\"\nscreen_on = \"07:00\"\n", "kiosk.toml");
    CHECK_FALSE(bad.config.night);
    REQUIRE(bad.problems.size() == 1);
    CHECK(bad.problems[0].message.find("kiosk.toml:2: night.screen_off") != std::string::npos);
}

TEST_CASE("a ptv source without a url uses the production API; every other kind needs one")
{
    const auto result = parseKioskConfig(R"(
[[source]]
id = "ptv-vaasa"
kind = "ptv"
municipalities = ["905"]

[[source]]
id = "hel"
kind = "linkedevents"
)",
                                         "kiosk.toml");
    REQUIRE(result.config.sources.size() == 1);
    CHECK(result.config.sources[0].url == "https://api.palvelutietovaranto.suomi.fi/api/v11");
    CHECK(result.config.sources[0].settings.at("municipalities") == "[ '905' ]");
    REQUIRE(result.problems.size() == 1);
    CHECK(result.problems[0].message.find("source[1].url") != std::string::npos);
}
