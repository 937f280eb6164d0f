#pragma once

// What the tests of the run form share.

#include <QString>
#include <QStringList>

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

} // namespace bt::testing
