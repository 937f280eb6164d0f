#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/events/events.h"

namespace bt::report {

// The plain values of a method's result. They live here, below the methods that produce them,
// because result.json, the run store, the exports and the UI read and write them as well.

/// One point of a method's anytime curve: the best model so far (by validation loss) after a
/// given cost.
struct AnytimePoint {
    double epochs = 0.0;
    double seconds = 0.0;
    double bestValLoss = 0.0;
    std::optional<double> testAccuracyOfBest;
    double testLossOfBest = 0.0;
};

/// What a method returns: the selected λ, the metrics of its model, its cost and its trace.
/// Plain values only (result.json, the store and the UI read it).
struct MethodResult {
    std::string method;
    events::RunStatus status = events::RunStatus::Completed; ///< Completed, Cancelled or Failed
    std::string message;
    std::vector<double> lambda; ///< selected λ* (natural-log L2 coefficients)
    events::Metrics metrics;    ///< of the method's own model at λ*
    /// Bilevel: the lower-level training at λ* from the fixed initialisation.
    std::optional<events::Metrics> retrainedMetrics;
    /// λ* retrained on training ∪ validation (fair comparison with weights that saw validation).
    std::optional<events::Metrics> refitMetrics;
    events::Cost cost;
    std::vector<events::SampleEvent> samples;            ///< every lower-level training
    std::vector<events::OuterIterationEvent> iterations; ///< bilevel only
    std::vector<AnytimePoint> anytime;
    /// Bilevel: the outer iteration (1-based, in `iterations`) whose augmented-Lagrangian
    /// weights the paper's return rule picks (ALGORITHM.md §3.5): λ* under variant paper; under
    /// select the weights shown beside λ*'s training, fitted to the validation split. 0: none.
    int alWeightsIteration = 0;
};

/// The outer iteration of `result.alWeightsIteration` (its λ_k, and in `metrics` the figures of
/// the augmented-Lagrangian weights w_k); nullptr when there is none.
inline const events::OuterIterationEvent* alWeights(const MethodResult& result) {
    const auto k = result.alWeightsIteration;
    if (k < 1 || static_cast<std::size_t>(k) > result.iterations.size()) {
        return nullptr;
    }
    return &result.iterations[static_cast<std::size_t>(k) - 1];
}

/// The figures of λ*'s model trained on the training split alone, the held-out comparison of
/// every method (ALGORITHM.md §3.5): the bilevel method's `retrained` training (its own model,
/// under bilevel.variant `paper`, is fitted to the validation split), a baseline's own model
/// (trained on the training split only). nullopt for the bilevel method until it is retrained.
inline std::optional<events::Metrics>
trainingOnlyMetrics(std::string_view method, const events::Metrics& own,
                    const std::optional<events::Metrics>& retrained) {
    if (method == "bilevel") {
        return retrained;
    }
    return own;
}

/// trainingOnlyMetrics of a finished method.
inline std::optional<events::Metrics> trainingOnlyMetrics(const MethodResult& result) {
    return trainingOnlyMetrics(result.method, result.metrics, result.retrainedMetrics);
}

} // namespace bt::report
