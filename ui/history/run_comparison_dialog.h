#pragma once

#include <QDialog>

#include "ui/session/run_data.h"
#include "ui/session/stored_run.h"

class QLabel;

namespace bt::ui {

class ComparisonChart;

/// Two stored runs side by side: every method's anytime curve of run A (solid) and run B
/// (dashed), and one results table with a row per run and method, the best of each column
/// marked. Above them, the settings the runs differ in; where their data differ
/// (config::compareConfigs), the runs may validate and test on different rows and the table
/// marks no best and recommends no model.
class RunComparisonDialog : public QDialog {
    Q_OBJECT

public:
    RunComparisonDialog(const StoredRun& first, const StoredRun& second, QWidget* parent = nullptr);

    ComparisonChart* chart() const { return m_chart; }
    const RunData& data() const { return m_data; }
    /// The text above the chart: the runs, the settings they differ in, the data warning.
    QString headerText() const;

private:
    RunData m_data;
    ComparisonChart* m_chart = nullptr;
    QLabel* m_header = nullptr;
};

} // namespace bt::ui
