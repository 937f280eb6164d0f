#pragma once

#include <cstdint>
#include <stop_token>
#include <string>
#include <vector>

#include "engine/eval/evaluator.h"
#include "engine/events/events.h"
#include "engine/methods/anytime_tracker.h"
#include "engine/methods/cost_meter.h"
#include "engine/methods/method_result.h"
#include "engine/train/trainer.h"

namespace bt::methods {

/// The bookkeeping every baseline shares (ALGORITHM.md §4–5): each completed training becomes
/// a trial, with its SampleEvent, its cost by the one accounting rule, a point of the anytime
/// curve, and a place in the selection by validation loss. Diverged trials are recorded with
/// their status and are never selected.
class TrialRecorder {
public:
    /// @param method  the method's name in events and results ("grid", "random", ...)
    /// @param trainer the run's trainer: its training-set size converts samples to epochs
    TrialRecorder(std::string method, const train::Trainer& trainer, events::EventSink& sink);

    /// Records one completed training (status ok or diverged; never cancelled).
    /// @param outcome      the evaluation: its λ and training result (samplesProcessed enters the
    ///                     epochs; a replayed one's seconds enter the wall time)
    /// @param phase        SampleEvent phase ("trial", "initial-design", "bracket 2 rung 1")
    /// @param total        planned trials in that phase (0 when unknown)
    /// @param newTraining  counts as one lower-level training (false for a Hyperband promotion,
    ///                     which continues a configuration already counted in its bracket)
    /// @return the emitted event (its index is the trial's 0-based number in this method)
    const events::SampleEvent& record(const eval::EvaluationOutcome& outcome,
                                      const std::string& phase, int total, bool newTraining);

    /// Trains every point of `points` from the fixed initialisation through `evaluator` (the
    /// one seam for independent evaluations) and records each as a new training.
    /// @param total  planned trials of the phase for the events; 0: points.size()
    /// @return the validation loss of each completed trial in order (NaN for a diverged one);
    ///         shorter than `points` when `stop` was requested.
    std::vector<double> evaluate(eval::Evaluator& evaluator,
                                 const std::vector<std::vector<double>>& points,
                                 const std::string& phase, std::stop_token stop, int total = 0);

    /// A whole method over a fixed design (grid, random search): evaluates every point as a
    /// "trial" and finishes, "cancelled" when `stop` cut it short.
    MethodResult evaluateDesign(eval::Evaluator& evaluator,
                                const std::vector<std::vector<double>>& points,
                                std::stop_token stop);

    /// Sends a log line to the sink and the engine logger.
    void log(events::LogLevel level, const std::string& message);

    /// Sends any other event (a GP refit) to the sink.
    void emit(const events::Event& event) { m_sink.onEvent(event); }

    CostMeter& cost() { return m_cost; }

    /// Index into samples() of the selected trial (lowest validation loss among usable ones),
    /// or -1 while there is none.
    int bestIndex() const { return m_bestIndex; }
    const std::vector<events::SampleEvent>& samples() const { return m_result.samples; }

    /// The method's result: the selected trial's λ and metrics, the cost so far, every trial and
    /// the anytime curve. A "completed" run in which no trial was usable becomes "failed".
    MethodResult finish(events::RunStatus status, const std::string& message);

private:
    std::string m_method;
    int64_t m_trainingSetSize;
    events::EventSink& m_sink;
    CostMeter m_cost;
    AnytimeTracker m_anytime;
    MethodResult m_result;
    int m_bestIndex = -1;
};

} // namespace bt::methods
