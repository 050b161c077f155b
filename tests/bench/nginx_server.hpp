#pragma once
// nginx (Debian's nginx-light) serving one directory on 127.0.0.1 at a free port, in the foreground
// as a child of the (single-threaded) bench, with a throw-away config: a real web server's ETag,
// gzip and 304 behaviour for the sync measurements, outside the measured process.

#include "child_process.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace kohtaamo::bench {

class NginxServer {
public:
    /// The nginx binary, or nothing when it is not installed.
    [[nodiscard]] static std::optional<std::filesystem::path> find();
    /// Starts `nginx` with its prefix, config and logs in `dir`, serving `dir`/www; returns once it
    /// accepts connections. Fails when it does not within a few seconds (see `log`).
    [[nodiscard]] static Result<NginxServer> start(const std::filesystem::path& nginx, const std::filesystem::path& dir,
                                                   const std::filesystem::path& log);
    NginxServer(NginxServer&&) noexcept = default;
    NginxServer& operator=(NginxServer&&) = delete;
    ~NginxServer() = default;   // the ChildProcess kills and reaps nginx if stop() was not called

    /// The directory it serves.
    [[nodiscard]] const std::filesystem::path& root() const { return m_root; }
    /// "http://127.0.0.1:<port>/<file>".
    [[nodiscard]] std::string url(std::string_view file) const;
    /// Graceful shutdown (SIGQUIT), SIGKILL after two seconds.
    void stop();

private:
    NginxServer(ChildProcess process, int port, std::filesystem::path root);
    ChildProcess m_process;
    int m_port = 0;
    std::filesystem::path m_root;
    bool m_stopped = false;
};

}   // namespace kohtaamo::bench
