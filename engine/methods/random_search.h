#pragma once

#include <cstdint>
#include <stop_token>

#include "engine/methods/baseline_method.h"
#include "engine/methods/method_result.h"

namespace bt::methods {

/// Settings of random search (ALGORITHM.md §5).
struct RandomOptions {
    int trials = 20;   ///< N ≥ 1 uniform draws, one full training each
    uint64_t seed = 0; ///< of the draws
};

/// Random search (Bergstra & Bengio, JMLR 2012; ALGORITHM.md §5): a full training from the
/// fixed initialisation at each of N seeded uniform draws in the box (uniformDesign), selected
/// by validation loss.
class RandomSearch : public BaselineMethod<RandomOptions> {
public:
    using BaselineMethod::BaselineMethod;

    /// Trains every draw through the evaluator; status "cancelled" when `stop` is requested (the
    /// trials done so far are kept), "failed" when every training diverged.
    MethodResult run(std::stop_token stop);
};

} // namespace bt::methods
