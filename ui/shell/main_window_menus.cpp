// MainWindow's actions, its toolbar and its menus.
#include "ui/shell/main_window.h"

#include <QAction>
#include <QApplication>
#include <QMenuBar>
#include <QToolBar>

#include "ui/session/run_controller.h"
#include "ui/setup/setup_panel.h"

namespace bt::ui {

void MainWindow::createActions() {
    m_startAction = new QAction(tr("&Start run"), this);
    m_startAction->setObjectName(QStringLiteral("actionStart"));
    m_startAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_startAction->setToolTip(tr("Start the configured run (Ctrl+R)"));
    connect(m_startAction, &QAction::triggered, this, [this] { startRun(); });

    m_cancelAction = new QAction(tr("&Cancel run"), this);
    m_cancelAction->setObjectName(QStringLiteral("actionCancel"));
    m_cancelAction->setShortcut(QKeySequence(Qt::Key_Escape));
    m_cancelAction->setToolTip(tr("Stop the run; finished methods are kept (Esc)"));
    connect(m_cancelAction, &QAction::triggered, m_controller, &RunController::cancel);

    m_loadAction = new QAction(tr("&Open configuration…"), this);
    m_loadAction->setObjectName(QStringLiteral("actionLoadConfig"));
    m_loadAction->setShortcut(QKeySequence::Open);
    connect(m_loadAction, &QAction::triggered, m_setup, &SetupPanel::openLoadDialog);

    m_saveAction = new QAction(tr("&Save configuration as…"), this);
    m_saveAction->setObjectName(QStringLiteral("actionSaveConfig"));
    m_saveAction->setShortcut(QKeySequence::SaveAs);
    connect(m_saveAction, &QAction::triggered, m_setup, &SetupPanel::openSaveDialog);

    m_exportChartAction = new QAction(tr("&Export chart…"), this);
    m_exportChartAction->setObjectName(QStringLiteral("actionExportChart"));
    m_exportChartAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_exportChartAction->setToolTip(tr("The chart on screen as PNG, SVG or PDF (Ctrl+E)"));
    connect(m_exportChartAction, &QAction::triggered, this, &MainWindow::exportChartInteractively);

    m_exportDataAction = new QAction(tr("Export run &data…"), this);
    m_exportDataAction->setObjectName(QStringLiteral("actionExportData"));
    connect(m_exportDataAction, &QAction::triggered, this, &MainWindow::exportDataInteractively);

    m_exportReportAction = new QAction(tr("Export &report…"), this);
    m_exportReportAction->setObjectName(QStringLiteral("actionExportReport"));
    connect(m_exportReportAction, &QAction::triggered, this,
            &MainWindow::exportReportInteractively);

    m_exportModelAction = new QAction(tr("Export &model…"), this);
    m_exportModelAction->setObjectName(QStringLiteral("actionExportModel"));
    m_exportModelAction->setToolTip(
        tr("A method's tuned model as TorchScript (Python: torch.jit.load), with a JSON sidecar"));
    connect(m_exportModelAction, &QAction::triggered, this, &MainWindow::exportModelInteractively);

    m_quitAction = new QAction(tr("&Quit"), this);
    m_quitAction->setObjectName(QStringLiteral("actionQuit"));
    m_quitAction->setShortcut(QKeySequence::Quit);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    auto* toolbar = addToolBar(tr("Run"));
    toolbar->setObjectName(QStringLiteral("runToolbar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addAction(m_startAction);
    toolbar->addAction(m_cancelAction);
    toolbar->addSeparator();
    toolbar->addAction(m_exportChartAction);
    toolbar->addAction(m_exportReportAction);
}

void MainWindow::createMenus() {
    auto* file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_loadAction);
    file->addAction(m_saveAction);
    file->addSeparator();
    file->addAction(m_exportChartAction);
    file->addAction(m_exportDataAction);
    file->addAction(m_exportReportAction);
    file->addAction(m_exportModelAction);
    file->addSeparator();
    file->addAction(m_quitAction);

    auto* runMenu = menuBar()->addMenu(tr("&Run"));
    runMenu->addAction(m_startAction);
    runMenu->addAction(m_cancelAction);

    auto* help = menuBar()->addMenu(tr("&Help"));
    auto* about = help->addAction(tr("&About Bilevel Tuner"), this, &MainWindow::showAbout);
    about->setObjectName(QStringLiteral("actionAbout"));
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

} // namespace bt::ui
