// Crash safety: the syncing process is killed with SIGKILL at random points during apply, and the
// cache must always be intact and hold either the old or the new content of the source.

#include "content/bundle.hpp"
#include "content/content_store.hpp"
#include "sync_test_support.hpp"

#include <doctest/doctest.h>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include <random>
#include <thread>

extern char** environ;

using namespace kohtaamo;
using namespace kohtaamo::test;

namespace {

std::string firstTitle(const SourceContent& content)
{
    return content.events.empty() ? "" : std::string(content.events.front().title.exactly("fi"));
}

/// The crash test's child process, its stdout on a pipe: one byte per completed apply round.
class ApplyChild {
public:
    ApplyChild(const std::filesystem::path& cache, const std::filesystem::path& a, const std::filesystem::path& b,
               bool startWithB = false)
    {
        int fds[2];
        REQUIRE(::pipe(fds) == 0);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
        posix_spawn_file_actions_addclose(&actions, fds[0]);
        const std::string child = KOHTAAMO_APPLY_CHILD;
        std::vector<std::string> args{child, cache.string(), a.string(), b.string(), startWithB ? "1" : "0"};

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

} // namespace

TEST_SUITE("sync engine") {

// The crash test: a child process applies bundle A and bundle B in turn, for ever, and is killed
// with SIGKILL at a random moment within a round (open, download, parse, transaction, status), 60
// times. Each time the cache must pass SQLite's integrity check and hold exactly A or exactly B,
// with a sources row that agrees. Kill points are seeded fractions of a measured round, so they
// cover every phase however fast the machine is.
TEST_CASE("kill -9 at random points during apply never leaves a broken or mixed cache")
{
    ScratchDir dir;
    const auto cache = dir / "cache.sqlite";
    const auto fileA = dir / "a.json";
    const auto fileB = dir / "b.json";
    constexpr int kEventsA = 150;
    constexpr int kEventsB = 120;
    writeFile(fileA, numberedBundle("A", kEventsA));
    writeFile(fileB, numberedBundle("B", kEventsB));
    {
        // The source starts with A, so "old" is never "nothing".
        auto content = readBundle(numberedBundle("A", kEventsA), "s");
        REQUIRE(content);
        auto store = ContentStore::open(cache);
        REQUIRE(store);
        REQUIRE(store->replaceSource(SourceState{.id = "s", .kind = "bundle", .url = fileUrl(fileA)}, *content));
    }

    // How long one round takes here.
    std::chrono::microseconds round{};
    {
        ApplyChild child(cache, fileA, fileB);
        REQUIRE(child.waitRounds(2));
        const auto start = std::chrono::steady_clock::now();
        REQUIRE(child.waitRounds(4));
        round = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start) / 4;
        REQUIRE(child.kill());
    }

    std::mt19937 random(20260310);
    std::uniform_int_distribution<int> roundsFirst(0, 1);
    std::uniform_real_distribution<double> fraction(0.0, 1.0);
    int sawA = 0;
    int sawB = 0;
    for (int run = 0; run < 60; ++run) {
        CAPTURE(run);
        {
            ApplyChild child(cache, fileA, fileB, run % 2 == 1);
            REQUIRE(child.waitRounds(roundsFirst(random)));
            std::this_thread::sleep_for(std::chrono::duration_cast<std::chrono::microseconds>(round * fraction(random)));
            REQUIRE_MESSAGE(child.kill(), "the child ended by itself (see its stderr)");
        }

        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open_v2(cache.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
        sqlite3_stmt* statement = nullptr;
        REQUIRE(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &statement, nullptr) == SQLITE_OK);
        REQUIRE(sqlite3_step(statement) == SQLITE_ROW);
        CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0))) == "ok");
        sqlite3_finalize(statement);
        sqlite3_close(db);

        auto store = ContentStore::open(cache);
        REQUIRE(store);
        auto content = store->loadContent("s");
        REQUIRE(content);
        const auto version = firstTitle(*content).substr(0, 1);
        REQUIRE((version == "A" || version == "B"));
        const auto expected = static_cast<std::size_t>(version == "A" ? kEventsA : kEventsB);
        CHECK(content->events.size() == expected);
        const auto mixed = std::count_if(content->events.begin(), content->events.end(), [&](const Event& event) {
            return !event.title.exactly("fi").starts_with(version + " ");
        });
        CHECK(mixed == 0);
        auto states = store->sources();
        REQUIRE(states);
        REQUIRE(states->size() == 1);
        CHECK(states->front().itemCount == expected);
        CHECK(states->front().url == fileUrl(version == "A" ? fileA : fileB));
        (version == "A" ? sawA : sawB)++;
    }
    MESSAGE("one round takes " << round.count() << " µs; after the kills the cache held A " << sawA << " times, B "
                               << sawB << " times");
    CHECK(sawA > 5);
    CHECK(sawB > 5);
}

} // TEST_SUITE
