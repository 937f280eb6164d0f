#include <QtTest>

#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QGraphicsTextItem>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPalette>
#include <QScatterSeries>
#include <QTabWidget>
#include <QValueAxis>

#include <cmath>
#include <tuple>
#include <vector>

#include "ui/charts/chart_support.h"
#include "ui/charts/chart_view.h"
#include "ui/charts/constraint_chart.h"
#include "ui/charts/live_charts.h"
#include "ui/charts/loss_chart.h"
#include "ui/charts/trajectory_chart.h"

#include "chart_events.h"

// The charts' axes, their ticks and labels, and the shared styling (chart_support.h).

using namespace bt;
using namespace bt::test;

namespace {

// The x axis of a chart view and the tick values it draws (fixed or dynamic ticks).
const QValueAxis* xAxisOf(const ui::RunChart* chart) {
    const auto axes = chart->chartViews().front()->chart()->axes(Qt::Horizontal);
    return qobject_cast<const QValueAxis*>(axes.front());
}

QList<double> tickValues(const QValueAxis* axis) {
    QList<double> values;
    if (axis->tickType() == QValueAxis::TicksFixed) {
        const int n = axis->tickCount();
        for (int i = 0; i < n; ++i) {
            values.append(axis->min() + i * (axis->max() - axis->min()) / (n - 1));
        }
        return values;
    }
    const double step = axis->tickInterval();
    const double anchor = axis->tickAnchor();
    for (double v = anchor + std::ceil((axis->min() - anchor) / step - 1e-9) * step;
         v <= axis->max() + 1e-9; v += step) {
        values.append(v);
    }
    return values;
}

// The labels a chart view draws on screen, in no particular order.
QStringList shownLabels(QChartView& view) {
    QTest::qWait(50); // the axes lay their labels out
    QStringList labels;
    for (const auto* item : view.scene()->items()) {
        const auto* text = dynamic_cast<const QGraphicsTextItem*>(item);
        if (text != nullptr && text->isVisible() && !text->toPlainText().isEmpty()) {
            labels.append(text->toPlainText());
        }
    }
    return labels;
}

} // namespace

