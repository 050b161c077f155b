// Crash safety: the syncing process is killed with SIGKILL at random points during apply, 200 times
// across the four source kinds, and the cache must always be intact and hold either the old or the
// new content of the source.

#include "ptv_test_region.hpp"
#include "fault_server.hpp"
#include "linkedevents_test_support.hpp"
#include "sync_test_support.hpp"

#include "content/content_store.hpp"

#include <doctest/doctest.h>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include <functional>
#include <random>
#include <thread>

extern char** environ;

using namespace kohtaamo;
using namespace kohtaamo::test;

namespace {

/// The crash test's child process, its stdout on a pipe: one byte per completed apply round.
class ApplyChild {
public:
    ApplyChild(const std::filesystem::path& cache, const std::string& kind, const std::string& urlA,
               const std::string& urlB, bool startWithB = false)
    {
        int fds[2];
        REQUIRE(::pipe(fds) == 0);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
        posix_spawn_file_actions_addclose(&actions, fds[0]);
        const std::string child = KOHTAAMO_APPLY_CHILD;
        std::vector<std::string> args{child, cache.string(), kind, urlA, urlB, startWithB ? "1" : "0"};

        std::vector<char*> argv;
        for (auto& arg : args) argv.push_back(arg.data());
        argv.push_back(nullptr);
        const int spawned = ::posix_spawn(&m_pid, child.c_str(), &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        ::close(fds[1]);
        m_progress = fds[0];
        REQUIRE(spawned == 0);
    }
    ~ApplyChild()
    {
        if (m_pid > 0) kill();
        ::close(m_progress);
    }
    ApplyChild(const ApplyChild&) = delete;
    ApplyChild& operator=(const ApplyChild&) = delete;

    /// Waits until `rounds` more rounds are complete; false if the child died instead.
    bool waitRounds(int rounds)
    {
        char byte = 0;
        for (int i = 0; i < rounds; ++i) {
            if (::read(m_progress, &byte, 1) != 1) return false;
        }
        return true;
    }

    /// SIGKILL; true when the signal (not the child itself) ended it.
    bool kill()
    {
        ::kill(m_pid, SIGKILL);
        int status = 0;
        const bool reaped = ::waitpid(m_pid, &status, 0) == m_pid;
        m_pid = 0;
        return reaped && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    }

private:
    pid_t m_pid = 0;
    int m_progress = -1;
};

// One source kind's two versions, as the cache shows them: every record of version A has a
// name starting "A ", of B "B ".
struct Versions {
    std::string kind;
    std::string urlA;
    std::string urlB;
    std::size_t recordsA = 0;
    std::size_t recordsB = 0;
    /// The names of the records that tell the versions apart (events, or services for PTV).
    std::function<std::vector<std::string>(const SourceContent&)> names = [](const SourceContent& content) {
        std::vector<std::string> result;
        for (const auto& event : content.events) result.emplace_back(event.title.exactly("fi"));
        return result;
    };
};

std::string integrityCheck(const std::filesystem::path& cache)
{
    sqlite3* db = nullptr;
    std::string verdict = "cannot open";
    if (sqlite3_open_v2(cache.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &statement, nullptr) == SQLITE_OK &&
            sqlite3_step(statement) == SQLITE_ROW) {
            verdict = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
        }
        sqlite3_finalize(statement);
    }
    sqlite3_close(db);
    return verdict;
}

// The crash test: a child process applies version A and version B of one source in turn, for ever,
// and is killed with SIGKILL at a random moment within a round (open, download, parse, transaction,
// status, fetch state), `kills` times. Each time the cache must pass SQLite's integrity check and
// hold exactly A or exactly B, with a sources row that agrees. Kill points are seeded fractions of
// a measured round, so they cover every phase however fast the machine is.
void killDuringApply(const Versions& versions, int kills, std::uint32_t seed)
{
    ScratchDir dir;
    const auto cache = dir / "cache.sqlite";
    std::chrono::microseconds round{};
    {
        // The source starts with A, so "old" is never "nothing"; then how long one round takes here.
        ApplyChild child(cache, versions.kind, versions.urlA, versions.urlB);
        REQUIRE_MESSAGE(child.waitRounds(2), "the child ended by itself (see its stderr)");
        const auto start = std::chrono::steady_clock::now();
        REQUIRE(child.waitRounds(4));
        round = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start) / 4;
        REQUIRE(child.kill());
    }

    std::mt19937 random(seed);
    std::uniform_int_distribution<int> roundsFirst(0, 1);
    std::uniform_real_distribution<double> fraction(0.0, 1.0);
    int sawA = 0;
    int sawB = 0;
    for (int run = 0; run < kills; ++run) {
        CAPTURE(run);
        {
            ApplyChild child(cache, versions.kind, versions.urlA, versions.urlB, run % 2 == 1);
            REQUIRE(child.waitRounds(roundsFirst(random)));
            std::this_thread::sleep_for(std::chrono::duration_cast<std::chrono::microseconds>(round * fraction(random)));
            REQUIRE_MESSAGE(child.kill(), "the child ended by itself (see its stderr)");
        }
        REQUIRE(integrityCheck(cache) == "ok");

        auto store = ContentStore::open(cache);
        REQUIRE(store);
        auto content = store->loadContent("s");
        REQUIRE(content);
        const auto names = versions.names(*content);
        REQUIRE_FALSE(names.empty());
        const auto version = names.front().substr(0, 1);
        REQUIRE((version == "A" || version == "B"));
        CHECK(names.size() == (version == "A" ? versions.recordsA : versions.recordsB));
        CHECK(std::count_if(names.begin(), names.end(), [&](const std::string& name) {
                  return !name.starts_with(version + " ");
              }) == 0);
        auto states = store->sources();
        REQUIRE(states);
        REQUIRE(states->size() == 1);
        CHECK(states->front().itemCount == content->itemCount());
        CHECK(states->front().url == (version == "A" ? versions.urlA : versions.urlB));
        (version == "A" ? sawA : sawB)++;
    }
    MESSAGE(versions.kind << ": one round takes " << round.count() << " µs; after " << kills
                          << " kills the cache held A " << sawA << " times, B " << sawB << " times");
    CHECK(sawA > kills / 10);
    CHECK(sawB > kills / 10);
}

