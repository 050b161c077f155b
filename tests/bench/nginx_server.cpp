#include "nginx_server.hpp"

#include <fmt/format.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <thread>

namespace kohtaamo::bench {
namespace {

using namespace std::chrono_literals;

constexpr int kAttempts = 3;                 // another process may take the free port first
constexpr auto kStartTimeout = 3s;
constexpr auto kStopTimeout = 2s;

sockaddr_in loopback(int port)
{
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    return address;
}

// A port that was free a moment ago: nginx cannot report an ephemeral port it chose itself.
int freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return 0;
    sockaddr_in address = loopback(0);
    socklen_t length = sizeof address;
    const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                       ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
    ::close(fd);
    return bound ? ntohs(address.sin_port) : 0;
}

bool accepts(int port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    const sockaddr_in address = loopback(port);
    const bool connected = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return connected;
}

// gzip on, as most servers send JSON: nginx then weakens the ETag and compares If-None-Match weakly.
std::string config(const std::filesystem::path& dir, const std::filesystem::path& root, int port)
{
    return fmt::format(R"(daemon off;
master_process off;
pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
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
                       fmt::arg("dir", dir.string()), fmt::arg("port", port), fmt::arg("root", root.string()));
}

}   // namespace

std::optional<std::filesystem::path> NginxServer::find()
{
    if (::access("/usr/sbin/nginx", X_OK) == 0) return std::filesystem::path("/usr/sbin/nginx");
    return findOnPath("nginx");
}

Result<NginxServer> NginxServer::start(const std::filesystem::path& nginx, const std::filesystem::path& dir,
                                       const std::filesystem::path& log)
{
    const auto root = dir / "www";
    std::error_code error;
    std::filesystem::create_directories(root, error);
    if (error) return fail(ErrorCode::Io, fmt::format("{}: {}", root.string(), error.message()));
    const auto conf = dir / "nginx.conf";
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        const int port = freePort();
        if (port == 0) return fail(ErrorCode::Io, "nginx: no free loopback port");
        if (!(std::ofstream(conf, std::ios::trunc) << config(dir, root, port))) {
            return fail(ErrorCode::Io, fmt::format("{}: cannot be written", conf.string()));
        }
        auto process = ChildProcess::spawn(ProcessSpec{
            .argv = {nginx.string(), "-p", dir.string() + "/", "-c", conf.string(), "-e", (dir / "error.log").string()},
            .log = log});
        if (!process) return std::unexpected(process.error());
        const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
        while (!accepts(port) && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
        if (accepts(port)) return NginxServer(std::move(*process), port, root);
    }
    return fail(ErrorCode::Network,
                fmt::format("nginx did not start on loopback; see {}", (dir / "error.log").string()));
}

NginxServer::NginxServer(ChildProcess process, int port, std::filesystem::path root)
    : m_process(std::move(process)), m_port(port), m_root(std::move(root))
{
}

std::string NginxServer::url(std::string_view file) const
{
    return fmt::format("http://127.0.0.1:{}/{}", m_port, file);
}

void NginxServer::stop()
{
    if (m_stopped) return;
    m_stopped = true;
    m_process.sendSignal(SIGQUIT);
    (void)m_process.wait(kStopTimeout);
}

}   // namespace kohtaamo::bench
