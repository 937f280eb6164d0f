// What a list of runs shows beside a run's record (store::runHeadline): its task in a few words
// (config::taskText) and its recommended model (report::recommend, recommendationText), the one
// the report leads with.
#include <QtTest>

#include <nlohmann/json.hpp>

#include "engine/config/run_config_json.h"
#include "engine/report/result_json.h"
#include "engine/store/run_headline.h"

using bt::config::RunConfig;
using bt::events::Metrics;
using bt::report::MethodResult;
using bt::report::RunResult;

namespace {

MethodResult method(const std::string& name, std::optional<Metrics> refit) {
    MethodResult m;
    m.method = name;
    m.lambda = {-3.0};
    m.metrics.testLoss = std::nan(""); // its own model: none unless a test gives one
    m.refitMetrics = refit;
    return m;
}

Metrics metrics(double testLoss, std::optional<double> testAccuracy) {
    Metrics m;
    m.testLoss = testLoss;
    m.testAccuracy = testAccuracy;
    return m;
}

// A training-only model: the validation loss the recommendation compares, and its test figures.
Metrics ownModel(double valLoss, double testLoss, double testAccuracy) {
    Metrics m = metrics(testLoss, testAccuracy);
    m.valLoss = valLoss;
    return m;
}

} // namespace

