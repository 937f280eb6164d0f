#include "engine/methods/trial_recorder.h"

#include <utility>

#include "engine/core/log.h"
#include "engine/methods/metrics_conversion.h"

namespace bt::methods {

TrialRecorder::TrialRecorder(std::string method, const train::Trainer& trainer,
                             events::EventSink& sink)
    : m_method(std::move(method)), m_trainingSetSize(trainer.problem().train.inputs.size(0)),
      m_sink(sink), m_cost(m_trainingSetSize) {
    m_result.method = m_method;
}

const events::SampleEvent& TrialRecorder::record(const eval::EvaluationOutcome& outcome,
                                                 const std::string& phase, int total,
                                                 bool newTraining) {
    const auto& lambda = outcome.lambda;
    const auto& training = outcome.result;
    if (newTraining) {
        m_cost.addTraining();
    }
    m_cost.addSamples(training.samplesProcessed);
    if (outcome.replayed) {
        m_cost.addReplayedSeconds(training.seconds);
    }
    events::SampleEvent event;
    event.method = m_method;
    event.phase = phase;
    event.index = static_cast<int>(m_result.samples.size());
    event.total = total;
    event.lambda = lambda;
    event.epochsTrained =
        static_cast<double>(training.samplesProcessed) / static_cast<double>(m_trainingSetSize);
    event.status = train::toString(training.status);
    event.message = training.message;
    event.metrics = toMetrics(training.evaluation);
    event.cost = m_cost.snapshot();
    if (m_anytime.addSample(event, m_result.anytime)) {
        m_bestIndex = event.index;
    }
    m_result.samples.push_back(std::move(event));
    m_sink.onEvent(m_result.samples.back());
    return m_result.samples.back();
}

std::vector<double> TrialRecorder::evaluate(eval::Evaluator& evaluator,
                                            const std::vector<std::vector<double>>& points,
                                            const std::string& phase, std::stop_token stop,
                                            int total) {
    std::vector<eval::EvaluationRequest> requests;
    requests.reserve(points.size());
    for (const auto& lambda : points) {
        requests.push_back({lambda, 0, false});
    }
    if (total <= 0) {
        total = static_cast<int>(points.size());
    }
    std::vector<double> losses;
    losses.reserve(points.size());
    evaluator.evaluate(requests, stop, [&](std::size_t, const eval::EvaluationOutcome& outcome) {
        const auto& event = record(outcome, phase, total, true);
        losses.push_back(competingValLoss(event));
    });
    return losses;
}

void TrialRecorder::log(events::LogLevel level, const std::string& message) {
    m_sink.onEvent(events::LogEvent{level, message});
    if (level >= events::LogLevel::Warning) {
        core::engineLogger()->warn("{}: {}", m_method, message);
    } else {
        core::engineLogger()->info("{}: {}", m_method, message);
    }
}

MethodResult TrialRecorder::finish(events::RunStatus status, const std::string& message) {
    m_result.status = status;
    m_result.message = message;
    if (m_bestIndex >= 0) {
        const auto& best = m_result.samples[static_cast<std::size_t>(m_bestIndex)];
        m_result.lambda = best.lambda;
        m_result.metrics = best.metrics;
    } else if (status == events::RunStatus::Completed) {
        m_result.status = events::RunStatus::Failed;
        m_result.message =
            m_result.samples.empty() ? "no trial was run" : "every lower-level training diverged";
    }
    m_result.cost = m_cost.snapshot();
    if (!m_result.message.empty()) {
        log(m_result.status == events::RunStatus::Completed ? events::LogLevel::Info
                                                            : events::LogLevel::Warning,
            m_result.message);
    }
    return m_result;
}

MethodResult TrialRecorder::evaluateDesign(eval::Evaluator& evaluator,
                                           const std::vector<std::vector<double>>& points,
                                           std::stop_token stop) {
    evaluate(evaluator, points, events::phase::kTrial, stop);
    if (stop.stop_requested()) {
        return finish(events::RunStatus::Cancelled, "cancelled after " +
                                                        std::to_string(samples().size()) + " of " +
                                                        std::to_string(points.size()) + " trials");
    }
    return finish(events::RunStatus::Completed, "");
}

} // namespace bt::methods
