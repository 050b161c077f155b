#pragma once
// Our own content bundle format (content/bundle-format.md): reading with full validation, and writing.

#include "content/error.hpp"
#include "content/model.hpp"

#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace kohtaamo {

/// One thing wrong with a bundle, located by a JSON path such as `$.events[12].schedule.rrule`.
struct BundleProblem {
    std::string path;
    std::string message;
    bool operator==(const BundleProblem&) const = default;
};

/// Parses and validates a whole bundle. On success every record carries `sourceId` and its id as
/// provenance. On failure returns every problem found (not just the first) and no content, so a
/// broken bundle can never be half-applied. Texts are sanitised (control and bidi-override
/// characters removed, trimmed, capped) as documented in bundle-format.md.
[[nodiscard]] std::expected<SourceContent, std::vector<BundleProblem>> readBundle(std::string_view jsonText,
                                                                                std::string_view sourceId);

/// Writes content as a version 1 bundle; readBundle(writeBundle(c)) gives back `c` (less provenance).
[[nodiscard]] std::string writeBundle(const SourceContent& content);

/// A record from another format (iCalendar, PTV, Linked Events) held to a bundle's rules without
/// any JSON text between: encoded and decoded by the bundle codec in memory, so it comes back exactly
/// as readBundle(writeBundle(…)) would give it (texts sanitised and capped) but at a fraction of
/// the cost. Returns the record as the store will keep it, provenance unchanged, or everything wrong
/// with it, with paths below `path` (e.g. "$.services[12]"). Rules across records (unique ids,
/// references, parent chains) are the caller's: see parentLoops.
[[nodiscard]] std::expected<Place, std::vector<BundleProblem>> conformRecord(const Place& place, const std::string& path);
[[nodiscard]] std::expected<Service, std::vector<BundleProblem>> conformRecord(const Service& service, const std::string& path);
[[nodiscard]] std::expected<Event, std::vector<BundleProblem>> conformRecord(const Event& event, const std::string& path);
[[nodiscard]] std::expected<Announcement, std::vector<BundleProblem>> conformRecord(const Announcement& announcement,
                                                                                   const std::string& path);

/// A place whose parent chain leads back to itself, which would send anything that walks up the
/// chain round forever.
struct ParentLoop {
    std::size_t place;       ///< index in the list
    BundleProblem problem;   ///< at "$.places[i].parent", naming the chain
};
/// Each place on a parent loop. Parents not in `places` end a chain.
[[nodiscard]] std::vector<ParentLoop> parentLoops(const std::vector<Place>& places);

/// One Error whose message lists every problem as "FILE: PATH: MESSAGE", one per line.
[[nodiscard]] Error bundleError(std::string_view fileName, const std::vector<BundleProblem>& problems);

} // namespace kohtaamo
