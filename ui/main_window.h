#pragma once

#include <QMainWindow>

class QLabel;

namespace bt::ui {

/// The application's main window. For now: the menus, a status line and an overview of the
/// environment the engine runs in (versions, BLAS, threads, devices, log file).
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    /// @param environmentText  one "key: value" line per fact, as train::formatEnvironment gives
    /// @param logFile          where this session's log goes, shown to the user
    MainWindow(const QString& environmentText, const QString& logFile, QWidget* parent = nullptr);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createMenus();
    void showAbout();

    QString m_environmentText;
};

} // namespace bt::ui
