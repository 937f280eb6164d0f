#pragma once

#include <memory>
#include <stop_token>

#include "engine/config/run_config.h"
#include "engine/core/journal.h"
#include "engine/events/events.h"
#include "engine/methods/design.h"
#include "engine/methods/method_result.h"

namespace bt::train {
class Trainer;
}

namespace bt::eval {
class Evaluator;
}

namespace bt::methods {
struct TrainingAtOptimum;
}

namespace bt::run {

/// What every method of a run is built from: the run's trainer, the evaluator its independent
/// trainings go through (journaled under the method's name), the λ box, the configuration, the
/// run's sink and journal. The references must outlive the method made from them.
struct MethodContext {
    const train::Trainer& trainer;
    eval::Evaluator& evaluator;
    methods::Box box;
    const config::RunConfig& config;
    events::EventSink& sink;
    core::Journal* journal = nullptr;
};

/// A tuning method built for one run, whatever its kind.
class TuningMethod {
public:
    virtual ~TuningMethod() = default;
    /// Runs the method to the end, or until `stop` is requested (status "cancelled").
    virtual methods::MethodResult run(std::stop_token stop) = 0;
    /// After run: the method's own training at λ* from the fixed initialisation on the training
    /// split, with its weights, when it has one to hand over (bilevel,
    /// methods::BilevelMethod::trainingAtOptimum); nullptr otherwise.
    virtual const methods::TrainingAtOptimum* trainingAtOptimum() const { return nullptr; }
};

/// The method `kind` with its options from the configuration's section of that method and the
/// run's seed (`training.seed`).
std::unique_ptr<TuningMethod> makeMethod(config::Method kind, const MethodContext& context);

} // namespace bt::run
