#include "ui/history/run_history_panel.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QTimeZone>
#include <QVBoxLayout>

#include "engine/store/run_store.h"
#include "ui/session/run_controller.h"
#include "ui/session/run_data.h"

namespace bt::ui {

namespace {

enum Column { kId, kName, kStatus, kCreated, kMethods, kColumns };

} // namespace

RunHistoryPanel::RunHistoryPanel(RunController* controller, QWidget* parent)
    : QWidget(parent), m_controller(controller) {
    setObjectName(QStringLiteral("runHistory"));
    auto* layout = new QVBoxLayout(this);
    auto* bar = new QHBoxLayout;
    auto* refreshButton = new QPushButton(tr("Refresh"), this);
    m_open = new QPushButton(tr("Open"), this);
    m_open->setToolTip(tr("Show the run's charts and comparison"));
    m_resume = new QPushButton(tr("Resume"), this);
    m_resume->setToolTip(tr("Continue an interrupted, cancelled or failed run: completed "
                            "trainings are replayed from the store, not repeated"));
    m_compare = new QPushButton(tr("Compare"), this);
    m_compare->setToolTip(tr("Select two runs: their methods' anytime curves and results side "
                             "by side"));
    m_report = new QPushButton(tr("Export report…"), this);
    for (auto* button : {refreshButton, m_open, m_resume, m_compare, m_report}) {
        bar->addWidget(button);
    }
    bar->addStretch(1);
    layout->addLayout(bar);

    m_table = new QTableWidget(0, kColumns, this);
    m_table->setObjectName(QStringLiteral("runTable"));
    m_table->setHorizontalHeaderLabels(
        {tr("Run"), tr("Name"), tr("Status"), tr("Created (UTC)"), tr("Methods")});
    m_table->verticalHeader()->setVisible(false);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    layout->addWidget(m_table, 1);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);

    connect(refreshButton, &QPushButton::clicked, this, &RunHistoryPanel::refresh);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &RunHistoryPanel::updateButtons);
    connect(m_table, &QTableWidget::cellDoubleClicked, this,
            [this](int row, int) { Q_EMIT openRequested(m_table->item(row, kId)->text()); });
    connect(m_open, &QPushButton::clicked, this,
            [this] { Q_EMIT openRequested(selectedRunIds().value(0)); });
    connect(m_resume, &QPushButton::clicked, this,
            [this] { Q_EMIT resumeRequested(selectedRunIds().value(0)); });
    connect(m_compare, &QPushButton::clicked, this, [this] {
        const auto ids = selectedRunIds();
        Q_EMIT compareRequested(ids.value(0), ids.value(1));
    });
    connect(m_report, &QPushButton::clicked, this,
            [this] { Q_EMIT reportRequested(selectedRunIds().value(0)); });
    updateButtons();
}

void RunHistoryPanel::refresh() {
    m_table->setRowCount(0);
    if (m_controller->storePath().empty()) {
        m_status->setText(tr("No run store is set: runs are not kept."));
        updateButtons();
        return;
    }
    std::vector<store::RunInfo> runs;
    try {
        if (auto runStore = m_controller->store()) {
            runs = runStore->listRuns();
        }
    } catch (const std::exception& e) {
        m_status->setText(tr("The run store cannot be read: %1").arg(QString::fromUtf8(e.what())));
        updateButtons();
        return;
    }
    m_table->setRowCount(static_cast<int>(runs.size()));
    int row = 0;
    for (auto it = runs.rbegin(); it != runs.rend(); ++it, ++row) {
        QStringList methods;
        for (const auto& m : it->methods) {
            methods << QString::fromStdString(m);
        }
        const QStringList cells{QString::fromStdString(it->id), QString::fromStdString(it->name),
                                statusText(it->status),
                                QDateTime::fromMSecsSinceEpoch(it->createdMs, Qt::UTC)
                                    .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                                methods.join(QStringLiteral(", "))};
        for (int c = 0; c < kColumns; ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            if (c == kStatus && !it->message.empty()) {
                item->setToolTip(QString::fromStdString(it->message));
            }
            m_table->setItem(row, c, item);
        }
    }
    // English plurals without a translation file: "%n run(s)" would show "(s)".
    m_status->setText((runs.size() == 1 ? tr("1 run in %1") : tr("%1 runs in %2").arg(runs.size()))
                          .arg(QString::fromStdString(m_controller->storePath().string())));
    updateButtons();
}

QStringList RunHistoryPanel::selectedRunIds() const {
    QStringList ids;
    for (const auto& index : m_table->selectionModel()->selectedRows(kId)) {
        ids << index.data().toString();
    }
    return ids;
}

void RunHistoryPanel::updateButtons() {
    const auto rows = m_table->selectionModel()->selectedRows(kStatus);
    const bool one = rows.size() == 1;
    const auto status =
        one ? events::parseRunStatus(rows.front().data().toString().toStdString()) : std::nullopt;
    m_open->setEnabled(one);
    m_report->setEnabled(one);
    m_resume->setEnabled(status && events::canResume(*status));
    m_compare->setEnabled(rows.size() == 2);
}

} // namespace bt::ui
