#pragma once
// Real storage faults for tests: a child process in its own mount namespace mounts a small tmpfs
// (so "disk full" is the kernel's ENOSPC) that it can remount read-only or bigger, runs the
// scenario, and reports back through a pipe. Needs CAP_SYS_ADMIN (root, as in CI and this
// machine's containers); elsewhere the scenario is skipped with a message.

#include <fmt/format.h>

#include <sys/mount.h>
#include <sys/wait.h>
#include <sched.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace kohtaamo::test {

/// A tmpfs at `dir`, visible only to this process. Remounting keeps its files.
class PrivateTmpfs {
public:
    explicit PrivateTmpfs(std::filesystem::path dir) : m_dir(std::move(dir)) {}

    /// Mounts it with `size` (e.g. "1m"); an error text, or empty.
    [[nodiscard]] std::string mount(const std::string& size) const
    {
        std::filesystem::create_directories(m_dir);
        const std::string options = "size=" + size + ",mode=0755";
        if (::mount("tmpfs", m_dir.c_str(), "tmpfs", 0, options.c_str()) != 0) return fmt::format("mount tmpfs: errno {}", errno);
        return {};
    }
    /// Remounts it with a new size, read-only or writable again.
    [[nodiscard]] std::string remount(const std::string& size, bool readOnly) const
    {
        const std::string options = "size=" + size;
        const unsigned long flags = MS_REMOUNT | (readOnly ? MS_RDONLY : 0);
        if (::mount("tmpfs", m_dir.c_str(), "tmpfs", flags, options.c_str()) != 0) return fmt::format("remount: errno {}", errno);
        return {};
    }
    [[nodiscard]] const std::filesystem::path& dir() const { return m_dir; }

private:
    std::filesystem::path m_dir;
};

/// Runs `scenario` in a child with a private mount namespace. Returns nullopt when the machine does
/// not allow one (the caller skips), else what the scenario returned: empty for success, or the
/// first failure in words.
inline std::optional<std::string> inPrivateMountNamespace(const std::function<std::string()>& scenario)
{
    int pipeEnds[2];
    if (::pipe(pipeEnds) != 0) return "pipe failed";
    const pid_t child = ::fork();
    if (child == 0) {
        ::close(pipeEnds[0]);
        std::string answer;
        int code = 0;
        if (::unshare(CLONE_NEWNS) != 0 || ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
            code = 77;
        } else {
            try {
                answer = scenario();
            } catch (const std::exception& e) {
                answer = fmt::format("exception: {}", e.what());
            }
        }
        (void)!::write(pipeEnds[1], answer.data(), answer.size());
        ::close(pipeEnds[1]);
        ::_exit(code);
    }
    ::close(pipeEnds[1]);
    std::string answer;
    char buffer[4096];
    for (ssize_t n; (n = ::read(pipeEnds[0], buffer, sizeof buffer)) > 0;) answer.append(buffer, static_cast<std::size_t>(n));
    ::close(pipeEnds[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 77) return std::nullopt;
    if (!WIFEXITED(status)) return fmt::format("the scenario's process died (status {})", status);
    return answer;
}

} // namespace kohtaamo::test
