#pragma once

#include <QDialog>

#include "ui/session/run_data.h"
#include "ui/session/stored_run.h"

namespace bt::ui {

class ComparisonChart;

/// Two stored runs side by side: every method's anytime curve of run A (solid) and run B
/// (dashed), and one results table with a row per run and method, the best of each column
/// marked.
class RunComparisonDialog : public QDialog {
    Q_OBJECT

public:
    RunComparisonDialog(const StoredRun& first, const StoredRun& second, QWidget* parent = nullptr);

    ComparisonChart* chart() const { return m_chart; }
    const RunData& data() const { return m_data; }

private:
    RunData m_data;
    ComparisonChart* m_chart = nullptr;
};

} // namespace bt::ui
