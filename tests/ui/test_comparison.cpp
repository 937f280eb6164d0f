#include <QtTest>

#include <QChart>
#include <QChartView>
#include <QLabel>
#include <QLogValueAxis>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QValueAxis>
#include <QXYSeries>

#include <vector>

#include "ui/charts/chart_view.h"
#include "ui/charts/comparison_chart.h"
#include "ui/charts/hyperparameter_view.h"
#include "ui/charts/live_charts.h"
#include "ui/charts/trials_table.h"

#include "chart_events.h"
#include "synthetic_run.h"

using namespace bt;
using namespace bt::test;

// The views that compare the methods: the Comparison chart and table, the Trials table and the
// Hyperparameters view, live and of a finished run or a comparison of runs.
class TestComparison : public QObject {
    Q_OBJECT

    /// The charts' comparison view as a window of its own, `size`, shown.
    static ui::ComparisonChart* shownAlone(ui::LiveCharts& charts, QSize size) {
        auto* comparison = charts.comparison();
        comparison->setParent(nullptr);
        comparison->resize(size);
        comparison->show();
        return comparison;
    }

private Q_SLOTS:
    // The live anytime curve follows the engine's rule: the augmented-Lagrangian weights, fitted
    // to the validation split, set a best so far only under variant paper, where they are the
    // method's answer; under select the curve stays that of its trainings.
    void liveAnytimeCountsTheWeightsOnlyWhereTheyAreTheAnswer() {
        for (const auto variant : {config::BilevelVariant::Select, config::BilevelVariant::Paper}) {
            QTabWidget tabs;
            ui::LiveCharts charts(&tabs);
            auto config = configOf({config::Method::Bilevel}, config::LambdaScope::Shared);
            config.bilevel.variant = variant;
            charts.startRun(QStringLiteral("run-live"), config);
            charts.addEvent(sample("bilevel", "initial-design", 0, {-4.0}, 1.0, 0.5, 10.0));
            charts.addEvent(outer(1, -3.0, 0.1, 0.1, 2.0, 3.0, 0.01));
            const auto& anytime = charts.data().method("bilevel")->anytime;
            QCOMPARE(anytime.size(), std::size_t{2}); // a point after the sample and the iteration
            QCOMPARE(anytime.back().epochs, 101.0);
            QCOMPARE(anytime.back().bestValLoss,
                     variant == config::BilevelVariant::Paper ? 0.01 : 0.5);
            // Hovering the curve says which model set the best, and of the weights that their
            // validation loss is not held out.
            charts.refreshAll();
            auto* view = qobject_cast<ui::ChartView*>(charts.comparison()->chartViews().front());
            auto* curve = seriesNamed(view, QStringLiteral("bilevel"));
            QVERIFY(curve != nullptr);
            Q_EMIT curve->hovered(QPointF(101.0, 0.01), true);
            const QString said = variant == config::BilevelVariant::Paper
                                     ? QStringLiteral("weights of outer iteration 1, fitted to "
                                                      "the validation split")
                                     : QStringLiteral("bilevel, initial design 1/3");
            QVERIFY2(view->hoverText().contains(said), qPrintable(view->hoverText()));
            // Where the weights hold the best the curve has a hollow marker, named in the
            // legend, which says the same when hovered; under select there is none.
            const auto marks = charts.comparison()->alWeightsPoints("bilevel");
            auto* marker =
                seriesNamed(view, QStringLiteral("bilevel: AL weights (fitted to val.)"));
            if (variant == config::BilevelVariant::Paper) {
                QCOMPARE(marks, (QList<QPointF>{{101.0, 0.01}}));
                QVERIFY(marker != nullptr);
                Q_EMIT marker->hovered(QPointF(101.0, 0.01), true);
                QVERIFY2(view->hoverText().contains(said), qPrintable(view->hoverText()));
                // Above the lowest held-out loss (the sample's 0.5, alone: the floor 0.5e-6):
                // the weights' 0.01 is not that lowest, and sits at the floor.
                charts.comparison()->setMetric(
                    ui::ComparisonChart::Metric::ValidationLossAboveLowest);
                for (const auto& point : charts.comparison()->curvePoints("bilevel")) {
                    QVERIFY2(qAbs(point.y() - 0.5e-6) < 1e-15,
                             qPrintable(QString::number(point.y())));
                }
            } else {
                QVERIFY(marks.isEmpty());
                QVERIFY(marker == nullptr);
            }
        }
    }

