#pragma once
// Deterministic synthetic regions for the benchmark: the same seed gives byte-identical bundles on
// every machine (our own SplitMix64, no std:: distributions, whose output is implementation-defined).

#include "content/model.hpp"

#include <cstdint>

namespace kohtaamo::bench {

/// How big a region to make. With `targetOccurrences` set, weekly events are added until the
/// 14 days from `windowStart` hold at least that many sessions, and `events` is ignored.
struct RegionSpec {
    std::uint64_t seed = 1;
    int places = 0;
    int services = 0;
    int events = 0;
    int targetOccurrences = 0;
    int announcements = 0;
    LocalDate windowStart;
};

struct GeneratedRegion {
    SourceContent content;
    int occurrencesInWindow = 0;   ///< sessions in [windowStart, windowStart + 14 days), by construction
};

/// Places with weekly hours, drop-in blocks, seasons and exceptions; services in every category;
/// weekly (some biweekly, some ending) events with exdates, overrides and a few one-offs.
[[nodiscard]] GeneratedRegion generateRegion(const RegionSpec& spec);

}   // namespace kohtaamo::bench
