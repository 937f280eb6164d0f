#include "ui/shell/main_window.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDockWidget>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QStatusTipEvent>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

#include "engine/config/run_config_json.h"
#include "engine/core/error.h"
#include "engine/core/version.h"
#include "engine/store/run_store.h"
#include "engine/store/runs_across_seeds.h"
#include "engine/store/store_journal.h"
#include "ui/charts/live_charts.h"
#include "ui/charts/run_chart.h"
#include "ui/history/across_runs_dialog.h"
#include "ui/history/run_comparison_dialog.h"
#include "ui/history/run_history_panel.h"
#include "ui/session/run_controller.h"
#include "ui/session/run_data.h"
#include "ui/session/run_progress_bar.h"
#include "ui/session/stored_run.h"
#include "ui/setup/recent_files.h"
#include "ui/setup/setup_panel.h"
#include "ui/shell/log_panel.h"
#include "ui/shell/window_geometry.h"

namespace bt::ui {

namespace {

constexpr auto kLastConfigKey = "setup/lastConfig";

} // namespace

MainWindow::MainWindow(const QString& environmentText, const QString& logFile, QWidget* parent)
    : QMainWindow(parent), m_environmentText(environmentText),
      m_controller(new RunController(this)) {
    setWindowTitle(tr("Bilevel Tuner"));
    setObjectName(QStringLiteral("mainWindow"));
    setAcceptDrops(true);
    auto* splitter = createCentralSplitter(logFile);
    auto* logDock = createLogDock();
    m_progress = new RunProgressBar(this);
    // On the right at its own width: stretched, it left the status bar's messages ("Showing run
    // …", warnings of a run) no room at all.
    // Hidden until a run starts (RunProgressBar::reset): idle, the status bar is the messages'.
    statusBar()->addPermanentWidget(m_progress);
    connectController();
    connectPanels();

    createActions();
    createMenus(*logDock);

    loadLastConfig();
    updateActions();
    say(tr("Ready"));
    // The smallest window in which the form, the tabs and the charts still hold (checked with
    // screenshots at 1024 × 640); a first window fits the screen it opens on.
    setMinimumSize(960, 560);
    restoreLayout(*splitter, *logDock);
}

QSplitter* MainWindow::createCentralSplitter(const QString& logFile) {
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_setup = new SetupPanel(splitter);
    m_setup->setMinimumWidth(380);
    m_views = new QTabWidget(splitter);
    m_views->setObjectName(QStringLiteral("views"));
    m_views->setDocumentMode(true);
    m_charts = new LiveCharts(m_views, this);
    m_history = new RunHistoryPanel(m_controller, m_views);
    m_history->setProperty("fileStem", QStringLiteral("runs"));
    m_views->addTab(m_history, tr("Runs"));
    auto* environment = createEnvironmentView(logFile);
    environment->setProperty("fileStem", QStringLiteral("environment"));
    m_views->addTab(environment, tr("Environment"));
    splitter->addWidget(m_setup);
    splitter->addWidget(m_views);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({460, 820});
    setCentralWidget(splitter);
    return splitter;
}

QDockWidget* MainWindow::createLogDock() {
    m_logPanel = new LogPanel(this);
    auto* logDock = new QDockWidget(tr("Log"), this);
    logDock->setObjectName(QStringLiteral("logDock"));
    logDock->setWidget(m_logPanel);
    addDockWidget(Qt::BottomDockWidgetArea, logDock);
    resizeDocks({logDock}, {150}, Qt::Vertical);
    connect(m_controller, &RunController::logged, m_logPanel, &LogPanel::append);
    return logDock;
}

void MainWindow::connectController() {
    connect(m_controller, &RunController::progressChanged, this,
            [this](const RunProgressState& state) {
                m_progress->setState(state);
                m_progress->show();
                updateTitle(state.ended ? -1.0 : state.fraction);
            });
    connect(m_controller, &RunController::runStarted, this,
            [this](const QString& runId, const config::RunConfig& config) {
                m_setup->pausePresetTimes();
                m_charts->startRun(runId, config, m_controller->runName());
                updateTitle(0.0);
                const bool bilevel = std::find(config.methods.begin(), config.methods.end(),
                                               config::Method::Bilevel) != config.methods.end();
                m_views->setCurrentIndex(bilevel ? 0 : 4);
                updateActions();
            });
    connect(m_controller, &RunController::eventReceived, m_charts, &LiveCharts::addEvent);
    connect(m_controller, &RunController::errorOccurred, this,
            [this](const QString& message) { showMessage(tr("The run failed"), message); });
    connect(m_controller, &RunController::runFinished, this,
            [this](const report::RunResult& result) {
                m_charts->finishRun(result);
                onRunFinished(QString::fromStdString(result.runId), statusText(result.status),
                              QString::fromStdString(result.message));
                continueSeries(QString::fromStdString(result.runId), result.status);
            });
    connect(m_controller, &RunController::warningRaised, this,
            [this](const QString& message) { say(message, 10000); });
}

void MainWindow::connectPanels() {
    connect(m_history, &RunHistoryPanel::openRequested, this, [this](const QString& id) {
        QString error;
        if (!openStoredRun(id, &error)) {
            showMessage(tr("The run could not be opened"), error);
        }
    });
    connect(m_history, &RunHistoryPanel::resumeRequested, this, &MainWindow::resumeRun);
    connect(m_history, &RunHistoryPanel::settingsRequested, this, [this](const QString& id) {
        QString error;
        if (!useRunSettings(id, &error)) {
            showMessage(tr("The run's settings could not be used"), error);
        }
    });
    connect(m_history, &RunHistoryPanel::compareRequested, this,
            [this](const QString& first, const QString& second) {
                QString error;
                if (!compareRuns(first, second, &error)) {
                    showMessage(tr("The runs could not be compared"), error);
                }
            });
    connect(m_history, &RunHistoryPanel::reportRequested, this, [this](const QString& id) {
        QString error;
        if (!openStoredRun(id, &error)) {
            showMessage(tr("The run could not be opened"), error);
            return;
        }
        exportReportInteractively();
    });
    connect(m_history, &RunHistoryPanel::renameRequested, this,
            [this](const QString& id, const QString& name) {
                QString error;
                if (!renameStoredRun(id, name, &error)) {
                    showMessage(tr("The run could not be renamed"), error);
                }
            });
    connect(m_history, &RunHistoryPanel::deleteRequested, this, &MainWindow::askToDelete);
    connect(m_history, &RunHistoryPanel::aggregateRequested, this, [this](const QStringList& ids) {
        QString error;
        if (!aggregateRuns(ids, &error)) {
            showMessage(tr("The runs could not be aggregated"), error);
        }
    });
    connect(m_setup, &SetupPanel::validityChanged, this, [this] { updateActions(); });
    connect(m_setup, &SetupPanel::messageRaised, this, &MainWindow::showMessage);
    connect(m_setup, &SetupPanel::noted, this, [this](const QString& text) {
        logApp(text);
        say(text);
    });
}

void MainWindow::loadLastConfig() {
    const auto last = QSettings().value(QLatin1String(kLastConfigKey)).toString().toStdString();
    if (!last.empty()) {
        const auto json = nlohmann::json::parse(last, nullptr, false);
        if (json.is_object()) {
            m_setup->setConfigJson(json);
        }
    }
}

void MainWindow::restoreLayout(QSplitter& splitter, QDockWidget& logDock) {
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("mainWindow/geometry")).toByteArray())) {
        fitFirstWindow(*this, splitter, logDock);
    }
    restoreState(settings.value(QStringLiteral("mainWindow/state")).toByteArray());
    splitter.restoreState(settings.value(QStringLiteral("mainWindow/splitter")).toByteArray());
}

