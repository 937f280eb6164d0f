#include <QtTest>

#include <QTemporaryDir>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "engine/core/error.h"
#include "engine/train/trainer.h"

using namespace std::chrono_literals;
using bt::models::LossKind;
using bt::models::ModelKind;
using bt::models::ModelSpec;
using bt::train::Problem;
using bt::train::Trainer;
using bt::train::TrainerOptions;
using bt::train::TrainStatus;

namespace {

// A small, separable 3-class problem: class c has its mean at 2·e_c in 6 dimensions.
std::shared_ptr<Problem> classificationProblem(int64_t n = 600) {
    auto generator = at::detail::createCPUGenerator(11);
    auto make = [&](int64_t count) {
        auto labels = torch::randint(0, 3, {count}, generator, torch::kLong);
        auto x = torch::randn({count, 6}, generator);
        x.index_put_({torch::arange(count), labels}, x.index({torch::arange(count), labels}) + 2.0);
        return bt::train::TensorDataset{x, labels};
    };
    auto problem = std::make_shared<Problem>();
    problem->train = make(n);
    problem->validation = make(200);
    problem->test = make(200);
    problem->model = ModelSpec{ModelKind::Mlp, {6}, 3, {16}};
    problem->initSeed = 5;
    return problem;
}

bool sameParameters(const bt::models::Network& a, const bt::models::Network& b) {
    for (std::size_t i = 0; i < a->parameters().size(); ++i) {
        if (!torch::equal(a->parameters()[i], b->parameters()[i])) {
            return false;
        }
    }
    return true;
}

} // namespace

