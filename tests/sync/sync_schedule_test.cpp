// The sync engine's timing: intervals with jitter, backoff, Retry-After, a restart waiting out the
// interval, and the engine's own thread (syncNow, stop).

#include "sync_engine_fixture.hpp"

#include <condition_variable>
#include <mutex>
#include <thread>

using namespace kohtaamo;
using namespace kohtaamo::test;
using namespace kohtaamo::enginetest;
using namespace std::chrono_literals;

TEST_SUITE("sync engine") {

TEST_CASE("Retry-After schedules the next attempt after it, even when backoff is shorter")
{
    Fixture f;
    f.server.route("/region.json", Response::error(429, "7200"));
    f.start({f.bundleSource()});
    const auto outcome = f.runOne(f.now);
    CHECK(outcome.retryAfter == 7200s);
    const auto entry = f.scheduleOf();
    CHECK(entry.nextAttempt >= f.now + 7200s);
    CHECK(entry.notBefore == f.now + 7200s);

    SUBCASE("nothing is attempted before it")
    {
        CHECK(f.engine->runDue(f.now + 7199s).empty());
        CHECK(f.server.hits("/region.json") == 1);
    }
    SUBCASE("a short Retry-After does not shorten the backoff")
    {
        f.server.route("/region.json", Response::error(503, "1"));
        const auto next = f.scheduleOf().nextAttempt;
        f.runOne(next);
        CHECK(f.scheduleOf().nextAttempt - next >= 108s);   // 2 min backoff less 10 % jitter
    }
    SUBCASE("an absurd Retry-After is capped at a day")
    {
        f.server.route("/region.json", Response::error(503, "99999999"));
        const auto next = f.scheduleOf().nextAttempt;
        f.runOne(next);
        CHECK(f.scheduleOf().nextAttempt == next + 24h);
    }
}

TEST_CASE("backoff doubles from a minute up to the interval, at most six hours, and resets on success")
{
    SUBCASE("the pure rule")
    {
        const SyncEngineOptions options;
        CHECK(backoffDelay(1, 24h, options) == 60s);
        CHECK(backoffDelay(2, 24h, options) == 120s);
        CHECK(backoffDelay(5, 24h, options) == 960s);
        CHECK(backoffDelay(9, 24h, options) == 15360s);
        CHECK(backoffDelay(10, 24h, options) == 6h);
        CHECK(backoffDelay(50, 24h, options) == 6h);
        CHECK(backoffDelay(3, 1h, options) == 240s);
        CHECK(backoffDelay(7, 1h, options) == 1h);
        CHECK(backoffDelay(1, 30s, options) == 60s);
    }
    SUBCASE("the engine follows it against a failing server")
    {
        Fixture f;
        f.server.route("/region.json", Response::error(500));
        auto options = f.options({f.bundleSource()});
        options.sources[0].interval = 24h;
        options.jitter = 0;
        f.start(std::move(options));
        const std::chrono::seconds expected[] = {60s, 120s, 240s, 480s, 960s, 1920s, 3840s, 7680s, 15360s, 6h, 6h};
        for (std::size_t i = 0; i < std::size(expected); ++i) {
            CAPTURE(i);
            const Instant when = f.scheduleOf().nextAttempt;
            CHECK(f.runOne(when).result == SyncResult::Failed);
            CHECK(f.scheduleOf().failures == static_cast<int>(i + 1));
            CHECK(f.scheduleOf().nextAttempt - when == expected[i]);
        }
        f.server.route("/region.json", bundleResponse("A", 3, "\"v1\""));
        const Instant when = f.scheduleOf().nextAttempt;
        CHECK(f.runOne(when).result == SyncResult::Applied);
        CHECK(f.scheduleOf().failures == 0);
        CHECK(f.scheduleOf().nextAttempt - when == 24h);
    }
}

TEST_CASE("each interval is varied by up to 10 % either way")
{
    Fixture f;
    writeFile(f.dir / "feed.json", numberedBundle("A", 2));
    auto source = SourceConfig{.id = "perhekeskus", .kind = "bundle", .url = fileUrl(f.dir / "feed.json"),
                               .interval = 3600s};
    f.start({source});
    std::chrono::seconds shortest = 24h;
    std::chrono::seconds longest = 0s;
    for (int i = 0; i < 200; ++i) {
        const Instant when = f.scheduleOf().nextAttempt;
        REQUIRE(f.runOne(when).ok());
        const auto delay = f.scheduleOf().nextAttempt - when;
        shortest = std::min(shortest, delay);
        longest = std::max(longest, delay);
    }
    CHECK(shortest >= 3240s);
    CHECK(longest <= 3960s);
    // Spread over the range, not bunched: a fleet must not hit the server in the same second.
    CHECK(shortest < 3300s);
    CHECK(longest > 3900s);
}

TEST_CASE("a restarted engine waits out the interval since the last success")
{
    Fixture f;
    f.server.route("/region.json", bundleResponse("A", 3, "\"v1\""));
    f.start({f.bundleSource()});
    REQUIRE(f.runOne(f.now).result == SyncResult::Applied);
    const Instant synced = f.now;

    f.now = synced + 10min;
    f.start({f.bundleSource()});
    const auto next = f.scheduleOf().nextAttempt;
    CHECK(next >= synced + 54min);
    CHECK(next <= synced + 66min);
    CHECK(f.engine->runDue(f.now).empty());

    SUBCASE("but a source whose last attempt failed is retried at once")
    {
        f.server.route("/region.json", Response::error(500));
        REQUIRE(f.runOne(next).result == SyncResult::Failed);
        f.now = next + 1min;
        f.start({f.bundleSource()});
        CHECK(f.scheduleOf().nextAttempt == f.now);
    }
}

TEST_CASE("on its thread: a first sync at once, syncNow wakes it, stop ends a hanging download within a second")
{
    Fixture f;
    f.server.route("/region.json", bundleResponse("A", 3, "\"v1\""));
    std::mutex mutex;
    std::condition_variable changed;
    auto options = f.options({f.bundleSource()});
    options.clock = {};   // the real clock
    options.totalTimeout = 60s;
    options.onApplied = [&](CacheWrite) {
        {
            std::lock_guard lock(mutex);
            ++f.applied;
        }
        changed.notify_all();
    };
    auto& engine = f.start(std::move(options));
    const auto waitFor = [&](int count) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, 5s, [&] { return f.applied >= count; });
    };

    engine.start();
    REQUIRE(waitFor(1));
    CHECK(f.content().events.size() == 3);

    engine.syncNow();
    REQUIRE(waitFor(2));
    CHECK(f.server.hits("/region.json") == 2);
    CHECK(f.state().httpStatus == 304);

    f.server.route("/region.json", Response{.body = "{}", .fault = Fault::Hang, .stall = 30s});
    engine.syncNow();
    for (int i = 0; i < 400 && f.server.hits("/region.json") < 3; ++i) std::this_thread::sleep_for(5ms);
    REQUIRE(f.server.hits("/region.json") == 3);
    const auto stopping = std::chrono::steady_clock::now();
    engine.stop();
    CHECK(std::chrono::steady_clock::now() - stopping < 1s);
    CHECK(f.applied == 2);                 // the abandoned attempt records nothing
    CHECK(f.state().error.empty());
    CHECK(f.content().events.size() == 3);
}

TEST_CASE("syncNow honours a server's Retry-After")
{
    Fixture f;
    f.server.route("/region.json", Response::error(429, "3600"));
    std::mutex mutex;
    std::condition_variable changed;
    auto options = f.options({f.bundleSource()});
    options.clock = {};
    options.onApplied = [&](CacheWrite) {
        {
            std::lock_guard lock(mutex);
            ++f.applied;
        }
        changed.notify_all();
    };
    auto& engine = f.start(std::move(options));
    engine.start();
    {
        std::unique_lock lock(mutex);
        REQUIRE(changed.wait_for(lock, 5s, [&] { return f.applied >= 1; }));
    }
    engine.syncNow();
    {
        std::unique_lock lock(mutex);
        CHECK_FALSE(changed.wait_for(lock, 300ms, [&] { return f.applied >= 2; }));
    }
    CHECK(f.server.hits("/region.json") == 1);
}

} // TEST_SUITE
