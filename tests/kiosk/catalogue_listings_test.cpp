// PTV hours and Linked Events sessions as IT sees them: the real binary syncs a configured source
// from a loopback server (--sync-once), then --list-openings and --list-events print them in
// Helsinki time, across both DST changes.

#include "kiosk_binary.hpp"

#include "ptv_test_region.hpp"
#include "fault_server.hpp"
#include "linkedevents_test_support.hpp"

using namespace kohtaamo;
using namespace kohtaamo::test;

namespace {

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

std::string config(const ScratchDir& dir, std::string_view source)
{
    const auto file = dir / "kiosk.toml";
    writeFile(file, fmt::format("data_dir = \"{}\"\n\n{}", (dir / "data").string(), source));
    return file.string();
}

} // namespace

TEST_CASE("--sync-once from PTV, then --list-openings across the autumn DST change")
{
    ptvtest::FakePtv server;
    ptvtest::fillRegion(server);
    ScratchDir dir;
    const auto file = config(dir, fmt::format("[[source]]\nid = \"ptv\"\nkind = \"ptv\"\nurl = \"{}\"\n"
                                              "municipalities = [\"905\"]\n", server.base()));
    const auto synced = runKiosk(fmt::format("--config '{}' --sync-once", file));
    INFO(synced.output);
    REQUIRE(synced.exitCode == 0);
    CHECK(contains(synced.output, "ptv: ok 190 items"));

    const auto listed = runKiosk(fmt::format("--config '{}' --list-openings 2026-10-24 2026-10-26", file));
    INFO(listed.output);
    CHECK(listed.exitCode == 0);
    const std::string place = ptvtest::guid('c', 3);
    // Saturday night into Sunday: 22:00 summer time until 05:00 winter time, seven hours on the clock, eight real.
    CHECK(contains(listed.output, place + "\t2026-10-24T22:00:00+03:00\t2026-10-25T05:00:00+02:00\tregular"));
}

TEST_CASE("--sync-once from Linked Events, then --list-events across the spring DST change")
{
    FaultServer server;
    const std::string path = "/linkedevents/v1/event/";
    auto before = letest::event("hel:before", "2026-03-28T08:00:00Z", "2026-03-28T10:00:00Z");
    auto after = letest::event("hel:after", "2026-03-30T07:00:00Z", "2026-03-30T09:00:00Z", "EventCancelled");
    server.route(path, Response{.body = letest::page(letest::json::array({before, after})).dump()});
    ScratchDir dir;
    const auto file = config(dir, fmt::format("[[source]]\nid = \"hel\"\nkind = \"linkedevents\"\nurl = \"{}\"\n",
                                              server.url(path + "?keyword=yso:p4354")));
    const auto synced = runKiosk(fmt::format("--config '{}' --sync-once", file));
    INFO(synced.output);
    REQUIRE(synced.exitCode == 0);

    const auto listed = runKiosk(fmt::format("--config '{}' --list-events 2026-03-27 2026-04-01", file));
    INFO(listed.output);
    CHECK(listed.exitCode == 0);
    CHECK(contains(listed.output, "hel\thel:before\t2026-03-28T10:00:00+02:00\t2026-03-28T12:00:00+02:00\tscheduled"));
    CHECK(contains(listed.output, "hel\thel:after\t2026-03-30T10:00:00+03:00\t2026-03-30T12:00:00+03:00\tcancelled"));
}
