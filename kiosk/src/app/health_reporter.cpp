#include "health_reporter.hpp"

#include <fmt/format.h>
#include <systemd/sd-daemon.h>

#include <cstdio>
#include <fstream>
#include <unistd.h>

namespace kohtaamo {
namespace {

std::int64_t residentBytes()
{
    // statm's second field is resident pages.
    std::ifstream statm("/proc/self/statm");
    long size = 0;
    long resident = 0;
    statm >> size >> resident;
    return static_cast<std::int64_t>(resident) * sysconf(_SC_PAGESIZE);
}

std::int64_t seconds(Instant t) { return t.time_since_epoch().count(); }

// Label values escape backslash, quote and newline.
std::string label(std::string_view value)
{
    std::string escaped;
    for (char c : value) {
        if (c == '\\' || c == '"') escaped += '\\';
        escaped += c == '\n' ? 'n' : c;
    }
    return escaped;
}

} // namespace

HealthReporter::HealthReporter(std::filesystem::path promFile, std::string version)
    : m_promFile(std::move(promFile)), m_version(std::move(version))
{
    std::uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
        // Ping at half the configured WatchdogSec, as systemd recommends.
        m_watchdogInterval = std::chrono::milliseconds{usec / 2000};
    }
}

void HealthReporter::framePresented(Instant now)
{
    m_lastFrame = now;
    if (!m_ready) {
        sd_notify(0, "READY=1\nSTATUS=Showing content");
        m_ready = true;
    }
    if (m_watchdogInterval) sd_notify(0, "WATCHDOG=1");
}

void HealthReporter::update(const Snapshot& snapshot, bool screenOn, Instant now)
{
    if (m_promFile.empty()) return;
    if (m_lastWrite && now - *m_lastWrite < std::chrono::minutes{1} && now >= *m_lastWrite) return;
    m_lastWrite = now;
    writeMetrics(snapshot, screenOn, now);
}

void HealthReporter::writeMetrics(const Snapshot& snapshot, bool screenOn, Instant now)
{
    const std::string text = metricsText(snapshot, screenOn, m_lastFrame.value_or(now), now, m_version, residentBytes());
    // node-exporter must never read half a file: write beside it, then rename over it.
    const auto temporary = m_promFile.string() + ".tmp";
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << text;
        if (!out.flush()) return;
    }
    std::rename(temporary.c_str(), m_promFile.c_str());
}

std::string metricsText(const Snapshot& snapshot, bool screenOn, Instant lastFrame, Instant now,
                        std::string_view version, std::int64_t resident)
{
    std::string text;
    text += "# HELP kohtaamo_build_info Kohtaamo version.\n# TYPE kohtaamo_build_info gauge\n";
    text += fmt::format("kohtaamo_build_info{{version=\"{}\"}} 1\n", label(version));
    text += "# HELP kohtaamo_last_frame_timestamp_seconds When a frame was last presented.\n"
            "# TYPE kohtaamo_last_frame_timestamp_seconds gauge\n";
    text += fmt::format("kohtaamo_last_frame_timestamp_seconds {}\n", seconds(lastFrame));
    text += "# HELP kohtaamo_screen_on 1 while the screen shows content, 0 at night.\n"
            "# TYPE kohtaamo_screen_on gauge\n";
    text += fmt::format("kohtaamo_screen_on {}\n", screenOn ? 1 : 0);
    const auto updated = snapshot.lastUpdated();
    text += "# HELP kohtaamo_content_age_seconds Seconds since any source last updated the content.\n"
            "# TYPE kohtaamo_content_age_seconds gauge\n";
    text += fmt::format("kohtaamo_content_age_seconds {}\n", updated ? seconds(now) - seconds(*updated) : -1);
    text += "# HELP kohtaamo_source_last_success_timestamp_seconds Last successful sync per source.\n"
            "# TYPE kohtaamo_source_last_success_timestamp_seconds gauge\n";
    for (const SourceState& source : snapshot.sources()) {
        const auto success = source.lastSuccess ? source.lastSuccess : source.appliedAt;
        text += fmt::format("kohtaamo_source_last_success_timestamp_seconds{{source=\"{}\"}} {}\n", label(source.id),
                            success ? seconds(*success) : 0);
    }
    text += "# HELP kohtaamo_source_items Items each source provides.\n# TYPE kohtaamo_source_items gauge\n";
    for (const SourceState& source : snapshot.sources()) {
        text += fmt::format("kohtaamo_source_items{{source=\"{}\"}} {}\n", label(source.id), source.itemCount);
    }
    text += "# HELP kohtaamo_source_error 1 when the source's last attempt failed.\n# TYPE kohtaamo_source_error gauge\n";
    for (const SourceState& source : snapshot.sources()) {
        text += fmt::format("kohtaamo_source_error{{source=\"{}\"}} {}\n", label(source.id), source.error.empty() ? 0 : 1);
    }
    text += "# HELP kohtaamo_resident_memory_bytes Resident memory of the kiosk process.\n"
            "# TYPE kohtaamo_resident_memory_bytes gauge\n";
    text += fmt::format("kohtaamo_resident_memory_bytes {}\n", resident);
    return text;
}

} // namespace kohtaamo
