#include <QtTest>

#include <QHeaderView>
#include <QScrollBar>
#include <QTableWidget>

#include "ui/shell/frozen_columns.h"

using namespace bt;

namespace {

// 8 rows of 12 columns, "r<row>c<column>", wider than the window that shows them; column 0 holds
// the row's number, descending, so that a sort by it reverses the rows.
std::unique_ptr<QTableWidget> wideTable() {
    auto table = std::make_unique<QTableWidget>(8, 12);
    for (int row = 0; row < 8; ++row) {
        table->setItem(row, 0, new QTableWidgetItem(QString::number(8 - row)));
        for (int column = 1; column < 12; ++column) {
            table->setItem(row, column,
                           new QTableWidgetItem(QStringLiteral("r%1c%2").arg(row).arg(column)));
        }
    }
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    for (int column = 0; column < 12; ++column) {
        table->setColumnWidth(column, 80);
    }
    table->resize(400, 200);
    return table;
}

// The model row the frozen view shows at the top of its viewport.
int topRow(const QTableView& view) {
    return view.rowAt(0);
}

} // namespace

class TestFrozenColumns : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void staysOverTheLeftWhileTheRestScrolls() {
        auto table = wideTable();
        auto* frozen = ui::freezeLeadingColumns(*table, 1);
        table->show();
        QVERIFY(QTest::qWaitForWindowExposed(table.get()));
        QVERIFY(frozen->isVisible());
        QCOMPARE(frozen->objectName(), QStringLiteral("frozenColumns"));
        // Only the first column, as wide as the table's, over the left of its viewport.
        QVERIFY(!frozen->isColumnHidden(0));
        for (int column = 1; column < 12; ++column) {
            QVERIFY(frozen->isColumnHidden(column));
        }
        QCOMPARE(frozen->geometry().left(), table->viewport()->geometry().left());
        QCOMPARE(frozen->width(), table->columnWidth(0));
        QCOMPARE(frozen->geometry().bottom(), table->viewport()->geometry().bottom());
        // Scrolled to the far right, the first column is out of the table's own viewport but the
        // frozen view still shows it where it was; the last column is in the clear.
        auto* sideways = table->horizontalScrollBar();
        QVERIFY(sideways->maximum() > 0);
        QCOMPARE(table->horizontalScrollMode(), QAbstractItemView::ScrollPerPixel);
        sideways->setValue(sideways->maximum());
        QVERIFY(table->columnViewportPosition(0) < 0);
        QCOMPARE(frozen->columnViewportPosition(0), 0);
        QVERIFY(table->columnViewportPosition(11) >= frozen->width());
        QCOMPARE(frozen->geometry().left(), table->viewport()->geometry().left());
        // Every column can be brought clear of the frozen one.
        for (int column = 1; column < 12; ++column) {
            sideways->setValue(std::min(sideways->maximum(), table->columnViewportPosition(column) +
                                                                 sideways->value() -
                                                                 frozen->width()));
            QVERIFY2(table->columnViewportPosition(column) >= frozen->width(),
                     qPrintable(QStringLiteral("column %1").arg(column)));
        }
    }

    void followsTheVerticalScrollTheRowsAndTheWidth() {
        auto table = wideTable();
        auto* frozen = ui::freezeLeadingColumns(*table, 1);
        table->show();
        QVERIFY(QTest::qWaitForWindowExposed(table.get()));
        table->verticalScrollBar()->setValue(table->verticalScrollBar()->maximum());
        QVERIFY(topRow(*table) > 0);
        QCOMPARE(topRow(*frozen), topRow(*table));
        // Scrolling the frozen view (the wheel over it) scrolls the table.
        frozen->verticalScrollBar()->setValue(0);
        QCOMPARE(topRow(*table), 0);
        // A row hidden through setRowHidden is hidden in both.
        ui::setRowHidden(*table, 2, true);
        QVERIFY(table->isRowHidden(2));
        QVERIFY(frozen->isRowHidden(2));
        ui::setRowHidden(*table, 2, false);
        QVERIFY(!frozen->isRowHidden(2));
        // Rows added later are shown with their own height.
        table->insertRow(8);
        table->setRowHeight(8, 41);
        QCOMPARE(frozen->rowHeight(8), 41);
        // The first column's width follows the table's.
        table->setColumnWidth(0, 120);
        QCOMPARE(frozen->columnWidth(0), 120);
        QCOMPARE(frozen->width(), 120);
        // The table's columns are interactive, so the frozen one's edge can be dragged and
        // resizes the table's column.
        QCOMPARE(frozen->horizontalHeader()->sectionResizeMode(0), QHeaderView::Interactive);
        frozen->horizontalHeader()->resizeSection(0, 100);
        QCOMPARE(table->columnWidth(0), 100);
        QCOMPARE(frozen->width(), 100);
        // Wider than half the viewport, the frozen column scrolls with the rest.
        table->setColumnWidth(0, table->viewport()->width() / 2 + 10);
        QVERIFY(!frozen->isVisible());
        table->setColumnWidth(0, 80);
        QVERIFY(frozen->isVisible());
    }

    void sharesTheSelectionTheSortAndTheClicks() {
        auto table = wideTable();
        table->setSelectionBehavior(QAbstractItemView::SelectRows);
        table->setSortingEnabled(true);
        table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
        auto* frozen = ui::freezeLeadingColumns(*table, 1);
        table->show();
        QVERIFY(QTest::qWaitForWindowExposed(table.get()));
        // A click on the frozen header sorts the table by that column, then the other way.
        QTest::mouseClick(
            frozen->horizontalHeader()->viewport(), Qt::LeftButton, {},
            QPoint(frozen->columnWidth(0) / 2, frozen->horizontalHeader()->height() / 2));
        QCOMPARE(table->horizontalHeader()->sortIndicatorSection(), 0);
        QCOMPARE(table->horizontalHeader()->sortIndicatorOrder(), Qt::AscendingOrder);
        QCOMPARE(table->item(0, 0)->text(), QStringLiteral("1"));
        QCOMPARE(table->item(0, 1)->text(), QStringLiteral("r7c1"));
        QCOMPARE(frozen->horizontalHeader()->sortIndicatorSection(), 0);
        QTest::mouseClick(
            frozen->horizontalHeader()->viewport(), Qt::LeftButton, {},
            QPoint(frozen->columnWidth(0) / 2, frozen->horizontalHeader()->height() / 2));
        QCOMPARE(table->horizontalHeader()->sortIndicatorOrder(), Qt::DescendingOrder);
        QCOMPARE(table->item(0, 0)->text(), QStringLiteral("8"));
        // A click on a frozen cell selects the table's row; a double-click reaches the table's
        // cell signals.
        QSignalSpy doubleClicked(table.get(), &QTableWidget::cellDoubleClicked);
        const QPoint cell = frozen->visualRect(frozen->model()->index(3, 0)).center();
        QTest::mouseClick(frozen->viewport(), Qt::LeftButton, {}, cell);
        QCOMPARE(table->currentRow(), 3);
        QVERIFY(table->item(3, 5)->isSelected());
        QTest::mouseDClick(frozen->viewport(), Qt::LeftButton, {}, cell);
        QCOMPARE(doubleClicked.count(), 1);
        QCOMPARE(doubleClicked.at(0).at(0).toInt(), 3);
    }

    void freezesSeveralColumns() {
        auto table = wideTable();
        auto* frozen = ui::freezeLeadingColumns(*table, 2);
        table->show();
        QVERIFY(QTest::qWaitForWindowExposed(table.get()));
        QVERIFY(frozen->isVisible());
        QVERIFY(!frozen->isColumnHidden(1));
        QVERIFY(frozen->isColumnHidden(2));
        QCOMPARE(frozen->width(), table->columnWidth(0) + table->columnWidth(1));
        // Columns added to the model later stay the table's alone.
        table->insertColumn(12);
        QVERIFY(frozen->isColumnHidden(12));
    }
};

QTEST_MAIN(TestFrozenColumns)
#include "test_frozen_columns.moc"
