#include <QtTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "engine/methods/design.h"
#include "engine/methods/grid_search.h"
#include "engine/methods/random_search.h"
#include "fake_evaluator.h"

using bt::methods::Box;
using bt::testing::FakeEvaluator;
using bt::testing::RecordingSink;

namespace {

// A bowl with its minimum at (-4, 0), inside the box used below.
double bowl(const std::vector<double>& lambda, int) {
    return (lambda[0] + 4.0) * (lambda[0] + 4.0) + lambda[1] * lambda[1];
}

// Pearson's χ² statistic of `counts` against equal expected counts.
double chiSquare(const std::vector<int>& counts, int total) {
    const double expected = static_cast<double>(total) / static_cast<double>(counts.size());
    double chi2 = 0.0;
    for (const int c : counts) {
        chi2 += (c - expected) * (c - expected) / expected;
    }
    return chi2;
}

void verifyAnytimeCurve(const bt::methods::MethodResult& result) {
    QCOMPARE(result.anytime.size(), result.samples.size());
    for (std::size_t i = 1; i < result.anytime.size(); ++i) {
        QVERIFY(result.anytime[i].bestValLoss <= result.anytime[i - 1].bestValLoss);
        QVERIFY(result.anytime[i].epochs > result.anytime[i - 1].epochs);
    }
    QCOMPARE(result.anytime.back().bestValLoss, result.metrics.valLoss);
    QCOMPARE(result.anytime.back().testLossOfBest, result.metrics.testLoss);
}

} // namespace

