#pragma once

#include <limits>
#include <string>
#include <vector>

#include "engine/eval/evaluator.h"
#include "engine/events/events.h"
#include "engine/models/network.h"
#include "engine/train/trainer.h"

// The bilevel method's record of one lower-level training, and the requests and observations
// made of such trainings: parts of bilevel.cpp (ALGORITHM.md §2.1, §3.5–§3.6), not an interface.
namespace bt::methods::bilevel_detail {

// A φ sample: the lower-level training at λ from the fixed initialisation.
struct Sample {
    std::vector<double> lambda;
    double phi = 0.0;
    bool ok = false;
    bool fromInit = true; ///< trained from the fixed initialisation (not warm-started)
    /// SampleEvent::phase: "initial-design", "outer-iteration", "confirmation" or "refinement"
    std::string phase;
    events::Metrics metrics;
    train::TrainingResult training;   ///< the training as it ended (status, figures, cost)
    models::Network network{nullptr}; ///< its trained weights: warm samples start from them
};

// A training from the fixed initialisation at λ (a confirmation, a refinement training) whose
// weights come back, so that when it becomes λ* the run keeps them as the retrained model
// instead of training λ* again (TrainingAtOptimum). Not kept in the run journal: after a resume
// the replayed training has none, and the run trains λ* again (the same weights).
inline eval::EvaluationRequest trainingWithWeights(const std::vector<double>& lambda) {
    eval::EvaluationRequest request{lambda, 0, true};
    request.journalWeights = false;
    return request;
}

// A training's validation loss as an observation of the refinement's Bayesian optimisation:
// NaN for a diverged training (the proposer replaces it by the worst finite loss).
inline double observedValidationLoss(const Sample& s) {
    return s.ok ? s.metrics.valLoss : std::numeric_limits<double>::quiet_NaN();
}

} // namespace bt::methods::bilevel_detail
