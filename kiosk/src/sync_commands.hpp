#pragma once
// The sync side of the kiosk binary: the --sync-once and --status modes, and the
// background sync engine the kiosk window runs.

#include "command_line.hpp"
#include "startup.hpp"
#include "sync/sync_engine.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

namespace kohtaamo {

/// The User-Agent of every request the kiosk makes: "Kohtaamo/<version> (+kiosk)".
[[nodiscard]] std::string kioskUserAgent(std::string_view version);

/// --sync-once and --status, which need the configuration and the cache; nullopt for other modes.
/// --sync-once prints one line per source and exits 1 if any failed or was held back; --status
/// prints status.json (or, before any sync wrote it, the same document from the cache) and exits 1
/// if any source is failing.
[[nodiscard]] std::optional<int> runSyncCommand(const CommandLine& commandLine, Startup& startup,
                                                std::string_view version, std::ostream& out);

/// Starts the background sync of the configured sources (none in the demo setup: then the engine
/// only idles) on its own thread, connection and curl handle, writing <data_dir>/status.json.
/// `onApplied` runs on the sync thread after each attempt that wrote to the cache, saying whether
/// the content or only the status changed (ContentService::requestRebuild or requestStatusRefresh).
/// Keep the engine alive while the window runs; destroying it (or
/// stop()) ends the sync within about a second. Fails only when the cache cannot be opened.
[[nodiscard]] Result<std::unique_ptr<SyncEngine>> startSyncEngine(const Startup& startup, std::string_view version,
                                                                  std::function<void(CacheWrite)> onApplied);

} // namespace kohtaamo
