#pragma once

#include <utility>

#include "engine/eval/evaluator.h"
#include "engine/events/events.h"
#include "engine/methods/design.h"
#include "engine/train/trainer.h"

namespace bt::methods {

/// What every baseline (grid search, random search, Bayesian optimisation, Hyperband; ALGORITHM.md
/// §5) runs with: the run's trainer, the evaluator every training goes through, the box of λ,
/// the method's settings and the sink of its events. A baseline derives from it, inherits its
/// constructor and defines `MethodResult run(std::stop_token stop)`.
template <class Options>
class BaselineMethod {
public:
    BaselineMethod(const train::Trainer& trainer, eval::Evaluator& evaluator, Box box,
                   Options options, events::EventSink& sink)
        : m_trainer(trainer), m_evaluator(evaluator), m_box(std::move(box)), m_options(options),
          m_sink(sink) {}

protected:
    const train::Trainer& m_trainer;
    eval::Evaluator& m_evaluator;
    Box m_box;
    Options m_options;
    events::EventSink& m_sink;
};

} // namespace bt::methods
