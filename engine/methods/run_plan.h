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
};

/// The planned work of each of `config.methods`, in run order, for a λ of `dimension` entries
/// (models::lambdaDimension of the configuration; a progress view may correct it from the λ
/// of the run's events). Epochs, with E = training.epochs:
/// - bilevel: the initial design's initialDesignPoints() trainings of E epochs, and per outer
///   iteration a φ sample and an inner solve, each counted as one training of E epochs (a
///   warm-started sample trains fewer; the inner solve's real cost depends on the data), then
///   under variant select the refinement's trainings of E epochs (ALGORITHM.md §3.6), the
///   confirmation among them when it runs (§3.5; with refine_trials 0 it is not counted: it
///   happens in some runs only, and the warm samples' over-count covers it);
/// - grid: m^d trainings, random and bayesian: their trials, each of E epochs;
/// - hyperband: the configurations and epochs of hyperbandSchedule(max_epochs, eta)
///   (scheduledConfigurations, scheduledEpochs), without divergence; none for settings the
///   schedule refuses (R < 1 or η < 2).
/// @pre dimension >= 1
std::vector<MethodPlan> planRun(const config::RunConfig& config, int dimension);

} // namespace bt::methods
