// ComparisonChart's results table: one row per method (and, under bilevel.variant select, the
// bilevel method's augmented-Lagrangian weights below it), the best of each column marked, and
// the table as HTML for the report (split from comparison_chart.cpp).
#include "ui/charts/comparison_chart.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>

#include <QFont>
#include <QHeaderView>
#include <QLabel>
#include <QScrollBar>
#include <QSplitter>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include "engine/report/method_result.h"
#include "engine/report/run_result.h"
#include "ui/session/run_data.h"
#include "ui/shell/frozen_columns.h"

namespace bt::ui {

namespace {

// The held-out figures lead (λ* trained on the training split, then refit on training ∪
// validation); the method's own model follows (ALGORITHM.md §3.5).
enum Column {
    kMethod,
    kLambda,
    kHeldOutTestLoss,
    kHeldOutTestAccuracy,
    kRefitTestLoss,
    kRefitTestAccuracy,
    kOwnValLoss,
    kOwnTestLoss,
    kOwnTestAccuracy,
    kTrainings,
    kEpochs,
    kSeconds,
    kStatus,
    kColumns
};

QString formatLambda(const std::vector<double>& lambda) {
    QStringList parts;
    for (const double v : lambda) {
        parts << QString::number(v, 'f', 2);
    }
    return QStringLiteral("[") + parts.join(QStringLiteral(", ")) + QStringLiteral("]");
}

// Column values of a row of the table, for marking the best; nullopt where there is none.
using RowValues = std::array<std::optional<double>, kColumns>;

// Sets the text of a cell of `table`, plain (neither marked the best nor in italics), made where
// it is missing.
void setCell(QTableWidget& table, int row, int column, const QString& text) {
    auto* item = table.item(row, column);
    if (item == nullptr) {
        item = new QTableWidgetItem;
        table.setItem(row, column, item);
    }
    item->setText(text);
    QFont font = item->font();
    font.setBold(false);
    font.setItalic(false);
    item->setFont(font);
    item->setToolTip(QString());
    item->setTextAlignment(column <= kLambda ? Qt::AlignLeft | Qt::AlignVCenter
                                             : Qt::AlignRight | Qt::AlignVCenter);
}

// What a row shows of a method: its result once the run has ended, else what it said when it
// finished, else its best so far.
struct MethodFigures {
    std::optional<events::Metrics> metrics;
    std::optional<events::Metrics> heldOut;
    std::optional<events::Metrics> refit;
    std::optional<events::Cost> cost;
    std::vector<double> lambda;
    QString status;
};

void takeFigures(const MethodTrace& trace, MethodFigures& f) {
    f.status = ComparisonChart::tr("waiting");
    // Of the method, not of the trace's name: "bilevel · A" in a comparison of runs is bilevel.
    const std::string method = methodOf(trace.method);
    if (trace.result) {
        f.metrics = trace.result->metrics;
        f.heldOut = report::trainingOnlyMetrics(method, trace.result->metrics,
                                                trace.result->retrainedMetrics);
        f.refit = trace.result->refitMetrics;
        f.cost = trace.result->cost;
        f.lambda = trace.result->lambda;
        f.status = statusText(trace.result->status);
    } else if (trace.finished) {
        f.metrics = trace.finished->metrics;
        f.heldOut = report::trainingOnlyMetrics(method, *f.metrics, std::nullopt);
        f.cost = trace.finished->cost;
        f.lambda = trace.finished->lambda;
        f.status = ComparisonChart::tr("finished");
    } else if (!trace.samples.empty()) {
        f.metrics = trace.tracker.best();
        if (f.metrics) {
            f.heldOut = report::trainingOnlyMetrics(method, *f.metrics, std::nullopt);
        }
        f.cost = trace.samples.back().cost;
        f.status = ComparisonChart::tr("running (best so far)");
    }
}

// The figures a row shows as report::recommend reads a method's result: a method still running
// has no λ* yet, so it is never recommended.
report::MethodResult shownResult(const MethodTrace& trace) {
    MethodFigures f;
    takeFigures(trace, f);
    report::MethodResult r;
    r.method = methodOf(trace.method);
    r.lambda = f.lambda;
    r.metrics = f.metrics.value_or(events::Metrics{});
    if (!f.metrics) {
        r.metrics.testLoss = std::numeric_limits<double>::quiet_NaN();
    }
    r.retrainedMetrics = f.heldOut; // what trainingOnlyMetrics reads for the bilevel method
    r.refitMetrics = f.refit;
    return r;
}

// The λ* cell: its entries, and as the tooltip each entry named.
void setLambdaCell(QTableWidget& table, int row, const RunData& run,
                   const std::vector<double>& lambda) {
    setCell(table, row, kLambda, lambda.empty() ? QStringLiteral("—") : formatLambda(lambda));
    if (!lambda.empty()) {
        QStringList named;
        for (std::size_t i = 0; i < lambda.size(); ++i) {
            named << QStringLiteral("%1 = %2")
                         .arg(QString::fromStdString(run.lambdaLabel(static_cast<int>(i))))
                         .arg(lambda[i], 0, 'f', 2);
        }
        table.item(row, kLambda)->setToolTip(named.join(QLatin1Char('\n')));
    }
}

// Row `row` of the table after its label: λ, figures, cost and status of `f`; `v` takes the
// figures shown.
void fillFigures(QTableWidget& table, int row, const RunData& run, const MethodFigures& f,
                 RowValues& v) {
    setLambdaCell(table, row, run, f.lambda);
    auto number = [&](int column, std::optional<double> value, int precision, double scale) {
        if (value && std::isfinite(*value)) {
            v[static_cast<std::size_t>(column)] = *value;
            setCell(table, row, column, QString::number(*value * scale, 'f', precision));
        } else {
            setCell(table, row, column, QStringLiteral("—"));
        }
    };
    auto figures = [&](const std::optional<events::Metrics>& m, int lossColumn,
                       int accuracyColumn) {
        number(lossColumn, m ? std::optional(m->testLoss) : std::nullopt, 4, 1.0);
        number(accuracyColumn, m ? m->testAccuracy : std::nullopt, 2, 100.0);
    };
    const auto& cost = f.cost;
    figures(f.heldOut, kHeldOutTestLoss, kHeldOutTestAccuracy);
    figures(f.refit, kRefitTestLoss, kRefitTestAccuracy);
    number(kOwnValLoss, f.metrics ? std::optional(f.metrics->valLoss) : std::nullopt, 4, 1.0);
    figures(f.metrics, kOwnTestLoss, kOwnTestAccuracy);
    number(kTrainings,
           cost ? std::optional(static_cast<double>(cost->lowerLevelTrainings)) : std::nullopt, 0,
           1.0);
    number(kEpochs, cost ? std::optional(cost->epochs) : std::nullopt, 1, 1.0);
    number(kSeconds, cost ? std::optional(cost->wallSeconds) : std::nullopt, 1, 1.0);
    setCell(table, row, kStatus, f.status);
    for (const int column : {kHeldOutTestAccuracy, kRefitTestAccuracy, kOwnTestAccuracy}) {
        auto* item = table.item(row, column);
        if (v[static_cast<std::size_t>(column)]) {
            item->setText(item->text() + QStringLiteral(" %"));
        }
    }
}

// Row `row` of the table: `trace`'s method, λ*, figures, cost and status; `v` takes the
// figures that compete for the ★ (an own model fitted to the validation split, in italics,
// competes for none).
void fillRow(QTableWidget& table, int row, const RunData& run, const MethodTrace& trace,
             RowValues& v) {
    setCell(table, row, kMethod, QString::fromStdString(trace.method));
    MethodFigures f;
    takeFigures(trace, f);
    fillFigures(table, row, run, f, v);
    // Under variant paper the bilevel row's own model is its augmented-Lagrangian weights, fitted
    // to the validation split (ALGORITHM.md §3.5); while it runs, its best so far may be too.
    if (!trace.alWeightsAreTheAnswer()) {
        return;
    }
    for (const int column : {kOwnValLoss, kOwnTestLoss, kOwnTestAccuracy}) {
        v[static_cast<std::size_t>(column)] = std::nullopt;
        auto* item = table.item(row, column);
        QFont font = item->font();
        font.setItalic(true);
        item->setFont(font);
        item->setToolTip(ComparisonChart::tr(
            "Under variant paper the bilevel method's own model is its augmented-Lagrangian "
            "weights, fitted to the validation split: its figures do not compare with the other "
            "methods' models and compete for no ★."));
    }
}

// The bilevel method's augmented-Lagrangian weights when they are not its own model at λ*:
// under variant select (λ* is a training's) the outer iteration the paper's rule picks
// (report::alWeights); under paper they are its own model, which the method's row shows
// (ALGORITHM.md §3.5). nullptr otherwise.
const events::OuterIterationEvent* alWeightsBeside(const MethodTrace& trace) {
    if (!trace.result || trace.alWeightsAreTheAnswer()) {
        return nullptr;
    }
    return report::alWeights(*trace.result);
}

// Row `row`: the augmented-Lagrangian weights `al` of `trace`'s method, below its row. Only the
// own-model columns are theirs; they compete for no ★ (fitted to the validation split).
void fillAlWeightsRow(QTableWidget& table, int row, const RunData& run, const MethodTrace& trace,
                      const events::OuterIterationEvent& al) {
    setCell(table, row, kMethod, ComparisonChart::tr("↳ AL weights"));
    table.item(row, kMethod)
        ->setToolTip(ComparisonChart::tr(
                         "%1's augmented-Lagrangian weights w_k of outer iteration %2 at λ_k, "
                         "the iterate the paper's rule returns. Their upper level was fitted "
                         "to the validation split, so their validation loss is not held out "
                         "and they do not compare with the methods' λ*.")
                         .arg(QString::fromStdString(trace.method))
                         .arg(al.iteration));
    // Only the own-model columns are theirs. "—" as the status: the label and its tooltip say
    // what they are, and a longer word would widen the column past a printed report's page.
    MethodFigures f;
    f.metrics = al.metrics;
    f.lambda = al.lambda;
    f.status = QStringLiteral("—");
    RowValues shown; // not marked: they compete for no ★
    fillFigures(table, row, run, f, shown);
    for (int column = 0; column < kColumns; ++column) {
        auto* item = table.item(row, column);
        QFont font = item->font();
        font.setItalic(true);
        item->setFont(font);
    }
}

// The best of each column in bold with a ★: lowest loss and cost, highest accuracy.
void markBest(QTableWidget& table, const std::vector<RowValues>& values) {
    const std::array<std::pair<int, bool>, 10> rules{{{kHeldOutTestLoss, false},
                                                      {kHeldOutTestAccuracy, true},
                                                      {kRefitTestLoss, false},
                                                      {kRefitTestAccuracy, true},
                                                      {kOwnValLoss, false},
                                                      {kOwnTestLoss, false},
                                                      {kOwnTestAccuracy, true},
                                                      {kTrainings, false},
                                                      {kEpochs, false},
                                                      {kSeconds, false}}};
    for (const auto& [column, higher] : rules) {
        std::optional<std::size_t> best;
        for (std::size_t row = 0; row < values.size(); ++row) {
            const auto& value = values[row][static_cast<std::size_t>(column)];
            if (!value) {
                continue;
            }
            const auto& current = best ? values[*best][static_cast<std::size_t>(column)] : value;
            if (!best || (higher ? *value > *current : *value < *current)) {
                best = row;
            }
        }
        if (best) {
            auto* item = table.item(static_cast<int>(*best), column);
            QFont font = item->font();
            font.setBold(true);
            item->setFont(font);
            item->setText(QStringLiteral("★ ") + item->text());
            item->setToolTip(ComparisonChart::tr("the best of the methods in this column"));
        }
    }
}

} // namespace

void ComparisonChart::createTable() {
    m_table = new QTableWidget(0, kColumns, this);
    m_table->setObjectName(QStringLiteral("comparisonTable"));
    m_table->setHorizontalHeaderLabels(
        {tr("Method"), tr("λ*"), tr("Test loss\nretrained"), tr("Test acc.\nretrained"),
         tr("Test loss\nrefit"), tr("Test acc.\nrefit"), tr("Val. loss\nown model"),
         tr("Test loss\nown model"), tr("Test acc.\nown model"), tr("Trainings"), tr("Epochs"),
         tr("Seconds"), tr("Status")});
    const QString retrained = tr("λ* trained from the fixed initialisation on the training split "
                                 "alone: the held-out comparison of the methods");
    const QString refit =
        tr("λ* trained from the fixed initialisation on training ∪ validation: the model to ship");
    const QString own = tr("The method's own model at λ*: a baseline's training at λ* on the "
                           "training split, and the bilevel method's under variant select. Its "
                           "augmented-Lagrangian weights, fitted to the validation split (their "
                           "validation loss is not held out), are its own model under variant "
                           "paper and the row “↳ AL weights” below it under select");
    for (const auto& [column, tip] :
         {std::pair{kHeldOutTestLoss, retrained}, std::pair{kHeldOutTestAccuracy, retrained},
          std::pair{kRefitTestLoss, refit}, std::pair{kRefitTestAccuracy, refit},
          std::pair{kOwnValLoss, own}, std::pair{kOwnTestLoss, own},
          std::pair{kOwnTestAccuracy, own}}) {
        m_table->horizontalHeaderItem(column)->setToolTip(tip);
    }
    m_table->verticalHeader()->setVisible(false);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    // Not stretched: on a wide window the status would sit far from its header.
    m_table->horizontalHeader()->setStretchLastSection(false);
    // The method stays in view while a narrow window scrolls the figures sideways.
    freezeLeadingColumns(*m_table, 1);
}

QWidget* ComparisonChart::createTableBox() {
    createTable();
    // The bilevel method's own weights are trained on the validation loss (its upper level), so
    // their validation loss is not held out; the retrained and refit columns compare the λ alone.
    auto* tableBox = new QWidget(this);
    auto* tableLayout = new QVBoxLayout(tableBox);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    m_recommendation = new QLabel(tableBox);
    m_recommendation->setObjectName(QStringLiteral("comparisonRecommendation"));
    m_recommendation->setWordWrap(true);
    m_recommendation->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_recommendation->setToolTip(
        tr("The method whose λ* trained on the training split alone has the lowest validation "
           "loss (the split every method chose its λ* on; the test split only reports), shown by "
           "its λ* refit on training ∪ validation, the model to ship, where it has one; as the "
           "report and the Runs view recommend it. File ▸ Export model offers it first."));
    m_recommendation->hide();
    tableLayout->addWidget(m_recommendation);
    tableLayout->addWidget(m_table, 1);
    // The header and a row stay visible however small the window: the splitter gives the
    // chart what is left.
    m_table->setMinimumHeight(m_table->horizontalHeader()->sizeHint().height() +
                              m_table->verticalHeader()->defaultSectionSize() +
                              m_table->horizontalScrollBar()->sizeHint().height() +
                              2 * m_table->frameWidth());
    // Two lines at most, so a small window keeps rows of the table in view; the headers'
    // tooltips say the rest.
    m_note = new QLabel(noteText(), tableBox);
    m_note->setToolTip(tr("The retrained and refit columns compare the λ the methods chose, each "
                          "trained from the fixed initialisation. The bilevel method's "
                          "augmented-Lagrangian weights (its own model under variant paper, the "
                          "row “↳ AL weights” below it under select) were fitted to the validation "
                          "split, so their validation loss is not held out."));
    m_note->setWordWrap(true);
    m_note->setObjectName(QStringLiteral("comparisonNote"));
    tableLayout->addWidget(m_note);
    return tableBox;
}

QString ComparisonChart::noteText() const {
    return (m_ranksRows ? tr("★ best of the column. ") : QString()) +
           tr("Retrained: each λ* trained on the training split alone; refit: on training ∪ "
              "validation. Hover a header for more.");
}

void ComparisonChart::setRanksRows(bool ranks) {
    m_ranksRows = ranks;
    m_note->setText(noteText());
}

void ComparisonChart::fillTable(const RunData& run) {
    const auto& methods = run.methods();
    // λ*'s entries in order, named (weights or groups) once the run has said them.
    QStringList order;
    for (int i = 0; i < run.dimension(); ++i) {
        order << QString::fromStdString(run.lambdaLabel(i));
    }
    m_table->horizontalHeaderItem(kLambda)->setToolTip(
        order.isEmpty() ? tr("The λ each method chose")
                        : tr("The λ each method chose, in the order %1").arg(order.join(", ")));
    // A method's row, then (bilevel under variant select) its augmented-Lagrangian weights'.
    std::size_t rows = methods.size();
    for (const auto& trace : methods) {
        rows += alWeightsBeside(trace) != nullptr ? 1 : 0;
    }
    m_table->setRowCount(static_cast<int>(rows));
    m_alWeightsRows.clear();
    // Column values per row, for marking the best; nullopt where there is none (every column of
    // an augmented-Lagrangian weights' row).
    std::vector<RowValues> values(rows);
    int row = 0;
    for (const auto& trace : methods) {
        fillRow(*m_table, row, run, trace, values[static_cast<std::size_t>(row)]);
        ++row;
        if (const auto* al = alWeightsBeside(trace)) {
            fillAlWeightsRow(*m_table, row, run, trace, *al);
            m_alWeightsRows.push_back(row);
            ++row;
        }
    }
    // The recommendation of the figures the rows show (so that the line and the table agree
    // while the run goes on), named as the table names the method.
    std::vector<report::MethodResult> shown;
    shown.reserve(methods.size());
    for (const auto& trace : methods) {
        shown.push_back(shownResult(trace));
    }
    std::vector<const report::MethodResult*> pointers;
    for (const auto& r : shown) {
        pointers.push_back(&r);
    }
    QString text;
    const auto recommended = m_ranksRows ? report::recommend(pointers) : std::nullopt;
    if (recommended) {
        text = tr("Recommended model: %1")
                   .arg(QString::fromStdString(report::recommendationText(
                       *recommended, methods[recommended->index].method)));
    }
    if (text != m_recommendation->text()) {
        // A line shown, gone or rewrapped above the table, with no new row: fit again.
        m_fitAgain = true;
    }
    m_recommendation->setText(text);
    m_recommendation->setVisible(!text.isEmpty());
    fitTableRows();
    if (methods.size() < 2 || !m_ranksRows) {
        return;
    }
    markBest(*m_table, values);
}

void ComparisonChart::fitTableRows() {
    const int rows = m_table->rowCount();
    if (m_splitterDragged || (rows <= m_rowsFitted && !m_fitAgain) || !isVisible()) {
        return; // the user's choice, nothing new, or not laid out (tried again next time)
    }
    m_rowsFitted = rows;
    m_fitAgain = false;
    // Once the layout has placed what this fill changed (new rows, the recommendation's line,
    // the columns' widths).
    QTimer::singleShot(0, this, [this] {
        if (m_splitterDragged) {
            return;
        }
        auto* pane = m_splitter->widget(1);
        // The table whole: its header, every row, the sideways scroll bar where the columns
        // are wider than the view.
        int wanted = m_table->horizontalHeader()->height() + 2 * m_table->frameWidth();
        for (int row = 0; row < m_table->rowCount(); ++row) {
            wanted += m_table->isRowHidden(row) ? 0 : m_table->rowHeight(row);
        }
        if (m_table->horizontalHeader()->length() > m_table->viewport()->width()) {
            wanted += m_table->horizontalScrollBar()->sizeHint().height();
        }
        // And the lines around it at this width, with the layout's spacing and margins.
        const auto* layout = pane->layout();
        const auto margins = layout->contentsMargins();
        wanted += margins.top() + margins.bottom();
        int shown = 1;
        for (int i = 0; i < layout->count(); ++i) {
            const auto* widget = layout->itemAt(i)->widget();
            if (widget == nullptr || widget == m_table || widget->isHidden()) {
                continue;
            }
            const int width = pane->width() - margins.left() - margins.right();
            wanted += widget->hasHeightForWidth() ? widget->heightForWidth(width)
                                                  : widget->sizeHint().height();
            ++shown;
        }
        wanted += (shown - 1) * layout->spacing();
        const auto sizes = m_splitter->sizes();
        const int total = sizes.value(0) + sizes.value(1);
        const int paneHeight = std::min(wanted, total / 2);
        if (paneHeight != sizes.value(1)) {
            m_splitter->setSizes({total - paneHeight, paneHeight});
        }
    });
}

void ComparisonChart::showEvent(QShowEvent* event) {
    SingleViewChart::showEvent(event);
    fitTableRows();
}

void ComparisonChart::resizeEvent(QResizeEvent* event) {
    SingleViewChart::resizeEvent(event);
    // The splitter shares a new height by its stretch factors, which left the rows of a smaller
    // window behind a scroll bar: fit them again, unless the user set the split.
    m_fitAgain = true;
    fitTableRows();
}

QString ComparisonChart::recommendationText() const {
    return m_recommendation->text();
}

QString ComparisonChart::tableHtml(TablePart part) const {
    std::vector<int> columns;
    switch (part) {
    case TablePart::HeldOut:
        columns = {kMethod,        kLambda,           kHeldOutTestLoss, kHeldOutTestAccuracy,
                   kRefitTestLoss, kRefitTestAccuracy};
        break;
    case TablePart::CostAndOwnModel:
        columns = {kMethod,     kTrainings,   kEpochs,          kSeconds,
                   kOwnValLoss, kOwnTestLoss, kOwnTestAccuracy, kStatus};
        break;
    case TablePart::Whole:
        for (int c = 0; c < kColumns; ++c) {
            columns.push_back(c);
        }
        break;
    }
    // white-space:nowrap keeps each header line and each figure whole (a narrow column would
    // otherwise break inside a word, as Qt's text layout does for a PDF); λ* has one entry per
    // line, so that it stays narrow for any dimension.
    const QString nowrap = QStringLiteral(" style='white-space:nowrap'");
    QString html = QStringLiteral("<table class='results' border='1' cellspacing='0' "
                                  "cellpadding='4'>\n<tr>");
    for (const int c : columns) {
        html += QStringLiteral("<th%1>%2</th>")
                    .arg(nowrap)
                    .arg(m_table->horizontalHeaderItem(c)->text().toHtmlEscaped().replace(
                        QLatin1Char('\n'), QStringLiteral("<br>")));
    }
    html += QStringLiteral("</tr>\n");
    for (int r = 0; r < m_table->rowCount(); ++r) {
        if (part == TablePart::HeldOut &&
            std::find(m_alWeightsRows.begin(), m_alWeightsRows.end(), r) != m_alWeightsRows.end()) {
            continue; // no λ* of theirs was retrained or refit
        }
        html += QStringLiteral("<tr>");
        for (const int c : columns) {
            const auto* item = m_table->item(r, c);
            QString text = item != nullptr ? item->text().toHtmlEscaped() : QString();
            if (c == kLambda && text.startsWith(QLatin1Char('['))) {
                // "λ fc1 = -7.40<br>λ fc2 = -3.41": named, one entry per line.
                const auto entries = text.mid(1, text.size() - 2).split(QStringLiteral(", "));
                QStringList lines;
                for (int i = 0; i < entries.size(); ++i) {
                    const QString label = m_data != nullptr
                                              ? QString::fromStdString(m_data->lambdaLabel(i))
                                              : QStringLiteral("λ%1").arg(i + 1);
                    lines << label.toHtmlEscaped() + QStringLiteral(" = ") + entries[i];
                }
                text = lines.join(QStringLiteral("<br>"));
            }
            if (item != nullptr && item->font().italic()) {
                text = QStringLiteral("<i>") + text + QStringLiteral("</i>"); // validation-fitted
            }
            const bool best = item != nullptr && item->font().bold();
            const QString align =
                c <= kLambda || c == kStatus ? QString() : QStringLiteral(" align='right'");
            html +=
                best
                    ? QStringLiteral("<td class='best'%1%2><b>%3</b></td>").arg(nowrap, align, text)
                    : QStringLiteral("<td%1%2>%3</td>").arg(nowrap, align, text);
        }
        html += QStringLiteral("</tr>\n");
    }
    html += QStringLiteral("</table>\n");
    return html;
}

} // namespace bt::ui
