#include <QtTest>

#include <QTemporaryDir>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <thread>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "engine/core/error.h"
#include "engine/train/trainer.h"
#include "tests/support/same_weights.h"
#include "tests/support/three_class_problem.h"

using namespace std::chrono_literals;
using bt::models::LossKind;
using bt::models::ModelKind;
using bt::models::ModelSpec;
using bt::train::Problem;
using bt::train::Trainer;
using bt::train::TrainerOptions;
using bt::train::TrainStatus;

namespace {

// The shared three-class problem (tests/support/three_class_problem.h) with a 6-16-3 MLP.
std::shared_ptr<Problem> classificationProblem(int64_t n = 600) {
    return bt::testing::threeClassProblem(ModelSpec{ModelKind::Mlp, {6}, 3, {16}}, 11, n, 200, 5);
}

/// The learning-rate factor of ALGORITHM.md §2 written out independently of engine/train:
/// linear warm-up over `warmup` steps, then cosine or step over the remaining `total - warmup`.
double expectedFactor(bt::config::LrSchedule schedule, int64_t warmup, int64_t total,
                      int64_t step) {
    if (step < warmup) {
        return static_cast<double>(step + 1) / static_cast<double>(warmup);
    }
    const double t = static_cast<double>(step - warmup) / static_cast<double>(total - warmup);
    if (schedule == bt::config::LrSchedule::Cosine) {
        return 0.5 * (1.0 + std::cos(std::numbers::pi * t));
    }
    if (schedule == bt::config::LrSchedule::Step) {
        return t < 0.5 ? 1.0 : (t < 0.75 ? 0.1 : 0.01);
    }
    return 1.0;
}

/// Trains a copy of the trainer's initial network by hand: the same batches, the gradient of
/// mean loss + Σ exp(λ_l)·½‖W_l‖² from autograd, and the optimiser's update written out
/// (Adam with bias correction, or SGD with Nesterov momentum as PyTorch defines it).
bt::models::Network handTrained(const Trainer& trainer, const std::vector<double>& lambda,
                                int epochs) {
    const auto& o = trainer.options();
    const auto& data = trainer.problem().train;
    auto net = trainer.initialNetwork();
    const int64_t n = data.inputs.size(0);
    const int64_t batch = std::min<int64_t>(o.batchSize, n);
    const int64_t perEpoch = (n + batch - 1) / batch;
    const int64_t total = perEpoch * epochs;
    const int64_t warmup = perEpoch * o.warmupEpochs;
    auto params = net->parameters();
    std::vector<torch::Tensor> m;
    std::vector<torch::Tensor> v;
    for (const auto& p : params) {
        m.push_back(torch::zeros_like(p));
        v.push_back(torch::zeros_like(p));
    }
    int64_t step = 0;
    for (int e = 0; e < epochs; ++e) {
        const auto order = bt::train::epochPermutation(n, o.seed, e);
        for (int64_t begin = 0; begin < n; begin += batch, ++step) {
            const auto index = order.slice(0, begin, std::min(begin + batch, n));
            for (auto& p : params) {
                p.mutable_grad() = torch::Tensor();
            }
            auto loss = bt::models::meanLoss(trainer.problem().model.loss,
                                             net->forward(data.inputs.index_select(0, index)),
                                             data.targets.index_select(0, index)) +
                        bt::models::l2Penalty(net->weights(), torch::tensor(lambda, torch::kFloat));
            loss.backward();
            const double lr = o.learningRate * expectedFactor(o.schedule, warmup, total, step);
            torch::NoGradGuard noGrad;
            for (std::size_t i = 0; i < params.size(); ++i) {
                const auto g = params[i].grad();
                if (o.optimizer == bt::config::OptimizerKind::Adam) {
                    const double t = static_cast<double>(step + 1);
                    m[i].mul_(0.9).add_(g, 0.1);
                    v[i].mul_(0.999).addcmul_(g, g, 0.001);
                    const auto mHat = m[i] / (1.0 - std::pow(0.9, t));
                    const auto vHat = v[i] / (1.0 - std::pow(0.999, t));
                    params[i].sub_(lr * mHat / (vHat.sqrt() + 1e-8));
                } else {
                    // buf = μ·buf + g (g on the first step), then step along g + μ·buf.
                    m[i] = step == 0 ? g.clone() : m[i].mul(o.momentum).add(g);
                    params[i].sub_(lr * (g + o.momentum * m[i]));
                }
            }
        }
    }
    return net;
}

double largestDifference(const bt::models::Network& a, const bt::models::Network& b) {
    double out = 0.0;
    for (std::size_t i = 0; i < a->parameters().size(); ++i) {
        out = std::max(out, (a->parameters()[i] - b->parameters()[i]).abs().max().item<double>());
    }
    return out;
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

    void optimiserAndScheduleMatchAHandWrittenLoop_data() {
        QTest::addColumn<int>("optimizer");
        QTest::addColumn<int>("schedule");
        QTest::addColumn<int>("warmup");
        QTest::newRow("adam cosine warm-up")
            << static_cast<int>(bt::config::OptimizerKind::Adam)
            << static_cast<int>(bt::config::LrSchedule::Cosine) << 1;
        QTest::newRow("sgd step") << static_cast<int>(bt::config::OptimizerKind::Sgd)
                                  << static_cast<int>(bt::config::LrSchedule::Step) << 0;
        QTest::newRow("sgd cosine warm-up")
            << static_cast<int>(bt::config::OptimizerKind::Sgd)
            << static_cast<int>(bt::config::LrSchedule::Cosine) << 2;
    }

    void optimiserAndScheduleMatchAHandWrittenLoop() {
        QFETCH(int, optimizer);
        QFETCH(int, schedule);
        QFETCH(int, warmup);
        TrainerOptions options{4, 50, 0.02, 0.9, true, 7};
        options.optimizer = static_cast<bt::config::OptimizerKind>(optimizer);
        options.schedule = static_cast<bt::config::LrSchedule>(schedule);
        options.warmupEpochs = warmup;
        Trainer trainer(classificationProblem(200), options);
        const std::vector<double> lambda{-2.0, -4.0};
        bt::models::Network trained{nullptr};
        QVERIFY(trainer.trainFromInit(lambda, {}, &trained).status == TrainStatus::Ok);
        const auto manual = handTrained(trainer, lambda, 4);
        const double diff = largestDifference(trained, manual);
        QVERIFY2(diff < 1e-5, qPrintable(QString("weights differ by %1").arg(diff)));
        // And the recipe matters: a constant-rate SGD training ends elsewhere.
        Trainer plain(classificationProblem(200), TrainerOptions{4, 50, 0.02, 0.9, true, 7});
        bt::models::Network constant{nullptr};
        plain.trainFromInit(lambda, {}, &constant);
        QVERIFY(largestDifference(trained, constant) > 1e-3);
    }

    void scheduledCheckpointResumesExactly() {
        // The schedule's position travels with the state: 2 epochs, a checkpoint, then 2 more
        // equal 4 straight, for a cosine schedule over the training's 4 epochs.
        QTemporaryDir dir;
        TrainerOptions options{4, 64, 0.05, 0.9, true, 4};
        options.schedule = bt::config::LrSchedule::Cosine;
        options.warmupEpochs = 1;
        Trainer trainer(classificationProblem(), options);
        auto straight = trainer.startState({-2.0, -3.0}, trainer.initialNetwork());
        trainer.train(straight, 4, {});
        auto first = trainer.startState({-2.0, -3.0}, trainer.initialNetwork());
        trainer.train(first, 2, {});
        const auto path = std::filesystem::path(dir.path().toStdString()) / "state.pt";
        trainer.saveCheckpoint(first, path);
        auto resumed = trainer.loadCheckpoint(path);
        QCOMPARE(resumed.horizonEpochs, 4);
        trainer.train(resumed, 2, {});
        QVERIFY(bt::testing::sameWeights(straight.network, resumed.network));
    }

    void sameSeedSameWeights() {
        auto problem = classificationProblem();
        Trainer trainer(problem, TrainerOptions{2, 50, 0.05, 0.9, true, 9});
        bt::models::Network a{nullptr};
        bt::models::Network b{nullptr};
        trainer.trainFromInit({-3.0, -4.0}, {}, &a);
        trainer.trainFromInit({-3.0, -4.0}, {}, &b);
        QVERIFY(bt::testing::sameWeights(a, b));
        Trainer other(problem, TrainerOptions{2, 50, 0.05, 0.9, true, 10});
        bt::models::Network c{nullptr};
        other.trainFromInit({-3.0, -4.0}, {}, &c);
        QVERIFY(!bt::testing::sameWeights(a, c));
    }

    // A layout that gives both weights entry 0 (hyperparameters.groups) trains exactly as one λ
    // per weight at equal values, and its penalty is the same; a different entry would not.
    void groupedLambdaTrainsAsItsEntryForEveryWeight() {
        auto plainProblem = classificationProblem();
        auto groupedProblem = classificationProblem();
        groupedProblem->model.lambdaOf = {0, 0};
        const TrainerOptions options{2, 50, 0.05, 0.9, true, 9};
        bt::models::Network perWeight{nullptr};
        bt::models::Network grouped{nullptr};
        const auto a = Trainer(plainProblem, options).trainFromInit({-2.0, -2.0}, {}, &perWeight);
        const auto b = Trainer(groupedProblem, options).trainFromInit({-2.0}, {}, &grouped);
        QVERIFY(bt::testing::sameWeights(perWeight, grouped));
        QCOMPARE(a.evaluation.penalty, b.evaluation.penalty);
        groupedProblem->model.lambdaOf = {0, 1};
        bt::models::Network split{nullptr};
        Trainer(groupedProblem, options).trainFromInit({-2.0, -9.0}, {}, &split);
        QVERIFY(!bt::testing::sameWeights(perWeight, split));
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
        QVERIFY(bt::testing::sameWeights(straight.network, pieces.network));
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
        QVERIFY(bt::testing::sameWeights(straight.network, resumed.network));
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
        QVERIFY(bt::testing::sameWeights(straight.network, resumed.network));
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
