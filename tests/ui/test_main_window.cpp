#include <QtTest>

#include <QAction>
#include <QLabel>
#include <QMenuBar>
#include <QStandardPaths>

#include "ui/main_window.h"

class TestMainWindow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        // Keep the test's settings away from the user's.
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("bilevel-tuner-tests"));
    }

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
                                     QStringLiteral("Help")}));
        // The environment facts are shown as label rows.
        bool foundBlas = false;
        for (auto* label : window.findChildren<QLabel*>()) {
            foundBlas = foundBlas || label->text() == QStringLiteral("/x/openblas");
        }
        QVERIFY(foundBlas);
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
