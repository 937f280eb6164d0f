#pragma once

#include <cstdint>

#include "engine/config/run_config.h"

namespace bt::train {

/// The factor on training.learning_rate for minibatch step `step` (0-based, counted from the
/// start of the training) of a training `horizonEpochs` long with `stepsPerEpoch` steps per
/// epoch (training.schedule, training.warmup_epochs; docs/design/ALGORITHM.md §2):
/// - warm-up: (step + 1) / (warmup_epochs · stepsPerEpoch) during the first warmup_epochs;
/// - constant: 1; cosine: ½(1 + cos(π·t)), t the fraction of the steps after the warm-up done;
///   step: 1, then 0.1 from half the horizon, 0.01 from three quarters.
/// Steps past the horizon (a training continued beyond its planned length) keep the last
/// step's factor.
/// @pre horizonEpochs >= 1, stepsPerEpoch >= 1, step >= 0
double learningRateFactor(const config::TrainingConfig& training, int horizonEpochs,
                          std::int64_t stepsPerEpoch, std::int64_t step);

} // namespace bt::train
