#include "ui/charts/comparison_chart.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPen>
#include <QScatterSeries>
#include <QSplitter>
#include <QVBoxLayout>
#include <QValueAxis>

#include "ui/charts/chart_support.h"
#include "ui/charts/chart_view.h"
#include "ui/session/run_data.h"

namespace bt::ui {

namespace {
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
    m_yLog = makeLogAxis(tr("val. loss − lowest"));
    softenMinorGrid(m_yLog);
    m_chart->addAxis(m_yLog, Qt::AlignLeft);
    m_yLog->setVisible(false);
    auto* view = new ChartView(m_chart, this);
    view->setHoverText(
        [this](const QXYSeries* series, const QPointF& point) { return hover(series, point); });
    m_view = view;

    auto* tableBox = createTableBox();
    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->addWidget(m_view);
    m_splitter->addWidget(tableBox);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 1);
    layout->addWidget(m_splitter, 1);
    connect(m_splitter, &QSplitter::splitterMoved, this, [this] { m_splitterDragged = true; });

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
    m_metricCombo->addItems(
        {tr("validation loss of the best so far"), tr("test accuracy of the best so far"),
         tr("test loss of the best so far"), tr("validation loss above the lowest (log scale)")});
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

const events::OuterIterationEvent* ComparisonChart::alWeightsHolding(const MethodTrace& trace,
                                                                     double bestValLoss) const {
    if (m_data == nullptr || !trace.alWeightsAreTheAnswer()) {
        return nullptr;
    }
    for (const auto& s : trace.samples) {
        if (s.metrics.valLoss == bestValLoss) {
            return nullptr;
        }
    }
    for (const auto& outer : m_data->outerIterations()) {
        if (outer.metrics.valLoss == bestValLoss) {
            return &outer;
        }
    }
    return nullptr;
}

QString ComparisonChart::hover(const QXYSeries* series, const QPointF& point) const {
    // The method's curve or its markers of the augmented-Lagrangian weights.
    std::string method;
    for (const auto& [name, drawn] : m_series) {
        if (drawn == series) {
            method = name;
        }
    }
    for (const auto& [name, drawn] : m_alWeights) {
        if (drawn == series) {
            method = name;
        }
    }
    const auto* trace = m_data != nullptr && !method.empty() ? m_data->method(method) : nullptr;
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
    // Where the augmented-Lagrangian weights are the answer they compete too (ALGORITHM.md
    // §3.5), with a validation loss that is not held out.
    if (const auto* outer = alWeightsHolding(*trace, at->bestValLoss)) {
        return text + tr("\n\nThe augmented-Lagrangian weights of outer iteration %1, fitted "
                         "to the validation split: their validation loss is not held out.")
                          .arg(outer->iteration);
    }
    return text;
}

QScatterSeries* ComparisonChart::alWeightsSeriesFor(const std::string& method) {
    auto& series = m_alWeights[method];
    if (series == nullptr) {
        // A ring in the method's colour, filled with the background: the curve's own points,
        // marked as not held out, legible on the light and the dark theme.
        const QColor colour = methodColor(methodOf(method));
        const MarkerStyle style{QScatterSeries::MarkerShapeCircle, 13.0,
                                palette().color(QPalette::Base), colour};
        series = addScatterSeries(
            m_chart, tr("%1: AL weights (fitted to val.)").arg(QString::fromStdString(method)),
            style, m_x, yAxis());
        QPen ring(colour, 2.5);
        series->setPen(ring);
        for (auto* marker : m_chart->legend()->markers(series)) {
            marker->setShape(QLegend::MarkerShapeFromSeries);
            marker->setPen(QPen(colour, 2.0));
            marker->setBrush(style.fill);
        }
    }
    return series;
}

QLineSeries* ComparisonChart::seriesFor(const std::string& method) {
    auto& series = m_series[method];
    if (series == nullptr) {
        series = new QLineSeries;
        series->setName(QString::fromStdString(method));
        // "grid · B": the second run of a comparison, in its method's colour, dashed.
        const std::string base = methodOf(method);
        const bool second = base.size() < method.size() &&
                            method.substr(base.size()) != std::string(kRunLetterSeparator) + "A";
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
        series->attachAxis(yAxis());
    }
    return series;
}

QAbstractAxis* ComparisonChart::yAxis() const {
    return m_metric == Metric::ValidationLossAboveLowest ? static_cast<QAbstractAxis*>(m_yLog)
                                                         : m_y;
}

void ComparisonChart::plotOn(QAbstractAxis* axis) {
    QAbstractAxis* other = axis == m_y ? static_cast<QAbstractAxis*>(m_yLog) : m_y;
    for (auto* series : m_chart->series()) {
        if (series->attachedAxes().contains(other)) {
            series->detachAxis(other);
            series->attachAxis(axis);
        }
    }
    other->setVisible(false);
    axis->setVisible(true);
}

double ComparisonChart::aboveLowest(double value) const {
    return std::max(value - m_lowest, 0.0) + m_floor;
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
    const bool aboveTheLowest = m_metric == Metric::ValidationLossAboveLowest;
    if (aboveTheLowest) {
        // The lowest and the highest held-out validation loss of any curve: the floor a
        // thousandth of the span. Augmented-Lagrangian weights on a curve (variant paper) were
        // fitted to the validation split, far below every held-out loss: left out, they sit at
        // the floor with their rings.
        double low = std::numeric_limits<double>::infinity();
        double high = -std::numeric_limits<double>::infinity();
        for (const auto& trace : run.methods()) {
            for (const auto& p : trace.anytime) {
                if (std::isfinite(p.bestValLoss) &&
                    alWeightsHolding(trace, p.bestValLoss) == nullptr) {
                    low = std::min(low, p.bestValLoss);
                    high = std::max(high, p.bestValLoss);
                }
            }
        }
        m_lowest = std::isfinite(low) ? low : 0.0;
        const double span = std::isfinite(low) ? high - low : 0.0;
        m_floor = span > 0.0 ? span * 1e-3 : std::max(std::abs(m_lowest) * 1e-6, 1e-12);
    }
    for (auto& [name, series] : m_series) {
        if (run.method(name) == nullptr) {
            series->clear();
        }
    }
    for (auto& [name, series] : m_alWeights) {
        const auto* trace = run.method(name);
        if (trace == nullptr || !trace->alWeightsAreTheAnswer()) {
            series->clear();
            hideFromLegend(m_chart, series);
        }
    }
    for (const auto& trace : run.methods()) {
        // A step curve: the best so far holds until the next improvement.
        QList<QPointF> points;
        QList<QPointF> weights;
        points.reserve(static_cast<qsizetype>(trace.anytime.size() * 2));
        std::optional<double> previous;
        std::optional<double> previousBest;
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
            } else if (aboveTheLowest) {
                y = aboveLowest(p.bestValLoss);
            }
            if (!std::isfinite(x) || !std::isfinite(y)) {
                continue;
            }
            if (previous && *previous != y) {
                points.append({x, *previous});
            }
            points.append({x, y});
            // A hollow marker where the weights take the best (each outer iteration that sets one).
            if (previousBest != p.bestValLoss &&
                alWeightsHolding(trace, p.bestValLoss) != nullptr) {
                weights.append({x, y});
            }
            previous = y;
            previousBest = p.bestValLoss;
            xHigh = std::max(xHigh, x);
            yLow = std::min(yLow, y);
            yHigh = std::max(yHigh, y);
        }
        seriesFor(trace.method)->replace(thinPoints(points, kMaxCurvePoints));
        if (trace.alWeightsAreTheAnswer()) {
            auto* marks = alWeightsSeriesFor(trace.method);
            marks->replace(weights);
            hideFromLegend(m_chart, marks, weights.isEmpty());
        }
    }
    // The trial chosen in the Trials view: its own figure at the cost the method had spent.
    if (m_selected != nullptr) {
        QList<QPointF> mark;
        const auto* trace = run.method(m_selectedMethod);
        if (trace != nullptr && m_selectedIndex >= 0 &&
            static_cast<std::size_t>(m_selectedIndex) < trace->samples.size()) {
            const auto& s = trace->samples[static_cast<std::size_t>(m_selectedIndex)];
            const double x = epochs ? s.cost.epochs : s.cost.wallSeconds;
            double y = m_metric == Metric::TestLoss ? s.metrics.testLoss : s.metrics.valLoss;
            if (aboveTheLowest) {
                y = aboveLowest(y);
            } else if (m_metric == Metric::TestAccuracy) {
                y = s.metrics.testAccuracy ? *s.metrics.testAccuracy * 100.0 : std::nan("");
            }
            if (s.ok() && std::isfinite(x) && std::isfinite(y)) {
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
    plotOn(yAxis());
    if (aboveTheLowest) {
        setDecadeRange(m_yLog, std::isfinite(yLow) ? yLow : m_floor,
                       std::isfinite(yHigh) ? yHigh : 1.0);
    } else if (std::isfinite(yLow)) {
        setPaddedRange(m_y, yLow, yHigh);
    }
    fillTable(run);
}

void ComparisonChart::selectTrial(const std::string& method, int index) {
    if (m_selected == nullptr) {
        m_selected = addStarSeries(m_chart, tr("selected trial"), m_x, yAxis());
    }
    m_selectedMethod = method;
    m_selectedIndex = index;
    redraw();
}

QList<QPointF> ComparisonChart::selectedPoints() const {
    return m_selected != nullptr ? m_selected->points() : QList<QPointF>{};
}

QList<QPointF> ComparisonChart::alWeightsPoints(const std::string& method) const {
    const auto it = m_alWeights.find(method);
    return it == m_alWeights.end() ? QList<QPointF>{} : it->second->points();
}

QList<QPointF> ComparisonChart::curvePoints(const std::string& method) const {
    const auto it = m_series.find(method);
    return it == m_series.end() ? QList<QPointF>{} : it->second->points();
}

} // namespace bt::ui
