#pragma once
// --check-feed: what a feed would put on the screen, and every problem with it, before any kiosk
// is pointed at it. For staff checking their calendar and IT checking a catalogue area.

#include "command_line.hpp"

#include <ostream>
#include <string_view>

namespace kohtaamo {

/// --check-feed KIND FILE|URL|CONFIG: fetches the feed exactly as a sync would, applies it to a
/// private in-memory cache only, and prints counts, the places with their next opening hours, the
/// next occurrences and every problem with its location. Needs no cache.
/// - bundle, ical: FILE or URL; with --config, a configured source with that URL lends its settings.
/// - linkedevents: the event-list URL (filters included); with --config, likewise.
/// - ptv: the kiosk CONFIG file; each of its `kind = "ptv"` sources is checked (the area and filters
///   live there), always with a full fetch.
/// Returns the exit code: 0 for a clean feed, 1 when it has problems or cannot be used.
[[nodiscard]] int runCheckFeed(const CommandLine& commandLine, std::string_view version, std::ostream& out);

} // namespace kohtaamo