class TestGridRandom : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        m_problem = bt::testing::tinyProblem(20);
        m_trainer = std::make_unique<bt::train::Trainer>(m_problem, bt::train::TrainerOptions{});
    }

    // ALGORITHM.md §5: m points per dimension, the bounds included: exactly the m^d grid, each
    // trained once, the best by validation loss selected, and the cost of §4.
    void gridCoversTheBoxExactly() {
        FakeEvaluator evaluator(20, 5, bowl);
        RecordingSink sink;
        const Box box{{-10.0, -5.0}, {0.0, 1.0}};
        bt::methods::GridSearch grid(*m_trainer, evaluator, box, {3}, sink);
        const auto result = grid.run({});

        QCOMPARE(QString::fromLatin1(bt::events::toString(result.status)),
                 QStringLiteral("completed"));
        QCOMPARE(QString::fromStdString(result.method), QStringLiteral("grid"));
        QCOMPARE(result.samples.size(), std::size_t{9});
        std::set<std::vector<double>> points;
        for (const auto& s : result.samples) {
            points.insert(s.lambda);
            QCOMPARE(QString::fromStdString(s.phase), QStringLiteral("trial"));
            QCOMPARE(s.total, 9);
            QCOMPARE(s.epochsTrained, 5.0);
        }
        std::set<std::vector<double>> expected;
        for (const double a : {-10.0, -5.0, 0.0}) {
            for (const double b : {-5.0, -2.0, 1.0}) {
                expected.insert({a, b});
            }
        }
        QCOMPARE(points, expected);
        QCOMPARE(result.lambda, (std::vector<double>{-5.0, 1.0}));
        QCOMPARE(result.metrics.valLoss, 2.0);
        QCOMPARE(result.metrics.testLoss, 3.0);
        QCOMPARE(result.cost.lowerLevelTrainings, int64_t{9});
        QCOMPARE(result.cost.epochs, 45.0);
        QCOMPARE(sink.all<bt::events::SampleEvent>().size(), std::size_t{9});
        verifyAnytimeCurve(result);
    }

    // A diverged training is a trial with status "diverged" that is never selected, even where
    // the objective would be best; when all diverge the method fails.
    void divergedTrialsAreNeverSelected() {
        FakeEvaluator evaluator(20, 5, [](const std::vector<double>& l, int e) {
            return l[0] > -6.0 ? std::numeric_limits<double>::quiet_NaN() : bowl(l, e);
        });
        RecordingSink sink;
        const Box box{{-10.0, -5.0}, {0.0, 1.0}};
        const auto result = bt::methods::GridSearch(*m_trainer, evaluator, box, {3}, sink).run({});
        QCOMPARE(QString::fromLatin1(bt::events::toString(result.status)),
                 QStringLiteral("completed"));
        int diverged = 0;
        for (const auto& s : result.samples) {
            diverged += s.status == "diverged" ? 1 : 0;
        }
        QCOMPARE(diverged, 6);
        QCOMPARE(result.lambda, (std::vector<double>{-10.0, 1.0}));
        QCOMPARE(result.cost.lowerLevelTrainings, int64_t{9});

        FakeEvaluator allDiverge(20, 5, [](const std::vector<double>&, int) {
            return std::numeric_limits<double>::infinity();
        });
        const auto failed = bt::methods::GridSearch(*m_trainer, allDiverge, box, {2}, sink).run({});
        QCOMPARE(QString::fromLatin1(bt::events::toString(failed.status)),
                 QStringLiteral("failed"));
        QVERIFY(failed.lambda.empty());
        QVERIFY(failed.anytime.empty());
    }

    // Uniform draws: per-dimension and joint χ² bin checks (p = 0.001 critical values), inside
    // the box, reproducible for a seed and different for another.
    void randomDrawsAreUniformAndReproducible() {
        const Box box{{-10.0, 2.0}, {0.0, 3.0}};
        const int n = 20000;
        const auto draws = bt::methods::uniformDesign(box, n, 11);
        QCOMPARE(bt::methods::uniformDesign(box, n, 11), draws);
        QVERIFY(bt::methods::uniformDesign(box, 10, 12) != bt::methods::uniformDesign(box, 10, 11));
        const int bins = 20;
        std::vector<std::vector<int>> marginal(2, std::vector<int>(bins, 0));
        std::vector<int> joint(25, 0);
        for (const auto& p : draws) {
            int cell[2];
            for (std::size_t j = 0; j < 2; ++j) {
                QVERIFY(p[j] >= box.lower[j] && p[j] < box.upper[j]);
                const double u = (p[j] - box.lower[j]) / (box.upper[j] - box.lower[j]);
                marginal[j][static_cast<std::size_t>(u * bins)]++;
                cell[j] = static_cast<int>(u * 5);
            }
            joint[static_cast<std::size_t>(cell[0] * 5 + cell[1])]++;
        }
        QVERIFY2(chiSquare(marginal[0], n) < 43.82, "χ² of dimension 0 (19 dof)");
        QVERIFY2(chiSquare(marginal[1], n) < 43.82, "χ² of dimension 1 (19 dof)");
        QVERIFY2(chiSquare(joint, n) < 51.18, "χ² of the 5 × 5 cells (24 dof)");
        // And the check can fail: draws crowded into the lower half are rejected.
        std::vector<int> crowded(bins, 0);
        for (const auto& p : draws) {
            const double u = 0.5 * (p[0] - box.lower[0]) / (box.upper[0] - box.lower[0]);
            crowded[static_cast<std::size_t>(u * bins)]++;
        }
        QVERIFY(chiSquare(crowded, n) > 43.82);
    }

    // Random search trains exactly the seeded draws and selects the best of them.
    void randomSearchTrainsTheSeededDraws() {
        FakeEvaluator evaluator(20, 4, bowl);
        RecordingSink sink;
        const Box box{{-10.0, -5.0}, {0.0, 1.0}};
        const auto result =
            bt::methods::RandomSearch(*m_trainer, evaluator, box, {12, 5}, sink).run({});
        QCOMPARE(QString::fromLatin1(bt::events::toString(result.status)),
                 QStringLiteral("completed"));
        QCOMPARE(QString::fromStdString(result.method), QStringLiteral("random"));
        const auto draws = bt::methods::uniformDesign(box, 12, 5);
        QCOMPARE(result.samples.size(), draws.size());
        double best = std::numeric_limits<double>::infinity();
        std::vector<double> argmin;
        for (std::size_t i = 0; i < draws.size(); ++i) {
            QCOMPARE(result.samples[i].lambda, draws[i]);
            QCOMPARE(result.samples[i].index, static_cast<int>(i));
            if (bowl(draws[i], 4) < best) {
                best = bowl(draws[i], 4);
                argmin = draws[i];
            }
        }
        QCOMPARE(result.lambda, argmin);
        QCOMPARE(result.metrics.valLoss, best);
        QCOMPARE(result.cost.lowerLevelTrainings, int64_t{12});
        QCOMPARE(result.cost.epochs, 48.0);
        verifyAnytimeCurve(result);
    }

    // A stop request ends the method with status "cancelled", keeping what was done.
    void cancellationKeepsTheTrialsDone() {
        FakeEvaluator evaluator(20, 4, bowl);
        std::stop_source source;
        evaluator.stopAfter(&source, 4);
        RecordingSink sink;
        const Box box{{-10.0, -5.0}, {0.0, 1.0}};
        const auto result = bt::methods::RandomSearch(*m_trainer, evaluator, box, {12, 5}, sink)
                                .run(source.get_token());
        QCOMPARE(QString::fromLatin1(bt::events::toString(result.status)),
                 QStringLiteral("cancelled"));
        QCOMPARE(result.samples.size(), std::size_t{4});
        QCOMPARE(result.cost.lowerLevelTrainings, int64_t{4});
        QCOMPARE(result.lambda.size(), std::size_t{2});
    }

    // With the real trainer and evaluator: the selected model's metrics are those of a training
    // from the fixed initialisation at the selected λ, and epochs are samples ÷ training size.
    void gridWithTheRealTrainer() {
        bt::train::TrainerOptions options;
        options.epochs = 3;
        options.batchSize = 8;
        options.learningRate = 0.05;
        const bt::train::Trainer trainer(m_problem, options);
        bt::eval::InProcessEvaluator evaluator(trainer);
        RecordingSink sink;
        const Box box{{-6.0}, {0.0}};
        const auto result = bt::methods::GridSearch(trainer, evaluator, box, {3}, sink).run({});
        QCOMPARE(QString::fromLatin1(bt::events::toString(result.status)),
                 QStringLiteral("completed"));
        QCOMPARE(result.samples.size(), std::size_t{3});
        QCOMPARE(result.cost.lowerLevelTrainings, int64_t{3});
        QCOMPARE(result.cost.epochs, 9.0);
        const auto again = trainer.trainFromInit(result.lambda, {});
        QCOMPARE(result.metrics.valLoss, again.evaluation.validation.loss);
        QCOMPARE(result.metrics.testLoss, again.evaluation.test.loss);
        for (const auto& s : result.samples) {
            QVERIFY(s.metrics.valLoss >= result.metrics.valLoss);
        }
    }

private:
    std::shared_ptr<bt::train::Problem> m_problem;
    std::unique_ptr<bt::train::Trainer> m_trainer;
};

QTEST_GUILESS_MAIN(TestGridRandom)
#include "test_grid_random.moc"