    // A comparison of runs names its traces "method · letter", and its runs may differ in
    // variant: each trace keeps its method's and its own run's rules.
    void tracesOfAComparisonKeepTheirMethodAndVariant() {
        QCOMPARE(ui::methodOf("grid · B"), std::string("grid"));
        QCOMPARE(ui::methodOf("bilevel"), std::string("bilevel"));
        auto paper = configOf({config::Method::Bilevel}, config::LambdaScope::Shared);
        paper.bilevel.variant = config::BilevelVariant::Paper;
        ui::RunData replayed; // a trace takes its run's variant
        replayed.reset(paper, "b");
        QVERIFY(replayed.method("bilevel")->variant == config::BilevelVariant::Paper);

        auto select = configOf({}, config::LambdaScope::Shared); // the dialog's: no methods
        ui::RunData data;
        data.reset(select, "a vs b");
        auto traceOf = [](const char* name, config::BilevelVariant variant) {
            ui::MethodTrace trace;
            trace.method = name;
            trace.variant = variant;
            trace.result = report::MethodResult{};
            trace.result->method = name;
            trace.result->lambda = {-3.0};
            trace.result->metrics.valLoss = 0.01; // under paper: the weights
            trace.result->metrics.testLoss = 0.7;
            trace.result->retrainedMetrics = events::Metrics{};
            trace.result->retrainedMetrics->testLoss = 0.5;
            return trace;
        };
        const auto a = traceOf("bilevel · A", config::BilevelVariant::Select);
        const auto b = traceOf("bilevel · B", config::BilevelVariant::Paper);
        auto grid = traceOf("grid · B", config::BilevelVariant::Paper);
        QVERIFY(!a.alWeightsAreTheAnswer());
        QVERIFY(b.alWeightsAreTheAnswer());
        QVERIFY(!grid.alWeightsAreTheAnswer());
        data.addTrace(a);
        data.addTrace(b);
        ui::ComparisonChart chart;
        chart.refresh(data);
        // B's row: λ*'s retraining in the held-out columns, the weights in italics; A's plain.
        QCOMPARE(chart.table()->rowCount(), 2);
        QCOMPARE(chart.table()->item(1, 2)->text(), QStringLiteral("0.5000"));
        QVERIFY(chart.table()->item(1, 6)->font().italic());
        QVERIFY(!chart.table()->item(0, 6)->font().italic());
        // The method column stays in view when the figures scroll sideways, italics and all.
        const auto* frozen = chart.table()->findChild<QTableView*>(QStringLiteral("frozenColumns"));
        QVERIFY(frozen != nullptr);
        QCOMPARE(frozen->model(), chart.table()->model());
        QVERIFY(!frozen->isColumnHidden(0) && frozen->isColumnHidden(1));
    }

