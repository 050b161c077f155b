// --check-feed for the catalogue kinds: a PTV area from the kiosk config and a Linked Events URL,
// each against a loopback server, reporting what the kiosk would show.

#include "check_feed.hpp"

#include "ptv_test_region.hpp"
#include "fault_server.hpp"
#include "linkedevents_test_support.hpp"

#include <sstream>

using namespace kohtaamo;

namespace {

struct Check {
    int exitCode = 0;
    std::string output;
};

Check checkFeed(std::string kind, std::string target, std::string_view now = "2026-03-20T10:00")
{
    CommandLine commandLine;
    commandLine.mode = Mode::CheckFeed;
    commandLine.feedKind = std::move(kind);
    commandLine.feedTarget = std::move(target);
    commandLine.now = *parseInstant(now, TimeZone::helsinki());
    std::ostringstream out;
    const int code = runCheckFeed(commandLine, "test", out);
    return {code, out.str()};
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

} // namespace

TEST_CASE("--check-feed ptv CONFIG: the area's places with this week's hours, from a full fetch")
{
    ptvtest::FakePtv server;
    ptvtest::fillRegion(server);
    test::ScratchDir dir;
    const auto config = dir / "kiosk.toml";
    test::writeFile(config, fmt::format(R"([[source]]
id = "ptv-vaasa"
kind = "ptv"
url = "{}"
municipalities = ["905"]
)", server.base()));

    const auto check = checkFeed("ptv", config.string());
    INFO(check.output);
    CHECK(check.exitCode == 0);
    CHECK(contains(check.output, "ptv \"ptv-vaasa\" " + server.base()));
    CHECK(contains(check.output, "40 places, 150 services, 0 events"));
    CHECK(contains(check.output, "Places (40), with their opening hours in the next 7 days:"));
    CHECK(contains(check.output, "Perhekeskus 0"));
    // Friday 8–14, the night from Saturday to Sunday, Monday 8–16.
    CHECK(contains(check.output, "open: 2026-03-20 08:00–14:00, 2026-03-21 22:00–05:00, 2026-03-23 08:00–16:00"));
    CHECK(contains(check.output, "… and 30 more"));
    CHECK(contains(check.output, "No problems found."));
    CHECK_FALSE(contains(check.output, "Next occurrences"));
}

TEST_CASE("--check-feed ptv: a URL instead of the config, or a config without a ptv source, is explained")
{
    const auto url = checkFeed("ptv", "https://api.palvelutietovaranto.suomi.fi/api/v11");
    CHECK(url.exitCode == 1);
    CHECK(contains(url.output, "needs the kiosk config file"));

    test::ScratchDir dir;
    const auto config = dir / "kiosk.toml";
    test::writeFile(config, "[site]\nplace = \"majakka\"\n");
    const auto none = checkFeed("ptv", config.string());
    CHECK(none.exitCode == 1);
    CHECK(contains(none.output, "no [[source]] with kind = \"ptv\""));
}

TEST_CASE("--check-feed linkedevents URL: the next occurrences with cancellations, and a broken page")
{
    test::FaultServer server;
    const std::string path = "/linkedevents/v1/event/";
    server.route(path, test::Response{.body = letest::page(letest::json::array(
                                                  {letest::event("hel:1", "2026-03-28T08:00:00Z", "2026-03-28T10:00:00Z"),
                                                   letest::event("hel:2", "2026-03-30T07:00:00Z", nullptr, "EventCancelled")}))
                                                  .dump()});
    const auto check = checkFeed("linkedevents", server.url(path + "?keyword=yso:p4354"));
    INFO(check.output);
    CHECK(check.exitCode == 0);
    CHECK(contains(check.output, "0 places, 0 services, 2 events"));
    CHECK(contains(check.output, "2026-03-28T10:00:00+02:00  Vauvaryhmä hel:1  (hel:1)"));
    CHECK(contains(check.output, "2026-03-30T10:00:00+03:00  Vauvaryhmä hel:2 [cancelled]  (hel:2)"));

    server.route(path, test::Response{.body = "<html>Kirjaudu sisään</html>", .contentType = "text/html"});
    const auto broken = checkFeed("linkedevents", server.url(path));
    CHECK(broken.exitCode == 1);
    CHECK(contains(broken.output, "The feed cannot be used"));
    CHECK(contains(broken.output, "not a Linked Events list page"));
}
