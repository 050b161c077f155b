#include "step_runner.hpp"

#include <fmt/format.h>

namespace kohtaamo::bench {

Result<StepAnswer> StepRunner::run(const std::string& name, const std::vector<std::string>& arguments) const
{
    ProcessSpec spec{.argv = {m_self.string(), "--child", name}, .log = m_log, .resultPipe = true};
    spec.argv.insert(spec.argv.end(), arguments.begin(), arguments.end());
    auto ran = runProcess(spec, m_timeout);
    if (!ran) return std::unexpected(ran.error());
    if (!ran->ok()) {
        return fail(ErrorCode::Io, fmt::format("{} step failed ({}); see {}", name, ran->describe(), m_log.string()));
    }
    auto parsed = nlohmann::json::parse(ran->result, nullptr, false);
    if (parsed.is_discarded()) {
        return fail(ErrorCode::InvalidInput, fmt::format("{} step wrote no result; see {}", name, m_log.string()));
    }
    return StepAnswer{std::move(parsed), std::move(*ran)};
}

}   // namespace kohtaamo::bench
