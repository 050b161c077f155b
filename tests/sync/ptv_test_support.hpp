#pragma once
// Helpers shared by the PTV mapping and flow tests.

#include "sync/ptv_adapter.hpp"
#include "ptv_json.hpp"
#include "sync_test_support.hpp"
#include "content/opening_hours.hpp"
#include <doctest/doctest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

namespace kohtaamo::ptvtest {

using namespace std::chrono_literals;
using json = nlohmann::json;


inline std::string readFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "cannot open " << path);
    std::stringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

inline std::string fixture(std::string_view name) { return readFile(std::string(KOHTAAMO_FIXTURES_DIR "/ptv/") + std::string(name)); }
inline json templateJson(std::string_view name)
{
    return json::parse(readFile(std::string(KOHTAAMO_SOURCE_DIR "/tests/sync/data/ptv/") + std::string(name)));
}

inline std::string problemsText(const ParsedFeed& feed)
{
    std::string text;
    for (const auto& problem : feed.problems) text += problem.location + ": " + problem.message + "\n";
    return text;
}

inline PtvOptions options()
{
    PtvOptions result;
    result.municipalities = {"905"};
    return result;
}

inline ParsedFeed parse(const std::vector<std::string>& documents, const PtvOptions& settings = options())
{
    std::vector<std::string_view> views(documents.begin(), documents.end());
    auto feed = parsePtv(views, settings, "ptv");
    REQUIRE_MESSAGE(feed.has_value(), (feed ? "" : feed.error().message));
    return std::move(*feed);
}

inline const Place& placeById(const ParsedFeed& feed, std::string_view id)
{
    const auto it = std::find_if(feed.content.places.begin(), feed.content.places.end(), [&](const Place& p) { return p.id == id; });
    REQUIRE_MESSAGE(it != feed.content.places.end(), "no place " << id);
    return *it;
}

inline const Service& serviceById(const ParsedFeed& feed, std::string_view id)
{
    const auto it = std::find_if(feed.content.services.begin(), feed.content.services.end(), [&](const Service& s) { return s.id == id; });
    REQUIRE_MESSAGE(it != feed.content.services.end(), "no service " << id);
    return *it;
}

inline Instant at(std::string_view text) { return *parseInstant(text, TimeZone::helsinki()); }

// Every open interval in [from, to) as "start end" in Helsinki time with offsets, as the kiosk lists them.
inline std::vector<std::string> openings(const OpeningHours& hours, std::string_view from, std::string_view to)
{
    std::vector<std::string> result;
    for (const auto& interval : openingsBetween(hours, at(from), at(to))) {
        result.push_back(formatIso(interval.start, TimeZone::helsinki()) + " " + formatIso(interval.end, TimeZone::helsinki()));
    }
    return result;
}

inline OpeningHours hoursOf(std::string_view serviceHoursJson, std::vector<std::string>* problemsOut = nullptr)
{
    std::vector<std::string> problems;
    auto hours = ptv::serviceHours(json::parse(serviceHoursJson), ptv::LanguageFilter({}), problems);
    if (problemsOut) *problemsOut = problems;
    else CHECK_MESSAGE(problems.empty(), problems.front());
    return hours;
}

inline bool near(double a, double b, double tolerance = 1e-6) { return std::abs(a - b) <= tolerance; }


} // namespace kohtaamo::ptvtest
