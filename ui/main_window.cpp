#include "ui/main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QVBoxLayout>

#include "engine/core/version.h"
#include "ui/log_panel.h"
#include "ui/run_controller.h"
#include "ui/run_progress_bar.h"

namespace bt::ui {

MainWindow::MainWindow(const QString& environmentText, const QString& logFile, QWidget* parent)
    : QMainWindow(parent), m_environmentText(environmentText),
      m_controller(new RunController(this)) {
    setWindowTitle(tr("Bilevel Tuner"));
    setObjectName(QStringLiteral("mainWindow"));

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    auto* title = new QLabel(tr("<h2>Bilevel Tuner %1</h2><p>Gradient-based bilevel tuning of "
                                "regularisation hyperparameters, compared with grid search, "
                                "random search, Bayesian optimisation and Hyperband.</p>")
                                 .arg(QString::fromLatin1(core::kVersion)),
                             central);
    title->setWordWrap(true);
    layout->addWidget(title);

    auto* group = new QGroupBox(tr("Environment"), central);
    auto* form = new QFormLayout(group);
    for (const auto& line : environmentText.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
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
    setCentralWidget(central);

    m_logPanel = new LogPanel(this);
    auto* logDock = new QDockWidget(tr("Log"), this);
    logDock->setObjectName(QStringLiteral("logDock"));
    logDock->setWidget(m_logPanel);
    addDockWidget(Qt::BottomDockWidgetArea, logDock);
    connect(m_controller, &RunController::logged, m_logPanel, &LogPanel::append);

    m_progress = new RunProgressBar(this);
    statusBar()->addPermanentWidget(m_progress, 1);
    connect(m_controller, &RunController::progressChanged, m_progress, &RunProgressBar::setState);
    connect(m_controller, &RunController::runStarted, this, [this] { updateActions(); });
    connect(m_controller, &RunController::errorOccurred, this, [this](const QString& message) {
        // open(), not exec(): a nested event loop here would deliver later events re-entrantly.
        auto* box = new QMessageBox(QMessageBox::Warning, tr("The run failed"), message,
                                    QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->setObjectName(QStringLiteral("runErrorDialog"));
        box->open();
    });
    connect(m_controller, &RunController::runFinished, this,
            [this](const report::RunResult& result) {
                onRunFinished(QString::fromStdString(result.status),
                              QString::fromStdString(result.message));
            });

    createMenus();
    updateActions();
    statusBar()->showMessage(tr("Ready"));
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("mainWindow/geometry")).toByteArray())) {
        resize(1280, 820);
    }
    restoreState(settings.value(QStringLiteral("mainWindow/state")).toByteArray());
}

void MainWindow::createMenus() {
    auto* file = menuBar()->addMenu(tr("&File"));
    auto* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setObjectName(QStringLiteral("actionQuit"));

    auto* runMenu = menuBar()->addMenu(tr("&Run"));
    m_cancelAction = runMenu->addAction(tr("&Cancel run"), m_controller, &RunController::cancel);
    m_cancelAction->setShortcut(QKeySequence(Qt::Key_Escape));
    m_cancelAction->setObjectName(QStringLiteral("actionCancel"));

    auto* help = menuBar()->addMenu(tr("&Help"));
    auto* about = help->addAction(tr("&About Bilevel Tuner"), this, &MainWindow::showAbout);
    about->setObjectName(QStringLiteral("actionAbout"));
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::updateActions() {
    m_cancelAction->setEnabled(m_controller->isRunning());
}

void MainWindow::onRunFinished(const QString& status, const QString& message) {
    updateActions();
    statusBar()->showMessage(message.isEmpty() ? tr("Run %1").arg(status)
                                               : tr("Run %1: %2").arg(status, message));
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
            statusBar()->showMessage(tr("Cancelling the run before quitting…"));
            m_controller->cancel();
        }
        // runFinished closes the window once the engine thread has stopped.
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("mainWindow/state"), saveState());
    event->accept();
}

} // namespace bt::ui