    // Every trial of every method in one table: numbers sort as numbers, a filter narrows the
    // rows, the CSV holds the rows shown with full figures, and activating a row marks the
    // trial in the Comparison chart.
    void trialsTableSortsFiltersAndExports() {
        QTabWidget tabs;
        ui::LiveCharts charts(&tabs);
        charts.startRun(
            QStringLiteral("run-trials"),
            configOf({config::Method::Grid, config::Method::Random}, config::LambdaScope::Shared));
        charts.addEvent(sample("grid", "trial", 0, {-5.0}, 1.0, 0.5, 10.0, 0.80));
        charts.addEvent(sample("grid", "trial", 1, {-1.0}, 1.0, 10.25, 20.0, 0.90));
        charts.addEvent(sample("grid", "trial", 2, {0.0}, 1.0, 0.3, 30.0, 0.85));
        auto diverged = sample("random", "trial", 0, {-2.0}, 1.0, 0.4, 10.0, 0.88);
        diverged.status = "diverged";
        charts.addEvent(diverged);
        charts.refreshAll();
        auto* trials = charts.trials();
        QCOMPARE(trials->rowCount(), 4);
        // Method and phase stay in view when the figures scroll sideways.
        const auto* frozen =
            trials->view()->findChild<QTableView*>(QStringLiteral("frozenColumns"));
        QVERIFY(frozen != nullptr);
        QVERIFY(!frozen->isColumnHidden(1) && frozen->isColumnHidden(2));
        // Columns: method, phase, #, λ (shared), epochs, val. loss, ...
        QCOMPARE(trials->view()->model()->headerData(3, Qt::Horizontal).toString(),
                 QStringLiteral("λ (shared)"));
        // In run order until sorted.
        QCOMPARE(trials->cell(0, 0), QStringLiteral("grid"));
        QCOMPARE(trials->cell(3, 0), QStringLiteral("random"));
        trials->view()->sortByColumn(5, Qt::AscendingOrder);
        QCOMPARE(trials->cell(0, 5), QStringLiteral("0.3000"));
        QCOMPARE(trials->cell(1, 5), QStringLiteral("0.5000"));
        QCOMPARE(trials->cell(2, 5), QStringLiteral("10.2500")); // 10.25 after 0.5, not before
        QCOMPARE(trials->cell(3, 5), QStringLiteral("—"));       // the diverged trial: no figure
        trials->setFilterText(QStringLiteral("DIVERGED"));
        QCOMPARE(trials->rowCount(), 1);
        QCOMPARE(trials->cell(0, 0), QStringLiteral("random"));
        trials->setFilterText(QStringLiteral("grid"));
        QCOMPARE(trials->rowCount(), 3);

        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("trials.csv"));
        QString error;
        QVERIFY2(trials->writeCsv(path, &error), qPrintable(error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const auto lines =
            QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 4); // the header and the three grid trials, as sorted
        QVERIFY2(lines[0].startsWith(QStringLiteral("Method,Phase,#,λ (shared),Epochs,Val. loss")),
                 qPrintable(lines[0]));
        QVERIFY2(lines[1].startsWith(QStringLiteral("grid,trial 3/3,3,0,")), qPrintable(lines[1]));
        QVERIFY2(lines[3].contains(QStringLiteral(",10.25,")), qPrintable(lines[3]));

        // Activating the first row (grid's third trial) marks it in the Comparison chart.
        const auto first = trials->view()->model()->index(0, 0);
        Q_EMIT trials->view()->activated(first);
        QCOMPARE(charts.comparison()->selectedPoints(), (QList<QPointF>{{30.0, 0.3}}));

        // A hundred trials at once (the tab shown after a while) keep the filter and the sort.
        for (int i = 1; i <= 100; ++i) {
            charts.addEvent(
                sample("random", "trial", i, {-1.0}, 1.0, 0.05 + 0.01 * i, 10.0 + i, 0.8));
        }
        charts.refreshAll();
        QCOMPARE(trials->rowCount(), 3); // still grid's only
        trials->setFilterText(QString());
        QCOMPARE(trials->rowCount(), 104);
        QCOMPARE(trials->cell(0, 5), QStringLiteral("0.0600")); // the lowest first, as sorted
    }

    // The Trials table names a training's phase as the progress line and the hover texts do
    // (events::phasePlace), numbered within it, and sorts the phases by name, then number.
    void trialsNameTheirPhaseAsTheProgressLineDoes() {
        QTabWidget tabs;
        ui::LiveCharts charts(&tabs);
        charts.startRun(QStringLiteral("run-phases"),
                        configOf({config::Method::Bilevel}, config::LambdaScope::Shared));
        for (int i = 0; i < 11; ++i) {
            auto design = sample("bilevel", "initial-design", i, {-4.0 + 0.1 * i}, 1.0, 0.6, 10.0);
            design.total = 11;
            charts.addEvent(design);
        }
        auto phi = sample("bilevel", "outer-iteration", 11, {-3.0}, 1.0, 0.5, 4.0);
        phi.total = 2;
        charts.addEvent(phi);
        charts.refreshAll();
        auto* trials = charts.trials();
        QCOMPARE(trials->cell(0, 1), QStringLiteral("initial design 1/11"));
        QCOMPARE(trials->cell(11, 1), QStringLiteral("φ sample 1/2"));
        trials->view()->sortByColumn(1, Qt::AscendingOrder);
        QCOMPARE(trials->cell(1, 1), QStringLiteral("initial design 2/11")); // not 10/11
        QCOMPARE(trials->cell(10, 1), QStringLiteral("initial design 11/11"));
        trials->setFilterText(QStringLiteral("φ sample"));
        QCOMPARE(trials->rowCount(), 1);
    }

