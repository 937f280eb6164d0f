#pragma once

#include <string>
#include <utility>
#include <vector>

#include "engine/report/across_runs.h"
#include "engine/store/run_store.h"

namespace bt::store {

/// Stored runs of the same settings but their seeds, summarised per method (report::acrossRuns):
/// what `bilevel-tuner-cli aggregate` prints and the app's Runs view shows.
struct RunsAcrossSeeds {
    std::vector<RunInfo> runs; ///< oldest first (created, then id), each once
    /// Each seed key that differs, with every run's value (config::seedDifferences).
    std::vector<std::pair<std::string, std::vector<std::string>>> seeds;
    std::vector<report::MethodAcrossRuns> methods;

    /// report::acrossRunsTable of the above.
    report::AcrossRunsTable table() const;
};

/// Reads the runs `idsOrPrefixes` name (every one looked up before anything else) and their
/// results as stored (store::storedResults).
/// @throws core::InputError  under `where`: fewer than two runs, or runs that differ in a key
///         that is not a seed (each named with both values)
/// @throws StoreError  UnknownRun, and the store's other errors
RunsAcrossSeeds runsAcrossSeeds(const RunStore& store,
                                const std::vector<std::string>& idsOrPrefixes,
                                const std::string& where);

/// Every run `idsOrPrefixes` names, each once, in the order given.
/// @throws StoreError UnknownRun  for the first that names none (or several)
std::vector<RunInfo> runsNamed(const RunStore& store,
                               const std::vector<std::string>& idsOrPrefixes);

} // namespace bt::store