class TestRunHeadline : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void theTaskNamesTheNetworkThenTheData() {
        RunConfig c;
        c.dataset.kind = bt::config::DatasetKind::FashionMnist;
        QCOMPARE(bt::config::taskText(c), std::string("mlp 300-100 on fashion-mnist"));
        c.model.kind = bt::config::ModelKind::Lenet5;
        c.dataset.kind = bt::config::DatasetKind::Cifar10;
        QCOMPARE(bt::config::taskText(c), std::string("lenet5 on cifar10"));
        // An initialisation other than PyTorch's default is said.
        c.model.init = bt::config::WeightInit::He;
        QCOMPARE(bt::config::taskText(c), std::string("lenet5 (he init) on cifar10"));
        c.model.init = bt::config::WeightInit::Pytorch;
        // Files by their names, without their folders.
        c.model.kind = bt::config::ModelKind::Torchscript;
        c.model.path = "/home/me/nets/small cnn.pt";
        c.dataset.kind = bt::config::DatasetKind::Csv;
        c.dataset.path = "/data/wine/all.csv";
        QCOMPARE(bt::config::taskText(c), std::string("torchscript small cnn.pt on csv all.csv"));
        c.dataset.task = bt::config::Task::Regression;
        QCOMPARE(bt::config::taskText(c),
                 std::string("torchscript small cnn.pt on csv all.csv (regression)"));
        c.dataset.task = bt::config::Task::Classification;
        c.dataset.path.clear();
        c.dataset.kind = bt::config::DatasetKind::Numpy;
        c.dataset.trainPath = "/data/f/train.npz";
        QCOMPARE(bt::config::taskText(c),
                 std::string("torchscript small cnn.pt on numpy train.npz"));
        c.model.kind = bt::config::ModelKind::Mlp;
        c.model.hidden.clear();
        c.dataset.kind.reset();
        QCOMPARE(bt::config::taskText(c), std::string("mlp on no dataset"));
    }

    // The method whose λ* trained on the training split alone has the lowest validation loss
    // (the report's recommendation), shown by its refit model: never the lowest test loss, which
    // would choose on the split that reports. Methods without a λ or a finite loss are left out;
    // the first of equals wins; classifiers too.
    void theRecommendedModelHasTheLowestValidationLoss() {
        RunResult r;
        r.methods = {method("bilevel", metrics(0.30, 0.8590)), method("grid", std::nullopt),
                     method("random", metrics(0.35, 0.8581)),
                     method("bayesian", metrics(0.33, 0.8500)),
                     method("hyperband", metrics(0.31, 0.99))};
        // The training-only models: bilevel's retraining, the others' own.
        r.methods[0].retrainedMetrics = ownModel(0.42, 0.41, 0.85);
        r.methods[1].metrics = ownModel(0.45, 0.40, 0.86);
        r.methods[2].metrics = ownModel(0.40, 0.44, 0.84);
        r.methods[3].metrics = ownModel(0.39, 0.43, 0.84);
        r.methods[3].lambda.clear(); // returned no λ
        r.methods[4].metrics = ownModel(std::nan(""), 0.43, 0.84);
        auto best = bt::report::recommend(r);
        QVERIFY(best && best->refit);
        // Not bilevel, whose refit has the lowest test loss.
        QCOMPARE(best->method->method, std::string("random"));
        QCOMPARE(best->index, std::size_t{2}); // its place in the list, for the caller's names
        QCOMPARE(best->valLoss, 0.40);         // what it was chosen by
        QCOMPARE(bt::report::recommendationText(*best),
                 std::string("test loss 0.35, 85.81 % (random)"));
        // Equal validation losses: the first.
        r.methods[3].lambda = {-3.0};
        r.methods[3].metrics.valLoss = 0.40;
        QCOMPARE(bt::report::recommend(r)->method->method, std::string("random"));
        // A training-only model with a lower validation loss beats the refit ones, named so.
        r.methods[1].metrics.valLoss = 0.2;
        best = bt::report::recommend(r);
        QVERIFY(best && !best->refit);
        QCOMPARE(bt::report::recommendationText(*best),
                 std::string("test loss 0.4, 86.00 % (grid, retrained)"));
        // A refit without a finite test loss: the method's training-only model stands for it.
        r.methods[1].metrics.valLoss = 0.45;
        r.methods[0].retrainedMetrics = ownModel(0.05, 0.06, 0.95);
        r.methods[0].refitMetrics = metrics(std::nan(""), std::nullopt);
        best = bt::report::recommend(r);
        QVERIFY(best && !best->refit);
        QCOMPARE(best->index, std::size_t{0});
        QCOMPARE(bt::report::recommendationText(*best),
                 std::string("test loss 0.06, 95.00 % (bilevel, retrained)"));
        r.methods = {method("grid", std::nullopt)};
        r.methods[0].metrics = metrics(std::nan(""), std::nullopt);
        QVERIFY(!bt::report::recommend(r));
    }

    // Regression: no accuracy; 4 significant digits.
    void aRegressionsRecommendationHasNoAccuracy() {
        RunResult r;
        r.methods = {method("bilevel", metrics(0.012344, std::nullopt)),
                     method("hyperband", metrics(0.0125, std::nullopt))};
        r.methods[0].retrainedMetrics = metrics(0.02, std::nullopt);
        r.methods[0].retrainedMetrics->valLoss = 0.011;
        r.methods[1].metrics.valLoss = 0.012;
        QCOMPARE(bt::report::recommendationText(*bt::report::recommend(r)),
                 std::string("test loss 0.01234 (bilevel)"));
    }

    // From a stored record; what does not read is left empty, never thrown.
    void aHeadlineReadsTheStoredRecord() {
        RunConfig c;
        c.dataset.kind = bt::config::DatasetKind::Mnist;
        c.model.hidden = {100};
        RunResult r;
        r.methods = {method("bilevel", metrics(0.31, 0.9)), method("random", metrics(0.3, 0.89))};
        r.methods[0].retrainedMetrics = ownModel(0.35, 0.36, 0.88);
        r.methods[1].metrics = ownModel(0.33, 0.34, 0.87);
        bt::store::RunInfo run;
        run.config = bt::config::toJson(c);
        run.result = bt::report::toJson(r);
        run.methods = {"bilevel", "random"};
        auto h = bt::store::runHeadline(run);
        QCOMPARE(h.task, std::string("mlp 100 on mnist"));
        QCOMPARE(h.recommendedMethod, std::string("random"));
        QVERIFY(h.recommended && h.refit && h.recommended->testLoss == 0.3);
        QCOMPARE(h.recommendedText, std::string("test loss 0.3, 89.00 % (random)"));

        // A running run: no result yet.
        run.result = nullptr;
        h = bt::store::runHeadline(run);
        QVERIFY(!h.recommended);
        QVERIFY(h.recommendedText.empty() && h.recommendedMethod.empty());
        // A result of the wrong shape and a configuration with an unknown key: what reads, reads.
        run.result = {{"methods", {{"random", {{"refit_metrics", "none"}}}}}};
        run.config["model"]["layers"] = 3;
        run.config["model"]["hidden"] = "many";
        h = bt::store::runHeadline(run);
        QVERIFY(!h.recommended);
        QCOMPARE(h.task, std::string("mlp 300-100 on mnist")); // hidden's bad value: its default
        run.config = "not an object";
        QCOMPARE(bt::store::runHeadline(run).task, std::string());
    }
};

QTEST_APPLESS_MAIN(TestRunHeadline)
#include "test_run_headline.moc"
