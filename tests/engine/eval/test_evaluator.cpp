#include <QtTest>

#include <memory>
#include <stop_token>
#include <vector>

#include <torch/torch.h>

#include "engine/eval/evaluator.h"
#include "engine/train/trainer.h"
#include "tests/engine/methods/fake_evaluator.h" // tinyProblem
#include "tests/support/reported_batch.h"
#include "tests/support/same_weights.h"

using bt::eval::EvaluationOutcome;
using bt::eval::EvaluationRequest;

namespace {} // namespace

/// The in-process evaluator (engine/eval/evaluator): requests trained one after the other,
/// continuations advanced in place, stops honoured.
class TestEvaluator : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        bt::train::TrainerOptions options;
        options.epochs = 3;
        options.batchSize = 8;
        options.learningRate = 0.05;
        m_trainer =
            std::make_unique<bt::train::Trainer>(bt::testing::tinyProblem(20, 3, 4), options);
    }

    // Every request is a training from the fixed initialisation at its λ, for its epochs (the
    // trainer's when 0), reported in request order.
    void trainsEachRequestInOrder() {
        bt::eval::InProcessEvaluator evaluator(*m_trainer);
        std::vector<EvaluationRequest> requests(3);
        requests[0].lambda = {-6.0, -6.0};
        requests[1].lambda = {-3.0, -1.0};
        requests[1].epochs = 2;
        requests[2].lambda = {0.0, -2.0};
        requests[2].keepWeights = true;
        const auto [outcomes, reported] = bt::testing::evaluateReporting(evaluator, requests);
        QCOMPARE(reported, (std::vector<std::size_t>{0, 1, 2}));
        QCOMPARE(outcomes.size(), std::size_t{3});
        for (std::size_t i = 0; i < 3; ++i) {
            QCOMPARE(outcomes[i].lambda, requests[i].lambda);
            QVERIFY(outcomes[i].result.status == bt::train::TrainStatus::Ok);
            QVERIFY(!outcomes[i].replayed);
            QVERIFY(!outcomes[i].state);
        }
        // 20 training samples: 3 epochs, 2 epochs, 3 epochs.
        QCOMPARE(outcomes[0].result.samplesProcessed, int64_t{60});
        QCOMPARE(outcomes[1].result.samplesProcessed, int64_t{40});
        QCOMPARE(outcomes[2].result.samplesProcessed, int64_t{60});
        // The same as the trainer's own training from the initialisation.
        for (const std::size_t i : {std::size_t{0}, std::size_t{2}}) {
            bt::models::Network trained{nullptr};
            const auto direct = m_trainer->trainFromInit(requests[i].lambda, {}, &trained);
            QCOMPARE(outcomes[i].result.evaluation.validation.loss,
                     direct.evaluation.validation.loss);
            QCOMPARE(outcomes[i].result.evaluation.objective, direct.evaluation.objective);
            if (requests[i].keepWeights) {
                QVERIFY(!outcomes[i].network.is_empty());
                QVERIFY(bt::testing::sameWeights(outcomes[i].network, trained));
            } else {
                QVERIFY(outcomes[i].network.is_empty());
            }
        }
        // Different λ, different trainings.
        QVERIFY(outcomes[0].result.evaluation.objective != outcomes[2].result.evaluation.objective);
    }

    // A state trained 2 epochs and continued 3 more equals 5 epochs straight through: the
    // continuation advances the request's state in place (a Hyperband promotion).
    void continuationEqualsOneTrainingStraightThrough() {
        bt::eval::InProcessEvaluator evaluator(*m_trainer);
        EvaluationRequest first;
        first.lambda = {-4.0, -2.0};
        first.epochs = 2;
        first.keepState = true;
        auto outcomes = evaluator.evaluate({first}, {}, {});
        QCOMPARE(outcomes.size(), std::size_t{1});
        const auto state = outcomes[0].state;
        QVERIFY(state != nullptr);
        QCOMPARE(state->epochsDone, 2);

        EvaluationRequest more;
        more.lambda = first.lambda;
        more.epochs = 3;
        more.resume = state;
        more.keepWeights = true;
        outcomes = evaluator.evaluate({more}, {}, {});
        QCOMPARE(outcomes.size(), std::size_t{1});
        QCOMPARE(state->epochsDone, 5);
        QCOMPARE(outcomes[0].result.samplesProcessed, int64_t{60});

        EvaluationRequest straight;
        straight.lambda = first.lambda;
        straight.epochs = 5;
        straight.keepWeights = true;
        const auto whole = evaluator.evaluate({straight}, {}, {});
        QCOMPARE(whole.size(), std::size_t{1});
        QCOMPARE(outcomes[0].result.evaluation.objective, whole[0].result.evaluation.objective);
        QCOMPARE(outcomes[0].result.evaluation.validation.loss,
                 whole[0].result.evaluation.validation.loss);
        QVERIFY(bt::testing::sameWeights(outcomes[0].network, whole[0].network));
        QVERIFY(bt::testing::sameWeights(state->network, whole[0].network));
    }

    // A stop before a request ends the batch: the outcomes are those completed before it.
    void aStopEndsTheBatch() {
        bt::eval::InProcessEvaluator evaluator(*m_trainer);
        std::vector<EvaluationRequest> requests(3);
        for (std::size_t i = 0; i < requests.size(); ++i) {
            requests[i].lambda = {-1.0 * static_cast<double>(i + 1), -2.0};
        }
        std::stop_source stop;
        int calls = 0;
        const auto outcomes =
            evaluator.evaluate(requests, stop.get_token(), [&](std::size_t, const auto&) {
                ++calls;
                stop.request_stop();
            });
        QCOMPARE(outcomes.size(), std::size_t{1});
        QCOMPARE(calls, 1);
        QCOMPARE(outcomes[0].lambda, requests[0].lambda);

        // Stopped already: nothing is trained.
        QVERIFY(evaluator.evaluate(requests, stop.get_token(), {}).empty());
        QVERIFY(!bt::eval::evaluateOne(*m_trainer, requests[0], stop.get_token()).has_value());
    }

    // A state trained elsewhere (another process, a checkpoint) is adopted as a live
    // evaluation would leave it: a continued request's state is replaced in place.
    void adoptTrainedStateActsLikeALiveEvaluation() {
        auto trained = m_trainer->startState({-2.0, -2.0}, m_trainer->initialNetwork());
        trained.epochsDone = 7;
        const auto network = trained.network;

        EvaluationRequest fresh;
        fresh.lambda = {-2.0, -2.0};
        EvaluationOutcome plain;
        bt::eval::adoptTrainedState(fresh, std::move(trained), plain);
        QVERIFY(plain.network.is_empty());
        QVERIFY(!plain.state);

        auto again = m_trainer->startState({-2.0, -2.0}, network);
        again.epochsDone = 7;
        fresh.keepWeights = true;
        fresh.keepState = true;
        EvaluationOutcome kept;
        bt::eval::adoptTrainedState(fresh, std::move(again), kept);
        QVERIFY(kept.state != nullptr);
        QCOMPARE(kept.state->epochsDone, 7);
        QVERIFY(!kept.network.is_empty());
        QVERIFY(kept.network.get() == kept.state->network.get());

        EvaluationRequest continued;
        continued.lambda = {-2.0, -2.0};
        continued.resume = std::make_shared<bt::train::TrainingState>(
            m_trainer->startState({-2.0, -2.0}, m_trainer->initialNetwork()));
        const auto held = continued.resume;
        continued.keepState = true;
        auto later = m_trainer->startState({-2.0, -2.0}, network);
        later.epochsDone = 9;
        EvaluationOutcome advanced;
        bt::eval::adoptTrainedState(continued, std::move(later), advanced);
        QCOMPARE(held->epochsDone, 9);
        QVERIFY(advanced.state == held);
    }

private:
    std::unique_ptr<bt::train::Trainer> m_trainer;
};

QTEST_GUILESS_MAIN(TestEvaluator)
#include "test_evaluator.moc"
