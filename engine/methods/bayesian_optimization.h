#pragma once

#include <cstdint>
#include <functional>
#include <stop_token>
#include <vector>

#include "engine/methods/baseline_method.h"
#include "engine/methods/design.h"
#include "engine/methods/expected_improvement_proposer.h"
#include "engine/methods/method_result.h"

namespace bt::methods {

/// Settings of Bayesian optimisation (ALGORITHM.md §5).
struct BayesianOptions {
    int trials = 20; ///< evaluations in total, the initial design included
    int initial = 5; ///< evaluations of the initial Sobol design (at most `trials`)
    AcquisitionOptions acquisition;
    uint64_t seed = 0; ///< of the Sobol design, the GP restarts and the EI starts
};

/// Evaluates points in order and returns one value per point (NaN for a failed evaluation), or
/// fewer values when stopped. `initialDesign` tells the initial batch from a proposal.
using BatchObjective = std::function<std::vector<double>(
    const std::vector<std::vector<double>>& points, bool initialDesign)>;

/// Told of each GP fit, with the number of observations it was fitted to.
using FitObserver = std::function<void(const SurrogateFit& fit, int observations)>;

/// Every evaluation of a Bayesian-optimisation loop, in order.
struct OptimizationTrace {
    std::vector<std::vector<double>> points;
    std::vector<double> values;
    bool stopped = false; ///< `stop` was requested before the budget was spent
};

/// The Bayesian-optimisation loop, free of any trainer: evaluate the seeded Sobol design of
/// min(initial, trials) points as one batch, then until `trials` evaluations are spent: refit
/// the GP to every observation, propose the EI maximiser (ExpectedImprovementProposer) and
/// evaluate it. Deterministic for a seed and a deterministic objective. `prior` holds
/// observations made before the loop (the bilevel method's refinement, ALGORITHM.md §3.6): they
/// count toward `trials`, and the returned trace begins with them.
OptimizationTrace runBayesianOptimization(const Box& box, const BayesianOptions& options,
                                          const BatchObjective& objective, const FitObserver& onFit,
                                          std::stop_token stop, OptimizationTrace prior = {});

/// The same loop on a scalar objective (analytic test functions, benchmarks).
OptimizationTrace
minimiseByBayesianOptimization(const Box& box, const BayesianOptions& options,
                               const std::function<double(const std::vector<double>&)>& objective,
                               std::stop_token stop = {});

/// Bayesian optimisation of the validation loss over λ (ALGORITHM.md §5): the project's GP on
/// validation loss, expected improvement maximised by multi-start L-BFGS-B in the box, an
/// initial Sobol design; `trials` full trainings from the fixed initialisation in total, each
/// through the evaluator, selected by validation loss. Emits a GpRefitEvent per fit; GP time
/// is part of the cost.
class BayesianOptimization : public BaselineMethod<BayesianOptions> {
public:
    using BaselineMethod::BaselineMethod;

    /// Runs the loop; status "cancelled" when `stop` is requested (the trials done so far are
    /// kept), "failed" when every training diverged. Phases: "initial-design", then "trial".
    MethodResult run(std::stop_token stop);
};

} // namespace bt::methods
