#include "content/time.hpp"

#include "test_support.hpp"

using namespace kohtaamo;
using namespace kohtaamo::test;

TEST_CASE("ISO instants are Helsinki wall-clock time unless they carry an offset")
{
    CHECK(formatUtc(at("2026-01-15T10:00")) == "2026-01-15T08:00:00Z");
    CHECK(formatUtc(at("2026-07-15T10:00")) == "2026-07-15T07:00:00Z");
    CHECK(formatUtc(at("2026-07-15T10:00Z")) == "2026-07-15T10:00:00Z");
    CHECK(formatUtc(at("2026-07-15T10:00:30+02:00")) == "2026-07-15T08:00:30Z");
    CHECK(formatUtc(at("2026-07-15")) == "2026-07-14T21:00:00Z");
    CHECK_FALSE(parseInstant("2026-13-01T10:00", TimeZone::helsinki()));
    CHECK_FALSE(parseInstant("2026-02-30", TimeZone::helsinki()));
    CHECK_FALSE(parseInstant("tomorrow", TimeZone::helsinki()));
    CHECK_FALSE(parseInstant("2026-01-15T10:00+2", TimeZone::helsinki()));
}

TEST_CASE("times of day accept unpadded hours and 24:00 but nothing past it")
{
    CHECK(parseTimeOfDay("9:00:00")->minutes == 9 * 60);
    CHECK(parseTimeOfDay("09:30")->minutes == 9 * 60 + 30);
    CHECK(parseTimeOfDay("24:00")->minutes == 24 * 60);
    CHECK_FALSE(parseTimeOfDay("24:30"));
    CHECK_FALSE(parseTimeOfDay("12:60"));
    CHECK_FALSE(parseTimeOfDay("12"));
    CHECK(formatTimeOfDay(hm(9, 5)) == "09:05");
}

TEST_CASE("formatting carries the offset in force at that instant")
{
    CHECK(iso(at("2026-03-10T10:00")) == "2026-03-10T10:00:00+02:00");
    CHECK(iso(at("2026-06-10T10:00")) == "2026-06-10T10:00:00+03:00");
}

TEST_CASE("wall-clock times in the spring gap move past it; repeated autumn times take the first")
{
    const TimeZone& zone = TimeZone::helsinki();
    // 2026-03-29: 03:00 EET jumps to 04:00 EEST, so 03:30 does not exist.
    CHECK(formatUtc(zone.toInstant(local("2026-03-29T03:30"))) == "2026-03-29T01:00:00Z");
    CHECK(formatUtc(zone.toInstant(local("2026-03-29T04:00"))) == "2026-03-29T01:00:00Z");
    // 2026-10-25: 04:00 EEST falls back to 03:00 EET, so 03:30 happens twice.
    CHECK(formatUtc(zone.toInstant(local("2026-10-25T03:30"))) == "2026-10-25T00:30:00Z");
    CHECK(formatUtc(zone.toInstant(local("2026-10-25T04:30"))) == "2026-10-25T02:30:00Z");
}

TEST_CASE("weekday index is ISO, Monday first")
{
    CHECK(weekdayIndex(day("2026-03-09")) == 0);
    CHECK(weekdayIndex(day("2026-03-15")) == 6);
}

TEST_CASE("unknown zone names are errors, not crashes")
{
    auto zone = TimeZone::named("Mars/Olympus_Mons");
    REQUIRE_FALSE(zone);
    CHECK(zone.error().code == ErrorCode::NotFound);
    CHECK(TimeZone::named("Europe/Stockholm"));
}
