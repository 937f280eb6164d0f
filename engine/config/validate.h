#pragma once

#include <vector>

#include "engine/config/config_problem.h"
#include "engine/config/run_config.h"

namespace bt::config {

/// Every problem of `config`, in words, each naming its key path and what was expected; empty
/// when the configuration can be run. Checks each value's range (ALGORITHM.md and the comments
/// of run_config.h), that every number is finite, hyperparameters.lower < upper, a dataset kind,
/// a csv dataset's path and target, splits of one pool that cannot all be honoured (two asking
/// for all that remain, overlapping ranges), methods (non-empty, no duplicates) and the spelling
/// of training.device.
///
/// Touches no file: whether data files exist and hold enough rows for the splits is checked by
/// the data layer when it loads them, and whether a cuda device exists when the run starts.
std::vector<ConfigProblem> validate(const RunConfig& config);

} // namespace bt::config
