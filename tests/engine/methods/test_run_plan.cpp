#include <QtTest>

#include "engine/methods/design.h"
#include "engine/methods/hyperband_schedule.h"
#include "engine/methods/run_plan.h"

using bt::config::Method;
using bt::methods::planRun;

namespace {

bt::config::RunConfig everyMethod() {
    bt::config::RunConfig c;
    c.dataset.kind = bt::config::DatasetKind::FashionMnist;
    c.training.epochs = 10;
    c.bilevel.initialSamples = 15;
    c.bilevel.outerIterations = 5;
    c.bilevel.refineTrials = 2;
    c.grid.pointsPerDim = 4;
    c.random.trials = 7;
    c.bayesian.trials = 9;
    c.hyperband.maxEpochs = 81;
    c.hyperband.eta = 3;
    c.methods = {Method::Bilevel, Method::Grid, Method::Random, Method::Bayesian,
                 Method::Hyperband};
    return c;
}

} // namespace

class TestRunPlan : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void plansEveryMethodInRunOrder() {
        const auto plan = planRun(everyMethod(), 3);
        QCOMPARE(plan.size(), std::size_t{5});
        // bilevel: 15 design trainings + 5 × (φ sample + inner solve) + 2 refinement trainings,
        // 10 epochs each.
        QVERIFY(plan[0].method == Method::Bilevel);
        QCOMPARE(plan[0].trainings, std::int64_t{15 + 5 + 2});
        QCOMPARE(plan[0].epochs, (15.0 + 2) * 10 + 2.0 * 5 * 10);
        QCOMPARE(plan[1].trainings, std::int64_t{64}); // 4^3
        QCOMPARE(plan[1].epochs, 640.0);
        QCOMPARE(plan[2].trainings, std::int64_t{7});
        QCOMPARE(plan[2].epochs, 70.0);
        QCOMPARE(plan[3].trainings, std::int64_t{9});
        QCOMPARE(plan[3].epochs, 90.0);
        // Hyperband: Li et al. 2018, Table 1 (R = 81, η = 3), the method's own schedule.
        QVERIFY(plan[4].method == Method::Hyperband);
        QCOMPARE(plan[4].trainings, std::int64_t{81 + 34 + 15 + 8 + 5});
        QCOMPARE(plan[4].epochs, 297.0 + 276.0 + 279.0 + 324.0 + 405.0);
    }

    // Each refinement training is a full training from the initialisation (ALGORITHM.md §3.6);
    // variant paper has none (it ignores bilevel.refine_trials). outer_iterations 0 is 2 under
    // select, the authors' 5 under paper.
    void plansTheBilevelMethodByVariant_data() {
        QTest::addColumn<bool>("paper");
        QTest::addColumn<int>("outer");
        QTest::addColumn<int>("refine");
        QTest::addColumn<int>("plannedOuter");
        QTest::addColumn<int>("plannedRefine");
        QTest::newRow("select, 5 outer, 4 refinements") << false << 5 << 4 << 5 << 4;
        QTest::newRow("paper, 5 outer, 4 refinements") << true << 5 << 4 << 5 << 0;
        QTest::newRow("select, automatic outer") << false << 0 << 2 << 2 << 2;
        QTest::newRow("paper, automatic outer") << true << 0 << 2 << 5 << 0;
        // Automatic refinement: random search's 7 × 10 = 70 epochs are spent by the design
        // and the outer iterations' estimate already, so none.
        QTest::newRow("select, automatic refinement, no room") << false << 5 << -1 << 5 << 0;
        QTest::newRow("paper, automatic refinement") << true << 5 << -1 << 5 << 0;
    }

    // Automatic refinement fills random search's epochs (trials × E) after the design and the
    // outer iterations, each of those estimated at two trainings (ALGORITHM.md §3.6).
    void automaticRefinementFillsRandomSearchsEpochs() {
        auto config = everyMethod();
        config.bilevel.refineTrials = bt::config::BilevelConfig::kAutomaticRefinement;
        config.bilevel.outerIterations = 2;
        config.random.trials = 30;
        const auto plan = planRun(config, 3)[0];
        // 300 epochs: 150 design + 40 outer leave 110, 11 trainings.
        QCOMPARE(plan.trainings, std::int64_t{15 + 2 + 11});
        QCOMPARE(plan.epochs, 300.0);
        QVERIFY(plan.epochs <= planRun(config, 3)[2].epochs);
        config.random.trials = 31; // 310 epochs: 12 trainings
        QCOMPARE(planRun(config, 3)[0].trainings, std::int64_t{15 + 2 + 12});
        QCOMPARE(planRun(config, 3)[0].epochs, 310.0);
    }

    void plansTheBilevelMethodByVariant() {
        QFETCH(bool, paper);
        QFETCH(int, outer);
        QFETCH(int, refine);
        QFETCH(int, plannedOuter);
        QFETCH(int, plannedRefine);
        auto config = everyMethod();
        config.bilevel.variant =
            paper ? bt::config::BilevelVariant::Paper : bt::config::BilevelVariant::Select;
        config.bilevel.outerIterations = outer;
        config.bilevel.refineTrials = refine;
        const auto plan = planRun(config, 3)[0];
        QCOMPARE(plan.trainings, std::int64_t{15 + plannedOuter + plannedRefine});
        QCOMPARE(plan.epochs, (15.0 + plannedRefine) * 10 + 2.0 * plannedOuter * 10);
        // The run trains λ* again after the method only under paper with warm-started φ
        // samples (ALGORITHM.md §3.5); select's λ* is one of its trainings.
        QCOMPARE(plan.retrainings, paper ? 1 : 0);
        config.bilevel.sampleWarmStart = false;
        QCOMPARE(planRun(config, 3)[0].retrainings, 0);
        for (const auto& baseline : planRun(everyMethod(), 3)) {
            if (baseline.method != Method::Bilevel) {
                QCOMPARE(baseline.retrainings, 0);
            }
        }
    }

    void followsTheDimension() {
        auto config = everyMethod();
        config.bilevel.initialSamples = 0; // automatic: 10 points for d ≤ 3, 3d beyond
        QCOMPARE(planRun(config, 1)[0].trainings, std::int64_t{10 + 5 + 2});
        QCOMPARE(planRun(config, 2)[0].trainings, std::int64_t{10 + 5 + 2});
        QCOMPARE(planRun(config, 4)[0].trainings, std::int64_t{12 + 5 + 2});
        QCOMPARE(planRun(config, 4)[0].trainings,
                 std::int64_t{bt::methods::initialDesignPoints(0, 4) + 5 + 2});
        QCOMPARE(planRun(config, 1)[1].trainings, std::int64_t{4});
        QCOMPARE(planRun(config, 2)[1].trainings, std::int64_t{16});
    }

    void refusedHyperbandSettingsPlanNothing() {
        auto config = everyMethod();
        config.methods = {Method::Hyperband};
        config.hyperband.eta = 1;
        const auto plan = planRun(config, 1);
        QCOMPARE(plan.size(), std::size_t{1});
        QCOMPARE(plan[0].trainings, std::int64_t{0});
        QCOMPARE(plan[0].epochs, 0.0);
    }
};

QTEST_GUILESS_MAIN(TestRunPlan)
#include "test_run_plan.moc"
