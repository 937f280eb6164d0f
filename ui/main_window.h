#pragma once

#include <QMainWindow>

class QAction;
class QLabel;

namespace bt::ui {

class LogPanel;
class RunController;
class RunProgressBar;

/// The application's main window. For now: the menus, a status line and an overview of the
/// environment the engine runs in (versions, BLAS, threads, devices, log file).
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    /// @param environmentText  one "key: value" line per fact, as train::formatEnvironment gives
    /// @param logFile          where this session's log goes, shown to the user
    MainWindow(const QString& environmentText, const QString& logFile, QWidget* parent = nullptr);

    RunController* controller() const { return m_controller; }
    LogPanel* logPanel() const { return m_logPanel; }
    RunProgressBar* progressBar() const { return m_progress; }

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createMenus();
    void showAbout();
    void onRunFinished(const QString& status, const QString& message);
    void updateActions();

    QString m_environmentText;
    RunController* m_controller = nullptr;
    LogPanel* m_logPanel = nullptr;
    RunProgressBar* m_progress = nullptr;
    QAction* m_cancelAction = nullptr;
    bool m_closeWhenRunEnds = false;
};

} // namespace bt::ui
