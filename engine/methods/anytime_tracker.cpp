#include "engine/methods/anytime_tracker.h"

#include <cmath>

namespace bt::methods {

bool AnytimeTracker::consider(const events::Metrics& metrics, bool ok) {
    if (!ok || !std::isfinite(metrics.valLoss)) {
        return false;
    }
    if (m_best && metrics.valLoss >= m_best->valLoss) {
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
