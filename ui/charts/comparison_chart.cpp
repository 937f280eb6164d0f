#include "ui/charts/comparison_chart.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <optional>

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QScatterSeries>
#include <QScrollBar>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QValueAxis>

#include "ui/charts/chart_support.h"
#include "ui/charts/chart_view.h"
#include "ui/session/run_data.h"

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

// Sets the text of a cell of `table`, plain (not marked the best), made where it is missing.
void setCell(QTableWidget& table, int row, int column, const QString& text) {
    auto* item = table.item(row, column);
    if (item == nullptr) {
        item = new QTableWidgetItem;
        table.setItem(row, column, item);
    }
    item->setText(text);
    QFont font = item->font();
    font.setBold(false);
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
    if (trace.result) {
        f.metrics = trace.result->metrics;
        f.heldOut = report::trainingOnlyMetrics(*trace.result);
        f.refit = trace.result->refitMetrics;
        f.cost = trace.result->cost;
        f.lambda = trace.result->lambda;
        f.status = statusText(trace.result->status);
    } else if (trace.finished) {
        f.metrics = trace.finished->metrics;
        f.heldOut = report::trainingOnlyMetrics(trace.method, *f.metrics, std::nullopt);
        f.cost = trace.finished->cost;
        f.lambda = trace.finished->lambda;
        f.status = ComparisonChart::tr("finished");
    } else if (!trace.samples.empty()) {
        f.metrics = trace.tracker.best();
        if (f.metrics) {
            f.heldOut = report::trainingOnlyMetrics(trace.method, *f.metrics, std::nullopt);
        }
        f.cost = trace.samples.back().cost;
        f.status = ComparisonChart::tr("running (best so far)");
    }
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
// figures shown.
void fillRow(QTableWidget& table, int row, const RunData& run, const MethodTrace& trace,
             RowValues& v) {
    setCell(table, row, kMethod, QString::fromStdString(trace.method));
    MethodFigures f;
    takeFigures(trace, f);
    fillFigures(table, row, run, f, v);
}

// The bilevel method's augmented-Lagrangian weights when they are not its own model at λ*
// (variant select, whose λ* is a training's; under paper the own-model columns show them):
// the outer iteration the paper's rule picks (report::alWeights), else nullptr.
const events::OuterIterationEvent* alWeightsBeside(const MethodTrace& trace) {
    if (!trace.result) {
        return nullptr;
    }
    const auto& r = *trace.result;
    const auto* al = report::alWeights(r);
    const bool own = al != nullptr && al->lambda == r.lambda &&
                     al->metrics.valLoss == r.metrics.valLoss &&
                     al->metrics.testLoss == r.metrics.testLoss;
    return own ? nullptr : al;
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

// Sets `current` to `choice` and `combo` to its entry.
// @return false when `choice` was already the current one
template <typename Choice>
bool choose(Choice choice, Choice& current, QComboBox* combo) {
    if (choice == current) {
        return false;
    }
    current = choice;
    combo->setCurrentIndex(static_cast<int>(choice));
    return true;
}

} // namespace

ComparisonChart::ComparisonChart(QWidget* parent) : SingleViewChart(parent) {
    setObjectName(QStringLiteral("comparisonChart"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(createChoices());

    m_chart = new QChart;
    styleChart(m_chart, tr("Anytime performance of the methods"));
    m_x = makeValueAxis(tr("cumulative epochs (training-set passes)"), 0.0, 1.0);
    m_y = makeValueAxis(tr("validation loss"), 0.0, 1.0);
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_y, Qt::AlignLeft);
    auto* view = new ChartView(m_chart, this);
    view->setHoverText(
        [this](const QXYSeries* series, const QPointF& point) { return hover(series, point); });
    m_view = view;

    auto* tableBox = createTableBox();
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_view);
    splitter->addWidget(tableBox);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    layout->addWidget(splitter, 1);

    connect(m_metricCombo, &QComboBox::currentIndexChanged, this,
            [this](int index) { setMetric(static_cast<Metric>(index)); });
    connect(m_costCombo, &QComboBox::currentIndexChanged, this,
            [this](int index) { setCost(static_cast<Cost>(index)); });
}

QHBoxLayout* ComparisonChart::createChoices() {
    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(6, 2, 6, 2);
    bar->addWidget(new QLabel(tr("Show:"), this));
    m_metricCombo = new QComboBox(this);
    m_metricCombo->setObjectName(QStringLiteral("comparisonMetric"));
    m_metricCombo->addItems({tr("validation loss of the best so far"),
                             tr("test accuracy of the best so far"),
                             tr("test loss of the best so far")});
    bar->addWidget(m_metricCombo);
    bar->addSpacing(12);
    bar->addWidget(new QLabel(tr("against:"), this));
    m_costCombo = new QComboBox(this);
    m_costCombo->setObjectName(QStringLiteral("comparisonCost"));
    m_costCombo->addItems({tr("cumulative epochs"), tr("wall-clock seconds")});
    bar->addWidget(m_costCombo);
    bar->addStretch(1);
    return bar;
}

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
}

