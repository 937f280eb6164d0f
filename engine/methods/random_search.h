#pragma once

#include <cstdint>
#include <stop_token>

#include "engine/eval/evaluator.h"
#include "engine/events/events.h"
#include "engine/methods/design.h"
#include "engine/methods/method_result.h"
#include "engine/train/trainer.h"

namespace bt::methods {

/// Settings of random search (ALGORITHM.md §5).
struct RandomOptions {
    int trials = 20;   ///< N ≥ 1 uniform draws, one full training each
    uint64_t seed = 0; ///< of the draws
};

/// Random search (Bergstra & Bengio, JMLR 2012; ALGORITHM.md §5): a full training from the
/// fixed initialisation at each of N seeded uniform draws in the box (uniformDesign), selected
/// by validation loss.
class RandomSearch {
public:
    RandomSearch(const train::Trainer& trainer, eval::Evaluator& evaluator, Box box,
                 RandomOptions options, events::EventSink& sink);

    /// Trains every draw through the evaluator; status "cancelled" when `stop` is requested (the
    /// trials done so far are kept), "failed" when every training diverged.
    MethodResult run(std::stop_token stop);

private:
    const train::Trainer& m_trainer;
    eval::Evaluator& m_evaluator;
    Box m_box;
    RandomOptions m_options;
    events::EventSink& m_sink;
};

} // namespace bt::methods
