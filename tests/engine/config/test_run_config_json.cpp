#include <QtTest>

#include <QTemporaryDir>

#include <cmath>
#include <fstream>
#include <limits>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "engine/config/config_error.h"
#include "engine/config/config_schema.h"
#include "engine/config/run_config.h"
#include "engine/config/run_config_json.h"
#include "engine/config/validate.h"
#include "problem_list.h"
#include "tests/support/text_files.h"

using bt::config::ConfigError;
using bt::config::IndexRange;
using bt::config::RunConfig;
using nlohmann::json;

namespace {

/// Every field set to a valid value other than its default, so that a key that toJson() forgets
/// or parse reads into the wrong field breaks the round trip.
RunConfig everythingChanged() {
    using namespace bt::config;
    RunConfig c;
    c.dataset.kind = DatasetKind::Csv;
    c.dataset.trainPath = "ridge/train.csv";
    c.dataset.validationPath = "ridge/validation.csv";
    c.dataset.testPath = "ridge/test.csv";
    c.dataset.train = IndexRange{10, 130};
    c.dataset.validation = std::int64_t{200};
    c.dataset.test = IndexRange{0, 1000};
    c.dataset.seed = 18446744073709551615ULL; // the largest seed survives as an unsigned
    c.dataset.target = "y";
    c.dataset.task = Task::Regression;
    c.dataset.standardize = false;
    c.model.kind = ModelKind::Lenet5;
    c.model.hidden = {7, 5, 3};
    c.hyperparameters.scope = LambdaScope::Shared;
    c.hyperparameters.lower = -7.25;
    c.hyperparameters.upper = 3.0000000000000004; // needs all 17 digits to read back
    c.training.epochs = 50;
    c.training.optimizer = OptimizerKind::Adam;
    c.training.schedule = LrSchedule::Cosine;
    c.training.warmupEpochs = 2;
    c.training.batchSize = 64;
    c.training.learningRate = 0.1;
    c.training.momentum = 0.5;
    c.training.nesterov = false;
    c.training.seed = 42;
    c.training.device = "cuda:1";
    c.training.threads = 3;
    c.methods = {Method::Hyperband, Method::Grid, Method::Random, Method::Bayesian,
                 Method::Bilevel};
    c.bilevel.initialSamples = 7;
    c.bilevel.design = InitialDesign::Sobol;
    c.bilevel.outerIterations = 9;
    c.bilevel.mu0 = -1.5;
    c.bilevel.r0 = 3.0;
    c.bilevel.eta = 2.5;
    c.bilevel.rMax = 500.0;
    c.bilevel.epsilon = 0.01;
    c.bilevel.constraint = ConstraintForm::Equality;
    c.bilevel.innerSteps = 150;
    c.bilevel.innerLrW = 0.02;
    c.bilevel.innerLrLambda = 0.07;
    c.bilevel.innerMomentum = 0.8;
    c.bilevel.innerTolerance = 1e-6;
    c.bilevel.clip = 5.0;
    c.bilevel.tolerance = 1e-2;
    c.bilevel.lambdaTolerance = 1e-1;
    c.bilevel.warmStart = false;
    c.bilevel.sampleWarmStart = false;
    c.bilevel.warmSampleEpochs = 7;
    c.bilevel.logSurrogate = true;
    c.bilevel.iterateBoundsPhi = true;
    c.grid.pointsPerDim = 6;
    c.random.trials = 33;
    c.bayesian.trials = 40;
    c.bayesian.initial = 8;
    c.hyperband.maxEpochs = 81;
    c.hyperband.eta = 4;
    return c;
}

} // namespace

class TestRunConfigJson : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void defaultsOfAnAlmostEmptyConfig() {
        using namespace bt::config;
        const RunConfig c =
            parseRunConfig(json::parse(R"({"dataset":{"kind":"fashion-mnist"}})"), "minimal.json");
        QVERIFY(c.dataset.kind == DatasetKind::FashionMnist);
        QVERIFY(c.dataset.path.empty());
        QVERIFY(c.dataset.trainPath.empty() && c.dataset.validationPath.empty() &&
                c.dataset.testPath.empty());
        // Split sizes left out are automatic; for an image dataset they resolve to the sizes
        // the defaults always had.
        QVERIFY(!c.dataset.train && !c.dataset.validation && !c.dataset.test);
        const auto sizes = splitSizes(c.dataset);
        QVERIFY(sizes[0] == SplitSize{std::int64_t{10000}});
        QVERIFY(sizes[1] == SplitSize{std::int64_t{5000}});
        QVERIFY(sizes[2] == SplitSize{std::int64_t{-1}});
        QCOMPARE(c.dataset.seed, std::uint64_t{0});
        QVERIFY(c.dataset.target.empty());
        QVERIFY(c.dataset.task == Task::Classification);
        QCOMPARE(c.dataset.standardize, true);

