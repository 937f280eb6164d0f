#include "ui/history/run_history_panel.h"

#include <QAction>
#include <QDateTime>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QTableWidget>
#include <QTimeZone>
#include <QToolBar>
#include <QVBoxLayout>

#include "engine/store/run_headline.h"
#include "engine/store/run_store.h"
#include "ui/session/run_controller.h"
#include "ui/session/run_data.h"
#include "ui/shell/frozen_columns.h"

namespace bt::ui {

namespace {

enum Column { kId, kName, kStatus, kRecommended, kTask, kCreated, kMethods, kColumns };

constexpr int kSortRole = Qt::UserRole + 1;

// A cell that sorts by kSortRole where it has one (the recommended model's test loss), else by
// its text (ids, names and UTC times sort as text).
class RunItem : public QTableWidgetItem {
public:
    using QTableWidgetItem::QTableWidgetItem;
    bool operator<(const QTableWidgetItem& other) const override {
        const QVariant mine = data(kSortRole);
        const QVariant theirs = other.data(kSortRole);
        if (!mine.isValid() && !theirs.isValid()) {
            return QTableWidgetItem::operator<(other);
        }
        if (!mine.isValid() || !theirs.isValid()) {
            return !mine.isValid(); // a run without a figure sorts below every run with one
        }
        return mine.toDouble() < theirs.toDouble();
    }
};

} // namespace

RunHistoryPanel::RunHistoryPanel(RunController* controller, QWidget* parent)
    : QWidget(parent), m_controller(controller) {
    setObjectName(QStringLiteral("runHistory"));
    auto* layout = new QVBoxLayout(this);
    // A tool bar, not a row of buttons: in a narrow window Qt moves the operations that do not
    // fit into the bar's extension menu (») instead of squeezing their labels.
    auto* bar = new QToolBar(this);
    bar->setObjectName(QStringLiteral("runsOperations"));
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    bar->setMovable(false);
    bar->setFloatable(false);
    auto* refresh = new QAction(tr("Refresh"), this);
    refresh->setObjectName(QStringLiteral("runsRefresh"));
    refresh->setToolTip(tr("Read the store's list of runs again"));
    bar->addAction(refresh);
    bar->addSeparator();
    m_open = addOperation(tr("Open"), tr("Show the run's charts and comparison"), "runsOpen");
    m_resume = addOperation(tr("Resume"),
                            tr("Continue an interrupted, cancelled or failed run: completed "
                               "trainings are replayed from the store, not repeated"),
                            "runsResume");
    m_settings = addOperation(tr("Use settings"),
                              tr("Put the run's configuration into the form, to run it again or "
                                 "change it first"),
                              "useSettings");
    m_compare = addOperation(tr("Compare"),
                             tr("Select two runs: their methods' anytime curves and results side "
                                "by side"),
                             "runsCompare");
    m_aggregate = addOperation(tr("Aggregate seeds…"),
                               tr("Select runs of the same settings, seeds apart: each method's "
                                  "mean ± standard error over them"),
                               "runsAggregate");
    m_report = addOperation(tr("Export report…"),
                            tr("Write the run's report as an HTML page or a PDF"), "runsReport");
    m_rename = addOperation(tr("Rename…"), tr("Give the run another name (F2)"), "runsRename");
    m_rename->setShortcut(Qt::Key_F2);
    m_delete = addOperation(tr("Delete…"),
                            tr("Delete the selected runs from the store, with their kept models "
                               "(Delete)"),
                            "runsDelete");
    m_delete->setShortcut(QKeySequence::Delete);
    bar->addActions({m_open, m_resume, m_settings, m_compare, m_aggregate, m_report});
    bar->addSeparator();
    bar->addActions({m_rename, m_delete});
    for (auto* action : bar->actions()) {
        if (auto* button = bar->widgetForAction(action); button != nullptr) {
            button->setObjectName(action->objectName()); // what tests and scripts find
        }
    }
    for (auto* action : {m_rename, m_delete}) {
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(action);
    }
    layout->addWidget(bar);
    // On a row of its own: beside the buttons a narrow window left it a few characters wide.
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("runsFilter"));
    m_filter->setPlaceholderText(
        tr("Filter: a name, a task, a method, a status, any text of a row"));
    m_filter->setClearButtonEnabled(true);
    layout->addWidget(m_filter);

