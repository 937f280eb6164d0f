#pragma once

#include <cstdint>

#include "engine/config/run_config.h"

namespace bt::run {

/// How fast this machine trains and evaluates the network of a configuration on its data, and
/// how much data there is: what an expected run time is made of.
struct RunSpeed {
    double trainSecondsPerSample = 0.0; ///< one sample's share of the minibatch steps
    double evalSecondsPerSample = 0.0;  ///< one sample's share of an evaluation (no gradient)
    std::int64_t trainSamples = 0;      ///< the training split's size
    std::int64_t validationSamples = 0;
    std::int64_t testSamples = 0;
    int lambdaDimension = 0;
};

/// Measures `config`'s speed here: the data are read and prepared as a run prepares them
/// (prepareRun, with the configuration's threads), then one epoch on the first 2,048 training
/// samples (or all, when fewer) is trained at λ's lower bound and the network evaluated, twice,
/// the faster of the two counting (the first warms caches and thread pools).
/// @throws core::InputError, config::ConfigError as prepareRun does (missing data, bad config)
RunSpeed measureSpeed(const config::RunConfig& config);

/// The seconds a run of `config` takes at `speed`: every method's planned epochs
/// (methods::planRun) on the training split, an evaluation of all three splits after each
/// planned training, and the trainings outside the methods' budgets (each method's refit on
/// training ∪ validation, bilevel's retraining of λ*). Plans count the bilevel inner solve as
/// one training; a run whose trainings diverge or stop early takes less.
double expectedSeconds(const config::RunConfig& config, const RunSpeed& speed);

} // namespace bt::run
