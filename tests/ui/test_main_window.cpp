#include <QtTest>

#include <memory>

#include <QAction>
#include <QLabel>
#include <QMenuBar>
#include <QStandardPaths>

#include <QAbstractButton>
#include <QChart>
#include <QChartView>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QPainter>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QStatusTipEvent>
#include <QStyle>
#include <QStyleOption>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolButton>
#include <QUrl>

#include "qt_test_support.h"
#include "tiny_ridge_run.h"
#include "ui/charts/live_charts.h"
#include "ui/charts/run_chart.h"
#include "ui/export/view_capture.h"
#include "ui/history/run_history_panel.h"
#include "ui/session/run_controller.h"
#include "ui/session/run_progress_bar.h"
#include "ui/setup/setup_panel.h"
#include "ui/shell/dark_theme.h"
#include "ui/shell/main_window.h"

class TestMainWindow : public QObject {
    Q_OBJECT

    static void answerQuestion(QMessageBox::StandardButton answer) {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        QVERIFY(box != nullptr);
        box->button(answer)->click();
    }

private Q_SLOTS:
    void initTestCase() { bt::testing::isolateSettings(); }

    void showsMenusAndEnvironment() {
        bt::ui::MainWindow window(QStringLiteral("LibTorch: 1.13.0\nBLAS (loaded): /x/openblas"),
                                  QStringLiteral("/tmp/log.txt"));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QStringList menus;
        for (auto* action : window.menuBar()->actions()) {
            menus << action->text().remove(QLatin1Char('&'));
        }
        QCOMPARE(menus, (QStringList{QStringLiteral("File"), QStringLiteral("Run"),
                                     QStringLiteral("View"), QStringLiteral("Help")}));
        // The environment facts are shown as label rows.
        bool foundBlas = false;
        for (auto* label : window.findChildren<QLabel*>()) {
            foundBlas = foundBlas || label->text() == QStringLiteral("/x/openblas");
        }
        QVERIFY(foundBlas);
    }

    // The status bar's messages have room beside the run's progress, in the smallest window.
    void statusMessagesHaveRoom() {
        bt::ui::MainWindow window(QStringLiteral("LibTorch: 1.13.0"), QStringLiteral("log"));
        window.resize(window.minimumSize());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* progress = window.findChild<bt::ui::RunProgressBar*>();
        QVERIFY(progress != nullptr);
        QVERIFY(!progress->isVisible()); // idle: the messages have the whole bar
        progress->setState({0.4, QStringLiteral("bilevel: outer iteration 2/2"), 95.0, 140.0});
        progress->show(); // as a run's progress does
        const QString message = QStringLiteral("Showing run 20261207-154206-56e1 (completed)");
        window.statusBar()->showMessage(message);
        QCoreApplication::processEvents();
        const int needed = window.statusBar()->fontMetrics().horizontalAdvance(message);
        QVERIFY2(progress->geometry().left() > needed,
                 qPrintable(QStringLiteral("the progress starts at %1 px of %2; the message needs "
                                           "%3 px")
                                .arg(progress->geometry().left())
                                .arg(window.statusBar()->width())
                                .arg(needed)));
    }

    // A chart's hover hint shows while the pointer is over it and gives the window's message
    // back when it leaves (Qt's own handling left the bar empty).
    void aStatusTipGivesTheMessageBack() {
        bt::ui::MainWindow window(QStringLiteral("LibTorch: 1.13.0"), QStringLiteral("log"));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.statusBar()->currentMessage(), QStringLiteral("Ready"));
        auto* chart = window.findChild<QChartView*>();
        QVERIFY(chart != nullptr && !chart->statusTip().isEmpty());
        QStatusTipEvent enter(chart->statusTip());
        QCoreApplication::sendEvent(chart, &enter);
        QCOMPARE(window.statusBar()->currentMessage(), chart->statusTip());
        QStatusTipEvent leave{QString()};
        QCoreApplication::sendEvent(chart, &leave);
        QCOMPARE(window.statusBar()->currentMessage(), QStringLiteral("Ready"));

        // A message with a time limit comes back only within it (a run's warning: 10 s).
        Q_EMIT window.controller()->warningRaised(QStringLiteral("the GP fit needed jitter"));
        QCOMPARE(window.statusBar()->currentMessage(), QStringLiteral("the GP fit needed jitter"));
        QCoreApplication::sendEvent(chart, &enter);
        QCoreApplication::sendEvent(chart, &leave);
        QCOMPARE(window.statusBar()->currentMessage(), QStringLiteral("the GP fit needed jitter"));

