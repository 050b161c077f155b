#pragma once
// Tells systemd and IT monitoring that the kiosk is really drawing: READY after the first presented
// frame, WATCHDOG pings only after presented frames (so a hung renderer is restarted), and a
// Prometheus textfile-collector file written atomically at least once a minute.

#include "content/snapshot.hpp"

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

namespace kohtaamo {

class HealthReporter {
public:
    /// `promFile` empty: no metrics file. systemd notification is used only when NOTIFY_SOCKET is set.
    HealthReporter(std::filesystem::path promFile, std::string version);

    /// After every presented frame.
    void framePresented(Instant now);
    /// With the content on screen; writes the metrics file when a minute has passed since the last.
    void update(const Snapshot& snapshot, bool screenOn, Instant now);
    /// How long the frame loop may wait before it must present again to keep the watchdog fed.
    [[nodiscard]] std::optional<std::chrono::milliseconds> watchdogInterval() const { return m_watchdogInterval; }

private:
    void writeMetrics(const Snapshot& snapshot, bool screenOn, Instant now);
    std::filesystem::path m_promFile;
    std::string m_version;
    bool m_ready = false;
    std::optional<std::chrono::milliseconds> m_watchdogInterval;
    std::optional<Instant> m_lastFrame;
    std::optional<Instant> m_lastWrite;
};

/// The metrics text (Prometheus exposition format), separated out for tests.
[[nodiscard]] std::string metricsText(const Snapshot& snapshot, bool screenOn, Instant lastFrame, Instant now,
                                      std::string_view version, std::int64_t residentBytes);

} // namespace kohtaamo
