#pragma once
// Start-up wiring shared by the window and the command-line modes: configuration, the cache, and
// the bundled demo region for a kiosk without a config.

#include "command_line.hpp"
#include "content/content_store.hpp"
#include "sync/kiosk_config.hpp"
#include "sync/sync_status.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace kohtaamo {

struct Startup {
    KioskConfig config;
    std::filesystem::path assetsDir;
    std::filesystem::path cacheFile;     ///< DATA_DIR/cache.sqlite, or the temporary fallback (see openCache)
    ContentStore store;
    std::vector<std::string> warnings;   ///< config problems and the like: logged, never fatal
    CacheStatus cache;                   ///< a damaged cache moved aside, a fallback in use: staff panel, status
};

/// Reads the config (or takes the demo default), opens the cache in the data directory (moving a
/// damaged one aside, or falling back to temporary storage: see openCache), and with
/// no config loads the bundled demo region into an empty cache. With a config, sources that are no
/// longer configured are removed so the kiosk shows exactly what is configured.
[[nodiscard]] Result<Startup> startUp(const CommandLine& commandLine);

/// The demo region's source id, used when there is no config file.
inline constexpr std::string_view kDemoSourceId = "demo";

} // namespace kohtaamo
