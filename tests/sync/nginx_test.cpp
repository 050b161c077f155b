// The sync engine against a real web server: nginx (Debian's nginx-light, installed by ./dev) on
// loopback at a free port, with a throw-away config and prefix, for real ETag, Last-Modified and
// gzip behaviour (nginx weakens an ETag when it compresses, and compares If-None-Match weakly).

#include "sync/sync_engine.hpp"

#include "sync_test_support.hpp"

#include <doctest/doctest.h>

#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

extern char** environ;

using namespace kohtaamo;
using namespace kohtaamo::test;
using namespace std::chrono_literals;

namespace {

constexpr const char* kNginx = "/usr/sbin/nginx";

// A port that was free a moment ago (nginx cannot report an ephemeral port it chose itself).
int freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                       ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
    ::close(fd);
    return bound ? ntohs(address.sin_port) : 0;
}

bool accepts(int port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    const bool connected = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return connected;
}

/// nginx in the foreground, one process, everything under `dir`; killed with the object.
class Nginx {
public:
    explicit Nginx(const std::filesystem::path& dir) : m_root(dir / "www")
    {
        std::filesystem::create_directories(m_root);
        m_port = freePort();
        REQUIRE(m_port > 0);
        const auto conf = dir / "nginx.conf";
        writeFile(conf, fmt::format(R"(daemon off;
master_process off;
pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log {dir}/access.log;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    types {{ application/json json; text/calendar ics; }}
    server {{
        listen 127.0.0.1:{port};
        root {root};
        etag on;
        gzip on;
        gzip_min_length 0;
        gzip_types application/json text/calendar;
    }}
}}
)",
                                    fmt::arg("dir", dir.string()), fmt::arg("port", m_port),
                                    fmt::arg("root", m_root.string())));
        std::vector<std::string> args{kNginx, "-p", dir.string(), "-c", conf.string(), "-e",
                                      (dir / "error.log").string()};
        std::vector<char*> argv;
        for (auto& arg : args) argv.push_back(arg.data());
        argv.push_back(nullptr);
        REQUIRE(::posix_spawn(&m_pid, kNginx, nullptr, nullptr, argv.data(), environ) == 0);
        for (int i = 0; i < 200 && !accepts(m_port); ++i) std::this_thread::sleep_for(10ms);
        REQUIRE_MESSAGE(accepts(m_port), "nginx did not start; see " << (dir / "error.log").string());
    }
    ~Nginx()
    {
        ::kill(m_pid, SIGKILL);
        ::waitpid(m_pid, nullptr, 0);
    }
    Nginx(const Nginx&) = delete;
    Nginx& operator=(const Nginx&) = delete;

    [[nodiscard]] const std::filesystem::path& root() const { return m_root; }
    [[nodiscard]] std::string url(std::string_view file) const
    {
        return fmt::format("http://127.0.0.1:{}/{}", m_port, file);
    }

private:
    std::filesystem::path m_root;
    int m_port = 0;
    pid_t m_pid = 0;
};

} // namespace

TEST_SUITE("sync engine") {

TEST_CASE("against nginx: gzip on the wire, a weak ETag, 304 while unchanged, the new file when changed")
{
    if (!std::filesystem::exists(kNginx)) {
        WARN_MESSAGE(false, "nginx is not installed (./dev setup installs nginx-light); test not run");
        return;
    }
    ScratchDir dir;
    Nginx nginx(dir.path());
    const std::string first = numberedBundle("A", 60);
    writeFile(nginx.root() / "region.json", first);

    Instant now = parseInstant("2026-03-01T12:00Z", TimeZone::helsinki()).value();
    auto engine = SyncEngine::create(SyncEngineOptions{
        .cacheFile = dir / "cache.sqlite",
        .sources = {SourceConfig{.id = "alue", .kind = "bundle", .url = nginx.url("region.json")}},
        .clock = [&] { return now; }});
    REQUIRE(engine);
    const auto state = [&] {
        auto store = ContentStore::open(dir / "cache.sqlite");
        REQUIRE(store);
        auto states = store->sources();
        REQUIRE(states);
        REQUIRE(states->size() == 1);
        return states->front();
    };

    auto outcomes = (*engine)->syncAll(now);
    REQUIRE(outcomes.size() == 1);
    REQUIRE_MESSAGE(outcomes[0].result == SyncResult::Applied, outcomes[0].error);
    CHECK(outcomes[0].httpStatus == 200);
    CHECK(outcomes[0].items == 60);
    CHECK(outcomes[0].bytes < static_cast<std::int64_t>(first.size()) / 3);   // gzip on the wire
    const auto applied = state();
    CHECK(applied.etag.starts_with("W/\""));
    CHECK_FALSE(applied.lastModified.empty());

    now += 2h;
    outcomes = (*engine)->syncAll(now);
    REQUIRE(outcomes.size() == 1);
    CHECK(outcomes[0].result == SyncResult::NotModified);
    CHECK(outcomes[0].httpStatus == 304);
    CHECK(state().appliedAt == applied.appliedAt);
    CHECK(state().lastSuccess == now);

    writeFile(nginx.root() / "region.json", numberedBundle("B", 61));
    now += 2h;
    outcomes = (*engine)->syncAll(now);
    REQUIRE(outcomes.size() == 1);
    CHECK(outcomes[0].result == SyncResult::Applied);
    CHECK(outcomes[0].items == 61);
    CHECK(state().etag != applied.etag);
    auto store = ContentStore::open(dir / "cache.sqlite");
    REQUIRE(store);
    auto content = store->loadContent("alue");
    REQUIRE(content);
    CHECK(content->events.front().title.exactly("fi") == "B 0");
}

} // TEST_SUITE
