#include "child_process.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

extern char** environ;

namespace kohtaamo::bench {
namespace {

constexpr int kResultFd = 3;
constexpr int kReportFd = 4;
constexpr auto kLauncherStart = std::chrono::seconds{10};

std::vector<std::string> childEnvironment(const std::vector<std::pair<std::string, std::string>>& overrides)
{
    std::vector<std::string> result;
    for (char** entry = environ; *entry; ++entry) {
        const std::string_view text(*entry);
        const auto name = text.substr(0, text.find('='));
        const bool replaced = std::any_of(overrides.begin(), overrides.end(),
                                          [&](const auto& override) { return override.first == name; });
        if (!replaced) result.emplace_back(text);
    }
    for (const auto& [name, value] : overrides) result.push_back(name + "=" + value);
    return result;
}

std::vector<char*> pointers(std::vector<std::string>& strings)
{
    std::vector<char*> result;
    for (auto& string : strings) result.push_back(string.data());
    result.push_back(nullptr);
    return result;
}

double seconds(const timeval& value) { return static_cast<double>(value.tv_sec) + value.tv_usec / 1e6; }

// Reads from `fd` into `buffer` until it holds a whole line (true) or EOF, an error or the deadline.
bool readLineInto(int fd, std::string& buffer, std::chrono::steady_clock::time_point deadline)
{
    while (buffer.find('\n') == std::string::npos) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        pollfd poll{fd, POLLIN, 0};
        if (::poll(&poll, 1, static_cast<int>(left.count())) <= 0) continue;
        char chunk[256];
        const auto got = ::read(fd, chunk, sizeof chunk);
        if (got <= 0) return false;
        buffer.append(chunk, static_cast<std::size_t>(got));
    }
    return true;
}

/// What the launcher says of the step once it has ended.
struct StepEnd {
    int status = 0;
    double cpuSeconds = 0;
    double peakRssMb = 0;
    double wallMs = 0;
};

std::optional<StepEnd> parseEnd(const std::string& report)
{
    const auto at = report.find("end ");
    if (at == std::string::npos) return std::nullopt;
    std::istringstream fields(report.substr(at + 4));
    StepEnd end;
    long userUs = 0;
    long systemUs = 0;
    long maxRssKb = 0;
    long wallUs = 0;
    if (!(fields >> end.status >> userUs >> systemUs >> maxRssKb >> wallUs)) return std::nullopt;
    end.cpuSeconds = static_cast<double>(userUs + systemUs) / 1e6;
    end.peakRssMb = static_cast<double>(maxRssKb) / 1024.0;
    end.wallMs = static_cast<double>(wallUs) / 1e3;
    return end;
}

}   // namespace

std::string ProcessOutcome::describe() const
{
    if (timedOut) return "timed out";
    if (signal != 0) return fmt::format("killed by signal {} ({})", signal, strsignal(signal));
    return fmt::format("exit code {}", exitCode);
}

