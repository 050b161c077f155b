#pragma once
// The kiosk's TOML configuration (/etc/kohtaamo/kiosk.toml): this site's identity, where the cache
// lives, and the sources to sync. Parsing never throws; every problem names file, line and key.

#include "content/error.hpp"
#include "content/localized_text.hpp"
#include "content/time.hpp"

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kohtaamo {

/// One `[[source]]` table. Kind-specific keys are kept as text in `settings` for the adapter.
/// PTV's production API (Open API v11): a `ptv` source without a url uses it.
inline constexpr std::string_view kPtvProductionApi = "https://api.palvelutietovaranto.suomi.fi/api/v11";

struct SourceConfig {
    std::string id;
    std::string kind;   ///< "bundle", "ical", "ptv", "linkedevents"
    std::string url;    ///< https://, http:// or file://
    std::chrono::seconds interval{3600};
    std::map<std::string, std::string, std::less<>> settings;
};

struct SiteConfig {
    std::string placeId;                 ///< "this place" on the home screen; empty = none
    std::string defaultLanguage = "fi";
    std::vector<std::string> languages{"fi", "sv", "en", "uk", "ru"};
    LanguageOrder fallback{"fi", "sv", "en"};
};

/// Display settings for the device.
struct DisplayConfig {
    int rotation = 0;   ///< 0, 90, 180 or 270 degrees clockwise
};

/// `[night]`: the screen is dark from screen_off until screen_on (local time) unless touched.
struct NightConfig {
    TimeOfDay screenOff;
    TimeOfDay screenOn;
};

/// The hidden staff panel. The PIN is stored as "sha256:SALT:HEX" (HEX = SHA-256 of SALT followed
/// by the PIN), never in clear text; no hash means the panel cannot be opened.
struct StaffConfig {
    std::string pinHash;
    bool allowExit = false;
};

/// `[sync]`: defaults for every source; a `[[source]]` may override each with the same key.
struct SyncSettings {
    double minFraction = 0.5;                  ///< min_fraction: hold back a feed that shrinks below this share (0 = off)
    std::size_t maxItems = 20'000;             ///< max_items per source
    std::size_t maxBytes = 32 * 1024 * 1024;   ///< max_megabytes per download
    std::string caBundle;                      ///< ca_bundle: empty = the system CA store
};

struct KioskConfig {
    std::filesystem::path file;          ///< where it was read from; empty for the built-in default
    std::filesystem::path dataDir;       ///< empty = the platform default
    std::filesystem::path metricsFile;   ///< Prometheus textfile; empty = <dataDir>/kohtaamo.prom
    SiteConfig site;
    std::vector<SourceConfig> sources;
    std::chrono::seconds idleTimeout{90};
    DisplayConfig display;
    std::optional<NightConfig> night;
    StaffConfig staff;
    SyncSettings sync;
};

/// What was wrong in a config file, located as precisely as TOML allows.
struct ConfigProblem {
    std::string message;   ///< "kiosk.toml:12: source[1].url: "ftp://x" is not http(s) or file"
};

/// Parses config text. Problems in single keys are reported and that key falls back to its default,
/// so a kiosk with a typo still starts on its cache; a syntax error yields the defaults and a problem.
struct ConfigResult {
    KioskConfig config;
    std::vector<ConfigProblem> problems;
};
[[nodiscard]] ConfigResult parseKioskConfig(std::string_view text, const std::filesystem::path& file);
/// Reads and parses a file; a missing or unreadable file is a problem too.
[[nodiscard]] ConfigResult loadKioskConfig(const std::filesystem::path& file);

} // namespace kohtaamo
