#include <QtTest>

#include <cmath>
#include <limits>
#include <numbers>
#include <random>

#include <Eigen/Core>

#include "engine/gp/expected_improvement.h"
#include "engine/gp/gaussian_process.h"
#include "engine/methods/bayesian_optimization.h"
#include "engine/methods/design.h"
#include "engine/methods/expected_improvement_proposer.h"
#include "fake_evaluator.h"

using bt::methods::Box;
using bt::testing::FakeEvaluator;
using bt::testing::RecordingSink;

namespace {

const Box kBox{{-10.0, -10.0}, {0.0, 0.0}};

// Branin–Hoo (Dixon & Szegő 1978) on [-5, 10] × [0, 15], mapped onto the box [-10, 0]²: three
// global minima of value 0.397887.
double branin(const std::vector<double>& lambda) {
    const double x1 = -5.0 + 15.0 * (lambda[0] + 10.0) / 10.0;
    const double x2 = 15.0 * (lambda[1] + 10.0) / 10.0;
    const double pi = std::numbers::pi;
    const double b = 5.1 / (4.0 * pi * pi);
    const double c = 5.0 / pi;
    const double t = 1.0 / (8.0 * pi);
    const double u = x2 - b * x1 * x1 + c * x1 - 6.0;
    return u * u + 10.0 * (1.0 - t) * std::cos(x1) + 10.0;
}

constexpr double kBraninMinimum = 0.397887;
// Within 0.1 of the minimum: about 1/500 of the box, so uniform draws need ~500 on average.
constexpr double kTarget = kBraninMinimum + 0.1;

bt::methods::BayesianOptions braninOptions(uint64_t seed, int trials) {
    bt::methods::BayesianOptions o;
    o.trials = trials;
    o.initial = 5;
    o.seed = seed;
    o.acquisition.gpRestarts = 3;
    return o;
}

} // namespace

