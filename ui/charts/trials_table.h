#pragma once

#include <map>
#include <string>

#include <QWidget>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QStandardItemModel;
class QTableView;

namespace bt::ui {

class RunData;

/// Every lower-level training of every method of a run in one table (the Trials view): the
/// method, its phase and index, λ by entry (named as the run names them), the epochs it
/// trained, its validation and test figures, its status (ok, diverged, cancelled, ...) and the
/// seconds it took. Sortable by any column (numbers as numbers), filtered by a text that any
/// column may contain, exported as CSV; activating a row asks to show that trial in the charts.
class TrialsTable : public QWidget {
    Q_OBJECT

public:
    explicit TrialsTable(QWidget* parent = nullptr);

    /// Adds the trials `run` has that the table does not show yet (all of them after a new
    /// run or fewer trials than shown).
    void refresh(const RunData& run);

    /// Shows only the rows where some column contains `text` (case-insensitive).
    void setFilterText(const QString& text);
    /// The rows as shown (filtered and sorted), with their header, as CSV.
    /// @return false with `error` naming the file and the reason
    bool writeCsv(const QString& path, QString* error) const;

    QTableView* view() const { return m_view; }
    /// The table's cell as shown at (`row`, `column`) of the filtered, sorted view (for tests).
    QString cell(int row, int column) const;
    int rowCount() const;

Q_SIGNALS:
    /// A row was activated (double-click, Enter): the trial `index` (0-based, per method) of
    /// `method`.
    void trialActivated(const QString& method, int index);

private:
    void exportRequested();
    void updateCount();

    QLineEdit* m_filter;
    QLabel* m_count;
    QTableView* m_view;
    QStandardItemModel* m_model;
    QSortFilterProxyModel* m_proxy;
    std::string m_runId;
    int m_dimension = -1;
    std::map<std::string, std::size_t> m_shown; ///< trials shown per method
};

} // namespace bt::ui
