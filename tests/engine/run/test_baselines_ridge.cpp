#include <QtTest>

#include <QTemporaryDir>

#include <algorithm>
#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "engine/config/run_config_json.h"
#include "engine/run/runner.h"
#include "engine/train/trainer.h"
#include "ridge_fixture.h"

namespace {

// Records the events of a run.
class RecordingSink final : public bt::events::EventSink {
public:
    void onEvent(const bt::events::Event& event) override {
        if (std::holds_alternative<bt::events::SampleEvent>(event)) {
            ++samples;
        }
        if (const auto* l = std::get_if<bt::events::LogEvent>(&event)) {
            logs.push_back(l->message);
        }
        if (std::holds_alternative<bt::events::GpRefitEvent>(event)) {
            ++refits;
        }
        if (std::holds_alternative<bt::events::FinishedEvent>(event)) {
            ++finished;
        }
    }
    int samples = 0;
    int refits = 0;
    int finished = 0;
    std::vector<std::string> logs;
};

// The ridge task of BENCHMARK.md with one baseline and a small budget.
nlohmann::json ridgeConfig(const QString& dir, const std::string& method) {
    auto config = bt::testing::ridgeRunConfig(dir.toStdString(), method, 1);
    config["grid"] = {{"points_per_dim", 14}};
    config["random"] = {{"trials", 25}};
    config["bayesian"] = {{"trials", 12}, {"initial", 4}};
    config["hyperband"] = {{"max_epochs", 81}, {"eta", 3}};
    return config;
}

} // namespace

