#include "engine/methods/random_search.h"

#include "engine/methods/trial_recorder.h"

namespace bt::methods {

MethodResult RandomSearch::run(std::stop_token stop) {
    TrialRecorder recorder("random", m_trainer, m_sink);
    const auto points = uniformDesign(m_box, m_options.trials, m_options.seed);
    recorder.log(events::LogLevel::Info, std::to_string(points.size()) + " uniform draws, seed " +
                                             std::to_string(m_options.seed));
    return recorder.evaluateDesign(m_evaluator, points, stop);
}

} // namespace bt::methods
