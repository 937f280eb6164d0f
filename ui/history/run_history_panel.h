#pragma once

#include <QStringList>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace bt::ui {

class RunController;

/// The runs in the run store, newest first (any column sorts; a filter keeps the rows holding its
/// text), each with its recommended model and its task (store::runHeadline): open one (its
/// charts), resume an interrupted, cancelled or failed one, put one's settings into the form (to
/// run it again or change it first), compare two, export one's report.
class RunHistoryPanel : public QWidget {
    Q_OBJECT

public:
    explicit RunHistoryPanel(RunController* controller, QWidget* parent = nullptr);

    /// Reads the store's list of runs again.
    void refresh();
    QStringList selectedRunIds() const;
    QTableWidget* table() const { return m_table; }
    /// Shows only the rows with `text` in a cell (any case); empty shows every row.
    void setFilterText(const QString& text);

Q_SIGNALS:
    void openRequested(const QString& runId);
    void resumeRequested(const QString& runId);
    void settingsRequested(const QString& runId);
    void compareRequested(const QString& first, const QString& second);
    void reportRequested(const QString& runId);

private:
    void updateButtons();
    void applyFilter();
    void updateStatus();

    RunController* m_controller;
    QTableWidget* m_table = nullptr;
    QLineEdit* m_filter = nullptr;
    QLabel* m_status = nullptr;
    int m_runs = 0; ///< in the store at the last refresh
    QPushButton* m_open = nullptr;
    QPushButton* m_resume = nullptr;
    QPushButton* m_settings = nullptr;
    QPushButton* m_compare = nullptr;
    QPushButton* m_report = nullptr;
};

} // namespace bt::ui
