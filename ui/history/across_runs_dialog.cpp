#include "ui/history/across_runs_dialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

namespace bt::ui {

AcrossRunsDialog::AcrossRunsDialog(const report::AcrossRunsTable& table, QWidget* parent)
    : QDialog(parent) {
    setObjectName(QStringLiteral("acrossRunsDialog"));
    setWindowTitle(tr("Runs across seeds"));
    auto* layout = new QVBoxLayout(this);
    QStringList caption;
    for (const auto& line : table.caption) {
        caption << QString::fromStdString(line);
    }
    auto* text = new QLabel(caption.join(QLatin1Char('\n')), this);
    text->setWordWrap(true);
    text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(text);

    m_table = new QTableWidget(static_cast<int>(table.rows.size()),
                               static_cast<int>(table.header.size()), this);
    QStringList header;
    for (const auto& h : table.header) {
        header << QString::fromStdString(h);
    }
    m_table->setHorizontalHeaderLabels(header);
    m_table->verticalHeader()->setVisible(false);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    for (int r = 0; r < m_table->rowCount(); ++r) {
        const auto& row = table.rows[static_cast<std::size_t>(r)];
        const bool best = row.back() == "best";
        for (int c = 0; c < m_table->columnCount(); ++c) {
            auto* item =
                new QTableWidgetItem(QString::fromStdString(row[static_cast<std::size_t>(c)]));
            // Figures right-aligned, so that their decimal points line up; the method and the
            // verdict read as text.
            const bool words = c == 0 || c + 1 == m_table->columnCount();
            item->setTextAlignment((words ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter);
            if (best) {
                QFont bold = item->font();
                bold.setBold(true);
                item->setFont(bold);
            }
            m_table->setItem(r, c, item);
        }
    }
    m_table->resizeColumnsToContents();
    m_table->horizontalHeader()->setStretchLastSection(true);
    layout->addWidget(m_table, 1);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(900, 160 + 30 * m_table->rowCount());
}

} // namespace bt::ui
