#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <vector>

#include <QDeadlineTimer>
#include <QMainWindow>

#include "engine/config/run_config.h"
#include "engine/events/run_status.h"

class QAction;
class QDockWidget;
class QDragEnterEvent;
class QDropEvent;
class QMenu;
class QSplitter;
class QTabWidget;

namespace bt::store {
class RunStore;
}

namespace bt::ui {

class LiveCharts;
class LogPanel;
class RecentFiles;
class RunChart;
class RunHistoryPanel;
class RunController;
class RunProgressBar;
class SetupPanel;

/// The application's main window: the setup panel on the left, the run's charts on the right,
/// the log below and the progress in the status bar. Runs go through its RunController.
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    /// @param environmentText  one "key: value" line per fact, as train::formatEnvironment gives
    /// @param logFile          where this session's log goes, shown to the user
    MainWindow(const QString& environmentText, const QString& logFile, QWidget* parent = nullptr);

    RunController* controller() const { return m_controller; }
    SetupPanel* setupPanel() const { return m_setup; }
    LogPanel* logPanel() const { return m_logPanel; }
    RunProgressBar* progressBar() const { return m_progress; }
    QTabWidget* views() const { return m_views; }
    LiveCharts* charts() const { return m_charts; }

    /// Measures in the background how long each preset takes here, while no run is in
    /// progress (SetupPanel::measurePresetTimes); a run pauses it, its end resumes it.
    void measurePresetTimes();

    /// Starts the form's configuration (Ctrl+R). Returns false when the form is invalid or a run
    /// is in progress.
    bool startRun();

    /// Run ▸ Start runs over seeds: the form's configuration once per seed (its training.seed),
    /// one run after another, each named "NAME · seed S"; when all have completed, their
    /// aggregate across seeds (aggregateRuns). A run that is cancelled or fails ends the series.
    /// Refused while a run is in progress, with a form that has problems, or for fewer than
    /// two seeds.
    bool startRunsOverSeeds(const std::vector<std::uint64_t>& seeds, QString* error);
    /// Records runs in the run store `path` (empty: nowhere) and lists its runs.
    void setStorePath(const std::filesystem::path& path);
    /// File ▸ Open run store: records and lists the runs of the store file `path` from now on
    /// (a store moved from another machine, a project's own); the run on screen, of the store
    /// before, leaves the charts. Refused while a run is in progress, and for a file that is
    /// missing or not a run store (said in `error`; the store in use stays).
    bool openRunStore(const QString& path, QString* error);
    /// Shows a stored run's charts. Refused while a run is in progress.
    bool openStoredRun(const QString& runId, QString* error);
    /// Puts a stored run's configuration into the form (a key the program no longer reads is
    /// logged and left out), named after the run. Refused while a run is in progress.
    bool useRunSettings(const QString& runId, QString* error);
    /// Gives stored run `runId` another name (store::checkRunName's rule) and lists the runs
    /// again. Refused while a run is in progress.
    bool renameStoredRun(const QString& runId, const QString& name, QString* error);
    /// Deletes stored runs with their kept models (store::deleteStoredRun), without asking (the
    /// Runs view's Delete asks first), and lists the runs again. Refused while a run is in
    /// progress; false with `error` set where one was refused or left its checkpoint folder.
    bool deleteStoredRuns(const QStringList& runIds, QString* error);
    /// Asks whether to delete these runs (a window-modal question, "deleteDialog"), then does.
    void askToDelete(const QStringList& runIds);
    /// The keyboard shortcuts as an HTML table: where, what, which key.
    QString shortcutsHtml() const;
    /// Opens a configuration file into the form (File ▸ Open recent, a file dropped on the
    /// window); refused while a run is in progress.
    bool openConfigFile(const QString& path);
    /// Continues a stored run (interrupted, cancelled or failed).
    bool resumeRun(const QString& runId);
    /// Shows each method's figures over stored runs of the same settings, seeds apart
    /// (store::runsAcrossSeeds); false with `error` set for runs of other settings or fewer
    /// than two.
    bool aggregateRuns(const QStringList& runIds, QString* error);
    /// Opens the comparison of two stored runs.
    bool compareRuns(const QString& first, const QString& second, QString* error);
    RunHistoryPanel* historyPanel() const { return m_history; }

