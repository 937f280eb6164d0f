#include "ui/charts/trials_table.h"

#include <cmath>
#include <limits>
#include <optional>
#include <vector>

#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

#include "engine/events/phase_place.h"
#include "engine/report/run_csv.h"
#include "ui/export/chart_export.h"
#include "ui/session/run_data.h"
#include "ui/shell/frozen_columns.h"

namespace bt::ui {

namespace {

// Each cell shows text and sorts by its value: numbers as numbers (an absent one last).
constexpr int kSortRole = Qt::UserRole + 1;
// The exact number behind a figure, for the CSV; absent for text cells.
constexpr int kNumberRole = Qt::UserRole + 2;

QStandardItem* textItem(const QString& text) {
    auto* item = new QStandardItem(text);
    item->setData(text, kSortRole);
    return item;
}

QStandardItem* numberItem(std::optional<double> value, int decimals, double scale = 1.0) {
    const bool known = value && std::isfinite(*value);
    auto* item = new QStandardItem(known ? QString::number(*value * scale, 'f', decimals)
                                         : QStringLiteral("—"));
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    // Absent figures sort after every number, both ways round being acceptable for a table.
    item->setData(known ? *value : std::numeric_limits<double>::infinity(), kSortRole);
    if (known) {
        item->setData(*value, kNumberRole);
    }
    return item;
}

// The row of trial `index` (0-based) of `trace`'s method, with `d` entries of λ.
QList<QStandardItem*> trialRow(const MethodTrace& trace, std::size_t index, int d) {
    const auto& s = trace.samples[index];
    // The method's cost is cumulative: a training's seconds are the difference.
    const double before = index > 0 ? trace.samples[index - 1].cost.wallSeconds : 0.0;
    // The phase as the progress line and the hover texts name it ("φ sample 1/2",
    // "bracket 2 rung 1, 3/9"), sorted by its name, then its number.
    const auto place = events::phasePlace(trace.samples, s);
    auto* phase = textItem(QString::fromStdString(place.text()));
    phase->setData(QString::fromStdString(place.name) +
                       QStringLiteral("%1").arg(place.number, 8, 10, QLatin1Char('0')),
                   kSortRole);
    QList<QStandardItem*> row{textItem(QString::fromStdString(trace.method)), phase};
    auto* number = new QStandardItem(QString::number(index + 1));
    number->setData(static_cast<int>(index + 1), kSortRole);
    number->setData(static_cast<double>(index + 1), kNumberRole);
    number->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    row << number;
    for (int i = 0; i < d; ++i) {
        const auto k = static_cast<std::size_t>(i);
        row << numberItem(k < s.lambda.size() ? std::optional(s.lambda[k]) : std::nullopt, 3);
    }
    const bool ok = s.ok();
    const auto figure = [&](double v) { return ok ? std::optional(v) : std::nullopt; };
    row << numberItem(s.epochsTrained, 1) << numberItem(figure(s.metrics.valLoss), 4)
        << numberItem(ok ? s.metrics.valAccuracy : std::nullopt, 2, 100.0)
        << numberItem(figure(s.metrics.testLoss), 4)
        << numberItem(ok ? s.metrics.testAccuracy : std::nullopt, 2, 100.0);
    QString status = QString::fromStdString(s.status);
    auto* statusItem = textItem(status);
    if (!s.message.empty()) {
        statusItem->setToolTip(QString::fromStdString(s.message));
    }
    row << statusItem << numberItem(s.cost.wallSeconds - before, 2);
    return row;
}

// The columns' headers: the trial, λ by entry as `run` names them, the figures.
QStringList columnHeaders(const RunData& run) {
    QStringList headers{TrialsTable::tr("Method"), TrialsTable::tr("Phase"), TrialsTable::tr("#")};
    for (int i = 0; i < run.dimension(); ++i) {
        headers << QString::fromStdString(run.lambdaLabel(i));
    }
    headers << TrialsTable::tr("Epochs") << TrialsTable::tr("Val. loss")
            << TrialsTable::tr("Val. acc. %") << TrialsTable::tr("Test loss")
            << TrialsTable::tr("Test acc. %") << TrialsTable::tr("Status")
            << TrialsTable::tr("Seconds");
    return headers;
}

} // namespace

TrialsTable::TrialsTable(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("trialsTable"));
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("trialsFilter"));
    m_filter->setPlaceholderText(tr("Filter: a method, a phase, a status, any text of a row"));
    m_filter->setClearButtonEnabled(true);
    m_count = new QLabel(this);
    auto* exportButton = new QPushButton(tr("Export CSV…"), this);
    exportButton->setToolTip(tr("The rows shown, as sorted, with every figure in full"));

    m_model = new QStandardItemModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(kSortRole);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_view = new QTableView(this);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    // Run order until the user sorts (enabling sorting would sort by the first column).
    m_view->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    // Column widths from the first rows, not every row of a long run.
    m_view->horizontalHeader()->setResizeContentsPrecision(200);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->setVisible(false);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    // No stretched last column: a wide window would push the seconds, right-aligned, far from
    // their header; the space past the last column stays empty instead.
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->setToolTip(tr("Click a header to sort; double-click a trial to show it in the "
                          "Comparison chart"));
    // Method and phase stay in view while a narrow window scrolls the figures sideways.
    freezeLeadingColumns(*m_view, 2);

    auto* bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_count);
    bar->addWidget(exportButton);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);

    connect(m_filter, &QLineEdit::textChanged, this, &TrialsTable::setFilterText);
    connect(exportButton, &QPushButton::clicked, this, &TrialsTable::exportRequested);
    connect(m_view, &QTableView::activated, this, [this](const QModelIndex& index) {
        const auto source = m_proxy->mapToSource(index);
        const auto* method = m_model->item(source.row(), 0);
        const auto* number = m_model->item(source.row(), 2);
        Q_EMIT trialActivated(method->text(), number->data(kSortRole).toInt() - 1);
    });
    updateCount();
}