class TestBayesian : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // The multi-start L-BFGS-B maximiser finds at least the largest EI of a dense 150 × 150
    // grid of the box (up to the solver's tolerance), inside the box.
    void expectedImprovementMaximiserBeatsADenseGrid() {
        bt::methods::ExpectedImprovementProposer proposer(kBox, {}, 3);
        const auto x = bt::methods::sobolDesign(kBox, 12, 5);
        std::vector<double> y;
        for (const auto& p : x) {
            y.push_back(branin(p));
        }
        const auto fit = proposer.fit(x, y);
        QVERIFY2(fit.ok, fit.message.c_str());
        const auto proposal = proposer.propose();
        QVERIFY(proposal.fromModel);
        QCOMPARE(proposal.lambda.size(), std::size_t{2});
        for (std::size_t j = 0; j < 2; ++j) {
            QVERIFY(proposal.lambda[j] >= kBox.lower[j] && proposal.lambda[j] <= kBox.upper[j]);
        }
        const auto& gp = proposer.surrogate().process();
        const double best = *std::min_element(y.begin(), y.end());
        QCOMPARE(proposer.incumbent(), best);
        double gridMax = 0.0;
        const int m = 150;
        for (int i = 0; i < m; ++i) {
            for (int k = 0; k < m; ++k) {
                Eigen::Vector2d p(-10.0 + 10.0 * i / (m - 1), -10.0 + 10.0 * k / (m - 1));
                gridMax =
                    std::max(gridMax, bt::gp::expectedImprovement(gp, p, best, 0.0, false).value);
            }
        }
        const Eigen::Map<const Eigen::VectorXd> at(proposal.lambda.data(), 2);
        const double reported = bt::gp::expectedImprovement(gp, at, best, 0.0, false).value;
        QVERIFY(std::abs(reported - proposal.expectedImprovement) <= 1e-12 + 1e-9 * reported);
        qInfo("EI at the proposal %.6g, largest on the grid %.6g", reported, gridMax);
        QVERIFY(gridMax > 0.0);
        QVERIFY(reported >= gridMax * (1.0 - 1e-6));
    }

    // Before any fit there is no model: a uniform draw in the box.
    void proposesAUniformDrawWithoutAModel() {
        bt::methods::ExpectedImprovementProposer proposer(kBox, {}, 1);
        const auto fit = proposer.fit({{-1.0, -1.0}}, {std::numeric_limits<double>::quiet_NaN()});
        QVERIFY(!fit.ok);
        const auto proposal = proposer.propose();
        QVERIFY(!proposal.fromModel);
        QVERIFY(proposal.lambda[0] >= -10.0 && proposal.lambda[0] <= 0.0);
        QVERIFY(proposal.lambda[1] >= -10.0 && proposal.lambda[1] <= 0.0);
    }

    // A diverged observation (non-finite) is fitted as the worst finite one and never becomes
    // the incumbent.
    void nonFiniteObservationsAreImputed() {
        bt::methods::ExpectedImprovementProposer proposer(kBox, {}, 1);
        const std::vector<std::vector<double>> x{{-9, -9}, {-5, -5}, {-1, -1}, {-7, -2}};
        const std::vector<double> y{3.0, 1.0, std::numeric_limits<double>::infinity(), 2.0};
        const auto fit = proposer.fit(x, y);
        QVERIFY2(fit.ok, fit.message.c_str());
        QCOMPARE(proposer.incumbent(), 1.0);
        const auto& gp = proposer.surrogate().process();
        QCOMPARE(gp.sampleCount(), 4);
        QVERIFY(gp.targets().allFinite());
        QCOMPARE(gp.targets().maxCoeff(), 3.0);
    }

    // ALGORITHM.md §5 / issue 5: on Branin, Bayesian optimisation reaches within 0.1 of the
    // minimum in fewer evaluations than random search, on average over seeds.
    void findsTheBraninMinimumFasterThanRandomSearch() {
        const int seeds = 5;
        const int budget = 60;
        double bayesianMean = 0.0;
        double randomMean = 0.0;
        int reached = 0;
        for (int seed = 0; seed < seeds; ++seed) {
            std::stop_source source;
            int count = 0;
            const auto trace = bt::methods::minimiseByBayesianOptimization(
                kBox, braninOptions(static_cast<uint64_t>(seed), budget),
                [&](const std::vector<double>& x) {
                    ++count;
                    const double f = branin(x);
                    if (f <= kTarget) {
                        source.request_stop();
                    }
                    return f;
                },
                source.get_token());
            QCOMPARE(static_cast<int>(trace.values.size()), count);
            const bool hit = source.stop_requested();
            reached += hit ? 1 : 0;
            const int bayesian = hit ? count : budget + 1;

            const auto draws = bt::methods::uniformDesign(kBox, 5000, 1000 + seed);
            int random = static_cast<int>(draws.size()) + 1;
            for (std::size_t i = 0; i < draws.size(); ++i) {
                if (branin(draws[i]) <= kTarget) {
                    random = static_cast<int>(i) + 1;
                    break;
                }
            }
            qInfo("seed %d: Bayesian optimisation %d evaluations, random search %d", seed, bayesian,
                  random);
            bayesianMean += bayesian / static_cast<double>(seeds);
            randomMean += random / static_cast<double>(seeds);
        }
        qInfo("mean evaluations to within 0.1 of the minimum: Bayesian %.1f, random %.1f",
              bayesianMean, randomMean);
        QVERIFY(reached >= seeds - 1);
        QVERIFY(bayesianMean < randomMean);
        QVERIFY(bayesianMean < 0.25 * randomMean);
    }

    // The loop is deterministic for a seed: the same evaluations in the same order.
    void sameSeedSameTrace() {
        const auto a =
            bt::methods::minimiseByBayesianOptimization(kBox, braninOptions(7, 9), branin);
        const auto b =
            bt::methods::minimiseByBayesianOptimization(kBox, braninOptions(7, 9), branin);
        const auto c =
            bt::methods::minimiseByBayesianOptimization(kBox, braninOptions(8, 9), branin);
        QCOMPARE(a.points.size(), std::size_t{9});
        QVERIFY(!a.stopped);
        QCOMPARE(a.points, b.points);
        QCOMPARE(a.values, b.values);
        QVERIFY(a.points != c.points);
        // The first `initial` points are the seeded Sobol design.
        const auto design = bt::methods::sobolDesign(kBox, 5, 7);
        for (std::size_t i = 0; i < design.size(); ++i) {
            QCOMPARE(a.points[i], design[i]);
        }
    }

    // The method on the trainer's interface: trials through the evaluator with the phases
    // "initial-design" and "trial", one GP refit event per proposal, GP time in the cost, the
    // best by validation loss selected.
    void methodRecordsTrialsRefitsAndCost() {
        const auto problem = bt::testing::tinyProblem(10);
        const bt::train::Trainer trainer(problem, {});
        FakeEvaluator evaluator(10, 3, [](const std::vector<double>& l, int) {
            return (l[0] + 3.0) * (l[0] + 3.0) + 0.5 * (l[1] + 6.0) * (l[1] + 6.0);
        });
        RecordingSink sink;
        bt::methods::BayesianOptions options;
        options.trials = 14;
        options.initial = 4;
        options.seed = 2;
        const auto result =
            bt::methods::BayesianOptimization(trainer, evaluator, kBox, options, sink).run({});
        QCOMPARE(QString::fromLatin1(bt::events::toString(result.status)),
                 QStringLiteral("completed"));
        QCOMPARE(QString::fromStdString(result.method), QStringLiteral("bayesian"));
        QCOMPARE(result.samples.size(), std::size_t{14});
        for (std::size_t i = 0; i < result.samples.size(); ++i) {
            const auto& s = result.samples[i];
            QCOMPARE(s.index, static_cast<int>(i));
            QCOMPARE(QString::fromStdString(s.phase),
                     i < 4 ? QStringLiteral("initial-design") : QStringLiteral("trial"));
            QCOMPARE(s.total, i < 4 ? 4 : 10);
        }
        const auto refits = sink.all<bt::events::GpRefitEvent>();
        QCOMPARE(refits.size(), std::size_t{10});
        QCOMPARE(refits.front().samples, 4);
        QCOMPARE(refits.back().samples, 13);
        QCOMPARE(QString::fromStdString(refits.front().method), QStringLiteral("bayesian"));
        QVERIFY(result.cost.gpSeconds > 0.0);
        QCOMPARE(result.cost.lowerLevelTrainings, int64_t{14});
        QCOMPARE(result.cost.epochs, 42.0);
        double best = std::numeric_limits<double>::infinity();
        for (const auto& s : result.samples) {
            best = std::min(best, s.metrics.valLoss);
        }
        QCOMPARE(result.metrics.valLoss, best);
        qInfo("best loss after 14 trials on a bowl with minimum 0: %.4f", best);
        QVERIFY(best < 0.05);
        QCOMPARE(result.anytime.size(), std::size_t{14});
        QCOMPARE(result.anytime.back().bestValLoss, best);
    }

    void cancellationKeepsTheTrialsDone() {
        const auto problem = bt::testing::tinyProblem(10);
        const bt::train::Trainer trainer(problem, {});
        FakeEvaluator evaluator(10, 3,
                                [](const std::vector<double>& l, int) { return l[0] * l[0]; });
        std::stop_source source;
        evaluator.stopAfter(&source, 6);
        RecordingSink sink;
        bt::methods::BayesianOptions options;
        options.trials = 12;
        options.initial = 4;
        const auto result =
            bt::methods::BayesianOptimization(trainer, evaluator, kBox, options, sink)
                .run(source.get_token());
        QCOMPARE(QString::fromLatin1(bt::events::toString(result.status)),
                 QStringLiteral("cancelled"));
        QCOMPARE(result.samples.size(), std::size_t{6});
    }
};

QTEST_GUILESS_MAIN(TestBayesian)
#include "test_bayesian.moc"
