#pragma once
// Runs one measured step as a separate process, so its peak RSS and CPU time come from wait4's
// rusage and nothing the parent allocated is counted. Linux only.
//
// Linux carries a forked child's peak RSS across exec: a step forked straight from the bench (which
// by then holds generated regions and loopback servers) would report the bench's size, not its
// own. So every step is started by a launcher, `kohtaamo-bench --launch ARGV…`: a fresh, small
// process that forks and execs the step, waits for it and reports the step's own rusage.

#include "content/error.hpp"

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kohtaamo::bench {

struct ProcessSpec {
    std::vector<std::string> argv;                                  ///< argv[0] is the executable's path
    std::vector<std::pair<std::string, std::string>> environment;   ///< set on top of the parent's
    std::filesystem::path log;                                      ///< stdout and stderr are appended here
    bool resultPipe = false;                                        ///< give the child fd 3, a pipe the parent reads
};

/// How a process ended and what it cost.
struct ProcessOutcome {
    int exitCode = -1;   ///< -1 when killed by a signal
    int signal = 0;
    bool timedOut = false;
    double wallMs = 0;       ///< from the launcher's fork to its wait4's return
    double cpuSeconds = 0;   ///< user + system
    double peakRssMb = 0;    ///< ru_maxrss
    std::string result;      ///< everything written to fd 3
    [[nodiscard]] bool ok() const { return exitCode == 0 && !timedOut; }
    [[nodiscard]] std::string describe() const;
};

/// A started process; the destructor kills and reaps one that was not waited for. Between fork and
/// exec the child makes only async-signal-safe calls, so a parent with threads (the loopback
/// servers the catalogue steps sync from) may spawn too. pid(), signals and CPU so far are the
/// step's own, not its launcher's.
class ChildProcess {
public:
    [[nodiscard]] static Result<ChildProcess> spawn(const ProcessSpec& spec);
    ChildProcess(ChildProcess&& other) noexcept;
    ChildProcess& operator=(ChildProcess&&) = delete;
    ~ChildProcess();

    [[nodiscard]] pid_t pid() const { return m_pid; }
    /// The first line written to fd 3 (e.g. Xvfb's -displayfd), or nothing on EOF or timeout.
    [[nodiscard]] std::optional<std::string> readLine(std::chrono::milliseconds timeout);
    void sendSignal(int signal) const;
    /// User + system CPU seconds so far, from /proc (0 if unreadable).
    [[nodiscard]] double cpuSecondsSoFar() const;
    /// Waits for the exit (SIGKILL after `timeout`), collecting fd 3 and the rusage.
    [[nodiscard]] ProcessOutcome wait(std::chrono::milliseconds timeout);

private:
    ChildProcess(pid_t launcher, pid_t pid, int pidFd, int resultFd, int reportFd,
                 std::chrono::steady_clock::time_point started);
    pid_t m_launcher = -1;
    pid_t m_pid = -1;
    int m_pidFd = -1;   ///< the launcher's
    int m_resultFd = -1;
    int m_reportFd = -1;   ///< the launcher's report: the step's pid, then how it ended
    std::string m_report;  ///< read from it but not yet used
    std::string m_buffer;
    std::chrono::steady_clock::time_point m_started;
};

/// The launcher's side (`kohtaamo-bench --launch ARGV…`): runs ARGV as described above and reports
/// on fd 4. Returns the launcher's exit code.
int launch(int argc, char** argv);

/// spawn + wait in one call.
[[nodiscard]] Result<ProcessOutcome> runProcess(const ProcessSpec& spec, std::chrono::milliseconds timeout);

/// Finds an executable on PATH without running anything.
[[nodiscard]] std::optional<std::filesystem::path> findOnPath(std::string_view name);

}   // namespace kohtaamo::bench
