#pragma once

#include <string>
#include <utility>
#include <vector>

#include <QMetaType>
#include <QString>

#include "engine/config/run_config.h"
#include "engine/events/events.h"
#include "engine/events/phase_place.h"

namespace bt::ui {

/// What the progress bar shows.
struct RunProgressState {
    double fraction = 0.0; ///< of the whole run, in [0, 1]
    QString phase;         ///< "bilevel: initial design 7/15", "grid: trial 12/64", ...
    double elapsedSeconds = 0.0;
    double etaSeconds = -1.0; ///< remaining, estimated; < 0 while unknown
    bool ended = false;       ///< the run ended (completed, cancelled or failed): no ETA
};

/// Turns a run's events into a progress fraction, a phase text and an ETA. Plain logic on the
/// GUI thread (the controller feeds it), tested on its own.
///
/// The plan weighs each method by its budget in epochs, the engine's methods::planRun. Within
/// a method the fraction is the cumulative epochs its events report over its planned epochs,
/// held below 1 until the method finishes. The ETA assumes the remaining work goes at the rate
/// seen so far.
class RunProgress {
public:
    /// Plans `config`'s run. The number of hyperparameters is the engine's
    /// models::lambdaDimension, corrected by the first event that carries λ.
    void start(const config::RunConfig& config);

    /// Takes one event in run order. `elapsedSeconds` is the wall time since the run started.
    const RunProgressState& update(const events::Event& event, double elapsedSeconds);

    /// The state after the last update (ETA and elapsed time as of then).
    const RunProgressState& state() const { return m_state; }

    /// Planned epochs of each method, in run order (for tests and the log).
    std::vector<std::pair<std::string, double>> plan() const;

    /// λ dimension the plan assumes.
    int dimension() const { return m_dimension; }

private:
    void replan();
    /// Moves the plan on to `method` (its epochs start from 0) unless it is the current one.
    void enterMethod(const std::string& method);
    /// Plans again for the dimension of `lambda` when it differs from the assumed one.
    void correctDimension(const std::vector<double>& lambda);
    void takeSample(const events::SampleEvent& sample);
    void takeOuterIteration(const events::OuterIterationEvent& outer);
    double methodFraction(double epochs) const;
    void refresh(double elapsedSeconds);

    config::RunConfig m_config;
    int m_dimension = 1;
    std::vector<std::pair<std::string, double>> m_plan; // method, planned epochs
    std::size_t m_current = 0;                          // index into m_plan
    double m_currentEpochs = 0.0;                       // reported by the current method
    double m_currentFractionFloor = 0.0;                // from counters, when epochs lag behind
    events::PhaseCounter m_phases;                      // each training's place in its phase
    RunProgressState m_state;
    bool m_finished = false; // completed
    bool m_ended = false;    // completed, cancelled or failed
};

} // namespace bt::ui

Q_DECLARE_METATYPE(bt::ui::RunProgressState)
