#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace bt::store {

class RunStore;

/// The whole stored run as one JSON object: run_id, name, status, message, created, updated,
/// heartbeat (ISO 8601 UTC), pid, host, seed, out_dir, config, environment, methods (the
/// result's per-method results once the run ended, else those of its method-finished events),
/// result (result.json's content, null before the run ended), samples, iterations, events (all
/// stored, each with seq, time and type), records (key, data, checkpoint).
/// @throws StoreError UnknownRun and the store's other errors
nlohmann::json exportRunJson(const RunStore& store, const std::string& runId);

/// A stored run's results as exportRunJson gives them, without its samples, iterations and
/// records: `methods` (the result's per-method results once the run ended, else those of its
/// method-finished events) and the names of λ's entries (empty for a run stored before they
/// were named). What `compare` reads of each run.
struct StoredResults {
    nlohmann::json methods;
    std::vector<std::string> lambdaNames;
    /// dataFingerprints: null for a run stored before they were kept.
    nlohmann::json data;
};
/// The run's data fingerprints (result.json's "data"), from the record the run keeps them in
/// (core::kDataRecordKey): known from the run's start, so an interrupted run has them too. Null
/// where the run has none (stored before they were kept, or never began).
/// @throws StoreError UnknownRun and the store's other errors
nlohmann::json dataFingerprints(const RunStore& store, const std::string& runId);

/// @throws StoreError UnknownRun, Corrupt for a start event that cannot be read, and the
///                    store's other errors
StoredResults storedResults(const RunStore& store, const std::string& runId);

/// Writes the run's CSV tables into `folder` with report::writeRunCsv (samples.csv, trace.csv,
/// anytime.csv, methods.csv): the stored samples and outer iterations, and the methods of
/// exportRunJson (anytime curves only once the run ended; methods by name).
/// @throws core::InputError  naming the folder or file when it cannot be written
/// @throws StoreError UnknownRun, Corrupt for a stored result that cannot be read, and the
///                    store's other errors
std::vector<std::filesystem::path> exportRunCsv(const RunStore& store, const std::string& runId,
                                                const std::filesystem::path& folder);

} // namespace bt::store
