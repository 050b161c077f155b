#pragma once
// Measurements of the real kiosk binary as a separate process: start to first frame, and idle CPU
// under a virtual X server.

#include "report.hpp"

#include <filesystem>
#include <string>

namespace kohtaamo::bench {

struct KioskBinary {
    std::filesystem::path path;
    std::filesystem::path log;   ///< the kiosk's (and Xvfb's) stdout and stderr
};

/// Wall time from fork to exit of `--first-frame-exit` under SDL's offscreen driver, median of
/// `runs` after one uncounted run (which, as on a real kiosk without config, loads the bundled demo
/// into the cache if it is not there yet).
[[nodiscard]] Row measureFirstFrame(const KioskBinary& kiosk, const std::filesystem::path& dataDir,
                                    const std::string& dataset, int runs);

/// CPU of the windowed kiosk on Xvfb over `seconds`, then SIGTERM; (utime + stime) / seconds.
/// Skipped, never estimated, when Xvfb is not installed.
[[nodiscard]] Row measureIdle(const KioskBinary& kiosk, const std::filesystem::path& dataDir,
                              const std::string& dataset, int seconds);

}   // namespace kohtaamo::bench
