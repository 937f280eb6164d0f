#include <QtTest>

#include <QTemporaryDir>

#include <nlohmann/json.hpp>

#include "engine/config/run_config_json.h"
#include "engine/run/runner.h"
#include "ridge_fixture.h"

namespace {

// Records the outer iterations a run emits.
class RecordingSink final : public bt::events::EventSink {
public:
    void onEvent(const bt::events::Event& event) override {
        if (const auto* o = std::get_if<bt::events::OuterIterationEvent>(&event)) {
            iterations.push_back(*o);
        }
        if (std::holds_alternative<bt::events::FinishedEvent>(event)) {
            ++finished;
        }
    }
    std::vector<bt::events::OuterIterationEvent> iterations;
    int finished = 0;
};

} // namespace

class TestBilevelRidge : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // ALGORITHM.md §6.1: on ridge regression, whose optimum is known in closed form, the
    // returned λ* reaches the optimal validation loss: the exact ridge solution at λ* is within
    // 3 % of the best over the box, for several data sets and seeds.
    void reachesTheClosedFormOptimum_data() {
        QTest::addColumn<unsigned>("dataSeed");
        QTest::addColumn<unsigned>("runSeed");
        QTest::newRow("data 1, seed 0") << 1u << 0u;
        QTest::newRow("data 2, seed 1") << 2u << 1u;
        QTest::newRow("data 3, seed 2") << 3u << 2u;
    }

    void reachesTheClosedFormOptimum() {
        QFETCH(unsigned, dataSeed);
        QFETCH(unsigned, runSeed);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const auto data = bt::testing::makeRidgeData(dataSeed);
        bt::testing::writeCsv((dir.path() + "/train.csv").toStdString(), data.xTrain, data.yTrain);
        bt::testing::writeCsv((dir.path() + "/validation.csv").toStdString(), data.xVal, data.yVal);
        bt::testing::writeCsv((dir.path() + "/test.csv").toStdString(), data.xTest, data.yTest);

        const auto config = bt::config::parseRunConfig(
            bt::testing::ridgeRunConfig(dir.path().toStdString(), "bilevel", runSeed), "test");
        RecordingSink sink;
        const auto result = bt::run::executeRun(config, "ridge", sink, {});
        QCOMPARE(QString::fromStdString(result.status), QStringLiteral("completed"));
        QCOMPARE(sink.finished, 1);
        QCOMPARE(result.methods.size(), std::size_t{1});
        const auto& bilevel = result.methods.front();
        QCOMPARE(bilevel.lambda.size(), std::size_t{1});

        double argmin = 0.0;
        const double optimum = bt::testing::optimalValidationLoss(data, -10.0, 3.0, &argmin);
        const double reached =
            bt::testing::ridgeLoss(data, bilevel.lambda[0], data.xVal, data.yVal);
        const double ratio = reached / optimum;
        qInfo("λ* = %.3f (optimum at %.3f), F(λ*)/F_opt = %.4f, %lld trainings, %.1f epochs",
              bilevel.lambda[0], argmin, ratio,
              static_cast<long long>(bilevel.cost.lowerLevelTrainings), bilevel.cost.epochs);
        QVERIFY2(ratio <= 1.03, qPrintable(QString("F(λ*)/F_opt = %1").arg(ratio)));
    }
};

QTEST_GUILESS_MAIN(TestBilevelRidge)
#include "test_bilevel_ridge.moc"
