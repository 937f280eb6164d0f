#include <QtTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>

#include "engine/methods/hyperband.h"
#include "engine/methods/metrics_conversion.h"
#include "fake_evaluator.h"

using bt::methods::Box;
using bt::methods::HyperbandBracket;
using bt::methods::HyperbandRung;
using bt::testing::FakeEvaluator;
using bt::testing::RecordingSink;

namespace {

// The SampleEvents of one bracket and rung.
std::vector<bt::events::SampleEvent> rungTrials(const bt::methods::MethodResult& result, int s,
                                                int rung) {
    const auto phase = "bracket " + std::to_string(s) + " rung " + std::to_string(rung);
    std::vector<bt::events::SampleEvent> out;
    for (const auto& e : result.samples) {
        if (e.phase == phase) {
            out.push_back(e);
        }
    }
    return out;
}

} // namespace

class TestHyperband : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // The paper's table (R = 81, η = 3) by hand: the configurations drawn, and the epochs each
    // bracket adds from its n_i configurations continued from r_(i-1) to r_i epochs:
    // s=4: 81·1 + 27·2 + 9·6 + 3·18 + 1·54 = 297; s=3: 34·3 + 11·6 + 3·18 + 1·54 = 276;
    // s=2: 15·9 + 5·18 + 1·54 = 279; s=1: 8·27 + 2·54 = 324; s=0: 5·81 = 405.
    void scheduledWorkOfThePapersTable() {
        const auto schedule = bt::methods::hyperbandSchedule(81, 3);
        QCOMPARE(bt::methods::scheduledConfigurations(schedule),
                 std::int64_t{81 + 34 + 15 + 8 + 5});
        QCOMPARE(bt::methods::scheduledEpochs(schedule), std::int64_t{297 + 276 + 279 + 324 + 405});
        QCOMPARE(bt::methods::scheduledEpochs({}), std::int64_t{0});
    }

    // Li et al., JMLR 2018, Table 1 (R = 81, η = 3): n_i and r_i of every rung of every bracket.
    void scheduleMatchesThePapersTable() {
        const auto schedule = bt::methods::hyperbandSchedule(81, 3);
        const std::vector<HyperbandBracket> expected{
            {4, {{81, 1}, {27, 3}, {9, 9}, {3, 27}, {1, 81}}},
            {3, {{34, 3}, {11, 9}, {3, 27}, {1, 81}}},
            {2, {{15, 9}, {5, 27}, {1, 81}}},
            {1, {{8, 27}, {2, 81}}},
            {0, {{5, 81}}},
        };
        QCOMPARE(schedule.size(), expected.size());
        for (std::size_t b = 0; b < expected.size(); ++b) {
            QCOMPARE(schedule[b].s, expected[b].s);
            QCOMPARE(schedule[b].rungs.size(), expected[b].rungs.size());
            for (std::size_t i = 0; i < expected[b].rungs.size(); ++i) {
                QCOMPARE(schedule[b].rungs[i].configurations, expected[b].rungs[i].configurations);
                QCOMPARE(schedule[b].rungs[i].epochs, expected[b].rungs[i].epochs);
            }
        }
    }

    // Other resources: s_max = ⌊log_η R⌋ without floating-point trouble at exact powers; whole
    // epochs strictly increasing to R; at least one configuration in the last rung.
    void scheduleForOtherResources_data() {
        QTest::addColumn<int>("maxEpochs");
        QTest::addColumn<int>("eta");
        QTest::addColumn<int>("brackets");
        QTest::newRow("R=27 eta=3") << 27 << 3 << 4;
        QTest::newRow("R=243 eta=3") << 243 << 3 << 6;
        QTest::newRow("R=1000 eta=10") << 1000 << 10 << 4;
        QTest::newRow("R=10 eta=3") << 10 << 3 << 3;
        QTest::newRow("R=50 eta=4") << 50 << 4 << 3;
        QTest::newRow("R=1 eta=3") << 1 << 3 << 1;
        QTest::newRow("R=2 eta=2") << 2 << 2 << 2;
    }

    void scheduleForOtherResources() {
        QFETCH(int, maxEpochs);
        QFETCH(int, eta);
        QFETCH(int, brackets);
        const auto schedule = bt::methods::hyperbandSchedule(maxEpochs, eta);
        QCOMPARE(static_cast<int>(schedule.size()), brackets);
        for (std::size_t b = 0; b < schedule.size(); ++b) {
            const auto& bracket = schedule[b];
            QCOMPARE(bracket.s, brackets - 1 - static_cast<int>(b));
            QCOMPARE(static_cast<int>(bracket.rungs.size()), bracket.s + 1);
            QCOMPARE(bracket.rungs.back().epochs, maxEpochs);
            QVERIFY(bracket.rungs.back().configurations >= 1);
            QVERIFY(bracket.rungs.front().epochs >= 1);
            for (std::size_t i = 1; i < bracket.rungs.size(); ++i) {
                QVERIFY(bracket.rungs[i].epochs > bracket.rungs[i - 1].epochs);
                QCOMPARE(bracket.rungs[i].configurations,
                         bracket.rungs[i - 1].configurations / eta);
            }
        }
        // s = 0 trains n = s_max + 1 configurations at R.
        QCOMPARE(schedule.back().rungs.front().configurations, brackets);
    }

    void scheduleRejectsBadArguments() {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, bt::methods::hyperbandSchedule(0, 3));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, bt::methods::hyperbandSchedule(27, 1));
    }

    // Successive halving: the n_(i+1) best of rung i by validation loss, and only they,
    // continue; each continuation adds r_i − r_(i−1) epochs to a state already trained r_(i−1).
    void promotesTheBestByValidationLoss() {
        const auto problem = bt::testing::tinyProblem(10);
        const bt::train::Trainer trainer(problem, {});
        // The loss falls with epochs (a promoted configuration must have been continued: its
        // loss says how many epochs it has in total) and is a bowl in λ.
        std::map<std::vector<double>, int> epochsOf;
        FakeEvaluator evaluator(10, 0, [&](const std::vector<double>& l, int epochs) {
            epochsOf[l] = epochs;
            return (l[0] + 3.0) * (l[0] + 3.0) + 1.0 / epochs;
        });
        RecordingSink sink;
        const auto result =
            bt::methods::Hyperband(trainer, evaluator, Box{{-10.0}, {0.0}}, {27, 3, 4}, sink)
                .run({});
        QCOMPARE(QString::fromLatin1(bt::events::toString(result.status)),
                 QStringLiteral("completed"));
        const auto schedule = bt::methods::hyperbandSchedule(27, 3);
        for (const auto& bracket : schedule) {
            for (int i = 0; i + 1 < static_cast<int>(bracket.rungs.size()); ++i) {
                auto trials = rungTrials(result, bracket.s, i);
                const auto next = rungTrials(result, bracket.s, i + 1);
                QCOMPARE(static_cast<int>(trials.size()), bracket.rungs[i].configurations);
                QCOMPARE(static_cast<int>(next.size()), bracket.rungs[i + 1].configurations);
                std::sort(trials.begin(), trials.end(), [](const auto& a, const auto& b) {
                    return a.metrics.valLoss < b.metrics.valLoss;
                });
                std::set<std::vector<double>> best;
                for (std::size_t k = 0; k < next.size(); ++k) {
                    best.insert(trials[k].lambda);
                }
                std::set<std::vector<double>> promoted;
                for (const auto& t : next) {
                    promoted.insert(t.lambda);
                    QCOMPARE(t.epochsTrained, static_cast<double>(bracket.rungs[i + 1].epochs -
                                                                  bracket.rungs[i].epochs));
                }
                QCOMPARE(promoted, best);
            }
        }
        // Every configuration of a last rung ended at R epochs in total.
        for (const auto& t : rungTrials(result, 0, 0)) {
            QCOMPARE(epochsOf[t.lambda], 27);
        }
        QCOMPARE(evaluator.fromScratch, 27 + 12 + 6 + 4);
        QCOMPARE(result.cost.lowerLevelTrainings, int64_t{27 + 12 + 6 + 4});
        QCOMPARE(result.cost.epochs, static_cast<double>(bt::methods::scheduledEpochs(schedule)));
        // The selection is the smallest loss seen at any rung (Li et al.: intermediate losses).
        double best = std::numeric_limits<double>::infinity();
        for (const auto& t : result.samples) {
            best = std::min(best, t.metrics.valLoss);
        }
        QCOMPARE(result.metrics.valLoss, best);
        QCOMPARE(result.anytime.size(), result.samples.size());
    }

    // A diverged configuration is never promoted nor selected; fewer survivors continue.
    void divergedConfigurationsAreNeverPromoted() {
        const auto problem = bt::testing::tinyProblem(10);
        const bt::train::Trainer trainer(problem, {});
        FakeEvaluator evaluator(10, 0, [](const std::vector<double>& l, int) {
            return l[0] > -2.0 ? std::numeric_limits<double>::quiet_NaN() : -l[0];
        });
        RecordingSink sink;
        const auto result =
            bt::methods::Hyperband(trainer, evaluator, Box{{-10.0}, {0.0}}, {9, 3, 1}, sink)
                .run({});
        QCOMPARE(QString::fromLatin1(bt::events::toString(result.status)),
                 QStringLiteral("completed"));
        int diverged = 0;
        for (const auto& t : result.samples) {
            if (t.status == "diverged") {
                ++diverged;
                QVERIFY(t.phase.ends_with("rung 0"));
            }
        }
        QVERIFY(diverged > 0);
        QVERIFY(result.lambda[0] <= -2.0);
        QCOMPARE(evaluator.continued + evaluator.fromScratch,
                 static_cast<int>(result.samples.size()));
    }

    // With the real trainer: a promoted configuration continues from its checkpoint, so the run
    // processes exactly Σ n_i (r_i − r_(i−1)) epochs (R = 9, η = 3: 21 + 21 + 27 = 69), counts
    // 9 + 5 + 3 trainings, and the last rung's model equals 9 epochs straight from the fixed
    // initialisation.
    void promotedConfigurationsAreNotTrainedTwice() {
        const auto problem = bt::testing::tinyProblem(24);
        bt::train::TrainerOptions options;
        options.batchSize = 5; // 24 samples: five batches, the last one partial
        options.learningRate = 0.05;
        const bt::train::Trainer trainer(problem, options);
        bt::eval::InProcessEvaluator evaluator(trainer);
        RecordingSink sink;
        const auto result =
            bt::methods::Hyperband(trainer, evaluator, Box{{-8.0}, {1.0}}, {9, 3, 2}, sink).run({});
        QCOMPARE(QString::fromLatin1(bt::events::toString(result.status)),
                 QStringLiteral("completed"));
        QCOMPARE(result.samples.size(), std::size_t{9 + 3 + 1 + 5 + 1 + 3});
        QCOMPARE(result.cost.epochs, 69.0);
        QCOMPARE(result.cost.lowerLevelTrainings, int64_t{17});

        const auto last = rungTrials(result, 2, 2);
        QCOMPARE(last.size(), std::size_t{1});
        QCOMPARE(last.front().epochsTrained, 6.0);
        auto state = trainer.startState(last.front().lambda, trainer.initialNetwork());
        const auto straight = trainer.train(state, 9, {});
        const auto metrics = bt::methods::toMetrics(straight.evaluation);
        QVERIFY(std::abs(metrics.valLoss - last.front().metrics.valLoss) <=
                1e-9 * std::abs(metrics.valLoss));
        QVERIFY(std::abs(metrics.testLoss - last.front().metrics.testLoss) <=
                1e-9 * std::abs(metrics.testLoss));

        const auto events = sink.all<bt::events::SampleEvent>();
        QCOMPARE(events.size(), result.samples.size());
        QCOMPARE(events.back().cost.epochs, 69.0);
    }

    void cancellationStopsWithinABracket() {
        const auto problem = bt::testing::tinyProblem(10);
        const bt::train::Trainer trainer(problem, {});
        FakeEvaluator evaluator(
            10, 0, [](const std::vector<double>& l, int e) { return l[0] * l[0] + 1.0 / e; });
        std::stop_source source;
        evaluator.stopAfter(&source, 11);
        RecordingSink sink;
        const auto result =
            bt::methods::Hyperband(trainer, evaluator, Box{{-10.0}, {0.0}}, {27, 3, 0}, sink)
                .run(source.get_token());
        QCOMPARE(QString::fromLatin1(bt::events::toString(result.status)),
                 QStringLiteral("cancelled"));
        QCOMPARE(result.samples.size(), std::size_t{11});
        QCOMPARE(result.lambda.size(), std::size_t{1});
    }
};

QTEST_GUILESS_MAIN(TestHyperband)
#include "test_hyperband.moc"
