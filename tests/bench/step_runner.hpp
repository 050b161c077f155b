#pragma once
// Runs one measured step, `kohtaamo-bench --child NAME ARGS…`, in its own process and reads the
// JSON object it answers with on fd 3.

#include "child_process.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace kohtaamo::bench {

/// What a step answered, and what its process cost (wall time, CPU, peak RSS from wait4).
struct StepAnswer {
    nlohmann::json result;
    ProcessOutcome outcome;
};

/// Copyable; see ChildProcess for forking from a parent with threads.
class StepRunner {
public:
    StepRunner(std::filesystem::path self, std::filesystem::path log, std::chrono::milliseconds timeout)
        : m_self(std::move(self)), m_log(std::move(log)), m_timeout(timeout)
    {
    }

    /// Fails with a sentence naming the step and the log when the child cannot start, fails, times
    /// out or answers nothing.
    [[nodiscard]] Result<StepAnswer> run(const std::string& name, const std::vector<std::string>& arguments) const;
    /// Where children's stdout and stderr go.
    [[nodiscard]] const std::filesystem::path& log() const { return m_log; }

private:
    std::filesystem::path m_self;
    std::filesystem::path m_log;
    std::chrono::milliseconds m_timeout;
};

}   // namespace kohtaamo::bench
