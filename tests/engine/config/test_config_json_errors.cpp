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

// How a run configuration's JSON that is wrong is told: unknown keys, wrong types, NaN, numbers
// that do not fit, unknown values, syntax errors with their place, files that cannot be read,
// duplicate keys; each problem named at its key. (test_run_config_json.cpp: reading and writing.)
class TestConfigJsonErrors : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString writeFile(const QString& name, const std::string& text) {
        const QString path = m_dir.filePath(name);
        bt::testing::writeText(path.toStdString(), text);
        return path;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void integralNumbersAreIntegers() {
        const RunConfig c = bt::config::parseRunConfig(
            patched({{"dataset", {{"train", 1e4}, {"validation", json::array({0.0, 600})}}},
                     {"training", {{"epochs", 20.0}}}}),
            "test");
        QVERIFY(c.dataset.train == bt::config::SplitSize{std::int64_t{10000}});
        QVERIFY((c.dataset.validation == bt::config::SplitSize{IndexRange{0, 600}}));
        QCOMPARE(c.training.epochs, 20);
    }

    void unknownKeySuggestsTheNearest() {
        QCOMPARE(onlyProblem(patched({{"trainig", {{"epochs", 3}}}})),
                 QStringLiteral("trainig: unknown key 'trainig'; did you mean 'training'?"));
        QCOMPARE(onlyProblem(patched({{"bilevel", {{"mu", 1}}}})),
                 QStringLiteral("bilevel.mu: unknown key 'mu'; did you mean 'mu0'?"));
        QCOMPARE(onlyProblem(patched({{"training", {{"batchSize", 3}}}})),
                 QStringLiteral("training.batchSize: unknown key 'batchSize'; did you mean "
                                "'batch_size'?"));
        // Nothing close: the allowed keys are listed instead.
        QCOMPARE(onlyProblem(patched({{"hyperband", {{"rungs", 3}}}})),
                 QStringLiteral("hyperband.rungs: unknown key 'rungs'; expected one of: "
                                "max_epochs, eta"));
    }

    void wrongTypesNameKeyAndExpectation() {
        QCOMPARE(onlyProblem(patched({{"training", {{"epochs", "15"}}}})),
                 QStringLiteral("training.epochs: expected an integer, got string \"15\""));
        QCOMPARE(onlyProblem(patched({{"training", {{"epochs", 2.5}}}})),
                 QStringLiteral("training.epochs: expected an integer, got number 2.5"));
        QCOMPARE(onlyProblem(patched({{"training", {{"nesterov", 1}}}})),
                 QStringLiteral("training.nesterov: expected true or false, got integer 1"));
        QCOMPARE(onlyProblem(patched({{"model", {{"hidden", json::array({300, "100"})}}}})),
                 QStringLiteral("model.hidden[1]: expected an integer, got string \"100\""));
        QCOMPARE(onlyProblem(patched({{"model", {{"hidden", 300}}}})),
                 QStringLiteral("model.hidden: expected an array of integers, got integer 300"));
        QCOMPARE(onlyProblem(patched({{"model", "mlp"}})),
                 QStringLiteral("model: expected an object, got string \"mlp\""));
        QCOMPARE(onlyProblem(patched({{"dataset", {{"path", 3}}}})),
                 QStringLiteral("dataset.path: expected a path (a string), got integer 3"));
        QCOMPARE(onlyProblem(json::array({1, 2})),
                 QStringLiteral("expected an object, got array [1,2]"));
    }

    void nanAndInfinityAreRejected() {
        // As text JSON cannot hold them, so "nan" arrives as a string: a wrong type.
        QCOMPARE(onlyProblem(patched({{"bilevel", {{"mu0", "nan"}}}})),
                 QStringLiteral("bilevel.mu0: expected a number, got string \"nan\""));
        QCOMPARE(onlyProblem(patched({{"hyperparameters", {{"upper", "Infinity"}}}})),
                 QStringLiteral("hyperparameters.upper: expected a number, got string "
                                "\"Infinity\""));
        // A json built in memory (the form) can hold them.
        QCOMPARE(onlyProblem(patched({{"bilevel", {{"mu0", std::nan("")}}}})),
                 QStringLiteral("bilevel.mu0: expected a finite number, got nan"));
        QCOMPARE(onlyProblem(patched(
                     {{"training", {{"learning_rate", std::numeric_limits<double>::infinity()}}}})),
                 QStringLiteral("training.learning_rate: expected a finite number, got inf"));
    }

