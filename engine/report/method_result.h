#pragma once

#include <optional>
#include <string>
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
    std::string status = "completed"; ///< "completed", "cancelled", "failed"
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
};

} // namespace bt::report
