#pragma once

// What the UI tests share: settings kept away from the user's, a table's column by its title.

#include <QCoreApplication>
#include <QStandardPaths>
#include <QTableWidget>

namespace bt::testing {

/// QSettings and standard paths of the tests' own (QStandardPaths' test mode, an organisation
/// of their own), never the user's; with `dataFolder`, the data folder too (result.json files
/// of runs go there).
inline void isolateSettings(const QString& dataFolder = {}) {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("bilevel-tuner-tests"));
    if (!dataFolder.isEmpty()) {
        qputenv("BILEVEL_TUNER_DATA_DIR", dataFolder.toUtf8());
    }
}

/// The column of `table` whose header reads `title`; -1 when none does.
inline int columnTitled(const QTableWidget* table, const char* title) {
    for (int c = 0; c < table->columnCount(); ++c) {
        if (table->horizontalHeaderItem(c)->text() == QString::fromUtf8(title)) {
            return c;
        }
    }
    return -1;
}

} // namespace bt::testing
