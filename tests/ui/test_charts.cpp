#include <QtTest>

#include <QAction>
#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QPalette>
#include <QScatterSeries>
#include <QTabWidget>
#include <QTableWidget>
#include <QValueAxis>
#include <QXYSeries>

#include <cmath>
#include <tuple>
#include <vector>

#include "ui/charts/chart_support.h"
#include "ui/charts/chart_view.h"
#include "ui/charts/comparison_chart.h"
#include "ui/charts/constraint_chart.h"
#include "ui/charts/live_charts.h"
#include "ui/charts/loss_chart.h"
#include "ui/charts/surrogate_chart.h"
#include "ui/charts/trajectory_chart.h"

#include "chart_events.h"

using namespace bt;
using namespace bt::test;

namespace {

// The places of a chart's shown legend entries (each a marker and its label), once laid out.
QList<QRectF> shownLegendEntries(const ui::RunChart* chart) {
    QTest::qWait(50); // the legend lays its entries out
    QList<QRectF> entries;
    for (const auto* group : chart->chartViews().front()->chart()->legend()->childItems()) {
        for (const auto* entry : group->childItems()) {
            if (entry->isVisible()) {
                entries.append(entry->sceneBoundingRect());
            }
        }
    }
    return entries;
}

bool legendEntriesOverlap(const ui::RunChart* chart) {
    const auto entries = shownLegendEntries(chart);
    for (qsizetype i = 0; i < entries.size(); ++i) {
        for (qsizetype j = i + 1; j < entries.size(); ++j) {
            if (entries[i].intersects(entries[j])) {
                return true;
            }
        }
    }
    return false;
}

} // namespace