class TestBaselinesRidge : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_data = bt::testing::makeRidgeData(1);
        const auto path = [&](const char* name) { return (m_dir.path() + name).toStdString(); };
        bt::testing::writeCsv(path("/train.csv"), m_data.xTrain, m_data.yTrain);
        bt::testing::writeCsv(path("/validation.csv"), m_data.xVal, m_data.yVal);
        bt::testing::writeCsv(path("/test.csv"), m_data.xTest, m_data.yTest);
        m_optimum = bt::testing::optimalValidationLoss(m_data, -10.0, 3.0, &m_argmin);
    }

    // Issue 5 / ALGORITHM.md §5: with enough budget every baseline's λ* comes close to the
    // closed-form optimum (λ_opt = -2.405 on this data, F_opt = 1.8432), through the runner
    // (dispatch, cost, anytime curve, refit on training ∪ validation). The bounds are the
    // measured values with margin; for scale, F(λ)/F_opt ≤ 1.05 holds on [-6.665, -1.480], 40 %
    // of the λ box [-10, 3], while ≤ 1.003 holds on [-2.735, -2.135], ≤ 1.005 on
    // [-2.845, -2.060] and ≤ 1.012 on about [-3.2, -1.9] (closed form, 0.005 steps).
    void reachesTheClosedFormOptimum_data() {
        QTest::addColumn<QString>("method");
        QTest::addColumn<int>("trainings");
        QTest::addColumn<double>("maxRatio");
        QTest::addColumn<double>("maxDistance"); // |λ* − λ_opt|
        // Measured: λ* = -2 (grid points 1 apart: -2 and -3, F/F_opt 1.0071 and 1.0081, are
        // the nearest to λ_opt; the bounds admit those two and no other), F/F_opt = 1.0071,
        // |λ* − λ_opt| = 0.405.
        QTest::newRow("grid") << QStringLiteral("grid") << 14 << 1.012 << 0.6;
        // Measured: λ* = -2.592, F/F_opt = 1.0011, |λ* − λ_opt| = 0.187.
        QTest::newRow("random") << QStringLiteral("random") << 25 << 1.005 << 0.45;
        // Measured: λ* = -2.359, F/F_opt = 1.0001, |λ* − λ_opt| = 0.046.
        QTest::newRow("bayesian") << QStringLiteral("bayesian") << 12 << 1.003 << 0.3;
        // Measured: λ* = -2.196, F/F_opt = 1.0017, |λ* − λ_opt| = 0.209.
        QTest::newRow("hyperband")
            << QStringLiteral("hyperband") << 81 + 34 + 15 + 8 + 5 << 1.006 << 0.45;
    }

    void reachesTheClosedFormOptimum() {
        QFETCH(QString, method);
        QFETCH(int, trainings);
        QFETCH(double, maxRatio);
        QFETCH(double, maxDistance);
        const auto config =
            bt::config::parseRunConfig(ridgeConfig(m_dir.path(), method.toStdString()), "test");
        RecordingSink sink;
        const auto run = bt::run::executeRun(config, "ridge-" + method.toStdString(), sink, {});
        QCOMPARE(QString::fromLatin1(bt::events::toString(run.status)),
                 QStringLiteral("completed"));
        QCOMPARE(sink.finished, 1);
        QCOMPARE(run.methods.size(), std::size_t{1});
        const auto& result = run.methods.front();
        QCOMPARE(QString::fromStdString(result.method), method);
        QCOMPARE(QString::fromLatin1(bt::events::toString(result.status)),
                 QStringLiteral("completed"));
        QCOMPARE(result.lambda.size(), std::size_t{1});
        QCOMPARE(result.cost.lowerLevelTrainings, int64_t{trainings});
        QCOMPARE(static_cast<std::size_t>(sink.samples), result.samples.size());
        QCOMPARE(sink.refits, method == "bayesian" ? 12 - 4 : 0);

        const double reached =
            bt::testing::ridgeLoss(m_data, result.lambda[0], m_data.xVal, m_data.yVal);
        const double ratio = reached / m_optimum;
        const double distance = std::abs(result.lambda[0] - m_argmin);
        qInfo("%s: λ* = %.3f (optimum at %.3f, %.3f away), F(λ*)/F_opt = %.4f, %lld trainings, "
              "%.1f epochs, %.2f s",
              qPrintable(method), result.lambda[0], m_argmin, distance, ratio,
              static_cast<long long>(result.cost.lowerLevelTrainings), result.cost.epochs,
              result.cost.wallSeconds);
        QVERIFY2(ratio <= maxRatio,
                 qPrintable(QString("F(λ*)/F_opt = %1 > %2").arg(ratio).arg(maxRatio)));
        QVERIFY2(distance <= maxDistance, qPrintable(QString("|λ* − λ_opt| = |%1 − %2| = %3 > %4")
                                                         .arg(result.lambda[0])
                                                         .arg(m_argmin)
                                                         .arg(distance)
                                                         .arg(maxDistance)));

        // The anytime curve: one point per trial, best validation loss never rising.
        QCOMPARE(result.anytime.size(), result.samples.size());
        for (std::size_t i = 1; i < result.anytime.size(); ++i) {
            QVERIFY(result.anytime[i].bestValLoss <= result.anytime[i - 1].bestValLoss);
            QVERIFY(result.anytime[i].epochs >= result.anytime[i - 1].epochs);
            QVERIFY(result.anytime[i].seconds >= result.anytime[i - 1].seconds);
        }
        QCOMPARE(result.anytime.back().bestValLoss, result.metrics.valLoss);
        QCOMPARE(result.anytime.back().epochs, result.cost.epochs);

        // The refit on training ∪ validation is reported, and its cost is not the method's.
        QVERIFY(result.refitMetrics.has_value());
        QVERIFY(std::isfinite(result.refitMetrics->testLoss));
        QVERIFY(std::any_of(sink.logs.begin(), sink.logs.end(), [](const std::string& m) {
            return m.find("refit at λ*") != std::string::npos;
        }));
    }

    // The refit is λ* trained from the fixed initialisation on training ∪ validation with the
    // run's trainer options, evaluated on test.
    void refitIsTheSelectedLambdaOnTrainingAndValidation() {
        const auto config = bt::config::parseRunConfig(ridgeConfig(m_dir.path(), "random"), "test");
        bt::events::NullSink sink;
        const auto run = bt::run::executeRun(config, "ridge-refit", sink, {});
        QCOMPARE(QString::fromLatin1(bt::events::toString(run.status)),
                 QStringLiteral("completed"));
        const auto& result = run.methods.front();
        QVERIFY(result.refitMetrics.has_value());

        const auto prepared = bt::run::prepareRun(config);
        auto combined = std::make_shared<bt::train::Problem>(*prepared.problem);
        combined->train.inputs =
            torch::cat({prepared.problem->train.inputs, prepared.problem->validation.inputs});
        combined->train.targets =
            torch::cat({prepared.problem->train.targets, prepared.problem->validation.targets});
        QCOMPARE(combined->train.inputs.size(0), int64_t{320});
        bt::train::TrainerOptions options;
        options.epochs = 100;
        options.batchSize = 40;
        options.learningRate = 0.02;
        options.momentum = 0.9;
        options.seed = 1;
        const bt::train::Trainer trainer(combined, options);
        const auto refit = trainer.trainFromInit(result.lambda, {});
        QCOMPARE(result.refitMetrics->testLoss, refit.evaluation.test.loss);
        QCOMPARE(result.refitMetrics->valLoss, refit.evaluation.validation.loss);
        // More data at the same λ: the refit's test loss is not the selected model's.
        QVERIFY(result.refitMetrics->testLoss != result.metrics.testLoss);
    }

    // The bilevel method's anytime curve: a point after every φ sample and every outer
    // iteration. Under variant paper the augmented-Lagrangian weights compete for the best too;
    // under select only the training-only samples do, and the best is the returned model's.
    void bilevelHasAnAnytimeCurve_data() {
        QTest::addColumn<QString>("variant");
        QTest::newRow("paper") << QStringLiteral("paper");
        QTest::newRow("select") << QStringLiteral("select");
    }

    void bilevelHasAnAnytimeCurve() {
        QFETCH(QString, variant);
        auto json = ridgeConfig(m_dir.path(), "bilevel");
        json["bilevel"] = {{"initial_samples", 3},
                           {"outer_iterations", 2},
                           {"inner_steps", 60},
                           {"variant", variant.toStdString()}};
        const auto config = bt::config::parseRunConfig(json, "test");
        bt::events::NullSink sink;
        const auto run = bt::run::executeRun(config, "ridge-bilevel", sink, {});
        QCOMPARE(QString::fromLatin1(bt::events::toString(run.status)),
                 QStringLiteral("completed"));
        const auto& result = run.methods.front();
        QCOMPARE(result.anytime.size(), result.samples.size() + result.iterations.size());
        double best = std::numeric_limits<double>::infinity();
        for (const auto& s : result.samples) {
            best = std::min(best, s.metrics.valLoss);
        }
        if (variant == QLatin1String("paper")) {
            for (const auto& it : result.iterations) {
                best = std::min(best, it.metrics.valLoss);
            }
        } else {
            QCOMPARE(result.metrics.valLoss, best);
        }
        for (std::size_t i = 1; i < result.anytime.size(); ++i) {
            QVERIFY(result.anytime[i].bestValLoss <= result.anytime[i - 1].bestValLoss);
            QVERIFY(result.anytime[i].epochs >= result.anytime[i - 1].epochs);
        }
        QCOMPARE(result.anytime.back().bestValLoss, best);
        QCOMPARE(result.anytime.back().epochs, result.cost.epochs);
        QVERIFY(result.refitMetrics.has_value());
    }

private:
    QTemporaryDir m_dir;
    bt::testing::RidgeData m_data;
    double m_optimum = 0.0;
    double m_argmin = 0.0;
};

QTEST_GUILESS_MAIN(TestBaselinesRidge)
#include "test_baselines_ridge.moc"