QWidget* MainWindow::createEnvironmentView(const QString& logFile) {
    auto* view = new QWidget(this);
    auto* layout = new QVBoxLayout(view);
    auto* title = new QLabel(tr("<h2>Bilevel Tuner %1</h2><p>Gradient-based bilevel tuning of "
                                "regularisation hyperparameters, compared with grid search, "
                                "random search, Bayesian optimisation and Hyperband.</p>")
                                 .arg(QString::fromLatin1(core::kVersion)),
                             view);
    title->setWordWrap(true);
    layout->addWidget(title);
    auto* group = new QGroupBox(tr("Environment"), view);
    auto* form = new QFormLayout(group);
    for (const auto& line : m_environmentText.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const auto colon = line.indexOf(QLatin1Char(':'));
        auto* value = new QLabel(line.mid(colon + 1).trimmed(), group);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        value->setWordWrap(true);
        form->addRow(line.left(colon) + QLatin1Char(':'), value);
    }
    auto* logLabel = new QLabel(logFile, group);
    logLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Log file:"), logLabel);
    layout->addWidget(group);
    layout->addStretch(1);
    return view;
}

void MainWindow::updateActions() {
    const bool running = m_controller->isRunning();
    m_startAction->setEnabled(!running && m_setup->isValid());
    m_seedsAction->setEnabled(!running && m_setup->isValid());
    m_cancelAction->setEnabled(running);
    m_exportModelAction->setEnabled(!running);
    // The form is locked: nothing may load into it.
    m_loadAction->setEnabled(!running);
    m_openStoreAction->setEnabled(!running);
    m_defaultStoreAction->setEnabled(!running &&
                                     m_controller->storePath() != store::RunStore::defaultPath());
    // From the menu's last filling: this runs at every edit of the form.
    m_recentMenu->setEnabled(!running && m_recent->listed() > 0);
    m_setup->setEnabled(!running);
}

bool MainWindow::startRun() {
    if (m_controller->isRunning()) {
        return false;
    }
    const auto config = m_setup->config();
    if (!config) {
        say(tr("The configuration has problems; see the setup panel"));
        return false;
    }
    return startConfiguredRun(
        *config, m_setup->configName(),
        tr("starting a run of %1").arg(m_setup->fieldText(QStringLiteral("methods"))));
}

