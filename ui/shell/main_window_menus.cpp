// MainWindow's actions, its toolbar and its menus, and configuration files dropped on it.
#include "ui/shell/main_window.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QTabWidget>
#include <QToolBar>
#include <QToolButton>

#include "engine/store/run_store.h"
#include "ui/history/run_history_panel.h"
#include "ui/session/run_controller.h"
#include "ui/setup/recent_files.h"
#include "ui/setup/setup_panel.h"

namespace bt::ui {

void MainWindow::createActions() {
    m_startAction = new QAction(tr("&Start run"), this);
    m_startAction->setObjectName(QStringLiteral("actionStart"));
    m_startAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_startAction->setToolTip(tr("Start the configured run (Ctrl+R)"));
    connect(m_startAction, &QAction::triggered, this, [this] { startRun(); });

    m_seedsAction = new QAction(tr("Start runs over s&eeds…"), this);
    m_seedsAction->setObjectName(QStringLiteral("actionStartSeeds"));
    m_seedsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    m_seedsAction->setToolTip(
        tr("The configured run once per seed, then each method's mean ± standard error across "
           "them (Ctrl+Shift+R)"));
    connect(m_seedsAction, &QAction::triggered, this, &MainWindow::askForSeeds);

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
    // QKeySequence::SaveAs is empty on a desktop without a platform theme.
    m_saveAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
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

    m_openStoreAction = new QAction(tr("Open run s&tore…"), this);
    m_openStoreAction->setObjectName(QStringLiteral("actionOpenStore"));
    m_openStoreAction->setToolTip(
        tr("List and record runs in another run store file (runs.db), e.g. one from another "
           "machine"));
    connect(m_openStoreAction, &QAction::triggered, this, &MainWindow::openRunStoreInteractively);

    m_defaultStoreAction = new QAction(tr("Use the &default run store"), this);
    m_defaultStoreAction->setObjectName(QStringLiteral("actionDefaultStore"));
    connect(m_defaultStoreAction, &QAction::triggered, this, [this] {
        if (QString error; !switchRunStore(store::RunStore::defaultPath(), &error)) {
            showMessage(tr("The run store could not be opened"), error);
        }
    });

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

void MainWindow::createMenus(QDockWidget& logDock) {
    auto* file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_loadAction);
    m_recentMenu = file->addMenu(tr("Open &recent"));
    m_recentMenu->setObjectName(QStringLiteral("menuRecent"));
    m_recent = new RecentFiles(m_recentMenu, this);
    connect(m_recent, &RecentFiles::openRequested, this, &MainWindow::openConfigFile);
    connect(m_setup, &SetupPanel::configFileUsed, m_recent, &RecentFiles::add);
    file->addAction(m_saveAction);
    file->addSeparator();
    file->addAction(m_openStoreAction);
    file->addAction(m_defaultStoreAction);
    file->addSeparator();
    file->addAction(m_exportChartAction);
    file->addAction(m_exportDataAction);
    file->addAction(m_exportReportAction);
    file->addAction(m_exportModelAction);
    file->addSeparator();
    file->addAction(m_quitAction);

    auto* runMenu = menuBar()->addMenu(tr("&Run"));
    runMenu->addAction(m_startAction);
    runMenu->addAction(m_seedsAction);
    runMenu->addAction(m_cancelAction);

    createViewMenu(logDock);

    auto* help = menuBar()->addMenu(tr("&Help"));
    auto* keys = help->addAction(tr("&Keyboard shortcuts"), this, &MainWindow::showShortcuts);
    keys->setObjectName(QStringLiteral("actionShortcuts"));
    keys->setShortcut(QKeySequence::HelpContents);
    help->addSeparator();
    auto* about = help->addAction(tr("&About Bilevel Tuner"), this, &MainWindow::showAbout);
    about->setObjectName(QStringLiteral("actionAbout"));
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::createViewMenu(QDockWidget& logDock) {
    // One action per view, in the tabs' order, with Ctrl+1 … Ctrl+9; checked while shown. The
    // same actions list the views from a button beside the tabs, which at a small width scroll
    // the last of them (the Runs view) out of sight.
    auto* views = new QActionGroup(this);
    for (int i = 0; i < m_views->count(); ++i) {
        auto* action = views->addAction(m_views->tabText(i));
        action->setCheckable(true);
        action->setChecked(i == m_views->currentIndex());
        action->setObjectName(QStringLiteral("actionView%1").arg(i + 1));
        if (i < 9) {
            action->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + i)));
        }
        connect(action, &QAction::triggered, this, [this, i] { m_views->setCurrentIndex(i); });
    }
    connect(m_views, &QTabWidget::currentChanged, views, [views](int index) {
        if (index >= 0 && index < views->actions().size()) {
            views->actions().at(index)->setChecked(true);
        }
    });

    auto* view = menuBar()->addMenu(tr("&View"));
    view->setObjectName(QStringLiteral("menuView"));
    view->addActions(views->actions());
    view->addSeparator();
    // Closed by its title bar's button, the log comes back from here (the window keeps its
    // docks as they were at the next start).
    auto* showLog = logDock.toggleViewAction();
    showLog->setText(tr("&Log"));
    showLog->setObjectName(QStringLiteral("actionShowLog"));
    showLog->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    view->addAction(showLog);

    auto* list = new QToolButton(m_views);
    list->setObjectName(QStringLiteral("viewList"));
    list->setArrowType(Qt::DownArrow);
    list->setAutoRaise(true);
    list->setPopupMode(QToolButton::InstantPopup);
    list->setToolTip(tr("Every view (Ctrl+1 … Ctrl+9)"));
    auto* listMenu = new QMenu(list);
    listMenu->addActions(views->actions());
    list->setMenu(listMenu);
    m_views->setCornerWidget(list, Qt::TopRightCorner);
}