// A staff calendar with `events` weekly events titled "<version> <n>".
std::string numberedCalendar(std::string_view version, int events)
{
    std::string text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Kohtaamo//crash test//FI\r\n";
    for (int i = 0; i < events; ++i) {
        text += fmt::format("BEGIN:VEVENT\r\nUID:ev-{}@example.fi\r\nDTSTAMP:20260301T000000Z\r\n"
                            "DTSTART:202603{:02}T073000Z\r\nDTEND:202603{:02}T090000Z\r\nRRULE:FREQ=WEEKLY;COUNT=10\r\n"
                            "SUMMARY:{} {}\r\nDESCRIPTION:Vauvaryhmä ja perhekahvila\r\nEND:VEVENT\r\n",
                            i, 1 + i % 28, 1 + i % 28, version, i);
    }
    return text + "END:VCALENDAR\r\n";
}

// A small PTV area whose family services are named "<version> <n>".
void fillPtvVersion(ptvtest::FakePtv& server, std::string_view version, int services)
{
    for (int i = 0; i < services; ++i) {
        auto service = ptvtest::familyService(i);
        service["serviceNames"][0]["value"] = fmt::format("{} {}", version, i);
        server.putService(std::move(service));
    }
    for (int i = 0; i < ptvtest::kPlaces; ++i) server.putChannel(ptvtest::placeChannel(i));
    auto phone = ptvtest::templateJson("channel_phone.json");
    phone["id"] = ptvtest::guid('p', 0);
    server.putChannel(std::move(phone));
    auto web = ptvtest::templateJson("channel_webpage.json");
    web["id"] = ptvtest::guid('w', 0);
    server.putChannel(std::move(web));
}

// A Linked Events list whose events are named "<version> <n>".
std::string eventList(std::string_view version, int events)
{
    letest::json list = letest::json::array();
    for (int i = 0; i < events; ++i) {
        auto event = letest::event(fmt::format("hel:{}{}", version, i), fmt::format("2026-03-{:02}T08:00:00Z", 1 + i % 28),
                                   fmt::format("2026-03-{:02}T10:00:00Z", 1 + i % 28));
        event["name"] = {{"fi", fmt::format("{} {}", version, i)}};
        list.push_back(std::move(event));
    }
    return letest::page(std::move(list)).dump();
}

constexpr int kKillsPerKind = 50;   // 200 over the four kinds

} // namespace

TEST_SUITE("sync engine") {

TEST_CASE("kill -9 at random points during a bundle apply never leaves a broken or mixed cache")
{
    ScratchDir files;
    writeFile(files / "a.json", numberedBundle("A", 150));
    writeFile(files / "b.json", numberedBundle("B", 120));
    killDuringApply({.kind = "bundle", .urlA = fileUrl(files / "a.json"), .urlB = fileUrl(files / "b.json"),
                     .recordsA = 150, .recordsB = 120},
                    kKillsPerKind, 20260310);
}

TEST_CASE("kill -9 at random points during an iCalendar apply never leaves a broken or mixed cache")
{
    ScratchDir files;
    writeFile(files / "a.ics", numberedCalendar("A", 150));
    writeFile(files / "b.ics", numberedCalendar("B", 120));
    killDuringApply({.kind = "ical", .urlA = fileUrl(files / "a.ics"), .urlB = fileUrl(files / "b.ics"),
                     .recordsA = 150, .recordsB = 120},
                    kKillsPerKind, 20261025);
}

TEST_CASE("kill -9 at random points during a PTV sync never leaves a broken or mixed cache")
{
    ptvtest::FakePtv a;
    ptvtest::FakePtv b;
    fillPtvVersion(a, "A", 60);
    fillPtvVersion(b, "B", 45);
    killDuringApply({.kind = "ptv", .urlA = a.base(), .urlB = b.base(), .recordsA = 60, .recordsB = 45,
                     .names = [](const SourceContent& content) {
                         std::vector<std::string> names;
                         for (const auto& service : content.services) names.emplace_back(service.name.exactly("fi"));
                         return names;
                     }},
                    kKillsPerKind, 20260329);
}

TEST_CASE("kill -9 at random points during a Linked Events sync never leaves a broken or mixed cache")
{
    FaultServer server;
    server.route("/a/event/", Response{.body = eventList("A", 150)});
    server.route("/b/event/", Response{.body = eventList("B", 120)});
    killDuringApply({.kind = "linkedevents", .urlA = server.url("/a/event/"), .urlB = server.url("/b/event/"),
                     .recordsA = 150, .recordsB = 120},
                    kKillsPerKind, 20261231);
}

} // TEST_SUITE
