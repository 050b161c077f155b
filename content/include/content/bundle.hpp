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

/// One Error whose message lists every problem as "FILE: PATH: MESSAGE", one per line.
[[nodiscard]] Error bundleError(std::string_view fileName, const std::vector<BundleProblem>& problems);

} // namespace kohtaamo
