#include "command_line.hpp"

#include <doctest/doctest.h>

using namespace kohtaamo;

namespace {

Result<CommandLine> parse(std::vector<std::string> arguments) { return parseCommandLine(arguments); }

} // namespace

TEST_CASE("listing ranges are Helsinki time unless they carry an offset")
{
    auto line = parse({"--list-events", "2026-03-10", "2026-03-11T00:00+02:00"});
    REQUIRE(line);
    CHECK(line->mode == Mode::ListEvents);
    CHECK(formatUtc(line->rangeFrom) == "2026-03-09T22:00:00Z");
    CHECK(formatUtc(line->rangeTo) == "2026-03-10T22:00:00Z");
}

TEST_CASE("a screenshot with every option")
{
    auto line = parse({"--screenshot", "out.png", "--screen", "detail", "--item", "majakka", "--lang", "sv", "--size",
                       "1080x1920", "--now", "2026-03-10T10:00", "--text-scale", "1.6", "--contrast", "high"});
    REQUIRE(line);
    CHECK(line->mode == Mode::Screenshot);
    CHECK(line->screen == "detail");
    CHECK(line->item == "majakka");
    CHECK(line->size == std::pair{1080, 1920});
    CHECK(line->textScale == doctest::Approx(1.6));
    CHECK(line->highContrast);
    CHECK(formatUtc(*line->now) == "2026-03-10T08:00:00Z");
}

TEST_CASE("--windowed takes an optional size")
{
    CHECK(parse({"--windowed"})->windowed);
    CHECK(parse({"--windowed", "1280x800"})->size == std::pair{1280, 800});
    CHECK(parse({"--windowed", "--lang", "en"})->language == "en");
}

TEST_CASE("bad arguments name the option and the value")
{
    struct Case {
        std::vector<std::string> arguments;
        std::string expected;
    };
    for (const auto& [arguments, expected] : std::vector<Case>{
             {{"--list-events", "2026-03-10"}, "--list-events needs FROM and TO"},
             {{"--list-events", "2026-03-11", "2026-03-10"}, "TO must be after FROM"},
             {{"--now", "yesterday"}, "--now: \"yesterday\" is not an ISO 8601 date-time"},
             {{"--size", "big"}, "--size: \"big\" is not WIDTHxHEIGHT"},
             {{"--screen", "settings"}, "--screen: \"settings\" is not one of"},
             {{"--text-scale", "5"}, "--text-scale: \"5\" is not from 1.0 to 2.0"},
             {{"--rotation", "45"}, "--rotation: \"45\""},
             {{"--frobnicate"}, "unknown option \"--frobnicate\""},
             {{"--config"}, "--config needs a value"},
         }) {
        auto line = parse(arguments);
        REQUIRE_FALSE(line);
        CHECK_MESSAGE(line.error().message.find(expected) != std::string::npos, line.error().message);
    }
}
