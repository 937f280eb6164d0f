#pragma once

#include <functional>
#include <vector>

#include <QObject>
#include <QTimer>

#include "engine/config/run_config.h"
#include "engine/events/events.h"
#include "engine/report/result_json.h"
#include "ui/session/run_data.h"
#include "ui/session/stored_run.h"

class QTabWidget;

namespace bt::ui {

class ComparisonChart;
class ConstraintChart;
class LossChart;
class RunChart;
class SurrogateChart;
class TrajectoryChart;
class TrialsTable;
class HyperparameterView;

/// The run's charts and the data they draw. Events are added to the RunData as they come;
/// redraws are coalesced: the first event after a redraw arms a single-shot frame timer, and
/// when it fires only the chart on screen is redrawn (the others when they are shown). So a run
/// that streams hundreds of events a second costs at most one redraw per frame.
class LiveCharts : public QObject {
    Q_OBJECT

public:
    /// A frame at 60 Hz.
    static constexpr int kFrameMs = 16;

    /// Adds the five chart views, the Trials table and the Hyperparameters view as tabs of
    /// `tabs` (after the tabs already there).
    explicit LiveCharts(QTabWidget* tabs, QObject* parent = nullptr);

    /// A new run: clears the data and the charts. `name` as the run store keeps it.
    void startRun(const QString& runId, const config::RunConfig& config, const QString& name = {});
    /// No run: the views as before the first (their "No run yet" text).
    void clear();
    /// One event of the run in progress.
    void addEvent(const events::Event& event);
    /// The run ended.
    void finishRun(const report::RunResult& result);
    /// Shows a finished run from its result (history).
    void showResult(const config::RunConfig& config, const report::RunResult& result);
    /// Shows a run from the run store: its events replayed, its result when it has one.
    void showStoredRun(const StoredRun& run);
    /// Redraws every view now, completely: waits for what a view computes off the GUI thread
    /// (the surrogate's posterior; exports, reports, captures, tests).
    void refreshAll();

    const RunData& data() const { return m_data; }
    const std::vector<RunChart*>& charts() const { return m_charts; }
    TrajectoryChart* trajectories() const { return m_trajectories; }
    ConstraintChart* constraint() const { return m_constraint; }
    LossChart* losses() const { return m_losses; }
    SurrogateChart* surrogate() const { return m_surrogate; }
    ComparisonChart* comparison() const { return m_comparison; }
    /// Every training of every method, in one sortable, filterable table.
    TrialsTable* trials() const { return m_trials; }
    /// Parallel coordinates of every training and the relevance of each λ.
    HyperparameterView* hyperparameters() const { return m_hyperparameters; }
    /// Redraws of single views done so far (for tests and the benchmark).
    int redrawCount() const { return m_redraws; }

private:
    static QString noRunText();
    void scheduleRedraw();
    void redrawVisible();
    void redraw(RunChart* chart);
    // Every view, without waiting for what they compute off the GUI thread.
    void redrawAll();

    QTabWidget* m_tabs;
    RunData m_data;
    std::vector<RunChart*> m_charts;
    std::vector<bool> m_stale;
    TrialsTable* m_trials = nullptr;
    HyperparameterView* m_hyperparameters = nullptr;
    /// The views that are not RunCharts, with how each redraws and whether it is stale.
    struct OtherView {
        QWidget* widget;
        std::function<void()> refresh;
        bool stale = true;
    };
    std::vector<OtherView> m_others;
    TrajectoryChart* m_trajectories = nullptr;
    ConstraintChart* m_constraint = nullptr;
    LossChart* m_losses = nullptr;
    SurrogateChart* m_surrogate = nullptr;
    ComparisonChart* m_comparison = nullptr;
    QTimer m_frame;
    int m_redraws = 0;
};

} // namespace bt::ui