        QVERIFY(c.model.kind == ModelKind::Mlp);
        QCOMPARE(c.model.hidden, (std::vector<int>{300, 100}));

        QVERIFY(c.hyperparameters.scope == LambdaScope::PerLayer);
        QCOMPARE(c.hyperparameters.lower, -10.0);
        QCOMPARE(c.hyperparameters.upper, 0.0);

        QCOMPARE(c.training.epochs, 15);
        QCOMPARE(c.training.batchSize, 128);
        QCOMPARE(c.training.learningRate, 0.05);
        QCOMPARE(c.training.momentum, 0.9);
        QCOMPARE(c.training.nesterov, true);
        QCOMPARE(c.training.seed, std::uint64_t{0});
        QCOMPARE(c.training.device, std::string("cpu"));
        QCOMPARE(c.training.threads, 0);

        QVERIFY(c.methods == std::vector<Method>{Method::Bilevel});

        QCOMPARE(c.bilevel.initialSamples, 0);
        QVERIFY(c.bilevel.design == InitialDesign::Lhs);
        QCOMPARE(c.bilevel.outerIterations, 0);
        QCOMPARE(c.bilevel.outerIterationCount(), 2);
        QCOMPARE(c.bilevel.refineTrials, -1); // automatic
        QCOMPARE(c.bilevel.mu0, 2.0);
        QCOMPARE(c.bilevel.r0, 2.0);
        QCOMPARE(c.bilevel.eta, 1.5);
        QCOMPARE(c.bilevel.rMax, 1000.0);
        QCOMPARE(c.bilevel.epsilon, 0.0);
        QVERIFY(c.bilevel.constraint == ConstraintForm::Inequality);
        QCOMPARE(c.bilevel.innerSteps, 100);
        QCOMPARE(c.bilevel.innerLrW, 0.01);
        QCOMPARE(c.bilevel.innerLrLambda, 0.05);
        QCOMPARE(c.bilevel.innerMomentum, 0.9);
        QCOMPARE(c.bilevel.innerTolerance, 1e-4);
        QCOMPARE(c.bilevel.clip, 2.0);
        QCOMPARE(c.bilevel.tolerance, 1e-3);
        QCOMPARE(c.bilevel.lambdaTolerance, 1e-3);
        QCOMPARE(c.bilevel.warmStart, true);
        QCOMPARE(c.bilevel.sampleWarmStart, true);
        QCOMPARE(c.bilevel.warmSampleEpochs, 0);

        QCOMPARE(c.grid.pointsPerDim, 4);
        QCOMPARE(c.random.trials, 20);
        QCOMPARE(c.bayesian.trials, 20);
        QCOMPARE(c.bayesian.initial, 5);
        QCOMPARE(c.hyperband.maxEpochs, 27);
        QCOMPARE(c.hyperband.eta, 3);

