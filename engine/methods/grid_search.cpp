#include "engine/methods/grid_search.h"

#include "engine/methods/trial_recorder.h"

namespace bt::methods {

MethodResult GridSearch::run(std::stop_token stop) {
    TrialRecorder recorder("grid", m_trainer, m_sink);
    const auto points = gridDesign(m_box, m_options.pointsPerDim);
    recorder.log(events::LogLevel::Info,
                 std::to_string(m_options.pointsPerDim) + " points per dimension: " +
                     std::to_string(points.size()) + " lower-level trainings");
    return recorder.evaluateDesign(m_evaluator, points, stop);
}

} // namespace bt::methods