Result<ChildProcess> ChildProcess::spawn(const ProcessSpec& spec)
{
    std::vector<std::string> arguments{"/proc/self/exe", "--launch"};
    arguments.insert(arguments.end(), spec.argv.begin(), spec.argv.end());
    std::vector<std::string> environment = childEnvironment(spec.environment);
    // Everything the child needs is prepared before fork: after it, only async-signal-safe calls.
    std::vector<char*> argv = pointers(arguments);
    std::vector<char*> envp = pointers(environment);
    const int log = ::open(spec.log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log < 0) return fail(ErrorCode::Io, fmt::format("{}: {}", spec.log.string(), std::strerror(errno)));
    int resultFds[2] = {-1, -1};
    int reportFds[2] = {-1, -1};
    const auto closeAll = [&] {
        for (int fd : {log, resultFds[0], resultFds[1], reportFds[0], reportFds[1]}) {
            if (fd >= 0) ::close(fd);
        }
    };
    if ((spec.resultPipe && ::pipe2(resultFds, O_CLOEXEC) != 0) || ::pipe2(reportFds, O_CLOEXEC) != 0) {
        closeAll();
        return fail(ErrorCode::Io, fmt::format("pipe: {}", std::strerror(errno)));
    }
    const auto started = std::chrono::steady_clock::now();
    const pid_t launcher = ::fork();
    if (launcher < 0) {
        closeAll();
        return fail(ErrorCode::Io, fmt::format("fork: {}", std::strerror(errno)));
    }
    if (launcher == 0) {
        const int devNull = ::open("/dev/null", O_RDONLY);
        ::dup2(devNull, 0);
        ::dup2(log, 1);
        ::dup2(log, 2);
        ::dup2(reportFds[1], kReportFd);
        if (spec.resultPipe) ::dup2(resultFds[1], kResultFd);
        else ::close(kResultFd);
        ::close_range(kReportFd + 1, ~0U, 0);
        ::execve(argv[0], argv.data(), envp.data());
        const char message[] = "kohtaamo-bench: exec of the launcher failed\n";
        [[maybe_unused]] const auto written = ::write(2, message, sizeof message - 1);
        ::_exit(127);
    }
    ::close(log);
    ::close(reportFds[1]);
    if (spec.resultPipe) ::close(resultFds[1]);
    // glibc 2.36 declares pidfd_open without C linkage, so the system call is made directly.
    const int pidFd = static_cast<int>(::syscall(SYS_pidfd_open, launcher, 0));
    ChildProcess child(launcher, -1, pidFd, spec.resultPipe ? resultFds[0] : -1, reportFds[0], started);
    std::string report;
    if (!readLineInto(reportFds[0], report, std::chrono::steady_clock::now() + kLauncherStart) ||
        !report.starts_with("pid ")) {
        return fail(ErrorCode::Io, fmt::format("the launcher of {} did not start it{}", spec.argv.front(),
                                               report.empty() ? "" : ": " + report));
    }
    child.m_pid = static_cast<pid_t>(std::strtol(report.c_str() + 4, nullptr, 10));
    child.m_report = report.substr(report.find('\n') + 1);   // a quick step's end may have come along
    return child;
}

int launch(int argc, char** argv)
{
    if (argc < 3) return 2;
    ::fcntl(kReportFd, F_SETFD, FD_CLOEXEC);
    const pid_t launcher = ::getpid();
    const auto started = std::chrono::steady_clock::now();
    const pid_t pid = ::fork();
    if (pid < 0) return 1;
    if (pid == 0) {
        // The step never outlives its launcher, so a bench that gives up leaves nothing running.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != launcher) ::_exit(1);
        ::execve(argv[2], argv + 2, environ);
        const char message[] = "kohtaamo-bench: exec failed\n";
        [[maybe_unused]] const auto written = ::write(2, message, sizeof message - 1);
        ::_exit(127);
    }
    ::dprintf(kReportFd, "pid %d\n", pid);
    int status = 0;
    rusage usage{};
    while (::wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
    }
    const auto wall = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
    const auto micros = [](const timeval& value) { return static_cast<long>(value.tv_sec) * 1'000'000 + value.tv_usec; };
    ::dprintf(kReportFd, "end %d %ld %ld %ld %ld\n", status, micros(usage.ru_utime), micros(usage.ru_stime),
              usage.ru_maxrss, static_cast<long>(wall.count()));
    return 0;
}