QString MainWindow::shortcutsHtml() const {
    // Every action with a key, by the menu that holds it, then those of the views (the Runs
    // view's rename and delete), read from the actions themselves so that the list cannot drift.
    QString rows;
    const auto row = [&rows](const QString& where, const QAction* action) {
        rows +=
            QStringLiteral("<tr><td>%1</td><td>%2</td><td><b>%3</b></td></tr>")
                .arg(where.toHtmlEscaped(), action->text().remove(QLatin1Char('&')).toHtmlEscaped(),
                     action->shortcut().toString(QKeySequence::NativeText).toHtmlEscaped());
    };
    QList<const QAction*> listed;
    for (const auto* entry : menuBar()->actions()) {
        if (entry->menu() == nullptr) {
            continue;
        }
        for (const auto* action : entry->menu()->actions()) {
            if (!action->shortcut().isEmpty() && !listed.contains(action)) {
                row(entry->text().remove(QLatin1Char('&')), action);
                listed << action;
            }
        }
    }
    for (const auto* action : m_history->actions()) {
        if (!action->shortcut().isEmpty()) {
            row(tr("Runs view"), action);
        }
    }
    return QStringLiteral("<table cellspacing='0' cellpadding='3'>%1</table>").arg(rows);
}

void MainWindow::showShortcuts() {
    auto* box = new QMessageBox(QMessageBox::Information, tr("Keyboard shortcuts"), shortcutsHtml(),
                                QMessageBox::Close, this);
    box->setObjectName(QStringLiteral("shortcutsDialog"));
    box->setTextFormat(Qt::RichText);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

bool MainWindow::openConfigFile(const QString& path) {
    if (m_controller->isRunning()) {
        say(tr("A run is in progress and the form is locked; open %1 when it has ended")
                .arg(QFileInfo(path).fileName()),
            10000);
        return false;
    }
    return m_setup->openConfigFile(path);
}

namespace {

// The one local .json file a drag carries; empty when it carries anything else.
QString droppedConfig(const QMimeData* mime) {
    if (mime == nullptr || !mime->hasUrls() || mime->urls().size() != 1) {
        return {};
    }
    const auto url = mime->urls().front();
    const QString path = url.isLocalFile() ? url.toLocalFile() : QString();
    return path.endsWith(QStringLiteral(".json"), Qt::CaseInsensitive) ? path : QString();
}

} // namespace

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (!droppedConfig(event->mimeData()).isEmpty()) {
        event->acceptProposedAction();
    }
}

void MainWindow::dropEvent(QDropEvent* event) {
    const QString path = droppedConfig(event->mimeData());
    if (!path.isEmpty()) {
        event->acceptProposedAction();
        openConfigFile(path);
    }
}

} // namespace bt::ui
