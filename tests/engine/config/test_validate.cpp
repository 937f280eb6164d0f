#include <QtTest>

#include <cmath>
#include <limits>
#include <string>

#include <nlohmann/json.hpp>

#include "engine/config/run_config.h"
#include "engine/config/validate.h"
#include "problem_list.h"

using bt::config::RunConfig;
using nlohmann::json;

namespace {

RunConfig withKind(bt::config::DatasetKind kind) {
    RunConfig c;
    c.dataset.kind = kind;
    return c;
}

QStringList validationProblems(const RunConfig& config) {
    QStringList out;
    for (const auto& problem : bt::config::validate(config)) {
        out << QString::fromStdString(problem.toString());
    }
    return out;
}

} // namespace

class TestValidate : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void defaultsWithAKindAreValid() {
        QVERIFY(bt::config::validate(withKind(bt::config::DatasetKind::FashionMnist)).empty());
        QVERIFY(bt::config::validate(withKind(bt::config::DatasetKind::Mnist)).empty());
        QVERIFY(bt::config::validate(withKind(bt::config::DatasetKind::Cifar10)).empty());
    }

    // Automatic split sizes: a split with a file of its own takes all of it; splits that share
    // a pool keep 10000 / 5000 / the rest; a size given stays as given.
    void automaticSplitSizes() {
        using bt::config::SplitSize;
        bt::config::DatasetConfig d;
        d.kind = bt::config::DatasetKind::Csv;
        d.trainPath = "train.csv";
        d.validationPath = "validation.csv";
        d.testPath = "test.csv";
        d.target = std::string(1, 'y'); // a literal here trips gcc 12's -Wrestrict (a false alarm)
        auto sizes = bt::config::splitSizes(d);
        for (const auto& size : sizes) {
            QVERIFY(size == SplitSize{std::int64_t{-1}});
        }
        d.testPath.clear(); // test drawn from the training file, beside training
        sizes = bt::config::splitSizes(d);
        QVERIFY(sizes[0] == SplitSize{std::int64_t{10000}});
        QVERIFY(sizes[1] == SplitSize{std::int64_t{-1}});
        QVERIFY(sizes[2] == SplitSize{std::int64_t{-1}});
        d.train = SplitSize{std::int64_t{80}};
        QVERIFY(bt::config::splitSizes(d)[0] == SplitSize{std::int64_t{80}});
        RunConfig config;
        config.dataset = d;
        QVERIFY(bt::config::validate(config).empty());
        d.kind = bt::config::DatasetKind::Mnist; // one pool unless the official files exist
        d.trainPath.clear();
        d.validationPath.clear();
        d.target.clear();
        d.train.reset();
        sizes = bt::config::splitSizes(d);
        QVERIFY(sizes[0] == SplitSize{std::int64_t{10000}});
        QVERIFY(sizes[1] == SplitSize{std::int64_t{5000}});
        QVERIFY(sizes[2] == SplitSize{std::int64_t{-1}});
    }

    void defaultsLackOnlyTheKind() {
        QCOMPARE(validationProblems(RunConfig{}),
                 QStringList{"dataset.kind: missing; expected one of fashion-mnist | mnist | "
                             "cifar10 | csv | numpy"});
    }

    // Each row: a JSON merge patch over {"dataset": {"kind": "fashion-mnist"}} and the one
    // problem it must produce, exactly.
    void ranges_data() {
        QTest::addColumn<QString>("patch");
        QTest::addColumn<QString>("problem");

        QTest::newRow("lower == upper")
            << R"({"hyperparameters": {"lower": -2, "upper": -2}})"
            << "hyperparameters.lower: expected lower < upper, got lower -2 and upper -2";
        QTest::newRow("lower > upper")
            << R"({"hyperparameters": {"lower": 0.5}})"
            << "hyperparameters.lower: expected lower < upper, got lower 0.5 and upper 0";
        QTest::newRow("epochs 0") << R"({"training": {"epochs": 0}})"
                                  << "training.epochs: expected an integer >= 1, got 0";
        QTest::newRow("batch -4") << R"({"training": {"batch_size": -4}})"
                                  << "training.batch_size: expected an integer >= 1, got -4";
        QTest::newRow("lr 0") << R"({"training": {"learning_rate": 0}})"
                              << "training.learning_rate: expected a number > 0, got 0";
        QTest::newRow("momentum 1") << R"({"training": {"momentum": 1}})"
                                    << "training.momentum: expected a number in [0, 1), got 1";
        QTest::newRow("momentum -0.1")
            << R"({"training": {"momentum": -0.1}})"
            << "training.momentum: expected a number in [0, 1), got -0.1";
        QTest::newRow("threads -1") << R"({"training": {"threads": -1}})"
                                    << "training.threads: expected an integer >= 0, got -1";
        QTest::newRow("device gpu") << R"({"training": {"device": "gpu"}})"
                                    << "training.device: expected cpu | cuda | cuda:N | auto, "
                                       "got 'gpu'";
        QTest::newRow("device cuda:") << R"({"training": {"device": "cuda:"}})"
                                      << "training.device: expected cpu | cuda | cuda:N | auto, "
                                         "got 'cuda:'";
        QTest::newRow("device cuda:-1")
            << R"({"training": {"device": "cuda:-1"}})"
            << "training.device: expected cpu | cuda | cuda:N | auto, got 'cuda:-1'";
        QTest::newRow("hidden width 0") << R"({"model": {"hidden": [300, 0]}})"
                                        << "model.hidden[1]: expected a layer width > 0, got 0";
        QTest::newRow("mlp without hidden")
            << R"({"model": {"hidden": []}})"
            << "model.hidden: an mlp needs at least one hidden layer (use model.kind linear for "
               "none)";
        QTest::newRow("he init on a torchscript module")
            << R"({"model": {"kind": "torchscript", "path": "net.pt", "init": "he"}})"
            << "model.init: a torchscript module starts from the weights in its file; model.init "
               "applies to the built-in networks only (remove it or set \"pytorch\")";
        QTest::newRow("no methods")
            << R"({"methods": []})"
            << "methods: expected at least one of bilevel | grid | random | bayesian | hyperband";
        QTest::newRow("method twice") << R"({"methods": ["grid", "bilevel", "grid"]})"
                                      << "methods[2]: 'grid' is listed twice";
        QTest::newRow("initial_samples 1")
            << R"({"bilevel": {"initial_samples": 1}})"
            << "bilevel.initial_samples: expected 0 (automatic) or an integer >= 2, got 1";
        QTest::newRow("initial_samples -3")
            << R"({"bilevel": {"initial_samples": -3}})"
            << "bilevel.initial_samples: expected 0 (automatic) or an integer >= 2, got -3";
        QTest::newRow("outer_iterations -1")
            << R"({"bilevel": {"outer_iterations": -1}})"
            << "bilevel.outer_iterations: expected an integer >= 0, got -1";
        QTest::newRow("refine_trials -2")
            << R"({"bilevel": {"refine_trials": -2}})"
            << "bilevel.refine_trials: expected an integer >= -1, got -2";
        QTest::newRow("mu0 negative") << R"({"bilevel": {"mu0": -1}})"
                                      << "bilevel.mu0: expected a number >= 0, got -1";
        QTest::newRow("r0 0") << R"({"bilevel": {"r0": 0, "r_max": 10}})"
                              << "bilevel.r0: expected a number > 0, got 0";
        QTest::newRow("eta 0.9") << R"({"bilevel": {"eta": 0.9}})"
                                 << "bilevel.eta: expected a number >= 1, got 0.9";
        QTest::newRow("r_max below r0") << R"({"bilevel": {"r0": 5, "r_max": 4}})"
                                        << "bilevel.r_max: expected a number >= bilevel.r0 (5), "
                                           "got 4";
        QTest::newRow("epsilon -1e-3") << R"({"bilevel": {"epsilon": -1e-3}})"
                                       << "bilevel.epsilon: expected a number >= 0, got -0.001";
        QTest::newRow("inner_steps 0") << R"({"bilevel": {"inner_steps": 0}})"
                                       << "bilevel.inner_steps: expected an integer >= 1, got 0";
        QTest::newRow("inner_lr_w 0") << R"({"bilevel": {"inner_lr_w": 0}})"
                                      << "bilevel.inner_lr_w: expected a number > 0, got 0";
        QTest::newRow("inner_lr_lambda -1")
            << R"({"bilevel": {"inner_lr_lambda": -1}})"
            << "bilevel.inner_lr_lambda: expected a number > 0, got -1";
        QTest::newRow("inner_momentum 1.5")
            << R"({"bilevel": {"inner_momentum": 1.5}})"
            << "bilevel.inner_momentum: expected a number in [0, 1), got 1.5";
        QTest::newRow("inner_tolerance -1")
            << R"({"bilevel": {"inner_tolerance": -1}})"
            << "bilevel.inner_tolerance: expected a number >= 0, got -1";
        QTest::newRow("clip 0") << R"({"bilevel": {"clip": 0}})"
                                << "bilevel.clip: expected a number > 0, got 0";
        QTest::newRow("tolerance -1") << R"({"bilevel": {"tolerance": -1}})"
                                      << "bilevel.tolerance: expected a number >= 0, got -1";
        QTest::newRow("lambda_tolerance -1")
            << R"({"bilevel": {"lambda_tolerance": -1}})"
            << "bilevel.lambda_tolerance: expected a number >= 0, got -1";
        QTest::newRow("warm_sample_epochs -2")
            << R"({"bilevel": {"warm_sample_epochs": -2}})"
            << "bilevel.warm_sample_epochs: expected an integer >= 0, got -2";
        QTest::newRow("grid 1") << R"({"grid": {"points_per_dim": 1}})"
                                << "grid.points_per_dim: expected an integer >= 2, got 1";
        QTest::newRow("random 0") << R"({"random": {"trials": 0}})"
                                  << "random.trials: expected an integer >= 1, got 0";
        QTest::newRow("bayesian trials 0") << R"({"bayesian": {"trials": 0, "initial": 0}})"
                                           << "bayesian.trials: expected an integer >= 1, got 0\n"
                                              "bayesian.initial: expected an integer >= 1, got 0";
        QTest::newRow("bayesian initial > trials")
            << R"({"bayesian": {"trials": 10, "initial": 11}})"
            << "bayesian.initial: expected at most bayesian.trials (10), the total evaluations, "
               "got 11";
        QTest::newRow("hyperband R 0") << R"({"hyperband": {"max_epochs": 0}})"
                                       << "hyperband.max_epochs: expected an integer >= 1, got 0";
        QTest::newRow("hyperband eta 1") << R"({"hyperband": {"eta": 1}})"
                                         << "hyperband.eta: expected an integer >= 2, got 1";
        QTest::newRow("train 0") << R"({"dataset": {"train": 0}})"
                                 << "dataset.train: expected a count > 0 or -1 (all that "
                                    "remain), got 0";
        QTest::newRow("validation -2") << R"({"dataset": {"validation": -2}})"
                                       << "dataset.validation: expected a count > 0 or -1 (all "
                                          "that remain), got -2";
        QTest::newRow("empty range") << R"({"dataset": {"train": [5, 5]}})"
                                     << "dataset.train: expected a range [begin, end) with 0 <= "
                                        "begin < end, got [5, 5)";
        QTest::newRow("negative begin") << R"({"dataset": {"test": [-1, 5]}})"
                                        << "dataset.test: expected a range [begin, end) with 0 <= "
                                           "begin < end, got [-1, 5)";
        QTest::newRow("train and validation both rest")
            << R"({"dataset": {"train": -1, "validation": -1}})"
            << "dataset.validation: dataset.train and dataset.validation both ask for all that "
               "remain (-1) of the same pool; give one of them a count or a range";
        QTest::newRow("overlapping ranges")
            << R"({"dataset": {"train": [0, 10000], "validation": [9000, 12000]}})"
            << "dataset.validation: range [9000, 12000) overlaps dataset.train [0, 10000) of the "
               "same pool";
        QTest::newRow("csv target and path missing")
            << R"({"dataset": {"kind": "csv"}})"
            << "dataset.path: missing; a csv dataset needs path (one file for every split) or "
               "train_path (the training file)\n"
               "dataset.target: missing; a csv dataset needs the name of its target column";
        QTest::newRow("csv path and train_path")
            << R"({"dataset": {"kind": "csv", "path": "a.csv", "train_path": "b.csv",
                               "target": "y"}})"
            << "dataset.train_path: give either dataset.path or dataset.train_path, not both";
        QTest::newRow("csv test_path without train_path")
            << R"({"dataset": {"kind": "csv", "path": "a.csv", "test_path": "t.csv",
                               "target": "y"}})"
            << "dataset.test_path: only used together with dataset.train_path";
        QTest::newRow("csv one pool, two rests")
            << R"({"dataset": {"kind": "csv", "path": "a.csv", "target": "y",
                               "validation": -1}})"
            << "dataset.test: dataset.validation and dataset.test both ask for all that remain "
               "(-1) of the same pool; give one of them a count or a range";
        QTest::newRow("image kind with csv keys")
            << R"({"dataset": {"target": "y", "task": "regression"}})"
            << "dataset.target: only used when dataset.kind is csv, not fashion-mnist\n"
               "dataset.task: image datasets are classification; regression is only used when "
               "dataset.kind is csv or numpy, not fashion-mnist";
        QTest::newRow("image kind with train_path")
            << R"({"dataset": {"kind": "mnist", "train_path": "x"}})"
            << "dataset.train_path: only used when dataset.kind is csv or numpy, not mnist; use "
               "dataset.path for the folder";
    }

    void ranges() {
        QFETCH(QString, patch);
        QFETCH(QString, problem);
        const QStringList got = problemsOf(patched(json::parse(patch.toStdString())));
        QCOMPARE(got.join('\n'), problem);
    }

    void validCornerCases_data() {
        QTest::addColumn<QString>("patch");
        QTest::newRow("momentum 0") << R"({"training": {"momentum": 0, "nesterov": false}})";
        QTest::newRow("devices") << R"({"training": {"device": "cuda:12"}})";
        QTest::newRow("auto") << R"({"training": {"device": "auto"}})";
        QTest::newRow("mu0 negative, equality")
            << R"({"bilevel": {"mu0": -3, "constraint": "equality"}})";
        QTest::newRow("r_max == r0") << R"({"bilevel": {"r0": 7, "r_max": 7, "eta": 1}})";
        QTest::newRow("refine_trials under select")
            << R"({"bilevel": {"variant": "select", "refine_trials": 4}})";
        // Refinement is a step of variant select; paper ignores the key (and says so in the log)
        // rather than refusing a count.
        QTest::newRow("refine_trials under paper")
            << R"({"bilevel": {"variant": "paper", "refine_trials": 4}})";
        QTest::newRow("refine_trials automatic") << R"({"bilevel": {"refine_trials": -1}})";
        QTest::newRow("bayesian initial == trials")
            << R"({"bayesian": {"trials": 4, "initial": 4}})";
        QTest::newRow("adjacent ranges")
            << R"({"dataset": {"train": [0, 600], "validation": [600, 1000], "test": -1}})";
        QTest::newRow("mnist: test range may share the pool")
            << R"({"dataset": {"kind": "mnist", "train": [0, 600], "validation": [600, 1000],
                               "test": [1000, 10000]}})";
        QTest::newRow("image test pool is its own")
            << R"({"dataset": {"train": [0, 100], "validation": 50, "test": [0, 100]}})";
        QTest::newRow("csv files, every split the rest")
            << R"({"dataset": {"kind": "csv", "train_path": "a.csv", "validation_path": "b.csv",
                               "test_path": "c.csv", "target": "y", "task": "regression",
                               "train": -1, "validation": -1, "test": -1}})";
        QTest::newRow("he init, mlp and lenet5")
            << R"({"model": {"kind": "lenet5", "init": "he"}})";
        QTest::newRow("pytorch init on a torchscript module")
            << R"({"model": {"kind": "torchscript", "path": "net.pt", "init": "pytorch"}})";
        QTest::newRow("linear without hidden") << R"({"model": {"kind": "linear", "hidden": []}})";
        QTest::newRow("zero tolerances")
            << R"({"bilevel": {"tolerance": 0, "lambda_tolerance": 0, "inner_tolerance": 0,
                               "epsilon": 0}})";
    }

    void validCornerCases() {
        QFETCH(QString, patch);
        QCOMPARE(problemsOf(patched(json::parse(patch.toStdString()))), QStringList{});
    }

    void nonFiniteValuesInTheStruct() {
        // The form builds a RunConfig directly; validate() alone must catch NaN and infinity.
        RunConfig c = withKind(bt::config::DatasetKind::Mnist);
        c.hyperparameters.lower = std::nan("");
        c.training.learningRate = std::numeric_limits<double>::infinity();
        c.bilevel.r0 = -std::numeric_limits<double>::infinity();
        c.bilevel.clip = std::nan("");
        QCOMPARE(validationProblems(c),
                 (QStringList{
                     "hyperparameters.lower: expected a finite number, got nan",
                     "training.learning_rate: expected a finite number, got inf",
                     "bilevel.r0: expected a finite number, got -inf",
                     "bilevel.clip: expected a finite number, got nan",
                 }));
    }

    void everyProblemAtOnce() {
        RunConfig c = withKind(bt::config::DatasetKind::Csv);
        c.dataset.path = "data.csv";
        c.dataset.target = std::string("y");
        c.training.epochs = 0;
        c.bilevel.mu0 = -1.0;
        c.hyperparameters.lower = 3.0;
        c.grid.pointsPerDim = 0;
        const QStringList got = validationProblems(c);
        QCOMPARE(got.size(), 4);
        QVERIFY(got[0].startsWith("hyperparameters.lower: "));
        QVERIFY(got[1].startsWith("training.epochs: "));
        QVERIFY(got[2].startsWith("bilevel.mu0: "));
        QVERIFY(got[3].startsWith("grid.points_per_dim: "));
    }

    void warmSampleEpochsDefaultToAThirdOfTheTraining() {
        bt::config::BilevelConfig b;
        QCOMPARE(bt::config::warmSampleEpochs(b, 15), 5);
        QCOMPARE(bt::config::warmSampleEpochs(b, 16), 6);
        QCOMPARE(bt::config::warmSampleEpochs(b, 1), 1);
        b.warmSampleEpochs = 2;
        QCOMPARE(bt::config::warmSampleEpochs(b, 15), 2);
    }
};

QTEST_GUILESS_MAIN(TestValidate)
#include "test_validate.moc"
