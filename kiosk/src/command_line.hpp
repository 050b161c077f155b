#pragma once
// Parsing of kohtaamo-kiosk's command line. Pure: no I/O, testable without a display.

#include "content/error.hpp"
#include "content/time.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kohtaamo {

enum class Mode { Kiosk, Screenshot, ListEvents, ListOpenings, PrintHome, HashPin, Version, Help, SyncOnce, CheckFeed, Status };

struct CommandLine {
    Mode mode = Mode::Kiosk;
    std::optional<std::filesystem::path> configFile;
    std::optional<std::filesystem::path> dataDir;
    std::optional<std::filesystem::path> assetsDir;
    std::optional<Instant> now;
    std::string language;
    Instant rangeFrom{};
    Instant rangeTo{};

    // The window, and what a headless screenshot shows.
    bool windowed = false;
    std::optional<std::pair<int, int>> size;     ///< WxH
    std::optional<int> rotation;
    bool softwareRenderer = false;
    bool exitAfterFirstFrame = false;            ///< --first-frame-exit (start-up benchmark)
    std::filesystem::path screenshotFile;
    std::string screen = "home";                 ///< home|events|dropin|services|detail|search|staff
    std::string item;                            ///< the detail screen's place, service or event id
    std::string search;                          ///< text typed on the search screen
    float textScale = 1.0f;
    bool highContrast = false;
    std::string pin;                             ///< --hash-pin
    std::string feedKind;                        ///< --check-feed KIND (bundle, ical, linkedevents, ptv)
    std::string feedTarget;                      ///< --check-feed FILE|URL|CONFIG
};

/// Parses argv (without argv[0]). Times are ISO 8601, Europe/Helsinki unless they carry an offset.
[[nodiscard]] Result<CommandLine> parseCommandLine(const std::vector<std::string>& arguments);

[[nodiscard]] std::string usage();

} // namespace kohtaamo