class TestTrainer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { torch::set_num_threads(1); }

    void learnsAndReportsAllSplits() {
        Trainer trainer(classificationProblem(), TrainerOptions{5, 32, 0.05, 0.9, true, 1});
        const auto result = trainer.trainFromInit({-6.0, -6.0}, {});
        QVERIFY(result.status == TrainStatus::Ok);
        QCOMPARE(result.samplesProcessed, int64_t{5 * 600});
        QVERIFY(result.evaluation.validation.accuracy.has_value());
        QVERIFY2(*result.evaluation.test.accuracy > 0.85,
                 qPrintable(QString::number(*result.evaluation.test.accuracy)));
        QVERIFY(result.evaluation.objective > result.evaluation.train.loss);
        QCOMPARE(result.evaluation.objective,
                 result.evaluation.train.loss + result.evaluation.penalty);
    }

    // The optimiser's evaluation: f and the training and validation metrics as the full
    // evaluation gives them, the test split untouched.
    void objectivesLeaveTheTestSplitOut() {
        Trainer trainer(classificationProblem(), TrainerOptions{2, 32, 0.05, 0.9, true, 1});
        bt::models::Network trained{nullptr};
        const std::vector<double> lambda{-4.0, -5.0};
        QVERIFY(trainer.trainFromInit(lambda, {}, &trained).status == TrainStatus::Ok);
        const auto full = trainer.evaluate(trained, lambda);
        const auto objectives = trainer.evaluateObjectives(trained, lambda);
        QCOMPARE(objectives.objective, full.objective);
        QCOMPARE(objectives.penalty, full.penalty);
        QCOMPARE(objectives.train.loss, full.train.loss);
        QCOMPARE(objectives.validation.loss, full.validation.loss);
        QCOMPARE(objectives.validation.accuracy, full.validation.accuracy);
        QVERIFY(full.test.loss > 0.0 && full.test.accuracy.has_value());
        QCOMPARE(objectives.test.loss, 0.0);
        QVERIFY(!objectives.test.accuracy.has_value());
    }

    void weightDecayStepEqualsGradientOfTheObjective() {
        // One plain SGD step of the trainer (weight decay exp(λ_l) per layer, biases free) must
        // equal a step along the autograd gradient of mean loss + Σ exp(λ_l)·½‖W_l‖².
        auto problem = classificationProblem(32);
        Trainer trainer(problem, TrainerOptions{1, 32, 0.1, 0.0, false, 3});
        const std::vector<double> lambda{-1.0, 0.5};
        auto state = trainer.startState(lambda, trainer.initialNetwork());
        auto manual = trainer.initialNetwork();
        QVERIFY(trainer.train(state, 1, {}).status == TrainStatus::Ok);

        const auto order = bt::train::epochPermutation(32, 3, 0);
        auto loss = bt::models::meanLoss(
            LossKind::CrossEntropy, manual->forward(problem->train.inputs.index_select(0, order)),
            problem->train.targets.index_select(0, order));
        auto lambdaT = torch::tensor(lambda, torch::kFloat);
        auto objective = loss + bt::models::l2Penalty(manual->weights(), lambdaT);
        objective.backward();
        {
            torch::NoGradGuard noGrad;
            for (auto& p : manual->parameters()) {
                p.sub_(0.1 * p.grad());
            }
        }
        for (std::size_t i = 0; i < manual->parameters().size(); ++i) {
            const double diff = (manual->parameters()[i] - state.network->parameters()[i])
                                    .abs()
                                    .max()
                                    .item<double>();
            QVERIFY2(diff < 1e-6,
                     qPrintable(QString("parameter %1 differs by %2").arg(i).arg(diff)));
        }
    }

    void sameSeedSameWeights() {
        auto problem = classificationProblem();
        Trainer trainer(problem, TrainerOptions{2, 50, 0.05, 0.9, true, 9});
        bt::models::Network a{nullptr};
        bt::models::Network b{nullptr};
        trainer.trainFromInit({-3.0, -4.0}, {}, &a);
        trainer.trainFromInit({-3.0, -4.0}, {}, &b);
        QVERIFY(sameParameters(a, b));
        Trainer other(problem, TrainerOptions{2, 50, 0.05, 0.9, true, 10});
        bt::models::Network c{nullptr};
        other.trainFromInit({-3.0, -4.0}, {}, &c);
        QVERIFY(!sameParameters(a, c));
    }

    void continuedTrainingEqualsStraightTraining() {
        // Hyperband promotions continue from a checkpoint: 2 + 1 epochs must equal 3 epochs.
        Trainer trainer(classificationProblem(), TrainerOptions{3, 64, 0.05, 0.9, true, 4});
        auto straight = trainer.startState({-2.0}, trainer.initialNetwork());
        trainer.train(straight, 3, {});
        auto pieces = trainer.startState({-2.0}, trainer.initialNetwork());
        trainer.train(pieces, 2, {});
        const auto last = trainer.train(pieces, 1, {});
        QCOMPARE(pieces.epochsDone, 3);
        QCOMPARE(last.samplesProcessed, int64_t{600});
        QVERIFY(sameParameters(straight.network, pieces.network));
    }

    void checkpointResumesExactly() {
        // Stop after 2 epochs, write the checkpoint, read it back, train 1 more: the same
        // weights as 3 epochs straight (momentum buffers included).
        QTemporaryDir dir;
        Trainer trainer(classificationProblem(), TrainerOptions{3, 64, 0.05, 0.9, true, 4});
        auto straight = trainer.startState({-2.0, -3.0}, trainer.initialNetwork());
        trainer.train(straight, 3, {});
        auto first = trainer.startState({-2.0, -3.0}, trainer.initialNetwork());
        trainer.train(first, 2, {});
        const auto path = std::filesystem::path(dir.path().toStdString()) / "state.pt";
        trainer.saveCheckpoint(first, path);
        auto resumed = trainer.loadCheckpoint(path);
        QCOMPARE(resumed.epochsDone, 2);
        QCOMPARE(resumed.lambda, (std::vector<double>{-2.0, -3.0}));
        trainer.train(resumed, 1, {});
        QVERIFY(sameParameters(straight.network, resumed.network));
    }

    void serializedStateResumesExactly() {
        // The MPI executor ships states as bytes: the same round trip as a checkpoint file.
        Trainer trainer(classificationProblem(), TrainerOptions{3, 64, 0.05, 0.9, true, 4});
        auto straight = trainer.startState({-2.0, -3.0}, trainer.initialNetwork());
        trainer.train(straight, 3, {});
        auto first = trainer.startState({-2.0, -3.0}, trainer.initialNetwork());
        trainer.train(first, 2, {});
        const auto bytes = trainer.serializeState(first);
        QVERIFY(bytes.size() > 1000);
        auto resumed = trainer.deserializeState(bytes, "state from rank 1");
        QCOMPARE(resumed.epochsDone, 2);
        QCOMPARE(resumed.lambda, (std::vector<double>{-2.0, -3.0}));
        trainer.train(resumed, 1, {});
        QVERIFY(sameParameters(straight.network, resumed.network));
        try {
            trainer.deserializeState(bytes.substr(0, bytes.size() / 2), "state from rank 1");
            QFAIL("expected an InputError");
        } catch (const bt::core::InputError& e) {
            QCOMPARE(QString::fromStdString(e.where()), QStringLiteral("state from rank 1"));
        }
    }

    void badCheckpointsAreInputErrors() {
        QTemporaryDir dir;
        Trainer trainer(classificationProblem(), TrainerOptions{1, 64, 0.05, 0.9, true, 4});
        const auto base = std::filesystem::path(dir.path().toStdString());
        try {
            trainer.loadCheckpoint(base / "missing.pt");
            QFAIL("expected an InputError");
        } catch (const bt::core::InputError& e) {
            QVERIFY2(std::string(e.what()).find("missing.pt: checkpoint file is missing") !=
                         std::string::npos,
                     e.what());
        }
        { std::ofstream(base / "garbage.pt") << "not a checkpoint"; }
        try {
            trainer.loadCheckpoint(base / "garbage.pt");
            QFAIL("expected an InputError");
        } catch (const bt::core::InputError& e) {
            QVERIFY2(std::string(e.what()).find("garbage.pt: corrupt checkpoint") !=
                         std::string::npos,
                     e.what());
        }
        // A checkpoint of another model.
        auto other = std::make_shared<Problem>(*classificationProblem());
        other->model.hidden = {8};
        Trainer otherTrainer(other, TrainerOptions{1, 64, 0.05, 0.9, true, 4});
        auto state = otherTrainer.startState({-2.0, -3.0}, otherTrainer.initialNetwork());
        otherTrainer.saveCheckpoint(state, base / "other.pt");
        QVERIFY_THROWS_EXCEPTION(bt::core::InputError, trainer.loadCheckpoint(base / "other.pt"));
    }

    void divergentLearningRateEndsAsDiverged() {
        Trainer trainer(classificationProblem(), TrainerOptions{3, 32, 1e6, 0.9, true, 1});
        const auto result = trainer.trainFromInit({-8.0, -8.0}, {});
        QVERIFY(result.status == TrainStatus::Diverged);
        QVERIFY2(result.message.find("became") != std::string::npos, result.message.c_str());
        QVERIFY(result.samplesProcessed > 0);
    }

    void cancellationStopsWithinAMinibatch() {
        auto problem = classificationProblem(20000);
        Trainer trainer(problem, TrainerOptions{50, 16, 0.01, 0.9, true, 1});
        std::stop_source source;
        source.request_stop();
        auto immediate = trainer.trainFromInit({-3.0, -3.0}, source.get_token());
        QVERIFY(immediate.status == TrainStatus::Cancelled);
        QCOMPARE(immediate.samplesProcessed, int64_t{0});

        std::stop_source later;
        std::jthread canceller([&later] {
            std::this_thread::sleep_for(100ms);
            later.request_stop();
        });
        const auto started = std::chrono::steady_clock::now();
        auto result = trainer.trainFromInit({-3.0, -3.0}, later.get_token());
        const auto elapsed = std::chrono::steady_clock::now() - started;
        QVERIFY(result.status == TrainStatus::Cancelled);
        QVERIFY(result.samplesProcessed > 0);
        QVERIFY(result.samplesProcessed < 50 * 20000);
        QVERIFY2(elapsed < 2s, "cancellation took longer than two seconds");
    }

    void regressionHasNoAccuracy() {
        auto problem = std::make_shared<Problem>();
        auto generator = at::detail::createCPUGenerator(2);
        auto x = torch::randn({100, 4}, generator);
        auto y = x.matmul(torch::tensor({1.0f, -2.0f, 0.5f, 0.0f}));
        problem->train = {x, y};
        problem->validation = {x, y};
        problem->test = {x, y};
        problem->model = ModelSpec{ModelKind::Linear, {4}, 1, {}, LossKind::MeanSquaredError};
        Trainer trainer(problem, TrainerOptions{100, 20, 0.05, 0.9, true, 1});
        const auto result = trainer.trainFromInit({-12.0}, {});
        QVERIFY(result.status == TrainStatus::Ok);
        QVERIFY(!result.evaluation.test.accuracy.has_value());
        QVERIFY2(result.evaluation.train.loss < 1e-3,
                 qPrintable(QString::number(result.evaluation.train.loss)));
    }
};

QTEST_GUILESS_MAIN(TestTrainer)
#include "test_trainer.moc"
