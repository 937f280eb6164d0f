#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/events/events.h"
#include "engine/methods/method_result.h"

namespace bt::report {

/// A finished (or ended) run, as result.json describes it (ARCHITECTURE.md).
struct RunResult {
    std::string runId;
    std::string status; ///< "completed", "cancelled", "failed"
    std::string message;
    nlohmann::json config;      ///< the full run configuration, defaults filled in
    nlohmann::json environment; ///< versions, BLAS, device, threads
    std::vector<methods::MethodResult> methods;
};

nlohmann::json toJson(const events::Metrics& metrics);
nlohmann::json toJson(const events::Cost& cost);
nlohmann::json toJson(const events::SampleEvent& sample);
nlohmann::json toJson(const events::OuterIterationEvent& iteration);
nlohmann::json toJson(const methods::MethodResult& result);
nlohmann::json toJson(const RunResult& result);

/// Writes `result` as JSON to `path` atomically (a temporary file in the same folder, then a
/// rename), creating the folder. Throws core::InputError naming the path when it cannot.
void writeResultJson(const RunResult& result, const std::filesystem::path& path);

} // namespace bt::report