    /// Writes the shown run's report (.html or .pdf) to `path`.
    bool exportReport(const QString& path, QString* error);
    /// Writes the shown run's kept model of `method` (`which`: refit or retrained) to `path`
    /// (.pt, TorchScript) and its JSON sidecar beside it, as `bilevel-tuner-cli export-model`
    /// does. Needs the run in the run store; trains nothing.
    bool exportModel(const QString& method, const QString& which, const QString& path,
                     QString* error);
    /// The chart on screen, or nullptr when the current view is not a chart.
    RunChart* currentChart() const;

protected:
    void closeEvent(QCloseEvent* event) override;
    /// A status tip (a chart's hover hint) shows while the pointer is over its widget; when it
    /// leaves, the message the window said last comes back if its time has not run out (Qt's
    /// own handling clears the bar, so "Run … completed" vanished under a passing pointer).
    bool event(QEvent* event) override;
    /// One .json file dragged over the window is taken as a run configuration (openConfigFile).
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    /// The setup panel and the views, side by side; the central widget.
    QSplitter* createCentralSplitter(const QString& logFile);
    QDockWidget* createLogDock();
    void connectController();
    void connectPanels();
    /// Runs `action` on the run store, refused with `busy` while a run is in progress; false with
    /// `error` set to what it threw (or to `busy`).
    bool onTheStore(const QString& busy, QString* error,
                    const std::function<void(store::RunStore&)>& action);
    /// A warning in the log panel about what of stored run `runId` could not be read.
    void logRunProblem(const QString& runId, const QString& problem);
    /// The form as the last session left it.
    void loadLastConfig();
    /// The window's geometry, docks and split as the last session left them.
    void restoreLayout(QSplitter& splitter, QDockWidget& logDock);
    /// In main_window_menus.cpp.
    void createActions();
    void createMenus(QDockWidget& logDock);
    /// Each view by name and shortcut, and the log's dock shown or hidden; the views' list
    /// beside the tabs.
    void createViewMenu(QDockWidget& logDock);
    void showAbout();
    /// The title names the run on screen ("ridge (20261207-…) · Bilevel Tuner") and, while it
    /// runs, its progress first ("42 % · …", `fraction` ≥ 0), for the task bar.
    void updateTitle(double fraction = -1.0);
    /// Help ▸ Keyboard shortcuts (F1): every key of the menus and the views, in a table.
    void showShortcuts();
    void showMessage(const QString& title, const QString& text);
    /// Every status-bar message of the window goes through here (empty: clear it), so that a
    /// status tip can give it back (event()). `timeoutMs` 0: until the next message.
    void say(const QString& text, int timeoutMs = 0);
    void onRunFinished(const QString& runId, const QString& status, const QString& message);
    bool m_measurePresets = false; // measurePresetTimes was asked for
    void updateActions();
    QWidget* createEnvironmentView(const QString& logFile);
    /// In main_window_export.cpp.
    void exportChartInteractively();
    void exportDataInteractively();
    void exportReportInteractively();
    void exportModelInteractively();
    /// The shown run's checkpoint folder in the run store, where its kept models are; empty
    /// (with `error` set) when the run is not in the store.
    std::filesystem::path keptModelFolder(QString* error);
    QString exportFolder() const;
    QString runFileStem() const;
    void rememberExportFolder(const QString& file);
    QAction* m_exportModelAction = nullptr;
    void openRunStoreInteractively();
    /// Switches to `path` after checking that it opens as a run store (it is created when
    /// missing); false with `error` set otherwise.
    bool switchRunStore(const std::filesystem::path& path, QString* error);
    /// A line of the app's own in the log panel, a warning where `warning`.
    void logApp(const QString& text, bool warning = false);
    /// Starts `config` as run `name`: remembered as the last configuration, `logText` in the
    /// log, the actions updated.
    bool startConfiguredRun(const config::RunConfig& config, const QString& name,
                            const QString& logText);
    /// Asks for the seeds (a dialog, "seedsDialog"), then startRunsOverSeeds.
    void askForSeeds();
    void startNextSeed();
    /// After each run of a series over seeds: the next, or the aggregate, or the end.
    void continueSeries(const QString& runId, events::RunStatus status);
    /// The series of runs over seeds in progress.
    struct SeedSeries {
        config::RunConfig config;
        QString name;
        std::vector<std::uint64_t> seeds;
        QStringList runIds; ///< of the runs completed so far, in the seeds' order
    };
    std::optional<SeedSeries> m_series;
    QAction* m_seedsAction = nullptr;
    QAction* m_openStoreAction = nullptr;
    QAction* m_defaultStoreAction = nullptr;
    QMenu* m_recentMenu = nullptr;
    RecentFiles* m_recent = nullptr;

    QString m_environmentText;
    QString m_said;             ///< say()'s message, given back after a status tip
    QDeadlineTimer m_saidUntil; ///< until when it holds
    RunController* m_controller = nullptr;
    SetupPanel* m_setup = nullptr;
    LogPanel* m_logPanel = nullptr;
    RunProgressBar* m_progress = nullptr;
    QTabWidget* m_views = nullptr;
    LiveCharts* m_charts = nullptr;
    RunHistoryPanel* m_history = nullptr;
    QAction* m_startAction = nullptr;
    QAction* m_cancelAction = nullptr;
    QAction* m_loadAction = nullptr;
    QAction* m_saveAction = nullptr;
    QAction* m_quitAction = nullptr;
    QAction* m_exportChartAction = nullptr;
    QAction* m_exportDataAction = nullptr;
    QAction* m_exportReportAction = nullptr;
    bool m_closeWhenRunEnds = false;
};

} // namespace bt::ui
