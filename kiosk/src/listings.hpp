#pragma once
// Text output of the command-line modes, for staff, IT and tests: TSV listings and the home
// screen's content as plain text.

#include "content/snapshot.hpp"
#include "sync/kiosk_config.hpp"

#include <ostream>

namespace kohtaamo {

/// source, upstream id, start, end (ISO 8601 with offset), status, Finnish title; sorted by start.
void listEvents(const Snapshot& snapshot, Instant from, Instant to, std::ostream& out);

/// place id, start, end (ISO 8601 with offset), kind (regular / exception / drop-in), note.
void listOpenings(const Snapshot& snapshot, Instant from, Instant to, std::ostream& out);

/// What the home screen shows at `now`: open now, next drop-in times, today's events, announcements.
void printHome(const Snapshot& snapshot, const SiteConfig& site, std::string_view language, Instant now,
               std::ostream& out);

/// Each line of `text` with `indent` in front (multi-line error messages under a heading).
void printIndented(std::ostream& out, std::string_view text, std::string_view indent);

} // namespace kohtaamo
