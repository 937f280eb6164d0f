#pragma once

#include <cstdint>
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

} // namespace bt::methods
