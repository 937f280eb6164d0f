#pragma once

#include <QStringList>
#include <QWidget>

class QAbstractItemView;
class QAction;
class QLabel;
class QLineEdit;
class QTableWidget;

namespace bt::ui {

class RunController;

/// The runs in the run store, newest first (any column sorts; a filter keeps the rows holding its
/// text), each with its recommended model and its task (store::runHeadline): open one (its
/// charts), resume an interrupted, cancelled or failed one, put one's settings into the form (to
/// run it again or change it first), compare two, aggregate several (runs of the same settings,
/// seeds apart: each method's mean ± standard error), export one's report; rename one (F2), delete
/// some (Delete). Each operation is a button of the view's tool bar (in a narrow window the ones
/// that do not fit go to its » menu) and an entry of the table's context menu.
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
    /// The user named run `runId` anew (asked in a dialog, which offers the current name).
    void renameRequested(const QString& runId, const QString& name);
    /// The user asked to delete these runs (the window asks to confirm).
    void deleteRequested(const QStringList& runIds);
    /// The user asked for these runs' figures across their seeds.
    void aggregateRequested(const QStringList& runIds);

private:
    /// An operation on the selected runs: an action of the tool bar and the context menu.
    QAction* addOperation(const QString& text, const QString& tip, const char* name);
    void showContextMenu(const QPoint& at, QAbstractItemView* view);
    void askNewName();
    void updateButtons();
    void applyFilter();
    void updateStatus();

    RunController* m_controller;
    QTableWidget* m_table = nullptr;
    QLineEdit* m_filter = nullptr;
    QLabel* m_status = nullptr;
    int m_runs = 0; ///< in the store at the last refresh
    QAction* m_open = nullptr;
    QAction* m_resume = nullptr;
    QAction* m_settings = nullptr;
    QAction* m_compare = nullptr;
    QAction* m_report = nullptr;
    QAction* m_rename = nullptr;
    QAction* m_delete = nullptr;
    QAction* m_aggregate = nullptr;
};

} // namespace bt::ui
