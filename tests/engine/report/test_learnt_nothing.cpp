#include <QtTest>

#include "engine/report/run_result.h"

using namespace bt;

namespace {

// A method's result with one completed training per validation accuracy given.
report::MethodResult withAccuracies(const std::vector<std::optional<double>>& accuracies) {
    report::MethodResult result;
    result.method = "random";
    for (const auto& accuracy : accuracies) {
        events::SampleEvent sample;
        sample.method = result.method;
        sample.status = events::sample_status::kOk;
        sample.metrics.valAccuracy = accuracy;
        result.samples.push_back(sample);
    }
    return result;
}

} // namespace

class TestLearntNothing : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void everyTrainingAtTheLargestClassShareIsNamed() {
        // Ten balanced classes: a constant output gets 10 %.
        const auto warning = report::learntNothing(withAccuracies({0.1, 0.098, 0.104}), {0.1, {}});
        QVERIFY2(warning.starts_with("random: none of its 3 trainings learnt anything"),
                 warning.c_str());
        QVERIFY2(warning.find("10.40 %") != std::string::npos, warning.c_str()); // the best
        QVERIFY2(warning.find("hyperparameters.upper") != std::string::npos, warning.c_str());
    }

    void oneTrainingThatLearnsIsEnough() {
        QVERIFY(report::learntNothing(withAccuracies({0.1, 0.1, 0.12}), {0.1, {}}).empty());
        // Half a point above the share already counts as learning.
        QVERIFY(report::learntNothing(withAccuracies({0.1, 0.106}), {0.1, {}}).empty());
    }

    void failedTrainingsAndRegressionsSayNothing() {
        // Diverged and cancelled trainings do not count; one completed training is too few.
        auto result = withAccuracies({0.1, 0.1});
        result.samples[1].status = events::sample_status::kDiverged;
        QVERIFY(report::learntNothing(result, {0.1, {}}).empty());
        result.samples.push_back(result.samples[0]);
        QVERIFY(!report::learntNothing(result, {0.1, {}}).empty());
        // No accuracy: a regression.
        QVERIFY(
            report::learntNothing(withAccuracies({std::nullopt, std::nullopt}), {0.1, {}}).empty());
        QVERIFY(report::learntNothing(report::MethodResult{}, {0.1, {}}).empty());
    }

    // A regression: no better than predicting the training mean, whose validation MSE is 2.0.
    void aRegressionAtTheMeansLossIsNamed() {
        auto result = withAccuracies({std::nullopt, std::nullopt});
        result.samples[0].metrics.valLoss = 2.1;
        result.samples[1].metrics.valLoss = 1.99;
        const report::ConstantOutput mean{{}, 2.0};
        const auto warning = report::learntNothing(result, mean);
        QVERIFY2(warning.find("none of its 2 trainings learnt anything") != std::string::npos &&
                     warning.find("1.99") != std::string::npos &&
                     warning.find("training split's mean (2)") != std::string::npos,
                 warning.c_str());
        // 1.5 explains a quarter of the variance: learnt.
        result.samples[1].metrics.valLoss = 1.5;
        QVERIFY(report::learntNothing(result, mean).empty());
        // A non-finite loss is no evidence of anything.
        result.samples[1].metrics.valLoss = std::nan("");
        result.samples[0].metrics.valLoss = std::nan("");
        QVERIFY(report::learntNothing(result, mean).empty());
        // Neither figure known: nothing said.
        QVERIFY(report::learntNothing(result, {}).empty());
    }
};

QTEST_GUILESS_MAIN(TestLearntNothing)
#include "test_learnt_nothing.moc"