void TrialsTable::refresh(const RunData& run) {
    std::size_t total = 0;
    for (const auto& trace : run.methods()) {
        total += trace.samples.size();
    }
    std::size_t shown = 0;
    for (const auto& [method, count] : m_shown) {
        shown += count;
    }
    const int d = run.dimension();
    // A new run, fewer trials than shown (another run's), or λ's entries renamed: start over.
    bool restart = run.runId() != m_runId || total < shown || d != m_dimension;
    if (!restart && d > 0) {
        const auto header = m_model->horizontalHeaderItem(3);
        restart = header == nullptr || header->text() != QString::fromStdString(run.lambdaLabel(0));
    }
    if (restart) {
        m_model->clear();
        m_shown.clear();
        m_runId = run.runId();
        m_dimension = d;
        m_model->setHorizontalHeaderLabels(columnHeaders(run));
    }
    // Many new rows at once (the tab shown after a while): the proxy is detached while they are
    // added and sorts once, instead of mapping each insertion.
    constexpr std::size_t kBatch = 64;
    const bool batch = total - (restart ? 0 : shown) >= kBatch;
    std::vector<int> widths; // the user's column widths, kept through the detach
    if (batch) {
        for (int c = 0; c < m_model->columnCount(); ++c) {
            widths.push_back(m_view->horizontalHeader()->sectionSize(c));
        }
        m_proxy->setSourceModel(nullptr);
    }
    for (const auto& trace : run.methods()) {
        auto& done = m_shown[trace.method];
        for (; done < trace.samples.size(); ++done) {
            m_model->appendRow(trialRow(trace, done, d));
        }
    }
    if (batch) {
        m_proxy->setSourceModel(m_model);
        auto* header = m_view->horizontalHeader();
        m_proxy->sort(header->sortIndicatorSection(), header->sortIndicatorOrder());
        for (int c = 0; c < static_cast<int>(widths.size()) && !restart; ++c) {
            header->resizeSection(c, widths[static_cast<std::size_t>(c)]);
        }
    }
    if (restart) {
        m_view->resizeColumnsToContents();
    }
    updateCount();
}

void TrialsTable::setFilterText(const QString& text) {
    if (m_filter->text() != text) {
        m_filter->setText(text); // comes back here through textChanged
        return;
    }
    m_proxy->setFilterFixedString(text);
    updateCount();
}

void TrialsTable::updateCount() {
    const int all = m_model->rowCount();
    const int shown = m_proxy->rowCount();
    // English plurals without a translation file.
    if (shown != all) {
        m_count->setText(tr("%1 of %2 trials").arg(shown).arg(all));
    } else {
        m_count->setText(all == 1 ? tr("1 trial") : tr("%1 trials").arg(all));
    }
}

int TrialsTable::rowCount() const {
    return m_proxy->rowCount();
}

QString TrialsTable::cell(int row, int column) const {
    return m_proxy->index(row, column).data().toString();
}

bool TrialsTable::writeCsv(const QString& path, QString* error) const {
    std::string text;
    for (int c = 0; c < m_model->columnCount(); ++c) {
        text += (c > 0 ? "," : "") +
                report::csvField(m_model->horizontalHeaderItem(c)->text().toStdString());
    }
    text += '\n';
    for (int r = 0; r < m_proxy->rowCount(); ++r) {
        for (int c = 0; c < m_proxy->columnCount(); ++c) {
            const auto index = m_proxy->index(r, c);
            // Figures in full (an absent one empty), text as shown.
            const auto exact = index.data(kNumberRole);
            const bool isText = index.data(kSortRole).typeId() == QMetaType::QString;
            std::string field;
            if (exact.isValid()) {
                field = report::csvNumber(exact.toDouble());
            } else if (isText) {
                field = report::csvField(index.data().toString().toStdString());
            }
            text += (c > 0 ? "," : "") + field;
        }
        text += '\n';
    }
    return writeAtomically(path, QByteArray::fromStdString(text), error);
}

void TrialsTable::exportRequested() {
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export the trials as CSV"),
                                     QStringLiteral("trials.csv"), tr("CSV files (*.csv)"));
    if (path.isEmpty()) {
        return;
    }
    QString error;
    if (!writeCsv(path, &error)) {
        QMessageBox::warning(this, tr("The trials could not be exported"), error);
    }
}

} // namespace bt::ui
