// The wall clock while the kiosk runs: NTP steps it forward and back, it crosses midnight and both
// DST changes. The content service follows the local day, so "today" and "open now" follow too.

#include "sync_test_support.hpp"

#include "content/content_store.hpp"
#include "content/opening_hours.hpp"
#include "sync/content_service.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <thread>

using namespace kohtaamo;
using namespace kohtaamo::test;
using namespace std::chrono_literals;

namespace {

Instant at(std::string_view local) { return *parseInstant(local, TimeZone::helsinki()); }

// A meeting place open for drop-in 9–12 every day, and a family café every day 10:00–11:30.
SourceContent everyDay()
{
    SourceContent content;
    Place place;
    place.id = "majakka";
    place.name = LocalizedText{{"fi", "Majakka"}};
    place.hours.weekly.push_back(WeeklyHours{.weekdays = 0x7f, .open = TimeOfDay{9 * 60}, .close = TimeOfDay{12 * 60},
                                             .kind = HoursKind::DropIn});
    content.places.push_back(place);
    Event cafe;
    cafe.id = "kahvila";
    cafe.title = LocalizedText{{"fi", "Perhekahvila"}};
    cafe.placeId = "majakka";
    cafe.schedule.start = *parseLocalDateTime("2026-01-01T10:00");
    cafe.schedule.duration = Minutes{90};
    cafe.schedule.rrule = "FREQ=DAILY";
    content.events.push_back(cafe);
    return content;
}

struct Kiosk {
    ScratchDir dir;
    std::atomic<std::int64_t> clock{0};
    std::unique_ptr<ContentService> service;

    explicit Kiosk(Instant start)
    {
        clock = start.time_since_epoch().count();
        auto store = ContentStore::open(dir / "cache.sqlite");
        REQUIRE(store);
        REQUIRE(store->replaceSource(SourceState{.id = "s", .kind = "bundle", .url = "file:///s.json"}, everyDay()));
        auto started = ContentService::start(dir / "cache.sqlite", [this] { return now(); },
                                             FirstSnapshot::BeforeStartReturns, TextSelection{}, 20ms);
        REQUIRE_MESSAGE(started, (started ? "" : started.error().message));
        service = std::move(*started);
    }

    [[nodiscard]] Instant now() const { return Instant{std::chrono::seconds{clock.load()}}; }
    void step(Instant to) { clock = to.time_since_epoch().count(); }

    // Waits (at most two seconds) until the published snapshot is the one for the clock's day.
    std::shared_ptr<const Snapshot> snapshotForToday() const
    {
        const auto deadline = std::chrono::steady_clock::now() + 2s;
        while (true) {
            auto snapshot = service->snapshot();
            if (snapshot->window().from == SnapshotWindow::around(now()).from) return snapshot;
            if (std::chrono::steady_clock::now() > deadline) return snapshot;
            std::this_thread::sleep_for(5ms);
        }
    }

    // Today's café session as the home screen lists it: its start in Helsinki time, or "none".
    [[nodiscard]] std::string todaysCafe() const
    {
        const auto snapshot = snapshotForToday();
        const auto& zone = TimeZone::helsinki();
        const LocalDate today = zone.localDate(now());
        const auto sessions = snapshot->occurrences(EventQuery{.from = zone.toInstant(LocalDateTime{today}),
                                                               .to = zone.toInstant(LocalDateTime{today + date::days{1}})});
        return sessions.empty() ? "none" : formatIso(sessions.front().occurrence.start, zone);
    }

    [[nodiscard]] bool majakkaOpenNow() const
    {
        const auto snapshot = snapshotForToday();
        return isOpenAt(snapshot->places().front().hours, now());
    }
};

} // namespace

TEST_SUITE("clock") {

TEST_CASE("NTP steps forward and back by weeks: the snapshot follows the new day, today's session and open-now with it")
{
    Kiosk kiosk(at("2026-03-10T10:30"));
    CHECK(kiosk.todaysCafe() == "2026-03-10T10:00:00+02:00");
    CHECK(kiosk.majakkaOpenNow());

    kiosk.step(at("2026-04-20T10:30"));   // forward, past the two-week window
    CHECK(kiosk.todaysCafe() == "2026-04-20T10:00:00+03:00");
    CHECK(kiosk.majakkaOpenNow());

    kiosk.step(at("2026-02-02T08:30"));   // back, before the first window
    CHECK(kiosk.todaysCafe() == "2026-02-02T10:00:00+02:00");
    CHECK_FALSE(kiosk.majakkaOpenNow());
}

TEST_CASE("midnight: the day turns while the kiosk runs")
{
    Kiosk kiosk(at("2026-03-10T23:59:50"));
    CHECK(kiosk.todaysCafe() == "2026-03-10T10:00:00+02:00");
    kiosk.step(at("2026-03-11T00:00:10"));
    CHECK(kiosk.todaysCafe() == "2026-03-11T10:00:00+02:00");
    CHECK_FALSE(kiosk.majakkaOpenNow());
}

TEST_CASE("both DST changes: the clock runs across 03:00 in March and 04:00 in October; times stay local")
{
    Kiosk spring(at("2026-03-29T02:59:00"));
    CHECK(spring.todaysCafe() == "2026-03-29T10:00:00+03:00");
    spring.step(at("2026-03-29T04:01:00"));   // 03:00 never happened
    CHECK(spring.todaysCafe() == "2026-03-29T10:00:00+03:00");
    spring.step(at("2026-03-29T09:00:00"));
    CHECK(spring.majakkaOpenNow());
    spring.step(at("2026-03-29T08:59:59"));
    CHECK_FALSE(spring.majakkaOpenNow());

    Kiosk autumn(at("2026-10-24T23:30:00"));
    CHECK(autumn.todaysCafe() == "2026-10-24T10:00:00+03:00");
    autumn.step(at("2026-10-25T03:30:00"));   // the hour 03–04 comes twice
    CHECK(autumn.todaysCafe() == "2026-10-25T10:00:00+02:00");
    autumn.step(at("2026-10-25T11:59:00"));
    CHECK(autumn.majakkaOpenNow());
    autumn.step(at("2026-10-25T12:00:00"));
    CHECK_FALSE(autumn.majakkaOpenNow());
}

}
