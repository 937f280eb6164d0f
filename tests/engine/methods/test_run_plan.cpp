#include <QtTest>

#include <filesystem>

#include "engine/config/run_config_json.h"
#include "engine/methods/design.h"
#include "engine/methods/hyperband_schedule.h"
#include "engine/methods/run_plan.h"
#include "engine/models/weight_layers.h"

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
    c.bilevel.innerSteps = 300; // three times the default: the inner solves' share is plain
    return c;
}

// One outer iteration of everyMethod()'s bilevel method in epochs: its warm-started φ sample,
// ⌈10 / 3⌉ = 4 epochs, and its inner solve, 300 steps of a training and a validation minibatch
// of 128 on fashion-mnist's automatic 10,000 training samples, 7.68 epochs.
constexpr double kOuterEpochs = 4.0 + 300.0 * 2 * 128 / 10000;

} // namespace

class TestRunPlan : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void plansEveryMethodInRunOrder() {
        const auto plan = planRun(everyMethod(), 3);
        QCOMPARE(plan.size(), std::size_t{5});
        // bilevel: 15 design trainings and 2 refinement trainings of 10 epochs, and 5 outer
        // iterations (a φ sample and an inner solve: kOuterEpochs each).
        QVERIFY(plan[0].method == Method::Bilevel);
        QCOMPARE(plan[0].trainings, std::int64_t{15 + 5 + 2});
        QCOMPARE(plan[0].epochs, (15.0 + 2) * 10 + 5 * kOuterEpochs);
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
    // outer iterations as estimated (ALGORITHM.md §3.6).
    void automaticRefinementFillsRandomSearchsEpochs() {
        auto config = everyMethod();
        config.bilevel.refineTrials = bt::config::BilevelConfig::kAutomaticRefinement;
        config.bilevel.outerIterations = 2;
        config.random.trials = 30;
        const auto plan = planRun(config, 3)[0];
        // 300 epochs: 150 design + 2 × 11.68 outer leave 126.64, 12 trainings.
        QCOMPARE(plan.trainings, std::int64_t{15 + 2 + 12});
        QCOMPARE(plan.epochs, 150 + 2 * kOuterEpochs + 120);
        QVERIFY(plan.epochs <= planRun(config, 3)[2].epochs);
        config.random.trials = 31; // 310 epochs: 13 trainings
        QCOMPARE(planRun(config, 3)[0].trainings, std::int64_t{15 + 2 + 13});
        QCOMPARE(planRun(config, 3)[0].epochs, 150 + 2 * kOuterEpochs + 130);
    }

    // An outer iteration is its φ sample (warm-started: warm_sample_epochs, automatic ⌈E/3⌉;
    // else E) and its inner solve, inner_steps × 2 minibatches over the training split's size
    // where the configuration gives it (a count or a range), else one training of E.
    void outerIterationsAreCountedByTheirEpochs_data() {
        QTest::addColumn<bool>("warm");
        QTest::addColumn<int>("warmEpochs");
        QTest::addColumn<QString>("train");
        QTest::addColumn<double>("outerEpochs");
        QTest::newRow("warm, automatic train") << true << 0 << "" << kOuterEpochs;
        QTest::newRow("warm 7 epochs") << true << 7 << "" << 7 + 7.68;
        QTest::newRow("cold") << false << 7 << "" << 10 + 7.68;
        QTest::newRow("count 600") << true << 0 << "600" << 4 + 300.0 * 2 * 128 / 600;
        QTest::newRow("range 0:2000") << true << 0 << "0:2000" << 4 + 300.0 * 2 * 128 / 2000;
        QTest::newRow("rest: unknown size") << true << 0 << "rest" << 4 + 10.0;
    }

