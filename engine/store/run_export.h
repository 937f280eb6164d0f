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

/// Writes the run as CSV files into `folder` (created when missing), one table each, and returns
/// their paths:
///   samples.csv   every lower-level training: the bilevel method's φ samples and the
///                 baselines' trials (method, phase, index, λ, status, metrics, cumulative cost)
///   trace.csv     the bilevel method's outer iterations (λ, h, μ, r, F, f, φ, metrics, cost)
///   anytime.csv   each method's anytime curve (best validation loss after a cost), from the
///                 result; empty (a header) for a run that has not ended
///   methods.csv   each method's result (λ*, metrics, retrained and refit metrics, cost)
/// λ takes one column per component (lambda_1, lambda_2, ...); an absent or non-finite number is
/// an empty field. Each file is written to a temporary name and renamed, so none is half
/// written.
/// @throws core::InputError  naming the folder or file when it cannot be written
std::vector<std::filesystem::path> exportRunCsv(const RunStore& store, const std::string& runId,
                                                const std::filesystem::path& folder);

} // namespace bt::store