ChildProcess::ChildProcess(pid_t launcher, pid_t pid, int pidFd, int resultFd, int reportFd,
                           std::chrono::steady_clock::time_point started)
    : m_launcher(launcher), m_pid(pid), m_pidFd(pidFd), m_resultFd(resultFd), m_reportFd(reportFd), m_started(started)
{
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : m_launcher(std::exchange(other.m_launcher, -1)), m_pid(std::exchange(other.m_pid, -1)),
      m_pidFd(std::exchange(other.m_pidFd, -1)), m_resultFd(std::exchange(other.m_resultFd, -1)),
      m_reportFd(std::exchange(other.m_reportFd, -1)), m_report(std::move(other.m_report)), m_buffer(std::move(other.m_buffer)),
      m_started(other.m_started)
{
}

ChildProcess::~ChildProcess()
{
    if (m_launcher > 0) {
        if (m_pid > 0) ::kill(m_pid, SIGKILL);
        ::kill(m_launcher, SIGKILL);   // the step has PR_SET_PDEATHSIG too
        ::waitpid(m_launcher, nullptr, 0);
    }
    for (int fd : {m_pidFd, m_resultFd, m_reportFd}) {
        if (fd >= 0) ::close(fd);
    }
}

void ChildProcess::sendSignal(int signal) const
{
    if (m_pid > 0) ::kill(m_pid, signal);
}

double ChildProcess::cpuSecondsSoFar() const
{
    std::ifstream stat(fmt::format("/proc/{}/stat", m_pid));
    std::string line;
    if (!std::getline(stat, line)) return 0;
    // Fields after the command name, which ends with the last ')': state is field 3, utime 14, stime 15.
    std::istringstream fields(line.substr(line.rfind(')') + 2));
    std::string field;
    double ticks = 0;
    for (int index = 3; index <= 15 && fields >> field; ++index) {
        if (index == 14 || index == 15) ticks += std::strtod(field.c_str(), nullptr);
    }
    return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

std::optional<std::string> ChildProcess::readLine(std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (m_resultFd >= 0) {
        if (const auto newline = m_buffer.find('\n'); newline != std::string::npos) {
            std::string line = m_buffer.substr(0, newline);
            m_buffer.erase(0, newline + 1);
            return line;
        }
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        pollfd poll{m_resultFd, POLLIN, 0};
        if (::poll(&poll, 1, static_cast<int>(left.count())) <= 0) continue;
        char chunk[4096];
        const auto got = ::read(m_resultFd, chunk, sizeof chunk);
        if (got <= 0) return std::nullopt;
        m_buffer.append(chunk, static_cast<std::size_t>(got));
    }
    return std::nullopt;
}

ProcessOutcome ChildProcess::wait(std::chrono::milliseconds timeout)
{
    ProcessOutcome outcome;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    // Read fd 3 while waiting, so a chatty child never blocks on a full pipe.
    while (m_pidFd >= 0) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            outcome.timedOut = true;
            ::kill(m_pid, SIGKILL);   // the launcher then reports and exits
            break;
        }
        pollfd polls[2] = {{m_pidFd, POLLIN, 0}, {m_resultFd, POLLIN, 0}};
        if (::poll(polls, m_resultFd >= 0 ? 2 : 1, static_cast<int>(left.count())) < 0 && errno != EINTR) break;
        if (m_resultFd >= 0 && (polls[1].revents & (POLLIN | POLLHUP))) {
            char chunk[4096];
            const auto got = ::read(m_resultFd, chunk, sizeof chunk);
            if (got > 0)
                m_buffer.append(chunk, static_cast<std::size_t>(got));
            else
                ::close(std::exchange(m_resultFd, -1));
        }
        if (polls[0].revents & POLLIN) break;
    }
    int status = 0;
    rusage usage{};
    while (::wait4(m_launcher, &status, 0, &usage) < 0 && errno == EINTR) {
    }
    outcome.wallMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - m_started).count();
    outcome.cpuSeconds = seconds(usage.ru_utime) + seconds(usage.ru_stime);
    outcome.peakRssMb = static_cast<double>(usage.ru_maxrss) / 1024.0;
    m_launcher = -1;
    m_pid = -1;
    // The step's own figures, from its launcher (which has exited, so the report is complete).
    std::string report = std::move(m_report);
    readLineInto(m_reportFd, report, std::chrono::steady_clock::now() + std::chrono::seconds{1});
    if (const auto end = parseEnd(report)) {
        status = end->status;
        outcome.cpuSeconds = end->cpuSeconds;
        outcome.peakRssMb = end->peakRssMb;
        outcome.wallMs = end->wallMs;
    }
    while (m_resultFd >= 0) {
        char chunk[4096];
        const auto got = ::read(m_resultFd, chunk, sizeof chunk);
        if (got > 0)
            m_buffer.append(chunk, static_cast<std::size_t>(got));
        else
            ::close(std::exchange(m_resultFd, -1));
    }
    if (WIFEXITED(status)) outcome.exitCode = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) outcome.signal = WTERMSIG(status);
    outcome.result = std::move(m_buffer);
    return outcome;
}

Result<ProcessOutcome> runProcess(const ProcessSpec& spec, std::chrono::milliseconds timeout)
{
    auto child = ChildProcess::spawn(spec);
    if (!child) return std::unexpected(child.error());
    return child->wait(timeout);
}

std::optional<std::filesystem::path> findOnPath(std::string_view name)
{
    const char* path = std::getenv("PATH");
    std::istringstream directories(path ? path : "/usr/local/bin:/usr/bin:/bin");
    std::string directory;
    while (std::getline(directories, directory, ':')) {
        const auto candidate = std::filesystem::path(directory.empty() ? "." : directory) / name;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    return std::nullopt;
}

}   // namespace kohtaamo::bench
