// Opening the cache whatever state it is in: damaged files moved aside and rebuilt, a newer
// schema kept for later, and a data directory that cannot hold the cache (not creatable,
// read-only) replaced by temporary storage that keeps the last content.

#include "content/cache_file.hpp"

#include "../private_mount.hpp"
#include "test_support.hpp"

#include <sqlite3.h>

#include <fstream>

using namespace kohtaamo;
using namespace kohtaamo::test;

namespace {

const Instant kNow = date::sys_days{date::year{2026} / 3 / 10} + std::chrono::hours{7};   // 07:00 UTC

SourceContent oneEvent(std::string title)
{
    SourceContent content;
    Event event = weeklyEvent("kahvila", "2026-03-03T09:30", 120, "FREQ=WEEKLY;BYDAY=TU");
    event.title = LocalizedText{{"fi", std::move(title)}};
    content.events.push_back(std::move(event));
    return content;
}

// A real cache with one source holding one event titled `title`.
void writeCache(const std::filesystem::path& file, std::string title)
{
    auto store = ContentStore::open(file);
    REQUIRE_MESSAGE(store, (store ? "" : store.error().message));
    REQUIRE(store->replaceSource(SourceState{.id = "perhekeskus", .kind = "bundle", .url = "file:///x.json"},
                                 oneEvent(std::move(title))));
}

std::string firstTitle(const ContentStore& store)
{
    auto content = store.loadContent();
    if (!content || content->events.empty()) return {};
    return std::string(content->events.front().title.exactly("fi"));
}

std::vector<std::string> corruptCopies(const std::filesystem::path& dataDir)
{
    std::vector<std::string> names;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(dataDir / "corrupt", error)) {
        names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

} // namespace

TEST_SUITE("cache file") {

TEST_CASE("a sound cache opens as it is, with its content and no notices")
{
    TempDir dir;
    writeCache(dir.path() / "cache.sqlite", "Perhekahvila");
    auto opened = openCache(dir.path(), dir.path() / "fallback", kNow);
    REQUIRE_MESSAGE(opened, (opened ? "" : opened.error().message));
    CHECK(opened->file == dir.path() / "cache.sqlite");
    CHECK_FALSE(opened->temporary);
    CHECK(opened->notices.empty());
    CHECK(firstTitle(opened->store) == "Perhekahvila");
    CHECK(checkCacheFile(dir.path() / "cache.sqlite") == CacheHealth::Healthy);
}

TEST_CASE("a garbage cache file is moved aside and a new cache created in its place")
{
    TempDir dir;
    const auto file = dir.path() / "cache.sqlite";
    std::ofstream(file) << std::string(4096, 'x');
    std::ofstream(file.string() + "-wal") << "stale";
    std::string detail;
    CHECK(checkCacheFile(file, &detail) == CacheHealth::Damaged);
    CHECK(contains(detail, "not a database"));

    auto opened = openCache(dir.path(), dir.path() / "fallback", kNow);
    REQUIRE_MESSAGE(opened, (opened ? "" : opened.error().message));
    CHECK(opened->file == file);
    CHECK_FALSE(opened->temporary);
    REQUIRE(opened->notices.size() == 1);
    CHECK(contains(opened->notices[0], "was damaged (file is not a database)"));
    CHECK(contains(opened->notices[0], "corrupt/cache.sqlite.20260310T070000Z"));
    CHECK(corruptCopies(dir.path()) ==
          std::vector<std::string>{"cache.sqlite.20260310T070000Z", "cache.sqlite.20260310T070000Z-wal"});
    CHECK(opened->store.isEmpty().value_or(false));
    CHECK(opened->store.replaceSource(SourceState{.id = "a", .kind = "bundle", .url = "file:///a"}, oneEvent("Uusi")));
}

TEST_CASE("a truncated cache fails SQLite's full check; marked, it is moved aside at the next start, only the latest copy kept")
{
    TempDir dir;
    const auto file = dir.path() / "cache.sqlite";
    // Enough content for many pages, so that cutting the file loses some of them.
    {
        auto store = ContentStore::open(file);
        REQUIRE(store);
        SourceContent content;
        for (int i = 0; i < 300; ++i) {
            Event event = weeklyEvent(fmt::format("e{}", i), "2026-03-03T09:30", 60, "FREQ=WEEKLY");
            event.description = LocalizedText{{"fi", std::string(400, 'a' + static_cast<char>(i % 26))}};
            content.events.push_back(std::move(event));
        }
        REQUIRE(store->replaceSource(SourceState{.id = "big", .kind = "bundle", .url = "file:///b"}, content));
    }
    std::filesystem::resize_file(file, std::filesystem::file_size(file) / 2);
    // Its first pages are intact, so it still opens: the kiosk's background check finds the damage.
    std::string detail;
    REQUIRE(checkCacheFile(file, &detail) == CacheHealth::Damaged);
    REQUIRE(markCacheDamaged(file, detail));

    std::filesystem::create_directories(dir.path() / "corrupt");
    std::ofstream(dir.path() / "corrupt" / "cache.sqlite.20250101T000000Z") << "an older damaged copy";
    auto opened = openCache(dir.path(), dir.path() / "fallback", kNow);
    REQUIRE_MESSAGE(opened, (opened ? "" : opened.error().message));
    REQUIRE(opened->notices.size() == 1);
    CHECK(contains(opened->notices[0], detail));
    CHECK_FALSE(std::filesystem::exists(dir.path() / "cache.sqlite.damaged"));
    const auto copies = corruptCopies(dir.path());
    REQUIRE_FALSE(copies.empty());
    CHECK(copies.front() == "cache.sqlite.20260310T070000Z");   // and perhaps its -wal; the older copy is gone
    CHECK(opened->store.isEmpty().value_or(false));
}

TEST_CASE("a cache a newer Kohtaamo wrote is moved aside whole, not overwritten")
{
    TempDir dir;
    const auto file = dir.path() / "cache.sqlite";
    {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
        REQUIRE(sqlite3_exec(db, "CREATE TABLE future (x); PRAGMA user_version = 99;", nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(db);
    }
    auto opened = openCache(dir.path(), dir.path() / "fallback", kNow);
    REQUIRE_MESSAGE(opened, (opened ? "" : opened.error().message));
    REQUIRE(opened->notices.size() == 1);
    CHECK(contains(opened->notices[0], "99"));
    CHECK(contains(opened->notices[0], "moved to"));
    CHECK(corruptCopies(dir.path()) == std::vector<std::string>{"cache.sqlite.20260310T070000Z"});
    CHECK(opened->store.schemaVersion() < 99);
}

TEST_CASE("a data directory that cannot be created gives a temporary cache, said plainly")
{
    TempDir dir;
    std::ofstream(dir.path() / "file") << "not a directory";
    auto opened = openCache(dir.path() / "file" / "data", dir.path() / "fallback", kNow);
    REQUIRE_MESSAGE(opened, (opened ? "" : opened.error().message));
    CHECK(opened->temporary);
    CHECK(opened->file == dir.path() / "fallback" / "cache.sqlite");
    REQUIRE(opened->notices.size() == 1);
    CHECK(contains(opened->notices[0], "cannot be created"));
    CHECK(contains(opened->notices[0], "temporary cache"));
    CHECK(contains(opened->notices[0], "starting from an empty cache"));
}

TEST_CASE("a read-only data directory: the last content is copied to temporary storage and stays on screen")
{
    TempDir dir;
    const auto result = inPrivateMountNamespace([&]() -> std::string {
        const PrivateTmpfs data(dir.path() / "data");
        if (auto error = data.mount("4m"); !error.empty()) return error;
        writeCache(data.dir() / "cache.sqlite", "Perhekahvila");
        if (auto error = data.remount("4m", true); !error.empty()) return error;

        auto opened = openCache(data.dir(), dir.path() / "fallback", kNow);
        if (!opened) return "openCache failed: " + opened.error().message;
        if (!opened->temporary) return "the read-only cache was used as it is";
        if (opened->notices.size() != 1 || !contains(opened->notices[0], "not writable") ||
            !contains(opened->notices[0], "a copy of the last content")) {
            return "notice: " + (opened->notices.empty() ? std::string("none") : opened->notices[0]);
        }
        if (firstTitle(opened->store) != "Perhekahvila") return "the last content was not kept";
        if (!opened->store.replaceSource(SourceState{.id = "b", .kind = "bundle", .url = "file:///b"}, oneEvent("B"))) {
            return "the temporary cache cannot be written";
        }
        return {};
    });
    if (!result) {
        MESSAGE("skipped: this machine does not allow a private mount namespace");
        return;
    }
    CHECK_MESSAGE(result->empty(), *result);
}

}