    // Every training of every method across the λ axes, the best marked; each λ's relevance
    // from Bayesian optimisation's GP of the validation loss (1/ℓ, relative to the largest),
    // else from the bilevel method's GP of φ.
    void hyperparameterViewShowsTrialsAndRelevance() {
        QTabWidget tabs;
        ui::LiveCharts charts(&tabs);
        charts.startRun(QStringLiteral("run-hyper"),
                        configOf({config::Method::Bilevel, config::Method::Bayesian},
                                 config::LambdaScope::PerLayer));
        charts.addEvent(sample("bilevel", "initial-design", 0, {-4.0, -2.0}, 1.0, 0.6, 10.0));
        charts.addEvent(sample("bayesian", "trial", 0, {-1.0, -3.0}, 1.0, 0.3, 10.0));
        auto diverged = sample("bayesian", "trial", 1, {0.0, 0.0}, 1.0, 0.2, 20.0);
        diverged.status = "diverged"; // not a point of the objective
        charts.addEvent(diverged);
        auto phiFit = bilevelRefit(1, {2.0, 8.0}, 1e-6);
        charts.addEvent(phiFit);
        charts.refreshAll();
        const auto* view = charts.hyperparameters();
        QCOMPARE(view->trials().size(), std::size_t{2});
        QCOMPARE(view->bestTrial(), 1);
        QCOMPARE(view->relevance(), (std::vector<double>{1.0, 0.25}));
        QVERIFY(view->relevanceSource().contains(QStringLiteral("φ")));
        auto objective = phiFit;
        objective.method = "bayesian";
        objective.lengthScales = {4.0, 1.0};
        charts.addEvent(objective);
        charts.refreshAll();
        QCOMPARE(view->relevance(), (std::vector<double>{0.25, 1.0}));
        QVERIFY(view->relevanceSource().contains(QStringLiteral("validation loss")));
        // It paints without a fault at a small and a large size.
        auto* widget = charts.hyperparameters();
        for (const QSize size : {QSize(360, 260), QSize(1800, 1000)}) {
            widget->resize(size);
            QImage image(size, QImage::Format_ARGB32);
            widget->render(&image);
        }
    }

    // The loss axis leaves out a few bad trainings' range (they end at its top, "≥"), and the
    // colours go by rank, so that the many trainings near the best differ.
    void hyperparameterViewKeepsTheBestApart() {
        QTabWidget tabs;
        ui::LiveCharts charts(&tabs);
        charts.startRun(QStringLiteral("run-ranks"),
                        configOf({config::Method::Random}, config::LambdaScope::Shared));
        const std::vector<double> losses{0.46, 0.45, 0.47, 0.48, 0.50, 0.49, 0.52, 1.70};
        for (std::size_t i = 0; i < losses.size(); ++i) {
            charts.addEvent(sample("random", "trial", static_cast<int>(i),
                                   {-1.0 - static_cast<double>(i)}, 1.0, losses[i], 10.0));
        }
        charts.refreshAll();
        const auto* view = charts.hyperparameters();
        QCOMPARE(view->trials().size(), losses.size());
        // Sorted: 0.45 … 0.52, 1.70; the upper quartile (index 5 of 0…7) is 0.50.
        const auto axis = view->lossAxis();
        QCOMPARE(axis.low, 0.45);
        QVERIFY(axis.clipped);
        QVERIFY(qAbs(axis.high - (0.45 + 3 * 0.05)) < 1e-12);
        QCOMPARE(view->shade(1), 1.0); // the lowest
        QCOMPARE(view->shade(7), 0.0); // the highest
        QVERIFY(qAbs(view->shade(0) - 6.0 / 7.0) < 1e-12);
        // Equal losses share a shade: a ninth training at 0.47 ties the third lowest (ranks 2
        // and 3 of 0…8).
        charts.addEvent(sample("random", "trial", 8, {-9.5}, 1.0, 0.47, 10.0));
        charts.refreshAll();
        QCOMPARE(view->shade(2), view->shade(8));
        QVERIFY(qAbs(view->shade(2) - (1.0 - 2.5 / 8.0)) < 1e-12);
        QVERIFY(qAbs(view->shade(3) - (1.0 - 4.0 / 8.0)) < 1e-12);
        // Without an outlier the axis spans what was seen.
        ui::LiveCharts even(&tabs);
        even.startRun(QStringLiteral("run-even"),
                      configOf({config::Method::Random}, config::LambdaScope::Shared));
        for (std::size_t i = 0; i + 1 < losses.size(); ++i) {
            even.addEvent(sample("random", "trial", static_cast<int>(i),
                                 {-1.0 - static_cast<double>(i)}, 1.0, losses[i], 10.0));
        }
        even.refreshAll();
        QVERIFY(!even.hyperparameters()->lossAxis().clipped);
        QCOMPARE(even.hyperparameters()->lossAxis().high, 0.52);
        for (const QSize size : {QSize(360, 260), QSize(1200, 800)}) {
            auto* widget = charts.hyperparameters();
            widget->resize(size);
            QImage image(size, QImage::Format_ARGB32);
            widget->render(&image);
        }
    }

