#pragma once

#include "content/time.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace kohtaamo {

/// What a source is and how its last sync went (the sync engine writes the status part).
struct SourceState {
    std::string id;
    std::string kind;
    std::string url;
    std::optional<Instant> appliedAt;     ///< when its content was last replaced
    std::size_t itemCount = 0;
    std::string etag;
    std::string lastModified;
    std::optional<Instant> lastAttempt;
    std::optional<Instant> lastSuccess;
    int httpStatus = 0;
    std::int64_t bytes = 0;
    std::int64_t durationMs = 0;
    std::string error;                    ///< empty after a successful attempt
    bool operator==(const SourceState&) const = default;
};

} // namespace kohtaamo
