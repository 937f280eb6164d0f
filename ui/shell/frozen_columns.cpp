#include "ui/shell/frozen_columns.h"

#include <QEvent>
#include <QHeaderView>
#include <QScrollBar>
#include <QTableView>

namespace bt::ui {

namespace {

const QString kFrozenName = QStringLiteral("frozenColumns");

// Ties a frozen view to the view it lies over; a child of that view, so it lives as long.
class FrozenColumns final : public QObject {
public:
    FrozenColumns(QTableView& view, int count) : QObject(&view), m_view(view), m_count(count) {
        m_frozen = new QTableView(&view);
        m_frozen->setObjectName(kFrozenName);
        m_frozen->setModel(view.model());
        m_frozen->setSelectionModel(view.selectionModel());
        m_frozen->setSelectionBehavior(view.selectionBehavior());
        m_frozen->setSelectionMode(view.selectionMode());
        m_frozen->setEditTriggers(view.editTriggers());
        m_frozen->setToolTip(view.toolTip());
        m_frozen->setFocusPolicy(Qt::NoFocus);
        m_frozen->setFrameShape(QFrame::NoFrame);
        m_frozen->verticalHeader()->hide();
        m_frozen->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        m_frozen->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        m_frozen->setVerticalScrollMode(view.verticalScrollMode());
        m_frozen->verticalHeader()->setDefaultSectionSize(
            view.verticalHeader()->defaultSectionSize());
        // Where the user may drag a column's edge, the frozen columns' edges can be dragged too
        // (and resize the table's); columns sized by their contents follow the table's.
        m_frozen->horizontalHeader()->setSectionResizeMode(
            view.horizontalHeader()->sectionResizeMode(0) == QHeaderView::Interactive
                ? QHeaderView::Interactive
                : QHeaderView::Fixed);
        m_frozen->horizontalHeader()->setSortIndicatorShown(
            view.horizontalHeader()->isSortIndicatorShown());
        m_frozen->horizontalHeader()->setSectionsClickable(
            view.horizontalHeader()->sectionsClickable());
        m_frozen->horizontalHeader()->setSortIndicator(
            view.horizontalHeader()->sortIndicatorSection(),
            view.horizontalHeader()->sortIndicatorOrder());
        // Scrolled by pixels, a column slides under the frozen ones rather than jumping past
        // them; scrolled by columns, the one after the frozen would never be in the clear.
        view.setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
        view.viewport()->stackUnder(m_frozen);
        view.installEventFilter(this);
        connectView();
        syncColumns();
        place();
    }

    QTableView* frozen() const { return m_frozen; }

    bool eventFilter(QObject* watched, QEvent* event) override {
        if (watched == &m_view &&
            (event->type() == QEvent::Resize || event->type() == QEvent::Show ||
             event->type() == QEvent::LayoutRequest || event->type() == QEvent::FontChange ||
             event->type() == QEvent::StyleChange)) {
            place();
        }
        return QObject::eventFilter(watched, event);
    }

private:
    void connectView() {
        auto* header = m_view.horizontalHeader();
        connect(header, &QHeaderView::sectionResized, this, [this](int column, int, int size) {
            if (column < m_count) {
                m_frozen->setColumnWidth(column, size);
                place();
            }
        });
        connect(header, &QHeaderView::geometriesChanged, this, [this] { place(); });
        connect(m_frozen->horizontalHeader(), &QHeaderView::sectionResized, this,
                [this](int column, int, int size) {
                    if (column < m_count && m_view.columnWidth(column) != size) {
                        m_view.setColumnWidth(column, size);
                    }
                });
        connect(m_view.verticalHeader(), &QHeaderView::sectionResized, this,
                [this](int row, int, int size) { m_frozen->setRowHeight(row, size); });
        connect(m_view.verticalScrollBar(), &QScrollBar::valueChanged,
                m_frozen->verticalScrollBar(), &QScrollBar::setValue);
        connect(m_frozen->verticalScrollBar(), &QScrollBar::valueChanged,
                m_view.verticalScrollBar(), &QScrollBar::setValue);
        connect(header, &QHeaderView::sortIndicatorChanged, m_frozen->horizontalHeader(),
                &QHeaderView::setSortIndicator);
        connect(
            m_frozen->horizontalHeader(), &QHeaderView::sectionClicked, this, [this](int column) {
                if (!m_view.isSortingEnabled()) {
                    return;
                }
                const auto* sorted = m_view.horizontalHeader();
                const bool ascending = sorted->sortIndicatorSection() == column &&
                                       sorted->sortIndicatorOrder() == Qt::AscendingOrder;
                m_view.sortByColumn(column, ascending ? Qt::DescendingOrder : Qt::AscendingOrder);
            });
        connect(m_frozen, &QAbstractItemView::clicked, &m_view, &QAbstractItemView::clicked);
        connect(m_frozen, &QAbstractItemView::doubleClicked, &m_view,
                &QAbstractItemView::doubleClicked);
        connect(m_frozen, &QAbstractItemView::activated, &m_view, &QAbstractItemView::activated);
        connect(m_frozen, &QAbstractItemView::pressed, &m_view, &QAbstractItemView::pressed);
        auto* model = m_view.model();
        // A QTableWidget deletes its headers before its model, whose destructor resets it: from
        // then on nothing is left to follow.
        connect(header, &QObject::destroyed, this, [this] { m_following = false; });
        connect(model, &QAbstractItemModel::columnsInserted, this, [this] { syncColumns(); });
        connect(model, &QAbstractItemModel::columnsRemoved, this, [this] { syncColumns(); });
        connect(model, &QAbstractItemModel::modelReset, this, [this] { syncColumns(); });
        connect(model, &QAbstractItemModel::rowsInserted, this,
                [this](const QModelIndex&, int first, int last) { syncRows(first, last); });
        connect(model, &QAbstractItemModel::layoutChanged, this, [this] { syncRows(); });
    }