        // A screenshot shows the window's message, not the hint where the pointer rests.
        QCoreApplication::sendEvent(chart, &enter);
        QTemporaryDir dir;
        QVERIFY(bt::ui::captureWindow(window, dir.filePath(QStringLiteral("window.png"))));
        QCOMPARE(window.statusBar()->currentMessage(), QStringLiteral("the GP fit needed jitter"));
    }

    void shortcuts() {
        bt::ui::MainWindow window(QStringLiteral("LibTorch: 1.13.0"), QStringLiteral("log"));
        auto shortcutOf = [&window](const char* name) {
            auto* action = window.findChild<QAction*>(QString::fromLatin1(name));
            return action != nullptr ? action->shortcut() : QKeySequence();
        };
        QCOMPARE(shortcutOf("actionStart"), QKeySequence(Qt::CTRL | Qt::Key_R));
        QCOMPARE(shortcutOf("actionCancel"), QKeySequence(Qt::Key_Escape));
        QCOMPARE(shortcutOf("actionExportChart"), QKeySequence(Qt::CTRL | Qt::Key_E));
        // Help ▸ Keyboard shortcuts lists them all, the views' too, read from the actions.
        QCOMPARE(shortcutOf("actionShortcuts"), QKeySequence(QKeySequence::HelpContents));
        const QString keys = window.shortcutsHtml();
        for (const char* text :
             {"Start run</td><td><b>Ctrl+R", "Cancel run</td><td><b>Esc",
              "Runs view</td><td>Rename…</td><td><b>F2", "Runs view</td><td>Delete…</td><td><b>Del",
              "Log</td><td><b>Ctrl+L", "Runs</td><td><b>Ctrl+8",
              "Save configuration as…</td><td><b>Ctrl+Shift+S"}) {
            QVERIFY2(keys.contains(QString::fromUtf8(text)), qPrintable(text + (" in " + keys)));
        }
    }

    // Every view is reachable by name and by Ctrl+N, from the View menu and from the list
    // beside the tabs (at the smallest width the tabs scroll the Runs view out of sight), and
    // a closed log comes back.
    void everyViewIsReachable() {
        bt::ui::MainWindow window(QStringLiteral("LibTorch: 1.13.0"), QStringLiteral("log"));
        window.resize(960, 560);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* views = window.findChild<QTabWidget*>(QStringLiteral("views"));
        QVERIFY(views != nullptr);
        QVERIFY(views->count() >= 9);
        auto* list = window.findChild<QToolButton*>(QStringLiteral("viewList"));
        QVERIFY(list != nullptr && list->menu() != nullptr);
        QCOMPARE(views->cornerWidget(Qt::TopRightCorner), list);
        QCOMPARE(list->menu()->actions().size(), views->count());
        for (int i = 0; i < views->count(); ++i) {
            auto* action = window.findChild<QAction*>(QStringLiteral("actionView%1").arg(i + 1));
            QVERIFY(action != nullptr);
            QCOMPARE(action->text(), views->tabText(i));
            QCOMPARE(list->menu()->actions().at(i), action);
            if (i < 9) {
                QCOMPARE(action->shortcut(),
                         QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + i)));
            }
        }
        const int runs = views->indexOf(window.historyPanel());
        QVERIFY(runs >= 0 && runs < 9);
        QTest::keyClick(&window, static_cast<Qt::Key>(Qt::Key_1 + runs), Qt::ControlModifier);
        QCOMPARE(views->currentIndex(), runs);
        views->setCurrentIndex(2);
        QVERIFY(window.findChild<QAction*>(QStringLiteral("actionView3"))->isChecked());
        QVERIFY(
            !window.findChild<QAction*>(QStringLiteral("actionView%1").arg(runs + 1))->isChecked());

        auto* log = window.findChild<QDockWidget*>(QStringLiteral("logDock"));
        auto* showLog = window.findChild<QAction*>(QStringLiteral("actionShowLog"));
        QVERIFY(log != nullptr && showLog != nullptr);
        QVERIFY(log->isVisible() && showLog->isChecked());
        log->close();
        QVERIFY(!log->isVisible() && !showLog->isChecked());
        showLog->trigger();
        QVERIFY(log->isVisible());
    }

    // File ▸ Open recent lists the configurations opened last, newest first, reopens one,
    // forgets a file gone from disk and clears; a .json file dropped on the window opens.
    void recentConfigurationsAndDrops() {
        QSettings().remove(QStringLiteral("setup/recentConfigs"));
        QTemporaryDir dir;
        bt::testing::writeRidgeFiles(dir.path());
        bt::ui::MainWindow window(QStringLiteral("LibTorch: 1.13.0"), QStringLiteral("log"));
        auto* setup = window.setupPanel();
        const auto config = bt::testing::tinyRidgeConfig(dir.path(), {"random"}, 20);
        const QString first = dir.filePath(QStringLiteral("first.json"));
        const QString second = dir.filePath(QStringLiteral("second.json"));
        setup->setConfig(config);
        QString error;
        QVERIFY2(setup->saveFile(first, &error) && setup->saveFile(second, &error),
                 qPrintable(error));
        auto* recent = window.findChild<QMenu*>(QStringLiteral("menuRecent"));
        QVERIFY(recent != nullptr);
        QVERIFY(!recent->isEnabled());
        const auto entries = [recent] {
            Q_EMIT recent->aboutToShow();
            QStringList out;
            for (auto* action : recent->actions()) {
                out << action->text();
            }
            return out;
        };

        QVERIFY(window.openConfigFile(first));
        QVERIFY(window.openConfigFile(second));
        QCOMPARE(setup->configName(), QStringLiteral("second"));
        QTRY_VERIFY(recent->isEnabled());
        auto list = entries();
        QCOMPARE(list.size(), 4); // two files, a separator, "Clear the list"
        QVERIFY2(list[0].startsWith(QStringLiteral("&1 second.json")), qPrintable(list[0]));
        QVERIFY2(list[1].startsWith(QStringLiteral("&2 first.json")), qPrintable(list[1]));
        recent->actions().at(1)->trigger(); // first, from the menu
        QCOMPARE(setup->configName(), QStringLiteral("first"));
        QCoreApplication::processEvents();
        QVERIFY(entries().at(0).startsWith(QStringLiteral("&1 first.json")));

        QFile::remove(second);
        list = entries();
        QCOMPARE(list.size(), 3);
        recent->actions().at(2)->trigger(); // Clear the list
        QCoreApplication::processEvents();
        Q_EMIT recent->aboutToShow();
        QVERIFY(!recent->isEnabled());

        // Dropped: a .json file opens; anything else is not taken.
        QVERIFY(setup->saveFile(second, &error));
        QMimeData json;
        json.setUrls({QUrl::fromLocalFile(second)});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &json, Qt::LeftButton,
                              Qt::NoModifier);
        QCoreApplication::sendEvent(&window, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &json, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(&window, &drop);
        QCOMPARE(setup->configName(), QStringLiteral("second"));
        QMimeData csv;
        csv.setUrls({QUrl::fromLocalFile(dir.filePath(QStringLiteral("train.csv")))});
        QDragEnterEvent other(QPoint(10, 10), Qt::CopyAction, &csv, Qt::LeftButton, Qt::NoModifier);
        other.setAccepted(false);
        QCoreApplication::sendEvent(&window, &other);
        QVERIFY(!other.isAccepted());
    }

    // The window's title names the run on screen and carries its progress (seen in the task bar)
    // until it ends.
    void theTitleCarriesTheProgress() {
        bt::ui::MainWindow window(QStringLiteral("LibTorch: 1.13.0"), QStringLiteral("log"));
        QCOMPARE(window.windowTitle(), QStringLiteral("Bilevel Tuner"));
        window.charts()->startRun(QStringLiteral("20261207-000000-abcd"), bt::config::RunConfig{},
                                  QStringLiteral("ridge"));
        bt::ui::RunProgressState state;
        state.fraction = 0.427;
        Q_EMIT window.controller()->progressChanged(state);
        QCOMPARE(window.windowTitle(),
                 QStringLiteral("42 % · ridge (20261207-000000-abcd) · Bilevel Tuner"));
        state.ended = true;
        Q_EMIT window.controller()->progressChanged(state);
        QCOMPARE(window.windowTitle(),
                 QStringLiteral("ridge (20261207-000000-abcd) · Bilevel Tuner"));
    }

    // Closing during a run asks; on yes it cancels, waits for the engine thread, then closes.
    void closingDuringARunAsksCancelsAndWaits() {
        QTemporaryDir dir;
        bt::testing::writeRidgeFiles(dir.path());
        bt::ui::MainWindow window(QStringLiteral("LibTorch: 1.13.0"), QStringLiteral("log"));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto config = bt::testing::tinyRidgeConfig(dir.path(), {"random"}, 200);
        config.random.trials = 1000;
        window.setupPanel()->setConfig(config);
        QSignalSpy samples(window.controller(), &bt::ui::RunController::sampleRecorded);
        QSignalSpy finished(window.controller(), &bt::ui::RunController::runFinished);
        QCOMPARE(window.statusBar()->currentMessage(), QStringLiteral("Ready"));
        QVERIFY(window.startRun());
        QVERIFY(samples.wait(30000));
        // The progress shows the run; the message of before it ("Ready") is gone.
        QVERIFY(window.findChild<bt::ui::RunProgressBar*>()->isVisible());
        QVERIFY(window.statusBar()->currentMessage().isEmpty());

        // First "No": the run goes on and the window stays.
        QTimer::singleShot(100, [] { answerQuestion(QMessageBox::No); });
        window.close();
        QVERIFY(window.isVisible());
        QVERIFY(window.controller()->isRunning());

        QTimer::singleShot(100, [] { answerQuestion(QMessageBox::Yes); });
        window.close();
        QVERIFY(window.controller()->cancelRequested());
        QVERIFY(finished.wait(5000));
        QTRY_VERIFY(!window.isVisible());
        QVERIFY(!window.controller()->isRunning());
        const auto result = finished.at(0).at(0).value<bt::report::RunResult>();
        QCOMPARE(bt::ui::statusText(result.status), QStringLiteral("cancelled"));
        // The status bar names the run that ended and how.
        QVERIFY2(window.statusBar()->currentMessage().startsWith(
                     QStringLiteral("Run %1 cancelled").arg(QString::fromStdString(result.runId))),
                 qPrintable(window.statusBar()->currentMessage()));
    }

    // --dark's check boxes show their box unchecked: on a list's base (the form's methods) and
    // on the window (Fusion's own outline, the window colour darkened, was 6 levels of lightness
    // from the base).
    // --dark's tool bar extension (the Runs view's » in a narrow window) is light, not Fusion's
    // dark pixmap on a dark window; its links are light too.
    void darkToolBarExtensionIsVisible() {
        const std::unique_ptr<QStyle> style(bt::ui::makeDarkStyle());
        const QImage image = style->standardIcon(QStyle::SP_ToolBarHorizontalExtensionButton)
                                 .pixmap(10, 10)
                                 .toImage();
        int lightest = 0;
        for (int y = 0; y < image.height(); ++y) {
            for (int x = 0; x < image.width(); ++x) {
                const QColor colour = image.pixelColor(x, y);
                if (colour.alpha() > 128) {
                    lightest = std::max(lightest, colour.lightness());
                }
            }
        }
        QVERIFY2(lightest >= 180, qPrintable(QString::number(lightest)));
        // So is a link (the form's "make them now"), against the window.
        const QPalette palette = bt::ui::makeDarkPalette();
        QVERIFY(palette.color(QPalette::Link).lightness() -
                    palette.color(QPalette::Window).lightness() >=
                80);
    }

    void darkCheckBoxesShowTheirBox() {
        const std::unique_ptr<QStyle> style(bt::ui::makeDarkStyle());
        const QPalette palette = bt::ui::makeDarkPalette();
        for (const auto& [role, element] :
             {std::pair{QPalette::Base, QStyle::PE_IndicatorItemViewItemCheck},
              std::pair{QPalette::Window, QStyle::PE_IndicatorCheckBox}}) {
            QImage image(36, 36, QImage::Format_RGB32);
            const QColor background = palette.color(role);
            image.fill(background);
            QStyleOptionViewItem item; // a QStyleOptionButton's fields suffice for both
            QStyleOptionButton button;
            QStyleOption& option = element == QStyle::PE_IndicatorCheckBox
                                       ? static_cast<QStyleOption&>(button)
                                       : static_cast<QStyleOption&>(item);
            option.palette = palette;
            option.rect = QRect(10, 10, 16, 16);
            option.state = QStyle::State_Enabled | QStyle::State_Off;
            {
                QPainter painter(&image);
                style->drawPrimitive(element, &option, &painter, nullptr);
            }
            int most = 0;
            for (int y = 0; y < image.height(); ++y) {
                for (int x = 0; x < image.width(); ++x) {
                    most = std::max(most, std::abs(QColor(image.pixel(x, y)).lightness() -
                                                   background.lightness()));
                }
            }
            QVERIFY2(most >= 60, qPrintable(QStringLiteral("the box differs by %1 from its "
                                                           "background")
                                                .arg(most)));
        }
    }

    // A dark palette gives the charts the dark theme.
    void chartsFollowADarkPalette() {
        const QPalette saved = QApplication::palette();
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(40, 40, 40));
        dark.setColor(QPalette::WindowText, QColor(230, 230, 230));
        QApplication::setPalette(dark);
        {
            bt::ui::MainWindow window(QStringLiteral("LibTorch: 1.13.0"), QStringLiteral("log"));
            for (auto* chart : window.charts()->charts()) {
                QVERIFY(chart->chartViews().front()->chart()->theme() == QChart::ChartThemeDark);
            }
        }
        QApplication::setPalette(saved);
        bt::ui::MainWindow light(QStringLiteral("LibTorch: 1.13.0"), QStringLiteral("log"));
        QVERIFY(light.charts()->charts().front()->chartViews().front()->chart()->theme() ==
                QChart::ChartThemeLight);
    }

    void quitClosesTheWindow() {
        bt::ui::MainWindow window(QStringLiteral("LibTorch: 1.13.0"), QStringLiteral("log"));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* quit = window.findChild<QAction*>(QStringLiteral("actionQuit"));
        QVERIFY(quit != nullptr);
        QCOMPARE(quit->shortcut(), QKeySequence(QKeySequence::Quit));
        quit->trigger();
        QVERIFY(!window.isVisible());
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
