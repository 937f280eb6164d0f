#include <QtTest>

#include <cmath>
#include <limits>
#include <vector>

#include "engine/methods/anytime_tracker.h"

using bt::config::BilevelVariant;
using bt::methods::AnytimePoint;
using bt::methods::AnytimeTracker;
using bt::methods::competingValLoss;

namespace {

bt::events::SampleEvent sample(double valLoss, double testLoss, double epochs,
                               const char* status = "ok") {
    bt::events::SampleEvent e;
    e.method = "random";
    e.status = status;
    e.metrics.valLoss = valLoss;
    e.metrics.testLoss = testLoss;
    e.cost.epochs = epochs;
    return e;
}

bt::events::OuterIterationEvent outer(double valLoss, double testLoss, double epochs) {
    bt::events::OuterIterationEvent e;
    e.metrics.valLoss = valLoss;
    e.metrics.testLoss = testLoss;
    e.cost.epochs = epochs;
    return e;
}

} // namespace

// The one rule by which every method's anytime curve is drawn, in the engine and, from the same
// events, in the desktop app while a run is live (ALGORITHM.md §3.5; BENCHMARK.md,
// "Comparison").
class AnytimeTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void onlyAnOkTrainingWithAFiniteLossCompetes() {
        QCOMPARE(competingValLoss(sample(0.5, 0.6, 1)), 0.5);
        QVERIFY(std::isnan(competingValLoss(sample(0.1, 0.6, 1, "diverged"))));
        QVERIFY(std::isnan(competingValLoss(sample(0.1, 0.6, 1, "cancelled"))));
        QVERIFY(
            std::isnan(competingValLoss(sample(std::numeric_limits<double>::infinity(), 0.6, 1))));
    }

    void theCurveFollowsTheBestByValidationLoss() {
        AnytimeTracker tracker;
        std::vector<AnytimePoint> curve;
        // No point before a usable model, one per training after.
        QVERIFY(!tracker.addSample(sample(0.2, 0.3, 10, "diverged"), curve));
        QVERIFY(curve.empty());
        QVERIFY(tracker.addSample(sample(0.5, 0.55, 20), curve));
        QVERIFY(!tracker.addSample(sample(0.5, 0.1, 30), curve)); // a tie keeps the first
        QVERIFY(!tracker.addSample(sample(0.05, 0.1, 40, "diverged"), curve));
        QVERIFY(tracker.addSample(sample(0.4, 0.45, 50), curve));
        QCOMPARE(curve.size(), std::size_t{4});
        const std::vector<double> epochs{20, 30, 40, 50}, best{0.5, 0.5, 0.5, 0.4},
            test{0.55, 0.55, 0.55, 0.45};
        for (std::size_t i = 0; i < curve.size(); ++i) {
            QCOMPARE(curve[i].epochs, epochs[i]);
            QCOMPARE(curve[i].bestValLoss, best[i]);
            QCOMPARE(curve[i].testLossOfBest, test[i]);
        }
        QCOMPARE(tracker.best()->valLoss, 0.4);
    }

    // Under select the augmented-Lagrangian weights, fitted to the validation split, never set
    // the best: the outer iteration adds a point at its cost with the best so far. Under paper
    // they are the method's answer and compete.
    void theWeightsCompeteOnlyWhereTheyAreTheAnswer() {
        for (const auto variant : {BilevelVariant::Select, BilevelVariant::Paper}) {
            AnytimeTracker tracker;
            std::vector<AnytimePoint> curve;
            tracker.addSample(sample(0.5, 0.55, 10), curve);
            tracker.addOuterIteration(outer(0.01, 0.7, 15), variant, curve);
            QCOMPARE(curve.size(), std::size_t{2});
            QCOMPARE(curve[1].epochs, 15.0);
            const bool paper = variant == BilevelVariant::Paper;
            QCOMPARE(curve[1].bestValLoss, paper ? 0.01 : 0.5);
            QCOMPARE(curve[1].testLossOfBest, paper ? 0.7 : 0.55);
            // A non-finite iterate never competes.
            tracker.addOuterIteration(outer(std::numeric_limits<double>::quiet_NaN(), 0.1, 20),
                                      variant, curve);
            QCOMPARE(curve.back().bestValLoss, paper ? 0.01 : 0.5);
        }
    }
};

QTEST_GUILESS_MAIN(AnytimeTest)
#include "test_anytime.moc"
