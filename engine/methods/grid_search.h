#pragma once

#include <stop_token>

#include "engine/methods/baseline_method.h"
#include "engine/methods/method_result.h"

namespace bt::methods {

/// Settings of grid search (ALGORITHM.md §5).
struct GridOptions {
    int pointsPerDim = 4; ///< m ≥ 2: m points per dimension, the bounds included; m^d trainings
};

/// Grid search (ALGORITHM.md §5): a full training from the fixed initialisation at every point
/// of the m^d grid that includes the box's bounds (gridDesign), selected by validation loss.
class GridSearch : public BaselineMethod<GridOptions> {
public:
    using BaselineMethod::BaselineMethod;

    /// Trains every grid point through the evaluator; status "cancelled" when `stop` is
    /// requested (the trials done so far are kept), "failed" when every training diverged.
    MethodResult run(std::stop_token stop);
};

} // namespace bt::methods