    void outerIterationsAreCountedByTheirEpochs() {
        QFETCH(bool, warm);
        QFETCH(int, warmEpochs);
        QFETCH(QString, train);
        QFETCH(double, outerEpochs);
        auto config = everyMethod();
        config.bilevel.sampleWarmStart = warm;
        config.bilevel.warmSampleEpochs = warmEpochs;
        if (train == QStringLiteral("rest")) {
            config.dataset.train = bt::config::kAllRemaining;
        } else if (train.contains(QLatin1Char(':'))) {
            config.dataset.train =
                bt::config::IndexRange{train.section(QLatin1Char(':'), 0, 0).toLongLong(),
                                       train.section(QLatin1Char(':'), 1, 1).toLongLong()};
        } else if (!train.isEmpty()) {
            config.dataset.train = std::int64_t{train.toLongLong()};
        }
        const auto plan = planRun(config, 3)[0];
        QCOMPARE(plan.trainings, std::int64_t{15 + 5 + 2});
        QCOMPARE(plan.epochs, (15.0 + 2) * 10 + 5 * outerEpochs);
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
        QCOMPARE(plan.epochs, (15.0 + plannedRefine) * 10 + plannedOuter * kOuterEpochs);
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
        config.bilevel.initialSamples = 0; // automatic: 10 points for d ≤ 5, 2d beyond
        QCOMPARE(planRun(config, 1)[0].trainings, std::int64_t{10 + 5 + 2});
        QCOMPARE(planRun(config, 2)[0].trainings, std::int64_t{10 + 5 + 2});
        QCOMPARE(planRun(config, 5)[0].trainings, std::int64_t{10 + 5 + 2});
        QCOMPARE(planRun(config, 7)[0].trainings, std::int64_t{14 + 5 + 2});
        QCOMPARE(planRun(config, 7)[0].trainings,
                 std::int64_t{bt::methods::initialDesignPoints(0, 7) + 5 + 2});
        QCOMPARE(planRun(config, 1)[1].trainings, std::int64_t{4});
        QCOMPARE(planRun(config, 2)[1].trainings, std::int64_t{16});
    }

    // A plan beyond random search's epochs is said, with where the epochs go: on a training
    // split of 600 rows, 300 inner steps of two minibatches of 64 are 64 epochs an iteration.
    void saysWhenTheBilevelPlanExceedsTheBaselines() {
        auto config = everyMethod();
        config.dataset.train = std::int64_t{600};
        config.bilevel.initialSamples = 5;
        config.bilevel.outerIterations = 2;
        config.bilevel.refineTrials = bt::config::BilevelConfig::kAutomaticRefinement;
        config.training.batchSize = 64;
        config.random.trials = 10; // 100 epochs; the bilevel method plans 50 + 2 × (4 + 64)
        const auto plan = planRun(config, 2)[0];
        QCOMPARE(plan.epochs, 186.0);
        const auto note = QString::fromStdString(bt::methods::bilevelOverBudget(config, 2));
        for (const char* part :
             {"186 epochs", "1.86× random search's 100", "initial design 50",
              "2 outer iterations of 68", "φ sample 4, inner solve 64",
              "300 steps × 2 batches of 64 ÷ 600 training rows", "bilevel.inner_steps"}) {
            QVERIFY2(note.contains(QString::fromUtf8(part)), qPrintable(note + " lacks " + part));
        }
        QVERIFY(!note.contains(QStringLiteral("refinement")));
        // No refinement is planned, so a confirmation would come on top (ALGORITHM.md §3.5).
        QVERIFY2(note.contains(QString::fromUtf8(
                     "and 10 more if a φ sample's λ is confirmed from the initialisation.")),
                 qPrintable(note));
        // A fixed refinement beyond the budget is named too, the confirmation one of its count.
        config.bilevel.refineTrials = 3;
        const auto fixed = QString::fromStdString(bt::methods::bilevelOverBudget(config, 2));
        QVERIFY2(fixed.contains(QStringLiteral(", refinement 30.")) &&
                     !fixed.contains(QStringLiteral("confirmed")),
                 qPrintable(fixed));
        // φ samples trained from the initialisation are never confirmed.
        config.bilevel.refineTrials = bt::config::BilevelConfig::kAutomaticRefinement;
        config.bilevel.sampleWarmStart = false;
        QVERIFY(!QString::fromStdString(bt::methods::bilevelOverBudget(config, 2))
                     .contains(QStringLiteral("confirmed")));
        config.bilevel.sampleWarmStart = true;
        // Within the budget (fewer inner steps; or a larger budget), or no bilevel method: none.
        config.bilevel.refineTrials = bt::config::BilevelConfig::kAutomaticRefinement;
        config.bilevel.innerSteps = 50; // 2 × (4 + 10.67) + 50 = 79.3, then a refinement training
        QVERIFY(planRun(config, 2)[0].epochs <= 100.0);
        QCOMPARE(bt::methods::bilevelOverBudget(config, 2), std::string());
        config.bilevel.innerSteps = 300;
        config.random.trials = 18;
        QVERIFY(!bt::methods::bilevelOverBudget(config, 2).empty());
        config.random.trials = 19; // 190 epochs
        QCOMPARE(bt::methods::bilevelOverBudget(config, 2), std::string());
        // The training split's size as the run reads it: 300 rows double the inner solves.
        QVERIFY(QString::fromStdString(bt::methods::bilevelOverBudget(config, 2, 300))
                    .contains(QStringLiteral("inner solve 128: 300 steps × 2 batches of 64 ÷ "
                                             "300 training rows")));
        // Unknown before the data are read (CSV files whole): nothing said.
        config.dataset.train = bt::config::kAllRemaining;
        config.random.trials = 1;
        QCOMPARE(bt::methods::bilevelOverBudget(config, 2), std::string());
        QVERIFY(!bt::methods::bilevelOverBudget(config, 2, 600).empty());
        config.dataset.train = std::int64_t{600};
        config.random.trials = 10;
        config.methods = {Method::Random, Method::Bayesian};
        QCOMPARE(bt::methods::bilevelOverBudget(config, 2), std::string());
    }

