// The sync engine on storage that fails under it: a disk that fills up during an apply and a data
// directory that turns read-only. Each time the previous content stays whole and readable, the
// status says what happened, and the next sync after the cause is gone applies the new content.

#include "../private_mount.hpp"
#include "sync_test_support.hpp"

#include "content/cache_file.hpp"
#include "content/content_store.hpp"
#include "sync/sync_engine.hpp"

#include <doctest/doctest.h>

using namespace kohtaamo;
using namespace kohtaamo::test;
using namespace std::chrono_literals;

namespace {

const Instant kStart = date::sys_days{date::year{2026} / 3 / 10} + std::chrono::hours{8};

// The content and the last error of the "region" source, read through a connection of its own.
struct Seen {
    std::string firstTitle;
    std::size_t events = 0;
    std::string error;
};

std::optional<Seen> look(const std::filesystem::path& cacheFile)
{
    auto store = ContentStore::open(cacheFile);
    if (!store) return std::nullopt;
    auto content = store->loadContent("region");
    auto states = store->sources();
    if (!content || !states || states->empty()) return std::nullopt;
    Seen seen;
    seen.events = content->events.size();
    if (!content->events.empty()) seen.firstTitle = std::string(content->events.front().title.exactly("fi"));
    seen.error = states->front().error;
    return seen;
}

// Runs the engine on a data directory that is a small private tmpfs; `scenario` gets the mount, the
// engine and the bundle file it syncs from, and returns what went wrong, or nothing.
std::string withEngineOnTmpfs(const ScratchDir& dir, const std::string& size,
                              const std::function<std::string(const PrivateTmpfs&, SyncEngine&, const std::filesystem::path&)>& scenario)
{
    const PrivateTmpfs data(dir / "data");
    if (auto error = data.mount(size); !error.empty()) return error;
    const auto bundle = dir / "region.json";
    writeFile(bundle, numberedBundle("A", 5));
    SyncEngineOptions options;
    options.cacheFile = data.dir() / "cache.sqlite";
    options.statusFile = data.dir() / "status.json";
    options.sources = {SourceConfig{.id = "region", .kind = "bundle", .url = fileUrl(bundle)}};
    options.seed = 3;
    auto engine = SyncEngine::create(std::move(options));
    if (!engine) return "engine: " + engine.error().message;
    return scenario(data, **engine, bundle);
}

std::string expect(bool condition, std::string_view what) { return condition ? std::string() : std::string(what); }

} // namespace

TEST_SUITE("sync engine: storage faults") {

TEST_CASE("a disk that fills up during an apply keeps the previous content; freeing space lets the next sync apply")
{
    ScratchDir dir;
    const auto result = inPrivateMountNamespace([&] {
        return withEngineOnTmpfs(dir, "1m", [&](const PrivateTmpfs& data, SyncEngine& engine, const std::filesystem::path& bundle) {
            const auto cache = data.dir() / "cache.sqlite";
            auto first = engine.syncAll(kStart);
            if (first.front().result != SyncResult::Applied) return "first sync: " + first.front().error;

            // Several megabytes of content into a one-megabyte disk.
            writeFile(bundle, numberedBundle("B", 4000));
            auto full = engine.syncAll(kStart + 1h).front();
            if (full.result != SyncResult::Failed) return std::string("the apply on a full disk did not fail");
            if (full.error.find("full") == std::string::npos) return "error without the cause: " + full.error;
            if (checkCacheFile(cache) != CacheHealth::Healthy) return std::string("the cache fails SQLite's check");
            auto seen = look(cache);
            if (!seen || seen->firstTitle != "A 0" || seen->events != 5) return std::string("the previous content is not whole");

            if (auto error = data.remount("64m", false); !error.empty()) return error;
            auto freed = engine.syncAll(kStart + 2h).front();
            if (freed.result != SyncResult::Applied) return "after freeing space: " + freed.error;
            seen = look(cache);
            return expect(seen && seen->firstTitle == "B 0" && seen->events == 4000 && seen->error.empty(),
                          "the new content is not there after freeing space");
        });
    });
    if (!result) {
        MESSAGE("skipped: this machine does not allow a private mount namespace");
        return;
    }
    CHECK_MESSAGE(result->empty(), *result);
}

TEST_CASE("on a read-only data directory the sync fails naming the cache, the file stays sound; writable again, it syncs")
{
    // The kernel refuses to remount a file system read-only while files on it are open for writing,
    // so each step starts a new engine, as a kiosk restarted on that storage would.
    ScratchDir dir;
    const auto result = inPrivateMountNamespace([&]() -> std::string {
        const PrivateTmpfs data(dir / "data");
        if (auto error = data.mount("16m"); !error.empty()) return error;
        const auto bundle = dir / "region.json";
        const auto cache = data.dir() / "cache.sqlite";
        const auto syncOnce = [&](Instant now) -> SyncOutcome {
            SyncEngineOptions options;
            options.cacheFile = cache;
            options.sources = {SourceConfig{.id = "region", .kind = "bundle", .url = fileUrl(bundle)}};
            options.seed = 3;
            auto engine = SyncEngine::create(std::move(options));
            if (!engine) return SyncOutcome{.error = "engine: " + engine.error().message};
            return (*engine)->syncAll(now).front();
        };
        writeFile(bundle, numberedBundle("A", 5));
        if (auto first = syncOnce(kStart); first.result != SyncResult::Applied) return "first sync: " + first.error;

        if (auto error = data.remount("16m", true); !error.empty()) return error;
        writeFile(bundle, numberedBundle("B", 5));
        // SQLite cannot open a WAL database for writing here (nor create its -shm), so the engine
        // does not start; the kiosk then runs on a temporary copy (openCache, tested in content).
        const auto readOnly = syncOnce(kStart + 1h);
        if (readOnly.result != SyncResult::Failed) return "the sync on a read-only disk did not fail";
        if (readOnly.error.find(cache.string()) == std::string::npos) return "error without the file: " + readOnly.error;
        if (checkCacheFile(cache) != CacheHealth::Healthy) return "the cache fails SQLite's check";

        if (auto error = data.remount("16m", false); !error.empty()) return error;
        if (auto writable = syncOnce(kStart + 2h); writable.result != SyncResult::Applied) return "writable again: " + writable.error;
        const auto seen = look(cache);
        return expect(seen && seen->firstTitle == "B 0" && seen->error.empty(), "the new content is not there");
    });
    if (!result) {
        MESSAGE("skipped: this machine does not allow a private mount namespace");
        return;
    }
    CHECK_MESSAGE(result->empty(), *result);
}

}