class TestCharts : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // "No bilevel method in this run" is said of runs without it, not before the first run.
    void titlesSayNoBilevelMethodOnlyOfARun() {
        QTabWidget tabs;
        ui::LiveCharts charts(&tabs);
        auto titles = [&] {
            QStringList all;
            for (const ui::RunChart* chart :
                 {static_cast<const ui::RunChart*>(charts.trajectories()),
                  static_cast<const ui::RunChart*>(charts.constraint()),
                  static_cast<const ui::RunChart*>(charts.losses()),
                  static_cast<const ui::RunChart*>(charts.surrogate())}) {
                all.append(chart->chartViews().front()->chart()->title());
            }
            return all;
        };
        charts.refreshAll();
        for (const auto& title : titles()) {
            QVERIFY2(!title.contains(QStringLiteral("no bilevel method")), qPrintable(title));
        }
        charts.startRun(QStringLiteral("grid-only"),
                        configOf({config::Method::Grid}, config::LambdaScope::Shared));
        charts.refreshAll();
        for (const auto& title : titles()) {
            QVERIFY2(title.contains(QStringLiteral("no bilevel method")), qPrintable(title));
        }
    }

    // The confirmation and the refinement trainings are drawn at the last outer iteration, and
    // so is λ* when one of them holds it.
    void refinementTrainingsSitAtTheLastIteration() {
        QTabWidget tabs;
        ui::LiveCharts charts(&tabs);
        charts.startRun(QStringLiteral("run-refinement"),
                        configOf({config::Method::Bilevel}, config::LambdaScope::Shared));
        charts.addEvent(sample("bilevel", "initial-design", 0, {-4.0}, 1.0, 0.5, 10.0));
        charts.addEvent(sample("bilevel", "confirmation", 1, {-2.0}, 1.0, 0.45, 20.0));
        charts.addEvent(sample("bilevel", "refinement", 2, {-3.0}, 1.0, 0.4, 30.0));
        charts.addEvent(events::MethodFinishedEvent{"bilevel", {-3.0}, {}, {}});
        charts.refreshAll();
        const auto* trajectories = charts.trajectories();
        QCOMPARE(trajectories->refinementPoints(), (QList<QPointF>{{2.0, -2.0}, {2.0, -3.0}}));
        QCOMPARE(trajectories->returnedPoints(), (QList<QPointF>{{2.0, -3.0}}));
        // Hovered, the refinement training is numbered within its phase, not by its sample index.
        auto* path = qobject_cast<ui::ChartView*>(charts.trajectories()->chartViews().front());
        auto* refinement = seriesNamed(path, QStringLiteral("refinement"));
        QVERIFY(refinement != nullptr);
        Q_EMIT refinement->hovered(QPointF(2.0, -3.0), true);
        QVERIFY2(path->hoverText().contains(QStringLiteral("bilevel, refinement 1/3")),
                 qPrintable(path->hoverText()));

        // The legend names the refinement once a training after the iterations is drawn: a
        // run without one (variant paper, or select before its confirmation or refinement)
        // has no such entry.
        tabs.show();
        auto refinementInLegend = [&charts]() {
            QTest::qWait(50); // the legend lays its entries out
            const auto* view = charts.trajectories()->chartViews().front();
            auto* series = seriesNamed(view, QStringLiteral("refinement"));
            return series != nullptr &&
                   view->chart()->legend()->markers(series).front()->isVisible();
        };
        QVERIFY(refinementInLegend());
        auto paper = configOf({config::Method::Bilevel}, config::LambdaScope::Shared);
        paper.bilevel.variant = config::BilevelVariant::Paper;
        charts.startRun(QStringLiteral("run-paper"), paper);
        charts.addEvent(sample("bilevel", "initial-design", 0, {-4.0}, 1.0, 0.5, 10.0));
        charts.refreshAll();
        QVERIFY(!refinementInLegend());
        charts.startRun(QStringLiteral("run-select"),
                        configOf({config::Method::Bilevel}, config::LambdaScope::Shared));
        charts.addEvent(sample("bilevel", "initial-design", 0, {-4.0}, 1.0, 0.5, 10.0));
        charts.refreshAll();
        QVERIFY(!refinementInLegend());
        charts.addEvent(sample("bilevel", "refinement", 1, {-3.0}, 1.0, 0.4, 20.0));
        charts.refreshAll();
        QVERIFY(refinementInLegend());
        // Shown after the legend was laid out without it, the entry takes a place of its own.
        QCOMPARE(shownLegendEntries(charts.trajectories()).size(), 5); // box, design, refinement,
                                                                       // λ*, λ
        QVERIFY(!legendEntriesOverlap(charts.trajectories()));
    }

    // The bilevel charts after a known sequence of events (d = 1).
    void bilevelChartsDrawTheEvents() {
        QTabWidget tabs;
        ui::LiveCharts charts(&tabs);
        charts.startRun(QStringLiteral("run-1"),
                        configOf({config::Method::Bilevel}, config::LambdaScope::Shared));
        // Design: the middle sample has the lowest validation loss: the start point.
        const std::vector<double> design{-8.0, -3.0, 2.0};
        for (int i = 0; i < 3; ++i) {
            charts.addEvent(sample("bilevel", "initial-design", i, {design[i]}, phiOf(design[i]),
                                   i == 1 ? 0.2 : 0.6, 10.0 * (i + 1)));
        }
        auto refit = bilevelRefit(3, {4.0}, 1e-8);
        charts.addEvent(refit);
        // Bayesian optimisation's GP (of validation loss) is not the surrogate of φ.
        events::GpRefitEvent other = refit;
        other.method = "bayesian";
        other.samples = 1;
        other.lengthScales = {0.01};
        charts.addEvent(other);
        charts.addEvent(inner(1, 50, -2.5, 0.3));
        charts.addEvent(inner(1, 100, -2.0, -0.2));
        charts.addEvent(outer(1, -2.0, 0.1, -0.05, 2.2, 3.0, 0.4));
        charts.addEvent(inner(2, 50, -1.5, 0.0));
        charts.addEvent(outer(2, -1.0, 0.0, 0.01, 2.3, 4.5, 0.35));
        charts.refreshAll();

        const auto* traj = charts.trajectories();
        const QList<QPointF> path{{0.0, -3.0}, {0.5, -2.5}, {1.0, -2.0},
                                  {1.0, -2.0}, {1.5, -1.5}, {2.0, -1.0}};
        QCOMPARE(traj->pathPoints(0), path);
        QCOMPARE(traj->outerPoints(0), (QList<QPointF>{{1.0, -2.0}, {2.0, -1.0}}));

        const auto* constraint = charts.constraint();
        // |h| with a floor for the exact zero (a log axis has none).
        QCOMPARE(constraint->sampledPoints(),
                 (QList<QPointF>{{1.0, 0.1}, {2.0, ui::ConstraintChart::kFloor}}));
        QCOMPARE(constraint->surrogatePoints(), (QList<QPointF>{{1.0, 0.05}, {2.0, 0.01}}));
        QCOMPARE(constraint->muPoints(), (QList<QPointF>{{0.0, 2.0}, {1.0, 2.2}, {2.0, 2.3}}));
        QCOMPARE(constraint->rPoints(), (QList<QPointF>{{0.0, 2.0}, {1.0, 3.0}, {2.0, 4.5}}));

        const auto* losses = charts.losses();
        QCOMPARE(losses->upperPoints(), (QList<QPointF>{{1.0, 0.4}, {2.0, 0.35}}));
        QCOMPARE(losses->lowerPoints(), (QList<QPointF>{{1.0, 1.4}, {2.0, 1.35}}));
        QCOMPARE(losses->phiSampledPoints(), (QList<QPointF>{{1.0, 0.9}, {2.0, 0.85}}));

        // The surrogate: conditioned on the refit's three samples with its hyperparameters; with
        // almost no noise the mean interpolates them.
        const auto* surrogate = charts.surrogate();
        QVERIFY(surrogate->curveShown());
        QVERIFY(!surrogate->mapShown());
        QCOMPARE(surrogate->modelSamples(), 3);
        const auto mean = surrogate->meanPoints();
        QCOMPARE(mean.size(), ui::SurrogateChart::kCurvePoints);
        QCOMPARE(mean.front().x(), -10.0);
        QCOMPARE(mean.back().x(), 3.0);
        const auto upper = surrogate->bandUpperPoints();
        const auto lower = surrogate->bandLowerPoints();
        QCOMPARE(upper.size(), mean.size());
        QCOMPARE(lower.size(), mean.size());
        for (qsizetype i = 0; i < mean.size(); ++i) {
            // Finite everywhere (a NaN or an infinity would draw nothing, or everything).
            QVERIFY2(std::isfinite(mean[i].y()) && std::isfinite(upper[i].y()) &&
                         std::isfinite(lower[i].y()),
                     qPrintable(QStringLiteral("point %1: mean %2, band [%3, %4]")
                                    .arg(i)
                                    .arg(mean[i].y())
                                    .arg(lower[i].y())
                                    .arg(upper[i].y())));
            QVERIFY(upper[i].y() >= mean[i].y() && mean[i].y() >= lower[i].y());
        }
        // The mean at x = 2 (the last sample, a point of the 200-point grid only approximately):
        // interpolate between the two grid points around it.
        for (const double x : design) {
            const double step = 13.0 / (ui::SurrogateChart::kCurvePoints - 1);
            const auto i = static_cast<qsizetype>(std::floor((x + 10.0) / step));
            const double t = (x - mean[i].x()) / step;
            const double y = mean[i].y() * (1 - t) + mean[i + 1].y() * t;
            QVERIFY2(std::abs(y - phiOf(x)) < 0.02,
                     qPrintable(QStringLiteral("x=%1: %2 vs %3").arg(x).arg(y).arg(phiOf(x))));
        }
        QCOMPARE(surrogate->curveSamplePoints().size(), 3);
        QCOMPARE(surrogate->curveSamplePoints()[1], QPointF(-3.0, phiOf(-3.0)));
    }

    // d = 2: a heat map with the samples and the path; d = 3: both slices.
    void surrogateHeatMapAndSlices() {
        QTabWidget tabs;
        ui::LiveCharts charts(&tabs);
        auto config = configOf({config::Method::Bilevel}, config::LambdaScope::PerLayer);
        charts.startRun(QStringLiteral("run-2"), config);
        const std::vector<std::vector<double>> design{
            {-8.0, -8.0}, {-8.0, 2.0}, {2.0, -8.0}, {2.0, 2.0}, {-3.0, -3.0}};
        for (std::size_t i = 0; i < design.size(); ++i) {
            charts.addEvent(sample("bilevel", "initial-design", int(i), design[i],
                                   design[i][0] * 0.1 + design[i][1] * 0.2, 0.5, 1.0));
        }
        auto refit = bilevelRefit(5, {5.0, 5.0}, 1e-6);
        charts.addEvent(refit);
        auto it = outer(1, -2.0, 0.1, 0.1, 2.0, 3.0, 0.4);
        it.lambda = {-2.0, -1.0};
        charts.addEvent(it);
        charts.refreshAll();
        const auto* surrogate = charts.surrogate();
        QVERIFY(surrogate->mapShown());
        QVERIFY(!surrogate->curveShown());
        QCOMPARE(surrogate->heatMap().width(), ui::SurrogateChart::kGridSize);
        QCOMPARE(surrogate->mapSamplePoints().size(), 5);
        // The path: start point (first design sample: all equal losses), then λ_1.
        QCOMPARE(surrogate->mapPathPoints().front(), QPointF(-8.0, -8.0));
        QVERIFY(surrogate->mapPathPoints().contains(QPointF(-2.0, -1.0)));
        // The mean grows with λ1 and λ2 (φ = 0.1 λ1 + 0.2 λ2 at the samples): the top-right
        // corner of the image is brighter (viridis: yellow is high) than the bottom-left.
        const QImage& image = surrogate->heatMap();
        QVERIFY(qGray(image.pixel(image.width() - 1, 0)) >
                qGray(image.pixel(0, image.height() - 1)));
        // Its key gives the drawn range; these samples are negative, so no note on them.
        QVERIFY2(surrogate->colourKey().startsWith(QStringLiteral("φ̂ mean: -")) &&
                     !surrogate->colourKey().contains(QStringLiteral("GP's error")),
                 qPrintable(surrogate->colourKey()));
        // A mean below 0 where every φ sample is a loss (≥ 0) is named as the GP's error.
        using Shading = ui::SurrogateChart::Shading;
        QCOMPARE(ui::SurrogateChart::colourKeyText(Shading::Mean, -0.0259, 1.72, true),
                 QStringLiteral("φ̂ mean: -0.0259 … 1.72 (φ ≥ 0: below 0 is the GP's error)"));
        QCOMPARE(ui::SurrogateChart::colourKeyText(Shading::Mean, 0.012, 1.72, true),
                 QStringLiteral("φ̂ mean: 0.012 … 1.72"));
        QCOMPARE(ui::SurrogateChart::colourKeyText(Shading::StdDev, -0.5, 1.0, true),
                 QStringLiteral("σ of φ̂: -0.5 … 1"));
        // The map's axes reach past the box [-10, 3]², so that markers on its edges show whole.
        const auto mapAxes = surrogate->chartViews().back()->chart()->axes();
        QCOMPARE(mapAxes.size(), 2);
        for (const auto* axis : mapAxes) {
            const auto* value = qobject_cast<const QValueAxis*>(axis);
            QVERIFY(value != nullptr);
            QVERIFY2(value->min() < -10.0 && value->max() > 3.0,
                     qPrintable(QStringLiteral("[%1, %2]").arg(value->min()).arg(value->max())));
        }
        // Hovering a sample shows its whole record: method, phase, λ by name, losses, epochs.
        auto* mapView = qobject_cast<ui::ChartView*>(surrogate->chartViews().back());
        auto* samples = seriesNamed(mapView, QStringLiteral("φ samples"));
        QVERIFY(samples != nullptr);
        Q_EMIT samples->hovered(QPointF(2.1, -7.9), true); // beside the third design sample
        const QString record = mapView->hoverText();
        for (const char* part : {"bilevel, initial design 3/3", "λ1 = 2.000", "λ2 = -8.000",
                                 "validation loss 0.5", "test loss", "epochs; ok"}) {
            QVERIFY2(record.contains(QString::fromUtf8(part)), qPrintable(record));
        }
        // The star marks the current λ while the method runs, then λ*, which under variant
        // select is a training's λ off the path; the path still ends at the last iterate.
        QCOMPARE(surrogate->mapMarkerPoints(), (QList<QPointF>{{-2.0, -1.0}}));
        QCOMPARE(surrogate->mapMarkerName(), QStringLiteral("current λ"));
        charts.addEvent(events::MethodFinishedEvent{"bilevel", {-3.0, -3.0}, {}, {}});
        charts.refreshAll();
        QCOMPARE(surrogate->mapMarkerPoints(), (QList<QPointF>{{-3.0, -3.0}}));
        QCOMPARE(surrogate->mapMarkerName(), QStringLiteral("λ*"));
        QCOMPARE(surrogate->mapPathPoints().back(), QPointF(-2.0, -1.0));

        // d = 3: a 1-D slice along the chosen dimension and a 2-D slice over the chosen pair.
        config.model.hidden = {8, 4};
        charts.startRun(QStringLiteral("run-3"), config);
        for (int i = 0; i < 6; ++i) {
            const double v = -9.0 + 2.0 * i;
            charts.addEvent(
                sample("bilevel", "initial-design", i, {v, -v / 2, v / 3}, v * 0.1, 0.5, 1.0));
        }
        refit.samples = 6;
        refit.lengthScales = {5.0, 5.0, 5.0};
        charts.addEvent(refit);
        charts.refreshAll();
        auto* s3 = charts.surrogate();
        QVERIFY(s3->mapShown());
        QVERIFY(s3->curveShown());
        QCOMPARE(s3->modelSamples(), 6);
        s3->setSliceDimension(2);
        QCOMPARE(s3->curveSamplePoints().front().x(), -9.0 / 3);
        s3->setSlicePair(1, 2);
        QCOMPARE(s3->mapSamplePoints().front(), QPointF(4.5, -3.0));
        QCOMPARE(s3->chartViews().size(), 2);
        // The slices go through the current λ (here the design's best), then through λ*.
        QCOMPARE(s3->curveMarkerPoints().front().x(), -9.0 / 3);
        charts.addEvent(events::MethodFinishedEvent{"bilevel", {-1.0, 0.5, 2.0}, {}, {}});
        charts.refreshAll();
        QCOMPARE(s3->curveMarkerPoints().front().x(), 2.0);
        QCOMPARE(s3->mapMarkerPoints(), (QList<QPointF>{{0.5, 2.0}}));
        const auto sliceTitle = s3->chartViews().front()->chart()->title();
        QVERIFY2(sliceTitle.contains(QStringLiteral("through λ*")), qPrintable(sliceTitle));
    }

    // The posterior is computed off the GUI thread: a redraw asks for it and draws it when it
    // arrives; one asked for an older run is dropped.
    void surrogateIsComputedOffTheGuiThread() {
        QTabWidget tabs;
        ui::LiveCharts charts(&tabs);
        charts.startRun(QStringLiteral("run-a"),
                        configOf({config::Method::Bilevel}, config::LambdaScope::Shared));
        for (int i = 0; i < 3; ++i) {
            const double x = -8.0 + 5.0 * i;
            charts.addEvent(sample("bilevel", "initial-design", i, {x}, phiOf(x), 0.5, 1.0));
        }
        auto refit = bilevelRefit(3, {4.0}, 1e-8);
        charts.addEvent(refit);
        auto* surrogate = charts.surrogate();
        surrogate->refresh(charts.data());
        // Asked for, not drawn: the result comes back through the event loop.
        QVERIFY(surrogate->computing());
        QCOMPARE(surrogate->modelSamples(), 0);
        QTRY_VERIFY(!surrogate->computing());
        QCOMPARE(surrogate->modelSamples(), 3);
        QCOMPARE(surrogate->meanPoints().size(), ui::SurrogateChart::kCurvePoints);

        // A new refit is asked for, then another run starts before it arrives: dropped.
        refit.lengthScales = {2.0};
        charts.addEvent(refit);
        surrogate->refresh(charts.data());
        QVERIFY(surrogate->computing());
        charts.startRun(QStringLiteral("run-b"),
                        configOf({config::Method::Grid}, config::LambdaScope::Shared));
        QTRY_VERIFY(!surrogate->computing());
        QCOMPARE(surrogate->modelSamples(), 0);
        QVERIFY(surrogate->meanPoints().isEmpty());
        const auto title = surrogate->chartViews().front()->chart()->title();
        QVERIFY2(title.contains(QStringLiteral("no bilevel method")), qPrintable(title));
    }

    // A long status line ("GP not drawn: …") does not widen the surrogate view, which would
    // move the main window's splitter.
    void surrogateStatusDoesNotWidenTheView() {
        QTabWidget tabs;
        ui::LiveCharts charts(&tabs);
        auto* surrogate = charts.surrogate();
        auto* status = surrogate->findChild<QLabel*>(QStringLiteral("surrogateStatus"));
        QVERIFY(status != nullptr);
        tabs.setCurrentWidget(surrogate);
        tabs.show();
        QVERIFY(QTest::qWaitForWindowExposed(&tabs));
        const int before = surrogate->minimumSizeHint().width();
        status->setText(QStringLiteral("GP not drawn: ") + QString(400, QLatin1Char('x')));
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        QCOMPARE(surrogate->minimumSizeHint().width(), before);
    }

    // Anytime step curves per method and the table's best marks.
    // λ's entries are labelled by the names the run gives them (weights or groups), in every
    // view; before it has said them, λ1, λ2, ...; a shared λ is "λ (shared)".
    void lambdaEntriesAreLabelledByName() {
        QTabWidget tabs;
        ui::LiveCharts charts(&tabs);
        charts.startRun(QStringLiteral("run-names"),
                        configOf({config::Method::Bilevel}, config::LambdaScope::PerLayer));
        charts.addEvent(sample("bilevel", "initial-design", 0, {-4.0, -2.0}, 1.0, 0.5, 10.0));
        charts.refreshAll();
        QCOMPARE(charts.trajectories()->pathName(1), QStringLiteral("λ2"));
        charts.addEvent(events::RunStartedEvent{{"body", "fc2"}, {{"fc1"}, {"fc2"}}, "csv", "cpu"});
        charts.addEvent(events::MethodFinishedEvent{"bilevel", {-4.0, -2.0}, {}, {}});
        charts.refreshAll();
        QCOMPARE(charts.trajectories()->pathName(0), QStringLiteral("λ body"));
        QCOMPARE(charts.trajectories()->pathName(1), QStringLiteral("λ fc2"));
        auto* table = charts.comparison()->table();
        QVERIFY2(table->horizontalHeaderItem(1)->toolTip().contains(
                     QStringLiteral("in the order λ body, λ fc2")),
                 qPrintable(table->horizontalHeaderItem(1)->toolTip()));
        QCOMPARE(table->item(0, 1)->toolTip(), QStringLiteral("λ body = -4.00\nλ fc2 = -2.00"));
        // No outer iteration holds this λ*: it is marked with the initial design, at 0.
        QCOMPARE(charts.trajectories()->returnedPoints(),
                 (QList<QPointF>{{0.0, -4.0}, {0.0, -2.0}}));

        ui::RunData shared;
        shared.reset(configOf({config::Method::Grid}, config::LambdaScope::Shared), "old");
        shared.add(sample("grid", "trial", 0, {-3.0}, 1.0, 0.5, 10.0));
        QCOMPARE(QString::fromStdString(shared.lambdaLabel(0)), QStringLiteral("λ (shared)"));
    }

    // A training's hover text counts its place among its method's trainings of the same phase,
    // whether the caller holds the stored event or a copy of it.
    void sampleTextCountsThePlaceOfACopy() {
        ui::RunData data;
        data.reset(configOf({config::Method::Bilevel}, config::LambdaScope::Shared), "copy");
        data.add(sample("bilevel", "initial-design", 0, {-4.0}, 1.0, 0.5, 10.0));
        data.add(sample("bilevel", "refinement", 1, {-3.0}, 1.0, 0.4, 20.0));
        data.add(sample("bilevel", "refinement", 2, {-2.0}, 1.0, 0.3, 30.0));
        const auto& stored = data.method("bilevel")->samples.back();
        const events::SampleEvent copy = stored;
        QVERIFY2(data.sampleText(stored).startsWith(QStringLiteral("bilevel, refinement 2/3\n")),
                 qPrintable(data.sampleText(stored)));
        QCOMPARE(data.sampleText(copy), data.sampleText(stored));
    }

    // Every view can be explored: hovering a series says its values, a legend click hides and
    // shows it, and a zoom holds while the run redraws until it is reset.
    void chartsCanBeExplored() {
        QTabWidget tabs;
        tabs.resize(900, 600);
        ui::LiveCharts charts(&tabs);
        tabs.show();
        QVERIFY(QTest::qWaitForWindowExposed(&tabs));
        // Before any run the charts say what to do instead of showing empty axes.
        auto* first = qobject_cast<ui::ChartView*>(charts.trajectories()->chartViews().front());
        QVERIFY(first->emptyText().contains(QStringLiteral("Start run")));
        QVERIFY(!first->chart()->legend()->isVisible());
        // The text sits on a card of the base colour, so that the grid's lines do not run
        // through it (a green base here, so that the card shows).
        QPalette green = first->palette();
        green.setColor(QPalette::Base, QColor(0, 160, 0));
        first->setPalette(green);
        const QImage empty = first->grab().toImage();
        int card = 0;
        for (int y = 0; y < empty.height(); ++y) {
            for (int x = 0; x < empty.width(); ++x) {
                const QColor c = empty.pixelColor(x, y);
                card += c.green() > 120 && c.red() < 60 && c.blue() < 60 ? 1 : 0;
            }
        }
        QVERIFY2(card > 5000, qPrintable(QString::number(card)));
        charts.startRun(QStringLiteral("run-explore"),
                        configOf({config::Method::Bilevel}, config::LambdaScope::Shared));
        charts.addEvent(sample("bilevel", "initial-design", 0, {-3.0}, 1.0, 0.5, 10.0));
        charts.addEvent(outer(1, -2.0, 0.1, 0.05, 2.2, 3.0, 0.4));
        charts.refreshAll();
        for (auto* chart : charts.charts()) {
            for (auto* view : chart->chartViews()) {
                const auto* explorable = qobject_cast<ui::ChartView*>(view);
                QVERIFY2(explorable != nullptr, qPrintable(chart->title()));
                QVERIFY(explorable->emptyText().isEmpty());
            }
        }
        QVERIFY(first->chart()->legend()->isVisible());
        auto* view = qobject_cast<ui::ChartView*>(charts.trajectories()->chartViews().front());
        auto* path = seriesNamed(view, QStringLiteral("λ (shared)"));
        QVERIFY(path != nullptr);
        // At an outer iteration the hover gives the iteration's record; between iterations (the
        // inner steps) the series, x and y.
        Q_EMIT path->hovered(QPointF(1.0, -2.0), true);
        for (const char* part : {"bilevel, outer iteration 1 of 2", "λ (shared) = -2.000",
                                 "F(w_k) 0.4, f(w_k, λ_k) 1.4", "h 0.1 against the φ sample 0.9",
                                 "μ 2.2, r 3", "test accuracy 90.00 %"}) {
            QVERIFY2(view->hoverText().contains(QString::fromUtf8(part)),
                     qPrintable(view->hoverText()));
        }
        Q_EMIT path->hovered(QPointF(0.5, -2.5), true);
        QVERIFY2(view->hoverText().contains(QStringLiteral("λ (shared)")) &&
                     view->hoverText().contains(
                         QStringLiteral("outer iteration (inner steps in between): 0.5")),
                 qPrintable(view->hoverText()));
        Q_EMIT path->hovered(QPointF(1.0, -2.0), false);
        QVERIFY(view->hoverText().isEmpty());
        // A design point gives its training's record, as the Surrogate view's samples do.
        auto* design = seriesNamed(view, QStringLiteral("initial design"));
        QVERIFY(design != nullptr);
        Q_EMIT design->hovered(QPointF(0.0, -3.1), true);
        QVERIFY2(view->hoverText().contains(QStringLiteral("bilevel, initial design 1/3")) &&
                     view->hoverText().contains(QStringLiteral("λ (shared) = -3.000")),
                 qPrintable(view->hoverText()));
        // The Losses and Constraint views give the iteration's record at an outer iteration.
        for (auto* chart : {static_cast<ui::RunChart*>(charts.losses()),
                            static_cast<ui::RunChart*>(charts.constraint())}) {
            auto* other = qobject_cast<ui::ChartView*>(chart->chartViews().front());
            auto* series = qobject_cast<QXYSeries*>(other->chart()->series().back());
            Q_EMIT series->hovered(QPointF(1.0, 0.5), true);
            QVERIFY2(other->hoverText().contains(QStringLiteral("bilevel, outer iteration 1 of 2")),
                     qPrintable(chart->title() + QStringLiteral(": ") + other->hoverText()));
        }
        // A step of the anytime curve: the best so far at that cost and the training that set it.
        auto* anytime = qobject_cast<ui::ChartView*>(charts.comparison()->chartViews().front());
        auto* curve = seriesNamed(anytime, QStringLiteral("bilevel"));
        QVERIFY(curve != nullptr);
        Q_EMIT curve->hovered(QPointF(10.0, 0.5), true);
        for (const char* part : {"bilevel, best so far after 10 epochs", "validation loss 0.5",
                                 "test loss 0.6", "bilevel, initial design 1/3"}) {
            QVERIFY2(anytime->hoverText().contains(QString::fromUtf8(part)),
                     qPrintable(anytime->hoverText()));
        }

        QTest::qWait(50); // the legend lays its new entries out
        auto* marker = view->chart()->legend()->markers(path).front();
        QVERIFY(marker->isVisible());
        Q_EMIT marker->clicked();
        QCOMPARE(path->opacity(), 0.0); // not drawn
        QVERIFY(marker->isVisible());   // still in the legend, to be clicked back
        Q_EMIT path->hovered(QPointF(1.0, -2.0), true);
        QVERIFY(view->hoverText().isEmpty()); // a hidden series says nothing
        Q_EMIT marker->clicked();
        QCOMPARE(path->opacity(), 1.0);

        auto* x = qobject_cast<QValueAxis*>(view->chart()->axes(Qt::Horizontal).front());
        const double fullMax = x->max();
        const QRectF area = view->chart()->plotArea();
        view->zoomTo(QRectF(area.topLeft(), area.size() / 2));
        QVERIFY(view->zoomed());
        const double zoomedMax = x->max();
        QVERIFY2(zoomedMax < fullMax,
                 qPrintable(QStringLiteral("%1 %2").arg(zoomedMax).arg(fullMax)));
        charts.addEvent(outer(2, -1.0, 0.0, 0.01, 2.3, 4.5, 0.35));
        charts.refreshAll();
        QCOMPARE(x->max(), zoomedMax);
        view->resetZoom();
        QVERIFY(!view->zoomed());
        charts.refreshAll();
        QCOMPARE(x->max(), fullMax);

        // Esc resets a zoom before the window's Esc shortcut (Stop the run) sees it; on an
        // unzoomed chart Esc is the shortcut's.
        QWidget* window = view->window();
        auto* stop = new QAction(window);
        stop->setShortcut(QKeySequence(Qt::Key_Escape));
        window->addAction(stop);
        int stops = 0;
        QObject::connect(stop, &QAction::triggered, [&stops] { ++stops; });
        window->show();
        window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(window));
        view->setFocus();
        view->zoomTo(QRectF(area.topLeft(), area.size() / 2));
        QVERIFY(view->zoomed());
        QTest::keyClick(view, Qt::Key_Escape);
        QVERIFY(!view->zoomed());
        QCOMPARE(stops, 0);
        QTest::keyClick(view, Qt::Key_Escape);
        QCOMPARE(stops, 1);
        delete stop;

        // The returned λ* is marked at the outer iteration that holds it.
        QVERIFY(charts.trajectories()->returnedPoints().isEmpty());
        charts.addEvent(events::MethodFinishedEvent{"bilevel", {-1.0}, {}, {}});
        charts.refreshAll();
        QCOMPARE(charts.trajectories()->returnedPoints(), (QList<QPointF>{{2.0, -1.0}}));
    }

    // A burst of events costs at most a redraw per frame.
    void redrawsAreCoalesced() {
        QTabWidget tabs;
        ui::LiveCharts charts(&tabs);
        tabs.show();
        charts.startRun(QStringLiteral("run-5"),
                        configOf({config::Method::Bilevel}, config::LambdaScope::Shared));
        tabs.setCurrentIndex(0);
        QCoreApplication::processEvents();
        const int before = charts.redrawCount();
        for (int i = 0; i < 2000; ++i) {
            charts.addEvent(inner(1, i % 100, -3.0 + i * 1e-3, 0.1));
        }
        QTest::qWait(3 * ui::LiveCharts::kFrameMs + 20);
        const int redraws = charts.redrawCount() - before;
        QVERIFY2(redraws >= 1 && redraws <= 2, qPrintable(QString::number(redraws)));
        // Only the chart on screen was redrawn; the others follow when shown.
        QCOMPARE(charts.trajectories()->pathPoints(0).size(), ui::TrajectoryChart::kMaxPathPoints);
    }
};

QTEST_MAIN(TestCharts)
#include "test_charts.moc"