    m_table = new QTableWidget(0, kColumns, this);
    m_table->setObjectName(QStringLiteral("runTable"));
    m_table->setHorizontalHeaderLabels({tr("Run"), tr("Name"), tr("Status"),
                                        tr("Recommended model"), tr("Task"), tr("Created (UTC)"),
                                        tr("Methods")});
    m_table->horizontalHeaderItem(kRecommended)
        ->setToolTip(tr("The method whose λ* trained on the training split alone has the lowest "
                        "validation loss, with the test figures of its λ* refit on training ∪ "
                        "validation (the model to ship): the report's recommendation"));
    m_table->horizontalHeaderItem(kTask)->setToolTip(tr("The network, then the data"));
    m_table->verticalHeader()->setVisible(false);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(kCreated, Qt::DescendingOrder);
    // The run stays in view while a narrow window scrolls the rest sideways.
    freezeLeadingColumns(*m_table, 1);
    layout->addWidget(m_table, 1);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("runsStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);

    connect(refresh, &QAction::triggered, this, &RunHistoryPanel::refresh);
    connect(m_filter, &QLineEdit::textChanged, this, &RunHistoryPanel::setFilterText);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &RunHistoryPanel::updateButtons);
    connect(m_table, &QTableWidget::cellDoubleClicked, this,
            [this](int row, int) { Q_EMIT openRequested(m_table->item(row, kId)->text()); });
    connect(m_open, &QAction::triggered, this,
            [this] { Q_EMIT openRequested(selectedRunIds().value(0)); });
    connect(m_resume, &QAction::triggered, this,
            [this] { Q_EMIT resumeRequested(selectedRunIds().value(0)); });
    connect(m_settings, &QAction::triggered, this,
            [this] { Q_EMIT settingsRequested(selectedRunIds().value(0)); });
    connect(m_compare, &QAction::triggered, this, [this] {
        const auto ids = selectedRunIds();
        Q_EMIT compareRequested(ids.value(0), ids.value(1));
    });
    connect(m_report, &QAction::triggered, this,
            [this] { Q_EMIT reportRequested(selectedRunIds().value(0)); });
    connect(m_rename, &QAction::triggered, this, &RunHistoryPanel::askNewName);
    connect(m_aggregate, &QAction::triggered, this,
            [this] { Q_EMIT aggregateRequested(selectedRunIds()); });
    connect(m_delete, &QAction::triggered, this, [this] {
        if (const auto ids = selectedRunIds(); !ids.isEmpty()) {
            Q_EMIT deleteRequested(ids);
        }
    });
    // The frozen run column is a view of its own over the table's left edge.
    for (QAbstractItemView* view : {static_cast<QAbstractItemView*>(m_table),
                                    static_cast<QAbstractItemView*>(m_table->findChild<QTableView*>(
                                        QStringLiteral("frozenColumns")))}) {
        if (view != nullptr) {
            view->setContextMenuPolicy(Qt::CustomContextMenu);
            connect(view, &QWidget::customContextMenuRequested, this,
                    [this, view](const QPoint& at) { showContextMenu(at, view); });
        }
    }
    updateButtons();
}

QAction* RunHistoryPanel::addOperation(const QString& text, const QString& tip, const char* name) {
    auto* action = new QAction(text, this);
    action->setObjectName(QString::fromLatin1(name));
    action->setToolTip(tip);
    return action;
}

void RunHistoryPanel::showContextMenu(const QPoint& at, QAbstractItemView* view) {
    // popup(), not exec(), for the reason askNewName gives; `at` is in the viewport's
    // coordinates (a scroll area's context menu signal).
    auto* menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->addActions({m_open, m_resume, m_settings, m_compare, m_aggregate, m_report});
    menu->addSeparator();
    menu->addActions({m_rename, m_delete});
    menu->popup(view->viewport()->mapToGlobal(at));
}