    void comparisonCurvesAndTable() {
        QTabWidget tabs;
        ui::LiveCharts charts(&tabs);
        charts.startRun(
            QStringLiteral("run-4"),
            configOf({config::Method::Grid, config::Method::Random}, config::LambdaScope::Shared));
        charts.addEvent(sample("grid", "trial", 0, {-5.0}, 1.0, 0.5, 10.0, 0.80));
        charts.addEvent(sample("grid", "trial", 1, {-1.0}, 1.0, 0.7, 20.0, 0.90));
        charts.addEvent(sample("grid", "trial", 2, {0.0}, 1.0, 0.3, 30.0, 0.85));
        charts.addEvent(sample("random", "trial", 0, {-2.0}, 1.0, 0.4, 10.0, 0.88));
        charts.refreshAll();
        auto* comparison = charts.comparison();
        QCOMPARE(comparison->curvePoints("grid"),
                 (QList<QPointF>{{10.0, 0.5}, {20.0, 0.5}, {30.0, 0.5}, {30.0, 0.3}}));
        comparison->setMetric(ui::ComparisonChart::Metric::TestAccuracy);
        // The test accuracy of the best-by-validation model, not the best test accuracy.
        QCOMPARE(comparison->curvePoints("grid"),
                 (QList<QPointF>{{10.0, 80.0}, {20.0, 80.0}, {30.0, 80.0}, {30.0, 85.0}}));
        comparison->setCost(ui::ComparisonChart::Cost::Seconds);
        QCOMPARE(comparison->curvePoints("random"), (QList<QPointF>{{1.0, 88.0}}));

        // Above the lowest validation loss (0.3, grid's), on a log axis: the lowest at the floor,
        // a thousandth of the span (0.5 − 0.3).
        comparison->setCost(ui::ComparisonChart::Cost::Epochs);
        comparison->setMetric(ui::ComparisonChart::Metric::ValidationLossAboveLowest);
        const double floor = 0.2e-3;
        const auto above = comparison->curvePoints("grid");
        QCOMPARE(above.size(), 4);
        QVERIFY(qAbs(above[0].y() - (0.2 + floor)) < 1e-12 && above[0].x() == 10.0);
        QVERIFY(qAbs(above[3].y() - floor) < 1e-12 && above[3].x() == 30.0);
        QVERIFY(qAbs(comparison->curvePoints("random")[0].y() - (0.1 + floor)) < 1e-12);
        const auto shownY = [comparison] {
            QAbstractAxis* shown = nullptr;
            for (auto* axis : comparison->chartViews().front()->chart()->axes(Qt::Vertical)) {
                shown = axis->isVisible() ? axis : shown;
            }
            return shown;
        };
        QVERIFY(qobject_cast<QLogValueAxis*>(shownY()) != nullptr);
        for (auto* series : comparison->chartViews().front()->chart()->series()) {
            QVERIFY(series->attachedAxes().contains(shownY()));
        }
        // And back: the losses themselves on the linear axis.
        comparison->setMetric(ui::ComparisonChart::Metric::ValidationLoss);
        QCOMPARE(comparison->curvePoints("grid"),
                 (QList<QPointF>{{10.0, 0.5}, {20.0, 0.5}, {30.0, 0.5}, {30.0, 0.3}}));
        QVERIFY(qobject_cast<QValueAxis*>(shownY()) != nullptr);
        for (auto* series : comparison->chartViews().front()->chart()->series()) {
            QVERIFY(series->attachedAxes().contains(shownY()));
        }
        comparison->setMetric(ui::ComparisonChart::Metric::TestAccuracy);
        comparison->setCost(ui::ComparisonChart::Cost::Seconds);

        QVERIFY(comparison->recommendationText().isEmpty()); // no method has finished
        events::MethodFinishedEvent grid{"grid", {0.0}, {}, {}};
        grid.metrics.valLoss = 0.3;
        grid.metrics.testLoss = 0.4;
        grid.metrics.testAccuracy = 0.85;
        grid.cost.lowerLevelTrainings = 3;
        grid.cost.epochs = 30.0;
        charts.addEvent(grid);
        events::MethodFinishedEvent random{"random", {-2.0}, {}, {}};
        random.metrics.valLoss = 0.4;
        random.metrics.testLoss = 0.5;
        random.metrics.testAccuracy = 0.88;
        random.cost.lowerLevelTrainings = 1;
        random.cost.epochs = 10.0;
        charts.addEvent(random);
        charts.refreshAll();
        const auto* table = comparison->table();
        QCOMPARE(table->rowCount(), 2);
        auto cell = [table](int row, int column) { return table->item(row, column)->text(); };
        QCOMPARE(cell(0, 0), QStringLiteral("grid"));
        // Columns: method, λ*, retrained test loss and accuracy, refit test loss and accuracy,
        // own model's validation loss, test loss and accuracy, trainings, epochs, seconds.
        QVERIFY(cell(0, 6).startsWith(QStringLiteral("★"))); // lower validation loss
        QVERIFY(!cell(1, 6).startsWith(QStringLiteral("★")));
        // A baseline's own model never saw the validation split: it is the retrained figure.
        QVERIFY(cell(0, 2).startsWith(QStringLiteral("★"))); // lower test loss
        QVERIFY(cell(1, 3).startsWith(QStringLiteral("★"))); // higher test accuracy
        QVERIFY(cell(1, 3).contains(QStringLiteral("88.00 %")));
        QVERIFY(cell(1, 8).startsWith(QStringLiteral("★")));
        QCOMPARE(cell(0, 4), QStringLiteral("—")); // no refit reported
        // Above the table, the report's recommendation: the lowest validation loss of the
        // training-only models, shown by its own model where there is no refit.
        QCOMPARE(comparison->recommendationText(),
                 QStringLiteral("Recommended model: test loss 0.4, 85.00 % (grid, retrained)"));
        QVERIFY(cell(1, 9).startsWith(QStringLiteral("★"))); // fewer trainings
        const QString html = comparison->tableHtml();
        QVERIFY2(html.contains(QStringLiteral("<td class='best' style='white-space:nowrap' "
                                              "align='right'><b>★ 0.3000</b></td>")),
                 qPrintable(html));
        QVERIFY(html.contains(
            QStringLiteral("<th style='white-space:nowrap'>Test loss<br>retrained</th>")));
        // λ*: one named entry per line (a shared λ here).
        QVERIFY2(html.contains(QStringLiteral(">λ (shared) = 0.00<")), qPrintable(html));
        // The report's two parts: the held-out figures, then the cost and the own models.
        const QString heldOut = comparison->tableHtml(ui::ComparisonChart::TablePart::HeldOut);
        QCOMPARE(heldOut.count(QStringLiteral("<th ")), 6);
        QVERIFY(!heldOut.contains(QStringLiteral("Trainings")));
        const QString cost = comparison->tableHtml(ui::ComparisonChart::TablePart::CostAndOwnModel);
        QCOMPARE(cost.count(QStringLiteral("<th ")), 8);
        QVERIFY(cost.contains(QStringLiteral("Trainings")) && !cost.contains(QStringLiteral("λ*")));
    }

