#include "sync/sync_status.hpp"

#include "display_url.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

namespace kohtaamo {
namespace {

using nlohmann::json;

json instantOrNull(const std::optional<Instant>& instant)
{
    return instant ? json(formatUtc(*instant)) : json(nullptr);
}

Result<void> ioError(const std::filesystem::path& file, std::string_view what)
{
    return fail(ErrorCode::Io, fmt::format("{}: {}: {}", file.string(), what, std::strerror(errno)));
}

// A file descriptor closed on every path out.
class Descriptor {
public:
    explicit Descriptor(int fd) : m_fd(fd) {}
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    ~Descriptor()
    {
        if (m_fd >= 0) ::close(m_fd);
    }
    [[nodiscard]] int get() const { return m_fd; }
    int release() { return std::exchange(m_fd, -1); }

private:
    int m_fd;
};

} // namespace

std::string statusJson(const std::vector<SourceStatus>& sources, Instant now, const CacheStatus& cache)
{
    json list = json::array();
    bool allOk = true;
    for (const auto& source : sources) {
        const SourceState& state = source.state;
        const bool ok = state.lastSuccess.has_value() && state.error.empty();
        allOk = allOk && ok;
        list.push_back({
            {"id", state.id},
            {"kind", state.kind},
            {"url", displayUrl(state.url)},
            {"ok", ok},
            {"items", state.itemCount},
            {"applied_at", instantOrNull(state.appliedAt)},
            {"last_attempt", instantOrNull(state.lastAttempt)},
            {"last_success", instantOrNull(state.lastSuccess)},
            {"content_age_seconds", state.lastSuccess ? json((now - *state.lastSuccess).count()) : json(nullptr)},
            {"http_status", state.httpStatus},
            {"bytes", state.bytes},
            {"duration_ms", state.durationMs},
            {"error", state.error},
            {"next_attempt", instantOrNull(source.nextAttempt)},
            {"consecutive_failures", source.failures},
        });
    }
    const json document = {{"generated_at", formatUtc(now)},
                           {"ok", allOk && !cache.temporary},
                           {"cache", {{"temporary", cache.temporary}, {"notices", cache.notices}}},
                           {"sources", std::move(list)}};
    return document.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

bool statusIsOk(std::string_view text)
{
    const auto document = json::parse(text, nullptr, false);
    return document.is_object() && document.value("ok", false);
}

Result<void> writeFileAtomically(const std::filesystem::path& file, std::string_view text)
{
    const auto temporary = std::filesystem::path(file).concat(fmt::format(".tmp{}", ::getpid()));
    {
        Descriptor fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
        if (fd.get() < 0) return ioError(temporary, "cannot be created");
        for (std::size_t written = 0; written < text.size();) {
            const auto n = ::write(fd.get(), text.data() + written, text.size() - written);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) {
                const auto error = ioError(temporary, "cannot be written");
                ::unlink(temporary.c_str());
                return error;
            }
            written += static_cast<std::size_t>(n);
        }
        if (::fsync(fd.get()) != 0 || ::close(fd.release()) != 0) {
            const auto error = ioError(temporary, "cannot be flushed to disk");
            ::unlink(temporary.c_str());
            return error;
        }
    }
    if (::rename(temporary.c_str(), file.c_str()) != 0) {
        const auto error = ioError(file, "cannot be replaced");
        ::unlink(temporary.c_str());
        return error;
    }
    // The rename itself is durable only once the directory is on disk too.
    const auto directory = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
    Descriptor dir(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir.get() >= 0) (void)::fsync(dir.get());
    return {};
}

} // namespace kohtaamo
