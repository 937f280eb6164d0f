#include "ui/main_window.h"

#include <QApplication>
#include <QCloseEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QVBoxLayout>

#include "engine/core/version.h"

namespace bt::ui {

MainWindow::MainWindow(const QString& environmentText, const QString& logFile, QWidget* parent)
    : QMainWindow(parent), m_environmentText(environmentText) {
    setWindowTitle(tr("Bilevel Tuner"));
    setObjectName(QStringLiteral("mainWindow"));
    createMenus();

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

    statusBar()->showMessage(tr("Ready"));
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("mainWindow/geometry")).toByteArray())) {
        resize(900, 600);
    }
}

void MainWindow::createMenus() {
    auto* file = menuBar()->addMenu(tr("&File"));
    auto* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setObjectName(QStringLiteral("actionQuit"));

    auto* help = menuBar()->addMenu(tr("&Help"));
    auto* about = help->addAction(tr("&About Bilevel Tuner"), this, &MainWindow::showAbout);
    about->setObjectName(QStringLiteral("actionAbout"));
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
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
    QSettings settings;
    settings.setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
    event->accept();
}

} // namespace bt::ui