    // Under variant select the bilevel row is λ*'s training; the augmented-Lagrangian weights the
    // paper's rule picks get a row of their own below it, labelled, outside the ★ and the report's
    // held-out table. Under paper they are the row's own model and get none.
    void comparisonShowsTheAugmentedLagrangianWeights() {
        QTabWidget tabs;
        ui::LiveCharts charts(&tabs);
        const auto config = configOf({config::Method::Bilevel, config::Method::Random},
                                     config::LambdaScope::Shared);
        charts.startRun(QStringLiteral("run-al"), config);
        auto metricsOf = [](double valLoss, double testLoss, double accuracy) {
            events::Metrics m;
            m.valLoss = valLoss;
            m.testLoss = testLoss;
            m.testAccuracy = accuracy;
            return m;
        };
        report::MethodResult bilevel;
        bilevel.method = "bilevel";
        bilevel.lambda = {-4.0};
        bilevel.metrics = metricsOf(0.50, 0.52, 0.80); // λ*'s training from the initialisation
        bilevel.retrainedMetrics = bilevel.metrics;
        for (int k = 1; k <= 2; ++k) {
            auto it = outer(k, -3.0 + k, 0.1, 0.1, 2.0, 3.0, 0.4);
            it.metrics = metricsOf(0.10 * k, 0.60, 0.90); // fitted to validation: far lower
            bilevel.iterations.push_back(it);
        }
        bilevel.alWeightsIteration = 2;
        report::MethodResult random;
        random.method = "random";
        random.lambda = {-2.0};
        random.metrics = metricsOf(0.55, 0.58, 0.78);
        report::RunResult result;
        result.runId = "run-al";
        result.methods = {bilevel, random};
        charts.finishRun(result);
        charts.refreshAll();
        const auto* comparison = charts.comparison();
        const auto* table = comparison->table();
        QCOMPARE(table->rowCount(), 3);
        auto cell = [table](int row, int column) { return table->item(row, column)->text(); };
        QCOMPARE(cell(0, 0), QStringLiteral("bilevel"));
        QCOMPARE(cell(1, 0), QStringLiteral("↳ AL weights"));
        QCOMPARE(cell(2, 0), QStringLiteral("random"));
        QCOMPARE(cell(1, 1), QStringLiteral("[-1.00]"));     // λ_2 of outer iteration 2
        QCOMPARE(cell(1, 6), QStringLiteral("0.2000"));      // its validation loss, not ★
        QCOMPARE(cell(1, 2), QStringLiteral("—"));           // nothing retrained at λ_2
        QVERIFY(cell(0, 6).startsWith(QStringLiteral("★"))); // λ*'s 0.50 beats random's 0.55
        QVERIFY(table->item(1, 0)->toolTip().contains(QStringLiteral("validation split")));
        const QString heldOut = comparison->tableHtml(ui::ComparisonChart::TablePart::HeldOut);
        QVERIFY(!heldOut.contains(QStringLiteral("AL weights")));
        const QString cost = comparison->tableHtml(ui::ComparisonChart::TablePart::CostAndOwnModel);
        QVERIFY(cost.contains(QStringLiteral("↳ AL weights")));

        // Variant paper: λ* is the weights' iterate and its own model the weights themselves.
        bilevel.lambda = bilevel.iterations[1].lambda;
        bilevel.metrics = bilevel.iterations[1].metrics;
        result.methods = {bilevel, random};
        auto paper = config;
        paper.bilevel.variant = config::BilevelVariant::Paper;
        charts.startRun(QStringLiteral("run-paper"), paper);
        charts.finishRun(result);
        charts.refreshAll();
        QCOMPARE(comparison->table()->rowCount(), 2);
        // The weights' own-model figures are shown, in italics, and compete for no ★: random's
        // 0.55 and 78 % are the column's best although the weights' 0.20 and 90 % look better.
        QCOMPARE(cell(0, 6), QStringLiteral("0.2000"));
        QVERIFY(table->item(0, 6)->font().italic());
        QVERIFY(table->item(0, 8)->toolTip().contains(QStringLiteral("validation split")));
        QVERIFY(cell(1, 6).startsWith(QStringLiteral("★")));
        QVERIFY(cell(1, 8).startsWith(QStringLiteral("★")));
        QVERIFY(!cell(0, 8).startsWith(QStringLiteral("★")));
        QVERIFY(!table->item(1, 6)->font().italic());
        QVERIFY(comparison->tableHtml(ui::ComparisonChart::TablePart::CostAndOwnModel)
                    .contains(QStringLiteral("<i>0.2000</i>")));
    }