QWidget* ComparisonChart::createTableBox() {
    createTable();
    // The bilevel method's own weights are trained on the validation loss (its upper level), so
    // their validation loss is not held out; the retrained and refit columns compare the λ alone.
    auto* tableBox = new QWidget(this);
    auto* tableLayout = new QVBoxLayout(tableBox);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->addWidget(m_table, 1);
    // The header and a row stay visible however small the window: the splitter gives the
    // chart what is left.
    m_table->setMinimumHeight(m_table->horizontalHeader()->sizeHint().height() +
                              m_table->verticalHeader()->defaultSectionSize() +
                              m_table->horizontalScrollBar()->sizeHint().height() +
                              2 * m_table->frameWidth());
    // Two lines at most, so a small window keeps rows of the table in view; the headers'
    // tooltips say the rest.
    auto* note = new QLabel(tr("★ best of the column. Retrained: each λ* trained on the training "
                               "split alone; refit: on training ∪ validation. Hover a header for "
                               "more."),
                            tableBox);
    note->setToolTip(tr("The retrained and refit columns compare the λ the methods chose, each "
                        "trained from the fixed initialisation. The bilevel method's "
                        "augmented-Lagrangian weights (its own model under variant paper, the "
                        "row “↳ AL weights” below it under select) were fitted to the validation "
                        "split, so their validation loss is not held out."));
    note->setWordWrap(true);
    note->setObjectName(QStringLiteral("comparisonNote"));
    tableLayout->addWidget(note);
    return tableBox;
}

void ComparisonChart::setMetric(Metric metric) {
    if (choose(metric, m_metric, m_metricCombo)) {
        redraw();
    }
}

void ComparisonChart::setCost(Cost cost) {
    if (choose(cost, m_cost, m_costCombo)) {
        redraw();
    }
}

void ComparisonChart::redraw() {
    if (m_data != nullptr) {
        refresh(*m_data);
    }
}

QString ComparisonChart::hover(const QXYSeries* series, const QPointF& point) const {
    const auto drawn = std::find_if(m_series.begin(), m_series.end(),
                                    [series](const auto& entry) { return entry.second == series; });
    const auto* trace =
        m_data != nullptr && drawn != m_series.end() ? m_data->method(drawn->first) : nullptr;
    if (trace == nullptr) {
        return {};
    }
    // The curve holds each best until the next: the last point at or before the pointer's cost.
    const bool epochs = m_cost == Cost::Epochs;
    const double tolerance = 1e-9 * (1.0 + std::abs(point.x()));
    const report::AnytimePoint* at = nullptr;
    for (const auto& p : trace->anytime) {
        if ((epochs ? p.epochs : p.seconds) <= point.x() + tolerance) {
            at = &p;
        }
    }
    if (at == nullptr) {
        return {};
    }
    QString text = tr("%1, best so far after %2 epochs (%3 s):\nvalidation loss %4, test loss %5")
                       .arg(QString::fromStdString(trace->method))
                       .arg(at->epochs, 0, 'g', 4)
                       .arg(at->seconds, 0, 'f', 1)
                       .arg(at->bestValLoss, 0, 'g', 4)
                       .arg(at->testLossOfBest, 0, 'g', 4);
    if (at->testAccuracyOfBest) {
        text += tr(", test accuracy %1 %").arg(*at->testAccuracyOfBest * 100.0, 0, 'f', 2);
    }
    for (const auto& s : trace->samples) {
        if (s.metrics.valLoss == at->bestValLoss) {
            return text + QStringLiteral("\n\n") + m_data->sampleText(s);
        }
    }
    return text;
}

QLineSeries* ComparisonChart::seriesFor(const std::string& method) {
    auto& series = m_series[method];
    if (series == nullptr) {
        series = new QLineSeries;
        series->setName(QString::fromStdString(method));
        // "grid · B": the second run of a comparison, in its method's colour, dashed.
        const auto dot = method.find(" · ");
        const std::string base = method.substr(0, dot);
        const bool second = dot != std::string::npos && method.substr(dot) != " · A";
        // Colour and a dash pattern of its own per method, so that the curves are told apart
        // in print and by colour-blind readers; the second run of a comparison thinner.
        QPen pen(methodColor(base), base == "bilevel" ? 3.0 : 2.2, methodLineStyle(base));
        if (second) {
            pen.setWidthF(1.4);
            pen.setStyle(Qt::DashLine);
        }
        series->setPen(pen);
        m_chart->addSeries(series);
        series->attachAxis(m_x);
        series->attachAxis(m_y);
    }
    return series;
}

