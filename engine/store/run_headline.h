#pragma once

#include <optional>
#include <string>

#include "engine/report/run_result.h"
#include "engine/store/run_store.h"

namespace bt::store {

/// What a list of runs shows of a stored run beside its record: the app's Runs view and the
/// CLI's `list` (text and --json) read it from here.
struct RunHeadline {
    /// config::taskText of the run's configuration ("mlp 300-100 on fashion-mnist"); empty where
    /// the stored configuration cannot be read.
    std::string task;
    /// report::recommend's method and figures, once the run has a result; empty and nullopt
    /// while it runs, or when no method returned a λ with a finite test loss.
    std::string recommendedMethod;
    std::optional<events::Metrics> recommended; ///< its model's figures
    bool refit = false;                         ///< whether that model is the refit one
    /// report::recommendationText ("test loss 0.3412, 87.96 % (bayesian)"); empty when
    /// `recommended` is.
    std::string recommendedText;
};

/// The headline of `run`. Never throws: a stored configuration or result that does not read
/// (a record of another program version) leaves its part empty.
RunHeadline runHeadline(const RunInfo& run);

} // namespace bt::store
