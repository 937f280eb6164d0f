#pragma once

// What the tests of the run form share.

#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QtTest>

#include "qt_test_support.h"
#include "tiny_ridge_run.h"
#include "ui/setup/setup_panel.h"

namespace bt::testing {

/// Every problem the form holds, its own and its data's, in one line (for failure messages).
inline QString problemsOf(const bt::ui::SetupPanel& panel) {
    QStringList out;
    for (const auto& p : panel.problems()) {
        out << QString::fromStdString(p.toString());
    }
    for (const auto& p : panel.dataProblems()) {
        out << QString::fromStdString(p.message);
    }
    return out.join(QStringLiteral("; "));
}

/// The form tests' start: settings of their own, the tiny ridge task's files in `data`, and an
/// empty folder to point the form at where data should be missing.
inline void prepareFormTest(const QTemporaryDir& data, const QTemporaryDir& empty) {
    isolateSettings();
    QVERIFY(data.isValid());
    QVERIFY(empty.isValid());
    writeRidgeFiles(data.path());
}

} // namespace bt::testing