void RunHistoryPanel::askNewName() {
    const auto rows = m_table->selectionModel()->selectedRows(kName);
    if (rows.size() != 1) {
        return;
    }
    const QString id = selectedRunIds().value(0);
    // open(), not exec(): a nested event loop would deliver a run's events re-entrantly.
    auto* dialog = new QInputDialog(this);
    dialog->setObjectName(QStringLiteral("renameDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Rename run"));
    dialog->setLabelText(tr("A new name for run %1:").arg(id));
    dialog->setTextValue(rows.front().data().toString());
    connect(dialog, &QInputDialog::textValueSelected, this,
            [this, id](const QString& name) { Q_EMIT renameRequested(id, name.trimmed()); });
    dialog->open();
}

void RunHistoryPanel::refresh() {
    // The runs selected stay selected (a rename lists the runs again).
    const QStringList selected = selectedRunIds();
    m_table->setRowCount(0);
    m_runs = 0;
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
    // Rows are placed, then sorted once by the header's column (Qt's advice for a sorted table).
    m_table->setSortingEnabled(false);
    m_table->setRowCount(static_cast<int>(runs.size()));
    int row = 0;
    for (auto it = runs.rbegin(); it != runs.rend(); ++it, ++row) {
        QStringList methods;
        for (const auto& m : it->methods) {
            methods << QString::fromStdString(m);
        }
        const auto headline = store::runHeadline(*it);
        const QStringList cells{QString::fromStdString(it->id),
                                QString::fromStdString(it->name),
                                statusText(it->status),
                                headline.recommendedText.empty()
                                    ? QStringLiteral("—")
                                    : QString::fromStdString(headline.recommendedText),
                                QString::fromStdString(headline.task),
                                QDateTime::fromMSecsSinceEpoch(it->createdMs, Qt::UTC)
                                    .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                                methods.join(QStringLiteral(", "))};
        for (int c = 0; c < kColumns; ++c) {
            auto* item = new RunItem(cells[c]);
            if (c == kStatus && !it->message.empty()) {
                item->setToolTip(QString::fromStdString(it->message));
            }
            if (c == kRecommended && headline.recommended) {
                // Higher is better: the test loss negated.
                item->setData(kSortRole, -headline.recommended->testLoss);
            }
            m_table->setItem(row, c, item);
        }
    }
    m_table->setSortingEnabled(true);
    m_runs = static_cast<int>(runs.size());
    for (int r = 0; r < m_table->rowCount(); ++r) {
        if (selected.contains(m_table->item(r, kId)->text())) {
            m_table->selectionModel()->select(m_table->model()->index(r, 0),
                                              QItemSelectionModel::Select |
                                                  QItemSelectionModel::Rows);
        }
    }
    applyFilter();
    updateButtons();
}

void RunHistoryPanel::setFilterText(const QString& text) {
    if (m_filter->text() != text) {
        m_filter->setText(text); // comes back here through textChanged
        return;
    }
    applyFilter();
    updateButtons();
}

void RunHistoryPanel::applyFilter() {
    const QString text = m_filter->text().trimmed();
    for (int row = 0; row < m_table->rowCount(); ++row) {
        bool shown = text.isEmpty();
        for (int c = 0; c < kColumns && !shown; ++c) {
            shown = m_table->item(row, c)->text().contains(text, Qt::CaseInsensitive);
        }
        setRowHidden(*m_table, row, !shown);
        if (!shown) {
            for (int c = 0; c < kColumns; ++c) {
                m_table->item(row, c)->setSelected(false); // no hidden run is acted on
            }
        }
    }
    updateStatus();
}

void RunHistoryPanel::updateStatus() {
    // English plurals without a translation file: "%n run(s)" would show "(s)".
    QString text = (m_runs == 1 ? tr("1 run in %1") : tr("%1 runs in %2").arg(m_runs))
                       .arg(QString::fromStdString(m_controller->storePath().string()));
    int shown = 0;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        shown += m_table->isRowHidden(row) ? 0 : 1;
    }
    if (shown < m_runs) {
        text += tr("; %1 shown").arg(shown);
    }
    m_status->setText(text);
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
    m_settings->setEnabled(one);
    m_rename->setEnabled(one);
    m_resume->setEnabled(status && events::canResume(*status));
    m_compare->setEnabled(rows.size() == 2);
    m_delete->setEnabled(!rows.isEmpty());
    m_aggregate->setEnabled(rows.size() >= 2);
}

} // namespace bt::ui