    // With ten λ the automatic design (20 points) is random search's whole budget of 20
    // trainings: the note names the count that keeps it to half.
    void theAutomaticDesignOverflowingIsNamed() {
        auto config = everyMethod();
        config.dataset.train = std::int64_t{10000};
        config.training.epochs = 15;
        config.training.batchSize = 128;
        config.random.trials = 20;
        config.bilevel.initialSamples = 0; // automatic: max(10, 2d) = 20
        config.bilevel.outerIterations = 2;
        config.bilevel.refineTrials = bt::config::BilevelConfig::kAutomaticRefinement;
        const auto note = QString::fromStdString(bt::methods::bilevelOverBudget(config, 10));
        QVERIFY2(note.contains(QString::fromUtf8("initial design 300")) &&
                     note.contains(QString::fromUtf8(
                         "The automatic initial design alone is 100 % of random search's epochs: "
                         "bilevel.initial_samples 10 (half of random.trials) keeps it to half.")),
                 qPrintable(note));
        // The same 20 points set by hand are not second-guessed; 10 fit the budget.
        config.bilevel.initialSamples = 20;
        const auto byHand = QString::fromStdString(bt::methods::bilevelOverBudget(config, 10));
        QVERIFY2(!byHand.isEmpty() && !byHand.contains(QStringLiteral("automatic")),
                 qPrintable(byHand));
        config.bilevel.initialSamples = 10;
        QCOMPARE(bt::methods::bilevelOverBudget(config, 10), std::string());
    }

    // The shipped reference configurations plan the bilevel method within the baselines' epochs
    // (issue 19's cost target; BENCHMARK.md).
    void referenceTasksPlanWithinTheBaselines() {
        int checked = 0;
        for (const auto& entry : std::filesystem::directory_iterator(BT_CONFIG_EXAMPLES_DIR)) {
            if (entry.path().extension() != ".json") {
                continue;
            }
            // As the form sees them; ridge's CSV files are read whole, so its run says it.
            const auto config = bt::config::loadRunConfig(entry.path());
            const int d = bt::models::lambdaDimension(config.model, config.hyperparameters);
            QVERIFY2(d >= 1, qPrintable(QString::fromStdString(entry.path().string())));
            QVERIFY2(bt::methods::bilevelOverBudget(config, d).empty(),
                     bt::methods::bilevelOverBudget(config, d).c_str());
            ++checked;
        }
        QVERIFY(checked >= 6);
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
