#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/events/run_status.h"
#include "engine/report/method_result.h"

namespace bt::report {

/// A finished (or ended) run, as result.json describes it (ARCHITECTURE.md).
struct RunResult {
    std::string runId;
    /// Completed, Cancelled or Failed once the run ended (result.json's "status").
    events::RunStatus status = events::RunStatus::Running;
    std::string message;
    nlohmann::json config;      ///< the full run configuration, defaults filled in
    nlohmann::json environment; ///< versions, BLAS, device, threads
    /// The name of each entry of λ ("shared", a group's or a weight's name); empty in results
    /// written before names were kept.
    std::vector<std::string> lambdaNames{};
    std::vector<MethodResult> methods;
};

} // namespace bt::report
