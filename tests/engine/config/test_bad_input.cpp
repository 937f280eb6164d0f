#include <QtTest>

#include <QTemporaryDir>

#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "engine/config/config_error.h"
#include "engine/config/run_config_json.h"
#include "engine/core/error.h"
#include "engine/run/runner.h"

using nlohmann::json;
namespace fs = std::filesystem;

/// The bad input that only the data can reveal, as a run meets it (run::prepareRun, which the
/// CLI's `run` calls; an InputError there is exit code 2): missing data files and split sizes
/// larger than the dataset, each naming its key and the file.
class TestBadInput : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_data;

    /// A valid ridge-like run over the 10-row data.csv of the data folder, with `patch` merged.
    static json config(const json& patch) {
        json c = {
            {"dataset",
             {{"kind", "csv"},
              {"path", "data.csv"},
              {"target", "y"},
              {"task", "regression"},
              {"train", 6},
              {"validation", 2},
              {"test", -1}}},
            {"model", {{"kind", "linear"}}},
            {"hyperparameters", {{"scope", "shared"}}},
            {"training", {{"epochs", 1}}},
        };
        c.merge_patch(patch);
        return c;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_data = m_dir.path();
        // Relative dataset paths are taken relative to the data folder.
        qputenv("BILEVEL_TUNER_DATA_DIR", m_data.toUtf8());
        std::ofstream out(fs::path(m_data.toStdString()) / "data.csv");
        out << "x1,x2,y\n";
        for (int i = 0; i < 10; ++i) {
            out << i << "," << i * i << "," << 0.5 * i << "\n";
        }
        fs::create_directories(fs::path(m_data.toStdString()) / "folder");
    }

    void validRunPrepares() {
        const auto prepared =
            bt::run::prepareRun(bt::config::parseRunConfig(config(json::object()), "t"));
        QCOMPARE(prepared.lower.size(), std::size_t{1});
    }

    // Each row: a merge patch over config() and the InputError's whole message; $DATA stands
    // for the data folder.
    void namesKeyAndFile_data() {
        QTest::addColumn<QString>("patch");
        QTest::addColumn<QString>("error");
        const QString relative = " (a relative path is taken relative to the data folder $DATA)";
        QTest::newRow("missing file")
            << R"({"dataset": {"path": "ridge/missing.csv"}})"
            << "run configuration: dataset.path: no such file: $DATA/ridge/missing.csv" + relative;
        QTest::newRow("a folder")
            << R"({"dataset": {"path": "folder"}})"
            << "run configuration: dataset.path: $DATA/folder is a folder; expected a CSV file" +
                   relative;
        QTest::newRow("every missing file at once")
            << R"({"dataset": {"path": null, "train_path": "data.csv",
                               "validation_path": "v.csv", "test_path": "/nowhere/t.csv"}})"
            << "run configuration: 2 problems in the run configuration:\n"
               "  - dataset.validation_path: no such file: $DATA/v.csv" +
                   relative +
                   "\n"
                   "  - dataset.test_path: no such file: /nowhere/t.csv";
        QTest::newRow("image folder missing")
            << R"({"dataset": {"kind": "mnist", "path": "mnist-elsewhere", "target": null,
                               "task": null}, "model": {"kind": "mlp"}})"
            << "run configuration: dataset.path: no such folder: $DATA/mnist-elsewhere; expected "
               "the folder of the mnist dataset" +
                   relative;
        QTest::newRow("train larger than the dataset")
            << R"({"dataset": {"train": 20}})"
            << "dataset.train: asks for 20 samples, but only 10 are available in "
               "$DATA/data.csv";
        QTest::newRow("validation larger than what train leaves")
            << R"({"dataset": {"train": 8, "validation": 3}})"
            << "dataset.validation: asks for 3 samples, but only 2 are available in "
               "$DATA/data.csv (of 10: 8 taken by train)";
        QTest::newRow("range beyond the dataset")
            << R"({"dataset": {"train": [4, 12]}})"
            << "dataset.train: the range [4, 12) goes beyond the 10 samples of $DATA/data.csv";
    }

    void namesKeyAndFile() {
        QFETCH(QString, patch);
        QFETCH(QString, error);
        error.replace("$DATA", m_data);
        const auto run = bt::config::parseRunConfig(config(json::parse(patch.toStdString())), "t");
        try {
            bt::run::prepareRun(run);
            QFAIL("expected an InputError");
        } catch (const bt::core::InputError& e) {
            QCOMPARE(QString::fromUtf8(e.what()), error);
        }
    }
};

QTEST_GUILESS_MAIN(TestBadInput)
#include "test_bad_input.moc"
