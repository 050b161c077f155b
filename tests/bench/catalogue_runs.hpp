#pragma once
// Measurements of the catalogue sources (PTV, Linked Events) through the real SyncEngine: each
// generated region is served on loopback by this (the parent) process, and a child step syncs it,
// first in full into a fresh cache, then again and again with nothing changed upstream.

#include "report.hpp"
#include "step_runner.hpp"

#include <filesystem>
#include <vector>

namespace kohtaamo::bench {

struct CatalogueRuns {
    std::filesystem::path work;   ///< scratch for the caches
    int fullRuns = 3;             ///< first syncs into fresh caches (median)
    int noChangeSyncs = 30;       ///< then this many in a row against the last of them
};

/// A generated municipality and a large region served by FakePtv: "PTV first sync (full)" and
/// "PTV no-change sync (incremental)" for each.
[[nodiscard]] std::vector<Row> measurePtvSync(const StepRunner& steps, const CatalogueRuns& runs);

/// A generated event list of realistic and large size served page by page by FaultServer: "Linked
/// Events first sync (full)" and "Linked Events no-change sync (incremental)" for each.
[[nodiscard]] std::vector<Row> measureLinkedEventsSync(const StepRunner& steps, const CatalogueRuns& runs);

}   // namespace kohtaamo::bench
