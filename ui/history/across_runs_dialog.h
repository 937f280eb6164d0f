#pragma once

#include <QDialog>

#include "engine/report/across_runs.h"

class QTableWidget;

namespace bt::ui {

/// Runs of the same settings but their seeds, each method over them (store::runsAcrossSeeds, as
/// `bilevel-tuner-cli aggregate` prints it): the lines that say how to read it, then a table of
/// the mean ± standard error of λ*'s retrained and refit figures and each method's retrained
/// test loss against the best's, the best method's row in bold.
class AcrossRunsDialog : public QDialog {
    Q_OBJECT

public:
    explicit AcrossRunsDialog(const report::AcrossRunsTable& table, QWidget* parent = nullptr);

    QTableWidget* table() const { return m_table; }

private:
    QTableWidget* m_table = nullptr;
};

} // namespace bt::ui