    void integersThatDoNotFit() {
        QCOMPARE(onlyProblem(patched({{"training", {{"epochs", 1e12}}}})),
                 QStringLiteral("training.epochs: expected an integer <= 2147483647, got "
                                "number 1e+12"));
        QCOMPARE(onlyProblem(patched({{"training", {{"epochs", 3000000000LL}}}})),
                 QStringLiteral("training.epochs: expected an integer <= 2147483647, got "
                                "integer 3000000000"));
        QCOMPARE(onlyProblem(patched({{"dataset", {{"seed", -1}}}})),
                 QStringLiteral("dataset.seed: expected an integer >= 0, got integer -1"));
    }

    void unknownEnumValuesListTheAllowed() {
        QCOMPARE(onlyProblem(patched({{"dataset", {{"kind", "fashion_mnist"}}}})),
                 QStringLiteral("dataset.kind: unknown value 'fashion_mnist'; did you mean "
                                "'fashion-mnist'? (expected one of fashion-mnist | mnist | "
                                "cifar10 | csv | numpy)"));
        QCOMPARE(onlyProblem(patched({{"model", {{"kind", "transformer"}}}})),
                 QStringLiteral("model.kind: unknown value 'transformer' (expected one of "
                                "linear | mlp | lenet5 | torchscript)"));
        QCOMPARE(onlyProblem(patched({{"hyperparameters", {{"scope", 2}}}})),
                 QStringLiteral("hyperparameters.scope: expected one of per-layer | shared, got "
                                "integer 2"));
        QCOMPARE(onlyProblem(patched({{"bilevel", {{"constraint", "eq"}}}})),
                 QStringLiteral("bilevel.constraint: unknown value 'eq' (expected one of "
                                "inequality | equality)"));
    }

    void unknownMethod() {
        QCOMPARE(onlyProblem(patched({{"methods", json::array({"bilevel", "bayes"})}})),
                 QStringLiteral("methods[1]: unknown method 'bayes'; did you mean 'bayesian'? "
                                "(expected one of bilevel | grid | random | bayesian | "
                                "hyperband)"));
        QCOMPARE(onlyProblem(patched({{"methods", "grid"}})),
                 QStringLiteral("methods: expected an array of method names, got string "
                                "\"grid\""));
    }

    void missingOrMistypedKindIsReportedOnce() {
        QCOMPARE(onlyProblem(json::object()),
                 QStringLiteral("dataset.kind: missing; expected one of fashion-mnist | mnist | "
                                "cifar10 | csv | numpy"));
        QCOMPARE(onlyProblem({{"dataset", {{"kind", 3}}}}),
                 QStringLiteral("dataset.kind: expected one of fashion-mnist | mnist | cifar10 | "
                                "csv | numpy, got integer 3"));
        QCOMPARE(onlyProblem({{"dataset", "mnist"}}),
                 QStringLiteral("dataset: expected an object, got string \"mnist\""));
    }

    void malformedSplits() {
        QCOMPARE(onlyProblem(patched({{"dataset", {{"train", json::array({0, 100, 200})}}}})),
                 QStringLiteral("dataset.train: expected a count (an integer, -1 for all that "
                                "remain) or a range [begin, end), got array [0,100,200]"));
        QCOMPARE(onlyProblem(patched({{"dataset", {{"validation", json::array({0, "end"})}}}})),
                 QStringLiteral("dataset.validation[1]: expected an integer, got string "
                                "\"end\""));
        QCOMPARE(onlyProblem(patched({{"dataset", {{"test", "all"}}}})),
                 QStringLiteral("dataset.test: expected a count (an integer, -1 for all that "
                                "remain) or a range [begin, end), got string \"all\""));
    }

