#include <QtTest>

#include <cmath>

#include "engine/report/across_runs.h"

using namespace bt;

namespace {

// A finished method with the given retrained (training-only) and refit test losses; accuracy
// 1 − loss, so that both figures move together.
report::MethodResult finished(const std::string& method, double loss, double refitLoss) {
    report::MethodResult m;
    m.method = method;
    m.status = events::RunStatus::Completed;
    events::Metrics own;
    own.testLoss = loss;
    own.testAccuracy = 1.0 - loss;
    if (method == "bilevel") {
        m.retrainedMetrics = own; // its own model is not the training-only one
        m.metrics.testLoss = 0.0;
    } else {
        m.metrics = own;
    }
    events::Metrics refit;
    refit.testLoss = refitLoss;
    refit.testAccuracy = 1.0 - refitLoss;
    m.refitMetrics = refit;
    m.cost.epochs = 100.0;
    return m;
}

report::RunResult run(std::vector<report::MethodResult> methods) {
    report::RunResult r;
    r.status = events::RunStatus::Completed;
    r.methods = std::move(methods);
    return r;
}

} // namespace

class TestAcrossRuns : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void spreadIsTheMeanItsStandardErrorAndRange() {
        const auto s = report::spreadOf({1.0, 2.0, 6.0, NAN});
        QCOMPARE(s.n, std::size_t{3});
        QCOMPARE(s.mean, 3.0);
        // s² = (4 + 1 + 9) / 2 = 7; SE = √7 / √3.
        QVERIFY(std::abs(s.standardError - std::sqrt(7.0 / 3.0)) < 1e-12);
        QCOMPARE(s.low, 1.0);
        QCOMPARE(s.high, 6.0);
        const auto one = report::spreadOf({0.5});
        QCOMPARE(one.mean, 0.5);
        QVERIFY(std::isnan(one.standardError));
        QCOMPARE(report::spreadOf({}).n, std::size_t{0});
    }

    // Three seeds: random search best by its mean; bilevel's losses paired with it run by run
    // (their differences 0.01, 0.00, 0.02); grid, missing from the second run, paired over two.
    void methodsArePairedWithTheBest() {
        const std::vector<report::RunResult> runs{
            run({finished("bilevel", 0.31, 0.30), finished("random", 0.30, 0.29),
                 finished("grid", 0.40, 0.39)}),
            run({finished("bilevel", 0.35, 0.33), finished("random", 0.35, 0.34)}),
            run({finished("bilevel", 0.29, 0.28), finished("random", 0.27, 0.27),
                 finished("grid", 0.30, 0.30)}),
        };
        const auto across = report::acrossRuns(runs);
        QCOMPARE(across.size(), std::size_t{3});
        QCOMPARE(across[0].method, std::string("bilevel"));
        QCOMPARE(across[2].method, std::string("grid"));
        const auto& random = across[1];
        QVERIFY(random.best && !across[0].best && !across[2].best);
        QVERIFY(std::abs(random.retrainedLoss.mean - 0.92 / 3.0) < 1e-12);
        QVERIFY(std::abs(random.retrainedAccuracy.mean - (1.0 - 0.92 / 3.0)) < 1e-12);
        QCOMPARE(random.lossAboveBest.n, std::size_t{0});
        const auto& bilevel = across[0];
        QCOMPARE(bilevel.retrainedLoss.n, std::size_t{3});
        QVERIFY(std::abs(bilevel.refitLoss.mean - 0.91 / 3.0) < 1e-12);
        QVERIFY(std::abs(bilevel.lossAboveBest.mean - 0.01) < 1e-12);
        QVERIFY(std::abs(bilevel.lossAboveBest.standardError - 0.01 / std::sqrt(3.0)) < 1e-12);
        const auto& grid = across[2];
        QCOMPARE(grid.retrainedLoss.n, std::size_t{2});
        QCOMPARE(grid.lossAboveBest.n, std::size_t{2});
        QVERIFY(std::abs(grid.lossAboveBest.mean - 0.065) < 1e-12);
        QCOMPARE(grid.epochs.mean, 100.0);
    }

    // A cancelled method counts in no figure; a run where no method finished has no best.
    void unfinishedMethodsAreLeftOut() {
        auto cancelled = finished("random", 0.1, 0.1);
        cancelled.status = events::RunStatus::Cancelled;
        const auto across =
            report::acrossRuns({run({cancelled}), run({finished("random", 0.3, 0.2)})});
        QCOMPARE(across.size(), std::size_t{1});
        QCOMPARE(across[0].retrainedLoss.n, std::size_t{1});
        QCOMPARE(across[0].retrainedLoss.mean, 0.3);
        QVERIFY(report::acrossRuns({run({cancelled})}).front().best == false);
    }
};

QTEST_GUILESS_MAIN(TestAcrossRuns)
#include "test_across_runs.moc"
