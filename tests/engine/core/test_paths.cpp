#include <QtTest>

#include <cstdlib>

#include "engine/core/error.h"
#include "engine/core/paths.h"

class TestPaths : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void dataDirHonoursOverride() {
        qputenv("BILEVEL_TUNER_DATA_DIR", "/tmp/bt-data-override");
        QCOMPARE(QString::fromStdString(bt::core::dataDir().string()),
                 QStringLiteral("/tmp/bt-data-override"));
        qunsetenv("BILEVEL_TUNER_DATA_DIR");
    }

    void dataDirFollowsXdg() {
        qunsetenv("BILEVEL_TUNER_DATA_DIR");
        qputenv("XDG_DATA_HOME", "/tmp/xdg-data");
        QCOMPARE(QString::fromStdString(bt::core::dataDir().string()),
                 QStringLiteral("/tmp/xdg-data/bilevel-tuner"));
        // A relative XDG path is invalid by the XDG rule and falls back to ~/.local/share.
        qputenv("XDG_DATA_HOME", "relative/path");
        qputenv("HOME", "/tmp/home-x");
        QCOMPARE(QString::fromStdString(bt::core::dataDir().string()),
                 QStringLiteral("/tmp/home-x/.local/share/bilevel-tuner"));
    }

    void stateDirFollowsXdg() {
        qputenv("XDG_STATE_HOME", "/tmp/xdg-state");
        QCOMPARE(QString::fromStdString(bt::core::stateDir().string()),
                 QStringLiteral("/tmp/xdg-state/bilevel-tuner"));
    }

    void inputErrorNamesWhere() {
        const bt::core::InputError e("a.csv:3:7", "expected a number, found 'x'");
        QCOMPARE(QString(e.what()), QStringLiteral("a.csv:3:7: expected a number, found 'x'"));
        QCOMPARE(QString::fromStdString(e.where()), QStringLiteral("a.csv:3:7"));
    }
};

QTEST_GUILESS_MAIN(TestPaths)
#include "test_paths.moc"
