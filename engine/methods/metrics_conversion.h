#pragma once

#include "engine/events/events.h"
#include "engine/train/trainer.h"

namespace bt::methods {

/// The plain-value metrics of a trainer evaluation.
inline events::Metrics toMetrics(const train::Evaluation& e) {
    events::Metrics m;
    m.trainLoss = e.train.loss;
    m.objective = e.objective;
    m.valLoss = e.validation.loss;
    m.testLoss = e.test.loss;
    m.valAccuracy = e.validation.accuracy;
    m.testAccuracy = e.test.accuracy;
    return m;
}

} // namespace bt::methods