void ComparisonChart::refresh(const RunData& run) {
    m_data = &run;
    const bool epochs = m_cost == Cost::Epochs;
    m_x->setTitleText(epochs ? tr("cumulative epochs (training-set passes)")
                             : tr("cumulative wall-clock time (s)"));
    // Short: Qt Charts elides an axis title longer than the plot is tall (about 70 px at
    // 1024 × 640); the Show menu above the chart names the metric in full.
    m_y->setTitleText(m_metric == Metric::ValidationLoss ? tr("val. loss")
                      : m_metric == Metric::TestAccuracy ? tr("test acc. (%)")
                                                         : tr("test loss"));
    double xHigh = 0.0;
    double yLow = std::numeric_limits<double>::infinity();
    double yHigh = -std::numeric_limits<double>::infinity();
    for (auto& [name, series] : m_series) {
        if (run.method(name) == nullptr) {
            series->clear();
        }
    }
    for (const auto& trace : run.methods()) {
        // A step curve: the best so far holds until the next improvement.
        QList<QPointF> points;
        points.reserve(static_cast<qsizetype>(trace.anytime.size() * 2));
        std::optional<double> previous;
        for (const auto& p : trace.anytime) {
            const double x = epochs ? p.epochs : p.seconds;
            double y = p.bestValLoss;
            if (m_metric == Metric::TestAccuracy) {
                if (!p.testAccuracyOfBest) {
                    continue;
                }
                y = *p.testAccuracyOfBest * 100.0;
            } else if (m_metric == Metric::TestLoss) {
                y = p.testLossOfBest;
            }
            if (!std::isfinite(x) || !std::isfinite(y)) {
                continue;
            }
            if (previous && *previous != y) {
                points.append({x, *previous});
            }
            points.append({x, y});
            previous = y;
            xHigh = std::max(xHigh, x);
            yLow = std::min(yLow, y);
            yHigh = std::max(yHigh, y);
        }
        seriesFor(trace.method)->replace(thinPoints(points, kMaxCurvePoints));
    }
    // The trial chosen in the Trials view: its own figure at the cost the method had spent.
    if (m_selected != nullptr) {
        QList<QPointF> mark;
        const auto* trace = run.method(m_selectedMethod);
        if (trace != nullptr && m_selectedIndex >= 0 &&
            static_cast<std::size_t>(m_selectedIndex) < trace->samples.size()) {
            const auto& s = trace->samples[static_cast<std::size_t>(m_selectedIndex)];
            const double x = epochs ? s.cost.epochs : s.cost.wallSeconds;
            double y = m_metric == Metric::ValidationLoss ? s.metrics.valLoss : s.metrics.testLoss;
            if (m_metric == Metric::TestAccuracy) {
                y = s.metrics.testAccuracy ? *s.metrics.testAccuracy * 100.0 : std::nan("");
            }
            if (s.status == "ok" && std::isfinite(x) && std::isfinite(y)) {
                mark.append({x, y});
                xHigh = std::max(xHigh, x);
                yLow = std::min(yLow, y);
                yHigh = std::max(yHigh, y);
            }
        }
        m_selected->replace(mark);
    }
    m_chart->setTitle(m_metric == Metric::TestAccuracy && !std::isfinite(yLow)
                          ? tr("Anytime performance (no accuracy: a regression task)")
                          : tr("Anytime performance of the methods"));
    setAxisRange(m_x, 0.0, xHigh > 0.0 ? xHigh * 1.02 : 1.0);
    if (std::isfinite(yLow)) {
        setPaddedRange(m_y, yLow, yHigh);
    }
    fillTable(run);
}

void ComparisonChart::selectTrial(const std::string& method, int index) {
    if (m_selected == nullptr) {
        m_selected = addStarSeries(m_chart, tr("selected trial"), m_x, m_y);
    }
    m_selectedMethod = method;
    m_selectedIndex = index;
    redraw();
}

QList<QPointF> ComparisonChart::selectedPoints() const {
    return m_selected != nullptr ? m_selected->points() : QList<QPointF>{};
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
    if (methods.size() < 2) {
        return;
    }
    markBest(*m_table, values);
}

QList<QPointF> ComparisonChart::curvePoints(const std::string& method) const {
    const auto it = m_series.find(method);
    return it == m_series.end() ? QList<QPointF>{} : it->second->points();
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