    void syncColumns() {
        if (!m_following) {
            return;
        }
        const int columns = m_view.model()->columnCount();
        for (int column = 0; column < columns; ++column) {
            m_frozen->setColumnHidden(column, column >= m_count);
            if (column < m_count) {
                m_frozen->setColumnWidth(column, m_view.columnWidth(column));
            }
        }
        syncRows();
        place();
    }

    /// Rows `first` to `last` (every row by default) hidden and sized as in the table; only
    /// those that differ are touched, so a long table's new rows cost little.
    void syncRows(int first = 0, int last = -1) {
        if (!m_following) {
            return;
        }
        last = last < 0 ? m_view.model()->rowCount() - 1 : last;
        for (int row = first; row <= last; ++row) {
            if (m_frozen->isRowHidden(row) != m_view.isRowHidden(row)) {
                m_frozen->setRowHidden(row, m_view.isRowHidden(row));
            }
            if (m_frozen->rowHeight(row) != m_view.rowHeight(row)) {
                m_frozen->setRowHeight(row, m_view.rowHeight(row));
            }
        }
    }

    void place() {
        if (!m_following) {
            return;
        }
        int width = 0;
        for (int column = 0; column < m_count; ++column) {
            width += m_view.isColumnHidden(column) ? 0 : m_view.columnWidth(column);
        }
        const auto viewport = m_view.viewport()->geometry();
        // Frozen columns that take more than half the viewport would leave the others no room.
        const bool shown = width > 0 && 2 * width <= viewport.width();
        m_frozen->setVisible(shown);
        if (!shown) {
            return;
        }
        const int headerHeight = m_view.horizontalHeader()->height();
        m_frozen->horizontalHeader()->setFixedHeight(headerHeight);
        // The header's top is the viewport's top less the header.
        m_frozen->setGeometry(viewport.left(), viewport.top() - headerHeight, width,
                              viewport.height() + headerHeight);
        m_frozen->verticalScrollBar()->setValue(m_view.verticalScrollBar()->value());
    }

    QTableView& m_view;
    QTableView* m_frozen = nullptr;
    int m_count;
    bool m_following = true;
};

} // namespace

QTableView* freezeLeadingColumns(QTableView& view, int count) {
    return (new FrozenColumns(view, count))->frozen();
}

void setRowHidden(QTableView& view, int row, bool hidden) {
    view.setRowHidden(row, hidden);
    if (auto* frozen = view.findChild<QTableView*>(kFrozenName, Qt::FindDirectChildrenOnly)) {
        frozen->setRowHidden(row, hidden);
    }
}

} // namespace bt::ui
