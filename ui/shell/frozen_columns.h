#pragma once

class QTableView;

namespace bt::ui {

/// Keeps the first `count` columns of `view` in place while the others scroll sideways, as a
/// spreadsheet freezes its first column: a second view of the same model and selection, showing
/// only those columns, lies over the left of `view`'s viewport (objectName "frozenColumns").
/// Rows, their heights, the vertical scroll, the sort (a click on a frozen header sorts `view`),
/// and clicks and activations (re-emitted as `view`'s own signals, so QTableWidget's cell
/// signals follow) are shared. `view` scrolls sideways by pixels, so that every column can be
/// brought clear of the frozen ones. Where the frozen columns would take more than half the
/// viewport they scroll with the rest. Call after `view` has its model; hide rows through
/// `setRowHidden` below.
/// @return the frozen view, owned by `view`
QTableView* freezeLeadingColumns(QTableView& view, int count = 1);

/// `view.setRowHidden(row, hidden)` for `view` and, where it has them, its frozen columns.
void setRowHidden(QTableView& view, int row, bool hidden);

} // namespace bt::ui
