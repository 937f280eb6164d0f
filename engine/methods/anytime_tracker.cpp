#include "engine/methods/anytime_tracker.h"

#include <cmath>
#include <limits>

namespace bt::methods {

double competingValLoss(const events::SampleEvent& event) {
    const bool usable = event.ok() && std::isfinite(event.metrics.valLoss);
    return usable ? event.metrics.valLoss : std::numeric_limits<double>::quiet_NaN();
}

bool AnytimeTracker::addSample(const events::SampleEvent& event, std::vector<AnytimePoint>& curve) {
    const bool best = consider(event.metrics, competingValLoss(event));
    appendPoint(event.cost, curve);
    return best;
}

void AnytimeTracker::addOuterIteration(const events::OuterIterationEvent& event,
                                       config::BilevelVariant variant,
                                       std::vector<AnytimePoint>& curve) {
    if (alWeightsAreTheAnswer(variant)) {
        consider(event.metrics, event.metrics.valLoss);
    }
    appendPoint(event.cost, curve);
}

bool AnytimeTracker::consider(const events::Metrics& metrics, double valLoss) {
    if (!std::isfinite(valLoss) || (m_best && valLoss >= m_best->valLoss)) {
        return false;
    }
    m_best = metrics;
    return true;
}

void AnytimeTracker::appendPoint(const events::Cost& cost, std::vector<AnytimePoint>& curve) const {
    if (!m_best) {
        return;
    }
    AnytimePoint point;
    point.epochs = cost.epochs;
    point.seconds = cost.wallSeconds;
    point.bestValLoss = m_best->valLoss;
    point.testAccuracyOfBest = m_best->testAccuracy;
    point.testLossOfBest = m_best->testLoss;
    curve.push_back(point);
}

} // namespace bt::methods
