#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/config/run_config.h"

namespace bt::methods {

/// The work a method of a run is planned to do, from its configuration alone.
struct MethodPlan {
    config::Method method = config::Method::Bilevel;
    std::int64_t trainings = 0; ///< lower-level trainings it asks for (ALGORITHM.md §4)
    double epochs = 0.0;        ///< its budget in epochs, counted as below
    /// Trainings of λ* from the initialisation that the run adds after the method, outside its
    /// budget (ALGORITHM.md §3.5, `retrained_metrics`): 1 for bilevel under variant paper with
    /// warm-started φ samples, whose λ* has no such training of its own (run::executeRun keeps
    /// the method's own training otherwise); 0 for the rest, whose λ* is one of their trainings.
    int retrainings = 0;
};

/// The planned work of each of `config.methods`, in run order, for a λ of `dimension` entries
/// (models::lambdaDimension of the configuration; a progress view may correct it from the λ
/// of the run's events). Epochs, with E = training.epochs:
/// - bilevel: the initial design's initialDesignPoints() trainings of E epochs; per outer
///   iteration a φ sample (warm-started: warmSampleEpochs(), else E) and an inner solve of
///   inner_steps steps, each reading a training and a validation minibatch, counted as
///   inner_steps × 2 × batch_size ÷ the training split's size where the configuration gives that
///   size (a count or a range; else one training of E) — an upper estimate, as the inner
///   tolerance may end a solve early; then under variant select the refinement's trainings of
///   E epochs (ALGORITHM.md §3.6): an explicit refine_trials, the confirmation among them when
///   it runs (§3.5; with 0 it is not counted: it happens in some runs only), or automatic, as
///   many as fit in random search's epochs after the estimate above (the method counts its
///   real epochs, so it may train one more where the outer iterations cost less than
///   estimated, and a confirmation comes out of the same count);
/// - grid: m^d trainings, random and bayesian: their trials, each of E epochs;
/// - hyperband: the configurations and epochs of hyperbandSchedule(max_epochs, eta)
///   (scheduledConfigurations, scheduledEpochs), without divergence; none for settings the
///   schedule refuses (R < 1 or η < 2).
/// @pre dimension >= 1
std::vector<MethodPlan> planRun(const config::RunConfig& config, int dimension);

/// When the run has the bilevel method and its plan above exceeds random search's epochs
/// (RunConfig::baselineEpochs(), the budget the baselines are compared at and that its automatic
/// refinement fills, ALGORITHM.md §3.6): a sentence that says by how much, where the epochs go
/// (initial design, outer iterations' φ samples and inner solves, refinement) and which keys
/// bring them down. Empty otherwise. On a small training split the inner solves dominate: 300
/// steps of two minibatches of 64 over 600 rows are 64 epochs each. The setup panel shows it
/// before a run; run::executeRun logs it as a warning at the start, with `trainingRows` the
/// training split's size as read (0: the configuration's, where it gives one). Empty also when
/// that size is not known (CSV files read whole): the inner solves could not be counted.
/// @pre dimension >= 1
std::string bilevelOverBudget(const config::RunConfig& config, int dimension,
                              std::int64_t trainingRows = 0);

} // namespace bt::methods
