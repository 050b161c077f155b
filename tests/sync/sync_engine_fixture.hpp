#pragma once
// The sync engine's test fixture, shared by sync_engine_test.cpp (what a sync writes and keeps) and
// sync_schedule_test.cpp (when it runs: intervals, backoff, Retry-After, its thread).

#include "sync/sync_engine.hpp"

#include "content/bundle.hpp"
#include "fault_server.hpp"
#include "sync_test_support.hpp"

#include <doctest/doctest.h>

#include <atomic>

namespace kohtaamo::enginetest {

using namespace kohtaamo::test;
using namespace std::chrono_literals;


inline bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

inline Instant at(std::string_view iso)
{
    auto instant = parseInstant(iso, TimeZone::helsinki());
    REQUIRE(instant);
    return *instant;
}

/// A cache file, a loopback server and a clock the test moves by hand. The server outlives the
/// engine (clients first, then the server).
struct Fixture {
    ScratchDir dir;
    FaultServer server;
    Instant now = at("2026-03-01T12:00");
    std::atomic<int> applied{0};
    std::atomic<int> contentWrites{0};   ///< of those, the ones that applied new content
    std::unique_ptr<SyncEngine> engine;

    ~Fixture() { engine.reset(); }

    SyncEngineOptions options(std::vector<SourceConfig> sources)
    {
        return SyncEngineOptions{.cacheFile = dir / "cache.sqlite",
                                 .statusFile = dir / "status.json",
                                 .sources = std::move(sources),
                                 .userAgent = "Kohtaamo/test",
                                 .clock = [this] { return now; },
                                 .onApplied =
                                     [this](CacheWrite write) {
                                         ++applied;
                                         if (write == CacheWrite::Content) ++contentWrites;
                                     },
                                 .seed = 42,
                                 .connectTimeout = 2'000ms,
                                 .totalTimeout = 3'000ms,
                                 .lowSpeedTime = 1'000ms};
    }

    SyncEngine& start(SyncEngineOptions options)
    {
        engine.reset();
        auto created = SyncEngine::create(std::move(options));
        REQUIRE_MESSAGE(created, (created ? "" : created.error().message));
        engine = std::move(*created);
        return *engine;
    }

    SyncEngine& start(std::vector<SourceConfig> sources) { return start(options(std::move(sources))); }

    SourceConfig bundleSource(std::string id = "perhekeskus", std::string path = "/region.json")
    {
        return SourceConfig{.id = std::move(id), .kind = "bundle", .url = server.url(path)};
    }

    ContentStore store()
    {
        auto opened = ContentStore::open(dir / "cache.sqlite");
        REQUIRE(opened);
        return std::move(*opened);
    }

    SourceContent content(std::string_view sourceId = "perhekeskus")
    {
        auto loaded = store().loadContent(sourceId);
        REQUIRE_MESSAGE(loaded, (loaded ? "" : loaded.error().message));
        return std::move(*loaded);
    }

    SourceState state(std::string_view sourceId = "perhekeskus")
    {
        auto states = store().sources();
        REQUIRE(states);
        for (auto& s : *states) {
            if (s.id == sourceId) return s;
        }
        FAIL("no status row for " << sourceId);
        return {};
    }

    SyncOutcome runOne(Instant when)
    {
        now = when;
        auto outcomes = engine->runDue(when);
        REQUIRE(outcomes.size() == 1);
        return outcomes.front();
    }

    SourceSchedule scheduleOf(std::string_view sourceId = "perhekeskus")
    {
        for (auto& entry : engine->schedule()) {
            if (entry.sourceId == sourceId) return entry;
        }
        FAIL("no schedule for " << sourceId);
        return {};
    }
};

inline Response bundleResponse(std::string_view version, int events, std::string etag)
{
    return Response{.body = numberedBundle(version, events), .etag = std::move(etag)};
}

inline std::string firstTitle(const SourceContent& content)
{
    return content.events.empty() ? "" : std::string(content.events.front().title.exactly("fi"));
}

} // namespace kohtaamo::enginetest
