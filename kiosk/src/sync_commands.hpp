#pragma once
// The sync side of the kiosk binary: the --sync-once, --check-feed and --status modes, and the
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

/// --check-feed KIND FILE|URL: downloads (or reads) the feed, parses and validates it exactly as a
/// sync would, applies it to a private in-memory cache only, and prints counts, the next
/// occurrences and every problem with its location. Needs no cache and no config (with --config,
/// an ical feed whose URL is a configured source's uses that source's settings). Returns the exit
/// code: 0 for a clean feed, 1 when it has problems or cannot be used.
[[nodiscard]] int runCheckFeed(const CommandLine& commandLine, std::string_view version, std::ostream& out);

/// --sync-once and --status, which need the configuration and the cache; nullopt for other modes.
/// --sync-once prints one line per source and exits 1 if any failed or was held back; --status
/// prints status.json (or, before any sync wrote it, the same document from the cache) and exits 1
/// if any source is failing.
[[nodiscard]] std::optional<int> runSyncCommand(const CommandLine& commandLine, Startup& startup,
                                                std::string_view version, std::ostream& out);

/// Starts the background sync of the configured sources (none in the demo setup: then the engine
/// only idles) on its own thread, connection and curl handle, writing <data_dir>/status.json.
/// `onApplied` runs on the sync thread after each attempt that changed the cache; pass
/// ContentService::requestRebuild. Keep the engine alive while the window runs; destroying it (or
/// stop()) ends the sync within about a second. Fails only when the cache cannot be opened.
[[nodiscard]] Result<std::unique_ptr<SyncEngine>> startSyncEngine(const Startup& startup, std::string_view version,
                                                                  std::function<void()> onApplied);

} // namespace kohtaamo