class TestChartAxes : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void thinningKeepsEndsAndSpikes() {
        QList<QPointF> points;
        for (int i = 0; i < 10000; ++i) {
            points.append({double(i), i == 5003 ? 100.0 : std::sin(i * 0.01)});
        }
        const auto thinned = ui::thinPoints(points, 500);
        QVERIFY(thinned.size() <= 500);
        QVERIFY(thinned.size() > 400);
        QCOMPARE(thinned.front(), points.front());
        QCOMPARE(thinned.back(), points.back());
        QVERIFY(thinned.contains(QPointF(5003.0, 100.0)));
        for (qsizetype i = 1; i < thinned.size(); ++i) {
            QVERIFY(thinned[i].x() > thinned[i - 1].x());
        }
        QCOMPARE(ui::thinPoints(points.mid(0, 100), 500), points.mid(0, 100));
    }

    // The "outer iteration" axes tick at whole iterations only, each label once: before any run
    // (0 and 1, not "0 0 0 1 1 1"), on the empty view, and for 5 and 15 iterations (every
    // iteration; every second).
    void outerIterationAxesTickAtWholeIterations() {
        QTabWidget tabs;
        ui::LiveCharts charts(&tabs);
        auto check = [&](int outerTotal, qsizetype ticks) {
            for (const ui::RunChart* chart :
                 {static_cast<const ui::RunChart*>(charts.trajectories()),
                  static_cast<const ui::RunChart*>(charts.constraint()),
                  static_cast<const ui::RunChart*>(charts.losses())}) {
                const auto* axis = xAxisOf(chart);
                QVERIFY(axis != nullptr);
                // Room for the last iteration's markers, less than one more iteration.
                QVERIFY(axis->max() > outerTotal && axis->max() < outerTotal + 1.0);
                QVERIFY(axis->min() < 0.0 && axis->min() > -1.0);
                const auto values = tickValues(axis);
                QStringList labels;
                for (const double v : values) {
                    QVERIFY2(std::abs(v - std::round(v)) < 1e-9,
                             qPrintable(chart->title() + QStringLiteral(": a tick at %1").arg(v)));
                    labels.append(QString::asprintf(qPrintable(axis->labelFormat()), v));
                }
                QCOMPARE(labels.removeDuplicates(), 0);
                QCOMPARE(values.size(), ticks);
                QCOMPARE(values.front(), 0.0);
            }
        };
        check(1, 2);
        charts.refreshAll(); // the empty view: the default configuration's iterations
        const int defaults = config::RunConfig{}.bilevel.outerIterationCount();
        QVERIFY(defaults <= 10);
        check(defaults, defaults + 1);
        for (const auto& [outerTotal, ticks] : {std::pair{5, 6}, std::pair{15, 8}}) {
            auto config = configOf({config::Method::Bilevel}, config::LambdaScope::Shared);
            config.bilevel.outerIterations = outerTotal;
            charts.startRun(QStringLiteral("run-%1").arg(outerTotal), config);
            charts.refreshAll();
            check(outerTotal, ticks);
        }
    }

    // Value axes label each tick with its value: steps of 2.5 × 10^k keep their last digit
    // (-7.5 is not "-8", 0.25 not "0.3").
    void valueAxisLabelsAreTheTickValues() {
        const std::vector<std::tuple<double, double, double>> cases{
            {-10.5, 0.5, 2.5}, {-0.05, 1.05, 0.25}, {0.0, 0.011, 0.0025}, {0.0, 1100.0, 250.0},
            {-3.0, 7.0, 2.0},  {0.0, 0.5, 0.1},     {2.0, 3.1, 0.25},     {0.0, 50.0, 10.0}};
        for (const auto& [low, high, step] : cases) {
            QValueAxis axis;
            ui::setAxisRange(&axis, low, high);
            QCOMPARE(axis.tickInterval(), step);
            const auto values = tickValues(&axis);
            QVERIFY(values.size() >= 4);
            for (const double v : values) {
                const QString label = QString::asprintf(qPrintable(axis.labelFormat()), v);
                QVERIFY2(std::abs(label.toDouble() - v) <= 1e-9 * std::max(1.0, std::abs(v)),
                         qPrintable(QStringLiteral("[%1, %2]: %3 labelled %4")
                                        .arg(low)
                                        .arg(high)
                                        .arg(v)
                                        .arg(label)));
            }
        }
    }

    // The grey markers (initial design, refinement) stand out from the plot's background on a
    // light and on a dark palette: fill and border differ from it in lightness by 80 or more.
    void neutralMarkersReadOnBothPalettes() {
        const QPalette original = QApplication::palette();
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(45, 45, 48));
        dark.setColor(QPalette::WindowText, QColor(220, 220, 220));
        for (const QPalette& palette : {original, dark}) {
            QApplication::setPalette(palette);
            QChart chart;
            ui::styleChart(&chart, QStringLiteral("t"));
            // The themes paint the background as a gradient: the mean of its stops.
            const QBrush brush = chart.backgroundBrush();
            int background = brush.color().lightness();
            if (brush.gradient() != nullptr && !brush.gradient()->stops().isEmpty()) {
                const auto stops = brush.gradient()->stops();
                background = 0;
                for (const auto& stop : stops) {
                    background += stop.second.lightness();
                }
                background /= int(stops.size());
            }
            for (const bool stronger : {false, true}) {
                const auto style =
                    ui::neutralMarker(QScatterSeries::MarkerShapeCircle, 7.0, stronger);
                QVERIFY2(std::abs(style.fill.lightness() - background) >= 80,
                         qPrintable(QStringLiteral("fill %1 on %2")
                                        .arg(style.fill.lightness())
                                        .arg(background)));
                QVERIFY2(std::abs(style.border.lightness() - background) >= 80,
                         qPrintable(QStringLiteral("border %1 on %2")
                                        .arg(style.border.lightness())
                                        .arg(background)));
            }
        }
        QApplication::setPalette(original);
    }

    // A log axis labels every decade its range covers, the lowest one too: data within one
    // decade still reads against two labels.
    void logAxisLabelsEveryDecade() {
        const std::vector<std::tuple<double, double, QStringList>> cases{
            {0.2, 0.8, {QStringLiteral("1e-01"), QStringLiteral("1e+00")}},
            {0.02,
             0.5,
             {QStringLiteral("1e-02"), QStringLiteral("1e-01"), QStringLiteral("1e+00")}},
            {3.0,
             40.0,
             {QStringLiteral("1e+00"), QStringLiteral("1e+01"), QStringLiteral("1e+02")}},
            {2e-5,
             3e-3,
             {QStringLiteral("1e-05"), QStringLiteral("1e-04"), QStringLiteral("1e-03"),
              QStringLiteral("1e-02")}}};
        for (const auto& [low, high, expected] : cases) {
            auto* chart = new QChart;
            auto* series = new QLineSeries;
            series->append(0.0, low);
            series->append(1.0, high);
            chart->addSeries(series);
            auto* x = new QValueAxis;
            auto* y = ui::makeLogAxis(QString());
            chart->addAxis(x, Qt::AlignBottom);
            chart->addAxis(y, Qt::AlignLeft);
            series->attachAxis(x);
            series->attachAxis(y);
            ui::setDecadeRange(y, low, high);
            QVERIFY(y->min() <= low && y->max() >= high);
            QChartView view(chart);
            view.resize(500, 400);
            view.show();
            QStringList decades;
            for (const auto& label : shownLabels(view)) {
                if (label.contains(QLatin1Char('e'))) {
                    decades.append(label);
                }
            }
            decades.sort();
            QStringList wanted = expected;
            wanted.sort();
            QCOMPARE(decades, wanted);
        }
    }
};

QTEST_MAIN(TestChartAxes)
#include "test_chart_axes.moc"