    void everyProblemIsReportedAtOnce() {
        const json config = json::parse(R"({
            "dataset": {"kind": "csv", "path": "d.csv", "target": "y"},
            "trainig": {},
            "training": {"epochs": 0, "learning_rate": "fast"},
            "hyperparameters": {"lower": 1, "upper": -1}
        })");
        try {
            bt::config::parseRunConfig(config, "four.json");
            QFAIL("expected a ConfigError");
        } catch (const ConfigError& e) {
            QStringList got;
            for (const auto& p : e.problems()) {
                got << QString::fromStdString(p.toString());
            }
            const QStringList expected{
                "trainig: unknown key 'trainig'; did you mean 'training'?",
                "training.learning_rate: expected a number, got string \"fast\"",
                "hyperparameters.lower: expected lower < upper, got lower 1 and upper -1",
                "training.epochs: expected an integer >= 1, got 0",
            };
            QCOMPARE(got, expected);
            QCOMPARE(QString::fromStdString(e.where()), QStringLiteral("four.json"));
            const QString what = QString::fromUtf8(e.what());
            QVERIFY2(what.startsWith("four.json: 4 problems in the run configuration:\n  - "),
                     qPrintable(what));
            QVERIFY(what.contains("\n  - training.epochs: expected an integer >= 1, got 0"));
            // A ConfigError is an InputError: the CLI's one catch reports it (exit code 2).
            const bt::core::InputError& base = e;
            QCOMPARE(QString::fromStdString(base.where()), QStringLiteral("four.json"));
        }
    }

    void syntaxErrorNamesFileLineAndColumn() {
        const QString path = writeFile("broken.json", "{\n  \"dataset\": {\"kind\": \"csv\"},\n"
                                                      "  \"training\": {\"epochs\": 15,}\n}\n");
        try {
            bt::config::loadRunConfig(path.toStdString());
            QFAIL("expected a ConfigError");
        } catch (const ConfigError& e) {
            // The '}' after the trailing comma: line 3, column 29, in the object "training".
            QCOMPARE(QString::fromStdString(e.where()), path + ":3:29");
            const QString what = QString::fromUtf8(e.what());
            QVERIFY2(what.startsWith(path + ":3:29: training: invalid JSON: syntax error while "
                                            "parsing object key"),
                     qPrintable(what));
            QVERIFY2(!what.contains("json.exception"), qPrintable(what));
            QCOMPARE(e.problems().size(), std::size_t{1});
        }

        const QString truncated = writeFile("truncated.json", "{\"dataset\": {\"kind\": ");
        try {
            bt::config::loadRunConfig(truncated.toStdString());
            QFAIL("expected a ConfigError");
        } catch (const ConfigError& e) {
            QCOMPARE(QString::fromStdString(e.where()), truncated + ":1:22");
        }
    }

    // Text that is not a run configuration's JSON: each row's whole message, exactly. The
    // source is "t.json"; the minimal valid part is {"dataset": {"kind": "mnist"}}.
    void badText_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("error");
        const QByteArray k = R"({"dataset": {"kind": "mnist"}, )";
        const QString invalidLiteral = "invalid JSON: syntax error while parsing value - invalid "
                                       "literal; last read: ";
        const QString noNaN = "; JSON has no NaN or Infinity: expected a finite number";
        QTest::newRow("NaN") << k + R"("bilevel": {"mu0": NaN}})"
                             << "t.json:1:51: bilevel.mu0: " + invalidLiteral + "'\"mu0\": N'" +
                                    noNaN;
        QTest::newRow("nan") << k + R"("bilevel": {"mu0": nan}})"
                             << "t.json:1:52: bilevel.mu0: " + invalidLiteral + "'\"mu0\": na'" +
                                    noNaN;
        QTest::newRow("Infinity") << k + R"("hyperparameters": {"upper": Infinity}})"
                                  << "t.json:1:61: hyperparameters.upper: " + invalidLiteral +
                                         "'\"upper\": I'" + noNaN;
        QTest::newRow("-Infinity")
            << k + R"("hyperparameters": {"lower": -Infinity}})"
            << "t.json:1:62: hyperparameters.lower: invalid JSON: syntax error while parsing "
               "value - invalid number; expected digit after '-'; last read: '-I'" +
                   noNaN;
        QTest::newRow("in a list")
            << k + R"("model": {"hidden": [300, inf]}})"
            << "t.json:1:58: model.hidden[1]: " + invalidLiteral + "'300, i'" + noNaN;
        QTest::newRow("1e400")
            << k + R"("bilevel": {"mu0": 1e400}})"
            << "t.json: bilevel.mu0: invalid JSON: the number 1e400 is beyond the range of a "
               "double (about ±1.8e308); expected a finite number";
        QTest::newRow("-1e400 in a list")
            << k + R"("model": {"hidden": [1, -1e400]}})"
            << "t.json: model.hidden[1]: invalid JSON: the number -1e400 is beyond the range of a "
               "double (about ±1.8e308); expected a finite number";
        QTest::newRow("1e-400 reads as 0")
            << k + R"("training": {"learning_rate": 1e-400}})"
            << "t.json: training.learning_rate: expected a number > 0, got 0";
        QTest::newRow("huge integer")
            << k + R"("training": {"epochs": 123456789012345678901234567890}})"
            << "t.json: training.epochs: expected an integer <= 2147483647, got number "
               "1.2345678901234568e+29";
        QTest::newRow("huge negative integer")
            << k + R"("training": {"threads": -9223372036854775809}})"
            << "t.json: training.threads: expected an integer >= -2147483648, got number "
               "-9223372036854775808";
        QTest::newRow("2^64 seed")
            << k + R"("training": {"seed": 18446744073709551616}})"
            << "t.json: training.seed: expected an integer <= 18446744073709551615, got number "
               "18446744073709551616";
        QTest::newRow("empty") << QByteArray()
                               << "t.json:1:1: invalid JSON: syntax error while parsing value - "
                                  "unexpected end of input; expected '[', '{', or a literal";
        QTest::newRow("missing comma")
            << k + R"("training": {"epochs": 3 "seed": 1}})"
            << "t.json:1:62: training: invalid JSON: syntax error while parsing object - "
               "unexpected string literal; expected '}'";
        QTest::newRow("invalid UTF-8")
            << k + "\"model\": {\"kind\": \"ml\xff\"}}"
            << "t.json:1:53: model.kind: invalid JSON: syntax error while parsing value - "
               "invalid string: ill-formed UTF-8 byte; last read: '\"ml\\xFF'";
        QTest::newRow("nested too deep")
            << k + R"("model": {"hidden": )" + QByteArray(40, '[') + QByteArray(40, ']') + "}}"
            << "t.json: model.hidden[0]: objects and arrays nested more than 32 levels deep; a "
               "run configuration nests at most 3 (section, list, range)";
    }

    void badText() {
        QFETCH(QByteArray, text);
        QFETCH(QString, error);
        try {
            bt::config::parseRunConfigText(text.toStdString(), "t.json");
            QFAIL("expected a ConfigError");
        } catch (const ConfigError& e) {
            QCOMPARE(QString::fromUtf8(e.what()), error);
        }
    }

    void deepNestingIsRejectedInLinearTime() {
        // Every open level used to hold its key path: a megabyte of '[' took gigabytes.
        constexpr std::size_t kDepth = 1'000'000;
        const std::string text = std::string(kDepth, '[') + std::string(kDepth, ']');
        QElapsedTimer timer;
        timer.start();
        try {
            bt::config::parseRunConfigText(text, "deep.json");
            QFAIL("expected a ConfigError");
        } catch (const ConfigError& e) {
            QVERIFY2(std::string(e.what()).find("nested more than 32 levels") != std::string::npos,
                     e.what());
        }
        QVERIFY2(timer.elapsed() < 2000, "a deep text is rejected as soon as it is too deep");
    }

    void textAndJsonAgree() {
        // The text path and the json path read the same: a valid text gives the same config.
        const std::string text = R"({"dataset": {"kind": "csv", "path": "d.csv", "target": "y",
            "train": [0, 100]}, "training": {"epochs": 3}, "methods": ["grid", "bilevel"]})";
        QVERIFY(bt::config::parseRunConfigText(text, "t.json") ==
                bt::config::parseRunConfig(json::parse(text), "t.json"));
    }

    void missingFileNamesThePath() {
        const QString path = m_dir.filePath("no-such-run.json");
        try {
            bt::config::loadRunConfig(path.toStdString());
            QFAIL("expected a ConfigError");
        } catch (const ConfigError& e) {
            QCOMPARE(QString::fromUtf8(e.what()),
                     path + ": cannot read the run configuration: no such file");
        }
        try {
            bt::config::loadRunConfig(m_dir.path().toStdString());
            QFAIL("expected a ConfigError");
        } catch (const ConfigError& e) {
            QCOMPARE(QString::fromStdString(e.where()), m_dir.path());
            QVERIFY(QString::fromUtf8(e.what()).contains("a folder, not a file"));
        }
    }

    void fileProblemsNameTheFile() {
        const QString path = writeFile(
            "bad-values.json", R"({"dataset": {"kind": "mnist"}, "grid": {"points_per_dim": 1}})");
        try {
            bt::config::loadRunConfig(path.toStdString());
            QFAIL("expected a ConfigError");
        } catch (const ConfigError& e) {
            QCOMPARE(QString::fromUtf8(e.what()),
                     path + ": grid.points_per_dim: expected an integer >= 2, got 1");
        }
    }

    void duplicateKeysAreReported() {
        const QString path = writeFile(
            "twice.json",
            R"({"dataset": {"kind": "mnist"}, "model": {"hidden": [[1], {"a": 1, "a": 2}]},
                              "training": {"epochs": 3, "epochs": 4}})");
        try {
            bt::config::loadRunConfig(path.toStdString());
            QFAIL("expected a ConfigError");
        } catch (const ConfigError& e) {
            QStringList got;
            for (const auto& p : e.problems()) {
                got << QString::fromStdString(p.toString());
            }
            const QString twice =
                ": key given twice in one object; give it once (the last one would silently win)";
            QCOMPARE(got, (QStringList{
                              "model.hidden[1].a" + twice,
                              "training.epochs" + twice,
                              "model.hidden[0]: expected an integer, got array [1]",
                              "model.hidden[1]: expected an integer, got object {\"a\":2}",
                          }));
        }
    }

    void loadsAValidFile() {
        const QString path = writeFile("ok.json", R"({"dataset": {"kind": "cifar10"},
            "model": {"kind": "lenet5"}, "methods": ["grid", "bilevel"]})");
        const RunConfig c = bt::config::loadRunConfig(path.toStdString());
        QVERIFY(c.dataset.kind == bt::config::DatasetKind::Cifar10);
        QVERIFY(c.model.kind == bt::config::ModelKind::Lenet5);
        QVERIFY((c.methods == std::vector<bt::config::Method>{bt::config::Method::Grid,
                                                              bt::config::Method::Bilevel}));
    }

    void readRunConfigKeepsWhatItCan() {
        std::vector<bt::config::ConfigProblem> problems;
        const RunConfig c = bt::config::readRunConfig(
            patched({{"training", {{"epochs", "many"}, {"batch_size", 32}}}}), problems);
        QCOMPARE(problems.size(), std::size_t{1});
        QCOMPARE(QString::fromStdString(problems[0].key), QStringLiteral("training.epochs"));
        QCOMPARE(c.training.epochs, 15);    // kept its default
        QCOMPARE(c.training.batchSize, 32); // read
    }
};

QTEST_GUILESS_MAIN(TestConfigJsonErrors)
#include "test_config_json_errors.moc"