    // A small window shows every row of the table once the run has them, the chart keeping at
    // least half; once the user drags the splitter the table's pane stays as they left it.
    void tableShowsItsRowsInASmallWindow() {
        QTabWidget tabs;
        ui::LiveCharts charts(&tabs);
        auto* comparison = shownAlone(charts, {500, 420});
        QVERIFY(QTest::qWaitForWindowExposed(comparison));
        auto* splitter = comparison->findChild<QSplitter*>();
        QVERIFY(splitter != nullptr);
        // The chart three quarters of the height, as the stretch factors make it in a window.
        const int height = splitter->sizes().value(0) + splitter->sizes().value(1);
        splitter->setSizes({height * 3 / 4, height - height * 3 / 4});
        const int chartBefore = splitter->sizes().value(0);
        bt::testing::feedSyntheticRun(charts);
        charts.refreshAll();
        QCoreApplication::processEvents();
        auto* table = comparison->table();
        QVERIFY(table->rowCount() >= 2);
        const int last = table->rowCount() - 1;
        QVERIFY2(table->rowViewportPosition(last) + table->rowHeight(last) <=
                     table->viewport()->height(),
                 qPrintable(QStringLiteral("row %1 ends at %2 of %3")
                                .arg(last)
                                .arg(table->rowViewportPosition(last) + table->rowHeight(last))
                                .arg(table->viewport()->height())));
        const auto sizes = splitter->sizes();
        QVERIFY(sizes.value(0) >= sizes.value(1));
        QVERIFY(sizes.value(0) < chartBefore); // the table's pane grew for its rows
        // Dragged by the user, the pane keeps its size when rows come.
        splitter->setSizes({sizes.value(0) + 40, sizes.value(1) - 40});
        Q_EMIT splitter->splitterMoved(sizes.value(0) + 40, 1);
        const auto dragged = splitter->sizes();
        charts.refreshAll();
        QCOMPARE(splitter->sizes(), dragged);
    }

