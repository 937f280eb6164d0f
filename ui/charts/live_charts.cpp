#include "ui/charts/live_charts.h"

#include <QTabWidget>

#include "ui/charts/chart_view.h"
#include "ui/charts/comparison_chart.h"
#include "ui/charts/constraint_chart.h"
#include "ui/charts/hyperparameter_view.h"
#include "ui/charts/loss_chart.h"
#include "ui/charts/surrogate_chart.h"
#include "ui/charts/trajectory_chart.h"
#include "ui/charts/trials_table.h"

namespace bt::ui {

LiveCharts::LiveCharts(QTabWidget* tabs, QObject* parent) : QObject(parent), m_tabs(tabs) {
    m_trajectories = new TrajectoryChart(tabs);
    m_constraint = new ConstraintChart(tabs);
    m_losses = new LossChart(tabs);
    m_surrogate = new SurrogateChart(tabs);
    m_comparison = new ComparisonChart(tabs);
    m_charts = {m_trajectories, m_constraint, m_losses, m_surrogate, m_comparison};
    m_stale.assign(m_charts.size(), true);
    for (auto* chart : m_charts) {
        tabs->addTab(chart, chart->title());
    }
    // Views that are not charts: redrawn like them, when on screen, but not exported as charts.
    m_trials = new TrialsTable(tabs);
    m_hyperparameters = new HyperparameterView(tabs);
    m_others = {{m_trials, [this] { m_trials->refresh(m_data); }},
                {m_hyperparameters, [this] { m_hyperparameters->refresh(m_data); }}};
    m_trials->setProperty("fileStem", QStringLiteral("trials"));
    m_hyperparameters->setProperty("fileStem", QStringLiteral("hyperparameters"));
    tabs->addTab(m_trials, tr("Trials"));
    tabs->addTab(m_hyperparameters, tr("Hyperparameters"));
    // A trial activated in the table is shown in the Comparison chart.
    connect(m_trials, &TrialsTable::trialActivated, this, [this](const QString& method, int index) {
        m_comparison->selectTrial(method.toStdString(), index);
        m_tabs->setCurrentWidget(m_comparison);
    });
    // The first screen says what to do, not an empty chart's legend.
    for (auto* chart : m_charts) {
        for (auto* view : chart->chartViews()) {
            if (auto* explorable = qobject_cast<ChartView*>(view)) {
                explorable->setEmptyText(noRunText());
            }
        }
    }
    m_frame.setSingleShot(true);
    m_frame.setInterval(kFrameMs);
    connect(&m_frame, &QTimer::timeout, this, &LiveCharts::redrawVisible);
    connect(tabs, &QTabWidget::currentChanged, this, [this] { redrawVisible(); });
}

QString LiveCharts::noRunText() {
    return tr("No run yet. Choose a reference task under Preset (or fill in the form) and press "
              "Start run (Ctrl+R); or open a past run from the Runs tab.");
}

void LiveCharts::startRun(const QString& runId, const config::RunConfig& config,
                          const QString& name) {
    m_data.reset(config, runId.toStdString());
    m_data.setName(name.toStdString());
    redrawAll();
}

void LiveCharts::clear() {
    config::RunConfig none;
    none.methods.clear();
    m_frame.stop();
    startRun(QString(), none);
}

void LiveCharts::addEvent(const events::Event& event) {
    m_data.add(event);
    scheduleRedraw();
}

void LiveCharts::finishRun(const report::RunResult& result) {
    m_data.setResult(result);
    m_frame.stop();
    redrawAll();
}

void LiveCharts::showResult(const config::RunConfig& config, const report::RunResult& result) {
    m_data.loadResult(config, result);
    m_frame.stop();
    redrawAll();
}

void LiveCharts::showStoredRun(const StoredRun& run) {
    m_frame.stop();
    m_data.reset(run.config, run.runId);
    for (const auto& event : run.events) {
        m_data.add(event);
    }
    if (run.result) {
        if (run.events.empty()) {
            m_data.loadResult(run.config, *run.result);
        } else {
            m_data.setResult(*run.result);
        }
    }
    m_data.setName(run.name);
    redrawAll();
}

void LiveCharts::scheduleRedraw() {
    std::fill(m_stale.begin(), m_stale.end(), true);
    for (auto& other : m_others) {
        other.stale = true;
    }
    if (!m_frame.isActive()) {
        m_frame.start();
    }
}

void LiveCharts::redraw(RunChart* chart) {
    for (std::size_t i = 0; i < m_charts.size(); ++i) {
        if (m_charts[i] == chart) {
            chart->refresh(m_data);
            // A zoom the user chose holds while the run redraws the chart.
            for (auto* view : chart->chartViews()) {
                if (auto* explorable = qobject_cast<ChartView*>(view)) {
                    explorable->attachSeries();
                    explorable->reapplyZoom();
                    explorable->setEmptyText(m_data.runId().empty() ? noRunText() : QString());
                }
            }
            m_stale[i] = false;
            ++m_redraws;
        }
    }
}

void LiveCharts::redrawVisible() {
    for (std::size_t i = 0; i < m_charts.size(); ++i) {
        if (m_stale[i] && m_charts[i]->isVisible()) {
            redraw(m_charts[i]);
        }
    }
    for (auto& other : m_others) {
        if (other.stale && other.widget->isVisible()) {
            other.refresh();
            other.stale = false;
        }
    }
}

void LiveCharts::redrawAll() {
    for (auto* chart : m_charts) {
        redraw(chart);
    }
    for (auto& other : m_others) {
        other.refresh();
        other.stale = false;
    }
}

void LiveCharts::refreshAll() {
    redrawAll();
    for (auto* chart : m_charts) {
        chart->settle();
    }
}

} // namespace bt::ui