        // The struct's own defaults are the same ones (the GUI form starts from RunConfig{}).
        RunConfig expected;
        expected.dataset.kind = DatasetKind::FashionMnist;
        QVERIFY(c == expected);
    }

    // outer_iterations 0 (the default) resolves by variant; a number given is used as it is.
    void outerIterationsAutomaticByVariant() {
        const auto count = [](const char* text) {
            return bt::config::parseRunConfig(json::parse(text), "t").bilevel.outerIterationCount();
        };
        QCOMPARE(count(R"({"dataset":{"kind":"fashion-mnist"}})"), 2);
        QCOMPARE(count(R"({"dataset":{"kind":"fashion-mnist"},"bilevel":{"variant":"paper"}})"), 5);
        QCOMPARE(count(R"({"dataset":{"kind":"fashion-mnist"},)"
                       R"("bilevel":{"variant":"paper","outer_iterations":3}})"),
                 3);
        QCOMPARE(count(R"({"dataset":{"kind":"fashion-mnist"},"bilevel":{"outer_iterations":7}})"),
                 7);
    }

    // refine_trials is planned under variant select and not under variant paper; automatic
    // (-1, the default) fills the budget after the epochs so far with whole trainings.
    void refinementTrainingsByVariant() {
        const auto refinements = [](const char* text, double budget, double soFar,
                                    int confirmations) {
            return bt::config::parseRunConfig(json::parse(text), "t")
                .bilevel.refinementTrainings(budget, soFar, 15, confirmations);
        };
        const char* automatic = R"({"dataset":{"kind":"fashion-mnist"}})";
        QCOMPARE(refinements(automatic, 450, 250, 0), 13); // 200 epochs left: 13 of 15
        QCOMPARE(refinements(automatic, 450, 255, 1), 13); // a confirmation is among the 255
        QCOMPARE(refinements(automatic, 450, 435, 0), 1);  // exactly one training left
        QCOMPARE(refinements(automatic, 450, 436, 0), 0);
        QCOMPARE(refinements(automatic, 450, 500, 0), 0); // over the budget already
        QCOMPARE(refinements(automatic, 0, 250, 0), 0);
        const char* three = R"({"dataset":{"kind":"fashion-mnist"},"bilevel":{"refine_trials":3}})";
        QCOMPARE(refinements(three, 450, 250, 0), 3); // a count ignores the budget
        QCOMPARE(refinements(three, 0, 1000, 0), 3);
        QCOMPARE(refinements(three, 450, 250, 1), 2); // the confirmation is one of the three
        QCOMPARE(refinements(R"({"dataset":{"kind":"fashion-mnist"},)"
                             R"("bilevel":{"variant":"paper","refine_trials":3}})",
                             450, 250, 0),
                 0);
        QCOMPARE(
            refinements(R"({"dataset":{"kind":"fashion-mnist"},"bilevel":{"variant":"paper"}})",
                        450, 250, 0),
            0);
        // The budget is random search's epochs.
        const auto c = bt::config::parseRunConfig(
            json::parse(R"({"dataset":{"kind":"fashion-mnist"},"random":{"trials":30},)"
                        R"("training":{"epochs":15}})"),
            "t");
        QCOMPARE(c.baselineEpochs(), 450.0);
    }

    void toJsonWritesEveryKey() {
        RunConfig c;
        c.dataset.kind = bt::config::DatasetKind::Mnist;
        const json j = bt::config::toJson(c);
        // Which keys: test_config_schema checks the writer against the tables, and the tables
        // against docs/design/ARCHITECTURE.md (the file format's documentation).
        QCOMPARE(j.size(), bt::config::topLevelKeys().size());
        QCOMPARE(j["dataset"]["kind"], json("mnist"));
        QCOMPARE(j["dataset"]["test"], json(nullptr)); // automatic: written as null, read back
        QVERIFY(!bt::config::parseRunConfig(j, "written").dataset.test.has_value());
        QCOMPARE(j["methods"], json::array({"bilevel"}));
        QCOMPARE(j["hyperparameters"]["scope"], json("per-layer"));
    }

    void fullRoundTrip() {
        const RunConfig original = everythingChanged();
        QVERIFY(bt::config::validate(original).empty());
        const json j = bt::config::toJson(original);
        QCOMPARE(j["dataset"]["train"], json::array({10, 130}));

        // In memory, and through text as a result.json or a saved form stores it.
        QVERIFY(bt::config::parseRunConfig(j, "memory") == original);
        const json reread = json::parse(j.dump(2));
        QVERIFY(bt::config::parseRunConfig(reread, "text") == original);
        QCOMPARE(bt::config::toJson(bt::config::parseRunConfig(reread, "text")), j);

        // ... and through a file.
        const QString path = m_dir.filePath("round-trip.json");
        bt::testing::writeText(path.toStdString(), j.dump(4));
        QVERIFY(bt::config::loadRunConfig(path.toStdString()) == original);

        // A changed field is seen by operator== (the round trip above can fail).
        RunConfig other = original;
        other.bilevel.lambdaTolerance = 0.2;
        QVERIFY(!(other == original));
    }

    // The keys two configurations differ in, in the form's order, each side's value written as
    // the JSON form writes it (strings without quotes); none for equal ones, and every key for
    // the configuration that changes them all.
    void differingKeysNameEachChangeInOrder() {
        using bt::config::KeyDifference;
        RunConfig a;
        a.dataset.kind = bt::config::DatasetKind::Mnist;
        QVERIFY(bt::config::differingKeys(a, a).empty());
        RunConfig b = a;
        b.training.epochs = 30;
        b.dataset.seed = 7;
        b.training.device = "cuda";
        b.methods = {bt::config::Method::Bilevel, bt::config::Method::Random};
        b.dataset.test = std::int64_t{500};
        const auto differences = bt::config::differingKeys(a, b);
        const std::vector<KeyDifference> expected{
            {"methods", R"(["bilevel"])", R"(["bilevel","random"])"},
            {"dataset.test", "null", "500"},
            {"dataset.seed", "0", "7"},
            {"training.epochs", "15", "30"},
            {"training.device", "cpu", "cuda"},
        };
        QCOMPARE(differences.size(), expected.size());
        for (std::size_t i = 0; i < expected.size(); ++i) {
            QCOMPARE(differences[i].key, expected[i].key);
            QCOMPARE(differences[i].first, expected[i].first);
            QCOMPARE(differences[i].second, expected[i].second);
        }
        // The methods first, then the dataset's kind and paths, strings as they are.
        const RunConfig all = everythingChanged();
        QVERIFY(bt::config::differingKeys(all, all).empty());
        const auto many = bt::config::differingKeys(a, all);
        QVERIFY(many.size() >= 3);
        QCOMPARE(many[0].key, std::string("methods"));
        QCOMPARE(many[1].key, std::string("dataset.kind"));
        QCOMPARE(many[1].first, std::string("mnist"));
        QCOMPARE(many[1].second, std::string("csv"));
        QCOMPARE(many[2].key, std::string("dataset.train_path"));
        QCOMPARE(many[2].first, std::string(R"("")")); // empty: quoted, so that it shows
        QCOMPARE(many[2].second, std::string("ridge/train.csv"));
    }

    // Which differing keys change the data a run's figures are of: the dataset's but
    // standardize, and its seed only where a split is drawn at random by it.
    void comparedConfigsLeaveAnUnusedSeedOutOfTheData() {
        RunConfig a;
        a.dataset.kind = bt::config::DatasetKind::Mnist; // automatic sizes: counts, drawn
        QVERIFY(bt::config::seedDrawsRows(a.dataset));
        RunConfig b = a;
        b.dataset.seed = 7;
        b.dataset.standardize = false;
        b.training.seed = 3;
        const auto changed = [](const RunConfig& x, const RunConfig& y) {
            return bt::config::compareConfigs(x, y).dataDifferences;
        };
        QCOMPARE(changed(a, b), std::vector<std::string>{"dataset.seed"});
        QVERIFY(bt::config::compareConfigs(a, b).differences == bt::config::differingKeys(a, b));

        // Every split a range: the seed draws nothing, so another seed is the same data.
        a.dataset.train = IndexRange{0, 600};
        a.dataset.validation = IndexRange{600, 1000};
        a.dataset.test = IndexRange{1000, 10000};
        QVERIFY(!bt::config::seedDrawsRows(a.dataset));
        RunConfig c = a;
        c.dataset.seed = 7;
        QVERIFY(changed(a, c).empty());
        // ... unless either draws one split by count.
        c.dataset.test = std::int64_t{5000};
        QCOMPARE(changed(a, c), (std::vector<std::string>{"dataset.test", "dataset.seed"}));
        QCOMPARE(changed(c, a), (std::vector<std::string>{"dataset.test", "dataset.seed"}));
        // A split of its own file, automatic, takes all of it whatever the seed.
        RunConfig files = everythingChanged();
        files.dataset.train.reset();
        files.dataset.validation.reset();
        files.dataset.test.reset();
        QVERIFY(!bt::config::seedDrawsRows(files.dataset));
        files.dataset.train = std::int64_t{bt::config::kAllRemaining};
        QVERIFY(!bt::config::seedDrawsRows(files.dataset));
    }

    // With both runs' data fingerprints the rule reads them, not the keys: the splits whose
    // rows differ among validation and test; training rows of their own and keys that draw
    // the same rows leave the runs comparable, a file that changed under the same keys does not.
    void fingerprintsDecideWhetherTheDataDiffer() {
        RunConfig a;
        a.dataset.kind = bt::config::DatasetKind::Mnist;
        RunConfig b = a;
        b.dataset.seed = 7; // a data key by the configurations alone
        const json split = {{"rows", 400}, {"crc32", "0a1b2c3d"}};
        json fa = {{"train", {{"rows", 600}, {"crc32", "00000001"}}},
                   {"validation", split},
                   {"test", {{"rows", 9000}, {"crc32", "ffffffff"}}}};
        json fb = fa;
        fb["train"]["crc32"] = "00000002"; // other training rows: still judged on the same rows
        const auto why = [](const RunConfig& x, const RunConfig& y, const json& dx,
                            const json& dy) {
            return bt::config::compareConfigs(x, y, dx, dy).dataDifferences;
        };
        QVERIFY(why(a, b, fa, fb).empty());
        QCOMPARE(why(a, b, fa, fb), why(b, a, fb, fa));
        // The same keys over a test file that changed between the runs.
        fb["test"]["crc32"] = "fffffffe";
        QCOMPARE(why(a, a, fa, fb), std::vector<std::string>{"test rows"});
        fb["validation"]["rows"] = 401;
        QCOMPARE(why(a, a, fa, fb), (std::vector<std::string>{"validation rows", "test rows"}));
        // One run without fingerprints (stored before them): the keys decide, as before.
        QCOMPARE(why(a, b, fa, json()), std::vector<std::string>{"dataset.seed"});
        QCOMPARE(why(a, b, json::object(), fa), std::vector<std::string>{"dataset.seed"});
        QVERIFY(why(a, a, json(), fb).empty());
        // What a comparison says: the runs did use other rows, or, by the keys, they may.
        QVERIFY(bt::config::compareConfigs(a, a, fa, fb).fingerprinted);
        QVERIFY(!bt::config::compareConfigs(a, b, fa, json()).fingerprinted);
        QCOMPARE(std::string(bt::config::compareConfigs(a, a, fa, fb).dataDifferenceClause()),
                 std::string("the runs validated or tested on different rows"));
        // The differences listed do not depend on the fingerprints.
        QVERIFY(bt::config::compareConfigs(a, b, fa, fb).differences ==
                bt::config::differingKeys(a, b));
    }

    // hyperparameters.groups: read and written as [{"name", "match"}], each problem named at
    // its element; shared scope and duplicate names refused by validate().
    void lambdaGroups() {
        const json groups = json::array({{{"name", "backbone"}, {"match", "features.*.weight"}},
                                         {{"name", "head"}, {"match", "head.weight"}}});
        const RunConfig c =
            bt::config::parseRunConfig(patched({{"hyperparameters", {{"groups", groups}}}}), "t");
        QCOMPARE(c.hyperparameters.groups.size(), std::size_t{2});
        QCOMPARE(QString::fromStdString(c.hyperparameters.groups[1].match),
                 QStringLiteral("head.weight"));
        QCOMPARE(bt::config::toJson(c)["hyperparameters"]["groups"], groups);
        QCOMPARE(bt::config::toJson(RunConfig{})["hyperparameters"]["groups"], json::array());

        QCOMPARE(onlyProblem(
                     patched({{"hyperparameters", {{"groups", json::array({{{"name", "a"}}})}}}})),
                 QStringLiteral("hyperparameters.groups[0].match: a group needs a \"match\""));
        QCOMPARE(
            onlyProblem(patched(
                {{"hyperparameters",
                  {{"groups", json::array({{{"name", "a"}, {"match", "x"}, {"mach", 1}}})}}}})),
            QStringLiteral("hyperparameters.groups[0].mach: unknown key 'mach'; did you "
                           "mean 'match'?"));
        QCOMPARE(onlyProblem(patched({{"hyperparameters", {{"groups", "fc*"}}}})),
                 QStringLiteral("hyperparameters.groups: expected an array of groups {\"name\": "
                                "..., \"match\": ...}, got string \"fc*\""));
        QCOMPARE(
            onlyProblem(patched({{"hyperparameters", {{"scope", "shared"}, {"groups", groups}}}})),
            QStringLiteral("hyperparameters.groups: scope shared ties every weight to one "
                           "λ; groups need scope per-layer"));
        const json twice =
            json::array({{{"name", "a"}, {"match", "fc1"}}, {{"name", "a"}, {"match", "fc2"}}});
        QCOMPARE(onlyProblem(patched({{"hyperparameters", {{"groups", twice}}}})),
                 QStringLiteral("hyperparameters.groups[1].name: the name 'a' is also group "
                                "0's; each λ needs its own"));
        const json empty = json::array({{{"name", ""}, {"match", "fc1"}}});
        QCOMPARE(onlyProblem(patched({{"hyperparameters", {{"groups", empty}}}})),
                 QStringLiteral("hyperparameters.groups[0].name: a group needs a name (it labels "
                                "the group's λ)"));
    }
};

QTEST_GUILESS_MAIN(TestRunConfigJson)
#include "test_run_config_json.moc"
