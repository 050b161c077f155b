// kohtaamo-kiosk: wires configuration → cache → (sync) → UI. Each mode below is a few lines; the
// work lives in the modules.

#include "app/kiosk_mode.hpp"
#include "app/staff_pin.hpp"
#include "check_feed.hpp"
#include "command_line.hpp"
#include "listings.hpp"
#include "startup.hpp"
#include "sync_commands.hpp"

#include <fmt/format.h>

#include <iostream>

using namespace kohtaamo;

namespace {

Instant currentTime(const CommandLine& commandLine)
{
    return commandLine.now.value_or(systemNow());
}

int reportError(const Error& error)
{
    fmt::print(stderr, "kohtaamo-kiosk: {}\n", error.message);
    return error.code == ErrorCode::InvalidInput ? 2 : 1;
}

} // namespace

int main(int argc, char** argv)
{
    // 1. What to do.
    auto commandLine = parseCommandLine(std::vector<std::string>(argv + 1, argv + argc));
    if (!commandLine) return reportError(commandLine.error());
    if (commandLine->mode == Mode::Help) return fmt::print("{}", usage()), 0;
    if (commandLine->mode == Mode::Version) return fmt::print("kohtaamo-kiosk {}\n", KOHTAAMO_VERSION), 0;
    if (commandLine->mode == Mode::HashPin) return fmt::print("{}\n", hashPin(commandLine->pin)), 0;
    // Checking a feed never touches the cache, so it runs before the cache is opened.
    if (commandLine->mode == Mode::CheckFeed) return runCheckFeed(*commandLine, KOHTAAMO_VERSION, std::cout);

    // 2. Configuration and the offline cache (with the demo region when there is no config).
    auto startup = startUp(*commandLine);
    if (!startup) return reportError(startup.error());
    for (const auto& warning : startup->warnings) fmt::print(stderr, "kohtaamo-kiosk: {}\n", warning);
    if (auto exitCode = runSyncCommand(*commandLine, *startup, KOHTAAMO_VERSION, std::cout)) return *exitCode;

    // 3. The touch UI (or one headless frame of it) runs on its own snapshots.
    if (commandLine->mode == Mode::Kiosk || commandLine->mode == Mode::Screenshot) {
        return runKioskWindow(*commandLine, *startup, KOHTAAMO_VERSION);
    }

    // 4. The text modes read one immutable snapshot covering what they show.
    const Instant now = currentTime(*commandLine);
    const bool listing = commandLine->mode == Mode::ListEvents || commandLine->mode == Mode::ListOpenings;
    const SnapshotWindow window = listing ? SnapshotWindow{commandLine->rangeFrom, commandLine->rangeTo}
                                          : SnapshotWindow::around(now);
    auto snapshot = startup->store.buildSnapshot(window);
    if (!snapshot) return reportError(snapshot.error());
    for (const auto& problem : (*snapshot)->problems()) fmt::print(stderr, "kohtaamo-kiosk: {}\n", problem);

    // 5. The text mode itself.
    const std::string language =
        commandLine->language.empty() ? startup->config.site.defaultLanguage : commandLine->language;
    switch (commandLine->mode) {
    case Mode::ListEvents:
        listEvents(**snapshot, commandLine->rangeFrom, commandLine->rangeTo, std::cout);
        break;
    case Mode::ListOpenings:
        listOpenings(**snapshot, commandLine->rangeFrom, commandLine->rangeTo, std::cout);
        break;
    default:
        printHome(**snapshot, startup->config.site, language, now, std::cout);
        break;
    }
    return 0;
}
