// The content service's snapshots after a sync: new content is a rebuild; a sync that found nothing
// new only brings the sources' new states, and the content is shared rather than read again.

#include "sync_test_support.hpp"

#include "content/content_store.hpp"
#include "sync/content_service.hpp"

#include <doctest/doctest.h>

#include <thread>

using namespace kohtaamo;
using namespace kohtaamo::test;
using namespace std::chrono_literals;

namespace {

Instant at(std::string_view local) { return *parseInstant(local, TimeZone::helsinki()); }

SourceContent oneEvent(std::string title)
{
    SourceContent content;
    Event event;
    event.id = "kahvila";
    event.title = LocalizedText{{"fi", std::move(title)}};
    event.schedule.start = *parseLocalDateTime("2026-03-10T10:00");
    event.schedule.duration = Minutes{90};
    content.events.push_back(event);
    return content;
}

// Waits (at most two seconds) for a snapshot newer than `generation`.
std::shared_ptr<const Snapshot> nextSnapshot(const ContentService& service, std::uint64_t generation)
{
    const auto deadline = std::chrono::steady_clock::now() + 2s;
    while (service.generation() == generation && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(2ms);
    }
    REQUIRE(service.generation() > generation);
    return service.snapshot();
}

} // namespace

TEST_CASE("content service: a status refresh shows the new last success on the same content; new content is rebuilt")
{
    ScratchDir dir;
    const Instant now = at("2026-03-10T09:00");
    const SourceState source{.id = "s", .kind = "bundle", .url = "file:///s.json", .appliedAt = now};
    auto store = ContentStore::open(dir / "cache.sqlite");
    REQUIRE(store);
    REQUIRE(store->replaceSource(source, oneEvent("Perhekahvila")));
    auto started = ContentService::start(dir / "cache.sqlite", [now] { return now; }, FirstSnapshot::BeforeStartReturns);
    REQUIRE_MESSAGE(started, (started ? "" : started.error().message));
    ContentService& service = **started;
    const auto first = service.snapshot();
    REQUIRE(first->events().size() == 1);
    CHECK(first->lastUpdated() == now);

    // A 304 an hour later: only the status row changed.
    SourceState checked = source;
    checked.lastAttempt = checked.lastSuccess = now + 1h;
    checked.httpStatus = 304;
    REQUIRE(store->recordSyncStatus(checked));
    service.requestStatusRefresh();
    const auto refreshed = nextSnapshot(service, service.generation());
    CHECK(refreshed->lastUpdated() == now + 1h);
    CHECK(refreshed->sources().front().httpStatus == 304);
    CHECK(&refreshed->events() == &first->events());   // the same content, not a copy or a new read
    CHECK(refreshed->occurrences().front().event == &first->events().front());
    CHECK(first->lastUpdated() == now);                  // a published snapshot never changes

    // New content: a rebuild.
    REQUIRE(store->replaceSource(SourceState{.id = "s", .kind = "bundle", .url = "file:///s.json", .appliedAt = now + 2h},
                                 oneEvent("Vauvaryhmä")));
    service.requestRebuild();
    const auto rebuilt = nextSnapshot(service, service.generation());
    CHECK(rebuilt->events().front().title.exactly("fi") == "Vauvaryhmä");
    CHECK(&rebuilt->events() != &first->events());
    service.stop();
}
