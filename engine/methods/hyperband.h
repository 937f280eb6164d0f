#pragma once

#include <cstdint>
#include <stop_token>
#include <vector>

#include "engine/methods/baseline_method.h"
#include "engine/methods/hyperband_schedule.h"
#include "engine/methods/method_result.h"

namespace bt::methods {

/// Settings of Hyperband (ALGORITHM.md §5).
struct HyperbandOptions {
    int maxEpochs = 27; ///< R: the most epochs one configuration is trained for
    int eta = 3;        ///< η
    uint64_t seed = 0;  ///< of the configurations drawn in each bracket
};

/// Hyperband (Li et al., JMLR 2018) over λ with epochs as the resource (ALGORITHM.md §5): every
/// bracket of hyperbandSchedule(), each a successive halving over configurations drawn
/// uniformly in the box (seeded per bracket). Rung 0 trains from the fixed initialisation; a
/// promoted configuration continues from its checkpoint (weights, optimiser state, epochs done)
/// for r_i − r_(i−1) more epochs, so no epoch is trained twice. The top ⌊n_i/η⌋ = n_(i+1) by
/// validation loss are promoted; diverged ones never are. The selected model is the one with the
/// lowest validation loss seen at any rung (the paper's "smallest intermediate loss").
///
/// Cost (ALGORITHM.md §4): epochs are the samples actually processed; a configuration counts as
/// one lower-level training once per bracket, when its first rung completes — its promotions
/// add epochs, not trainings. A trial's SampleEvent::epochsTrained is what that rung added.
/// Every rung's trainings go through the evaluator, the continuations as requests that carry
/// their training state; the states of one rung are held in memory until its ranking, then only
/// the promoted ones are kept.
class Hyperband : public BaselineMethod<HyperbandOptions> {
public:
    using BaselineMethod::BaselineMethod;

    /// Runs every bracket; status "cancelled" when `stop` is requested (the trials done so far
    /// are kept), "failed" when every training diverged. Each trial's SampleEvent has the phase
    /// "bracket s rung i".
    MethodResult run(std::stop_token stop);
};

} // namespace bt::methods