    // A method's row comes with its first training, the recommendation's line above the table
    // only when a method finishes, with no new row: the pane then grows for that line too, and
    // the note below the table stays clear of it (it overlapped the table's scroll bar).
    void theRecommendationsLineGetsRoom() {
        QTabWidget tabs;
        ui::LiveCharts charts(&tabs);
        auto* comparison = shownAlone(charts, {560, 460});
        QVERIFY(QTest::qWaitForWindowExposed(comparison));
        auto config = bt::testing::syntheticConfig();
        config.methods = {config::Method::Random};
        charts.startRun(QStringLiteral("20260101-000000-one"), config);
        events::Cost cost;
        for (int i = 0; i < 3; ++i) {
            charts.addEvent(bt::testing::syntheticTrial("random", i, 3, {-8.0 + i, -3.0 - i},
                                                        0.6 - 0.05 * i, cost));
        }
        charts.refreshAll();
        QTest::qWait(20); // the fit runs once the layout has placed the rows
        QVERIFY(comparison->recommendationText().isEmpty());
        charts.addEvent(events::MethodFinishedEvent{
            "random", {-6.0, -5.0}, bt::testing::syntheticMetrics(0.5), cost});
        charts.refreshAll();
        QTest::qWait(20);
        QVERIFY(!comparison->recommendationText().isEmpty());
        auto* table = comparison->table();
        const auto* note = comparison->findChild<QLabel*>(QStringLiteral("comparisonNote"));
        QVERIFY(note != nullptr);
        QVERIFY2(table->geometry().bottom() < note->geometry().top(),
                 qPrintable(QStringLiteral("the table ends at %1, the note starts at %2")
                                .arg(table->geometry().bottom())
                                .arg(note->geometry().top())));
        const int last = table->rowCount() - 1;
        QVERIFY(table->rowViewportPosition(last) + table->rowHeight(last) <=
                table->viewport()->height());
    }
};

QTEST_MAIN(TestComparison)
#include "test_comparison.moc"