bool MainWindow::startConfiguredRun(const config::RunConfig& config, const QString& name,
                                    const QString& logText) {
    QSettings().setValue(QLatin1String(kLastConfigKey),
                         QString::fromStdString(config::toJson(config).dump()));
    logApp(logText);
    const bool started = m_controller->start(config, name);
    if (started) {
        // The progress on the right says what runs; an earlier message ("Ready") no longer holds.
        say({});
    }
    updateActions();
    return started;
}

void MainWindow::logApp(const QString& text, bool warning) {
    m_logPanel->append(LogRecord{warning ? spdlog::level::warn : spdlog::level::info,
                                 QStringLiteral("app"), text, QDateTime::currentMSecsSinceEpoch()});
}

RunChart* MainWindow::currentChart() const {
    return qobject_cast<RunChart*>(m_views->currentWidget());
}

void MainWindow::say(const QString& text, int timeoutMs) {
    m_said = text;
    m_saidUntil =
        timeoutMs > 0 ? QDeadlineTimer(timeoutMs) : QDeadlineTimer(QDeadlineTimer::Forever);
    if (text.isEmpty()) {
        statusBar()->clearMessage();
    } else {
        statusBar()->showMessage(text, timeoutMs);
    }
}

bool MainWindow::event(QEvent* event) {
    if (event->type() == QEvent::StatusTip && !m_said.isEmpty() &&
        static_cast<QStatusTipEvent*>(event)->tip().isEmpty() && !m_saidUntil.hasExpired()) {
        const auto left =
            m_saidUntil.isForever() ? 0 : std::max<qint64>(1, m_saidUntil.remainingTime());
        statusBar()->showMessage(m_said, static_cast<int>(left));
        return true;
    }
    return QMainWindow::event(event);
}

void MainWindow::updateTitle(double fraction) {
    const auto& shown = m_charts->data();
    QString title = tr("Bilevel Tuner");
    if (!shown.runId().empty()) {
        const auto id = QString::fromStdString(shown.runId());
        title =
            (shown.name().empty() ? id
                                  : tr("%1 (%2)").arg(QString::fromStdString(shown.name()), id)) +
            QStringLiteral(" · ") + title;
    }
    if (fraction >= 0.0) {
        title =
            tr("%1 %").arg(std::floor(fraction * 100.0), 0, 'f', 0) + QStringLiteral(" · ") + title;
    }
    setWindowTitle(title);
}

void MainWindow::showMessage(const QString& title, const QString& text) {
    // open(), not exec(): a nested event loop would deliver the run's later events re-entrantly.
    auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setObjectName(QStringLiteral("messageDialog"));
    box->open();
}

void MainWindow::measurePresetTimes() {
    m_measurePresets = true;
    if (!m_controller->isRunning()) {
        m_setup->measurePresetTimes();
    }
}

void MainWindow::onRunFinished(const QString& runId, const QString& status,
                               const QString& message) {
    updateActions();
    if (m_measurePresets) {
        m_setup->measurePresetTimes();
    }
    m_history->refresh();
    updateTitle();
    // A run ended while the user looked elsewhere: the task bar says so (where it can).
    if (!isActiveWindow()) {
        QApplication::alert(this);
    }
    // The progress beside it says the run ended; the message names which and how.
    const auto run = runId.isEmpty() ? tr("The run") : tr("Run %1").arg(runId);
    say(message.isEmpty() ? tr("%1 %2").arg(run, status)
                          : tr("%1 %2: %3").arg(run, status, message));
    if (m_closeWhenRunEnds) {
        close();
    }
}

void MainWindow::showAbout() {
    QMessageBox::about(
        this, tr("About Bilevel Tuner"),
        tr("<h3>Bilevel Tuner %1</h3><p>Tunes the L2 regularisation of neural networks by the "
           "gradient-based bilevel method of Sinha, Gunwal and Kumar (arXiv 2208.12118): a "
           "Gaussian process approximates the lower-level value function and an augmented "
           "Lagrangian solves the single-level problem.</p><p>Licence: GPL-3.0-or-later.</p>"
           "<pre>%2</pre>")
            .arg(QString::fromLatin1(core::kVersion), m_environmentText.toHtmlEscaped()));
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (m_controller->isRunning()) {
        if (!m_closeWhenRunEnds) {
            const auto answer = QMessageBox::question(
                this, tr("A run is in progress"),
                tr("Cancel the run and quit? The methods that finished are kept in the run's "
                   "result."),
                QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
            if (answer != QMessageBox::Yes) {
                event->ignore();
                return;
            }
            m_closeWhenRunEnds = true;
            say(tr("Cancelling the run before quitting…"));
            m_controller->cancel();
        }
        // runFinished closes the window once the engine thread has stopped.
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("mainWindow/state"), saveState());
    if (auto* splitter = qobject_cast<QSplitter*>(centralWidget())) {
        settings.setValue(QStringLiteral("mainWindow/splitter"), splitter->saveState());
    }
    settings.setValue(QLatin1String(kLastConfigKey),
                      QString::fromStdString(m_setup->formJson().dump()));
    event->accept();
}

} // namespace bt::ui
