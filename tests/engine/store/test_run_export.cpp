#include <QtTest>

#include <QTemporaryDir>

#include <fstream>
#include <sstream>

#include "engine/core/error.h"
#include "engine/store/run_export.h"
#include "engine/store/run_store.h"
#include "tests/support/text_files.h"

namespace {

using bt::testing::readLines;

std::vector<std::string> splitCsv(const std::string& line) {
    std::vector<std::string> fields;
    std::string field;
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            fields.push_back(field);
            field.clear();
        } else {
            field += c;
        }
    }
    fields.push_back(field);
    return fields;
}

std::size_t column(const std::vector<std::string>& header, const std::string& name) {
    const auto it = std::find(header.begin(), header.end(), name);
    return it == header.end() ? header.size() : static_cast<std::size_t>(it - header.begin());
}

bt::events::SampleEvent sample(const std::string& method, int index, std::vector<double> lambda,
                               double valLoss) {
    bt::events::SampleEvent s;
    s.method = method;
    s.phase = method == "bilevel" ? "initial-design" : "trial";
    s.index = index;
    s.total = 2;
    s.lambda = std::move(lambda);
    s.epochsTrained = 5;
    s.status = "ok";
    s.metrics.valLoss = valLoss;
    s.metrics.testAccuracy = 0.875;
    s.cost.lowerLevelTrainings = index + 1;
    s.cost.epochs = 5.0 * (index + 1);
    return s;
}

} // namespace

class TestRunExport : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<bt::store::RunStore> m_store;

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_store = std::make_unique<bt::store::RunStore>(m_dir.filePath("runs.db").toStdString());
        bt::store::NewRun run;
        run.id = "20260301-120000-beef";
        run.name = "export test";
        run.config = {{"dataset", {{"kind", "csv"}}}};
        run.methods = {"bilevel", "random"};
        m_store->createRun(run);
        const auto& id = run.id;
        m_store->appendEvent(id, bt::events::RunStartedEvent{{"fc1", "fc2"}, {}, "csv", "cpu"});
        m_store->appendEvent(id, sample("bilevel", 0, {-1.0, -2.0}, 0.5));
        auto failed = sample("bilevel", 1, {-3.0, -4.0}, std::numeric_limits<double>::quiet_NaN());
        failed.status = "diverged";
        failed.message = "loss became inf, \"NaN\" after epoch 2";
        m_store->appendEvent(id, failed);
        bt::events::OuterIterationEvent o;
        o.iteration = 1;
        o.total = 1;
        o.lambda = {-1.5, -2.5};
        o.mu = 0.25;
        o.r = 4.0;
        m_store->appendEvent(id, o);
        m_store->appendEvent(id, sample("random", 0, {-7.0, -8.0}, 0.75));
        m_store->appendEvent(id, bt::events::MethodFinishedEvent{"bilevel", {-1.5, -2.5}, {}, {}});
        m_store->appendRecords(id, {{"bilevel/sample/0", {{"phi", 0.4}}, "c0.pt"}});
    }

    void jsonHoldsTheWholeRun() {
        const auto j = bt::store::exportRunJson(*m_store, "20260301-120000-beef");
        QCOMPARE(j["run_id"].get<std::string>(), std::string("20260301-120000-beef"));
        QCOMPARE(j["name"].get<std::string>(), std::string("export test"));
        QCOMPARE(j["status"].get<std::string>(), std::string("running"));
        QCOMPARE(j["samples"].size(), std::size_t{3});
        QCOMPARE(j["iterations"].size(), std::size_t{1});
        QCOMPARE(j["events"].size(), std::size_t{6});
        QCOMPARE(j["events"][3]["type"].get<std::string>(), std::string("outer-iteration"));
        QCOMPARE(j["lambda_names"], nlohmann::json({"fc1", "fc2"}));
        QCOMPARE(j["records"][0]["checkpoint"].get<std::string>(), std::string("c0.pt"));
        QVERIFY(j["result"].is_null());
        // Before the run ended, the methods come from their method-finished events.
        QVERIFY(j["methods"].contains("bilevel"));
        QVERIFY(!j["methods"].contains("random"));
        QCOMPARE(j["methods"]["bilevel"]["lambda"][1].get<double>(), -2.5);
        QVERIFY(j["samples"][1]["metrics"]["val_loss"].is_null());
    }

    void csvWritesEveryTable() {
        // The run ends with a result that carries anytime curves.
        nlohmann::json result = {
            {"run_id", "20260301-120000-beef"},
            {"status", "completed"},
            {"methods",
             {{"bilevel",
               {{"status", "completed"},
                {"lambda", {-1.5, -2.5}},
                {"metrics", {{"val_loss", 0.5}, {"test_accuracy", 0.9}}},
                {"refit_metrics", {{"test_loss", 0.625}}},
                {"cost", {{"lower_level_trainings", 3}, {"epochs", 12.5}}},
                {"anytime",
                 {{{"epochs", 5.0}, {"seconds", 1.0}, {"best_val_loss", 0.5}},
                  {{"epochs", 10.0}, {"seconds", 2.0}, {"best_val_loss", 0.45}}}}}},
              {"random",
               {{"lambda", {-7.0, -8.0}},
                {"anytime", {{{"epochs", 5.0}, {"seconds", 0.5}, {"best_val_loss", 0.75}}}}}}}}};
        m_store->finishRun("20260301-120000-beef", bt::events::RunStatus::Completed, "", result);

        const auto folder = std::filesystem::path(m_dir.path().toStdString()) / "csv" / "out";
        const auto files = bt::store::exportRunCsv(*m_store, "20260301-120000-beef", folder);
        QCOMPARE(files.size(), std::size_t{4});
        for (const auto& f : files) {
            QVERIFY(std::filesystem::exists(f));
            QVERIFY(!std::filesystem::exists(f.string() + ".partial"));
        }

        const auto samples = readLines(folder / "samples.csv");
        QCOMPARE(samples.size(), std::size_t{4});
        const auto header = splitCsv(samples[0]);
        QCOMPARE(header[0], std::string("method"));
        QVERIFY(column(header, "lambda_fc2") < header.size());
        QVERIFY(column(header, "lambda_3") == header.size());
        const auto diverged = splitCsv(samples[2]);
        QCOMPARE(diverged.size(), header.size());
        QCOMPARE(diverged[column(header, "lambda_fc1")], std::string("-3"));
        QCOMPARE(diverged[column(header, "status")], std::string("diverged"));
        QCOMPARE(diverged[column(header, "message")],
                 std::string("loss became inf, \"NaN\" after epoch 2"));
        QCOMPARE(diverged[column(header, "val_loss")], std::string(""));
        QCOMPARE(diverged[column(header, "test_accuracy")], std::string("0.875"));
        QCOMPARE(diverged[column(header, "cost_epochs")], std::string("10"));
        QCOMPARE(splitCsv(samples[3])[0], std::string("random"));

        const auto trace = readLines(folder / "trace.csv");
        QCOMPARE(trace.size(), std::size_t{2});
        const auto traceHeader = splitCsv(trace[0]);
        QCOMPARE(splitCsv(trace[1])[column(traceHeader, "r")], std::string("4"));
        QCOMPARE(splitCsv(trace[1])[column(traceHeader, "mu")], std::string("0.25"));

        const auto anytime = readLines(folder / "anytime.csv");
        QCOMPARE(anytime.size(), std::size_t{4});
        const auto anytimeHeader = splitCsv(anytime[0]);
        QCOMPARE(splitCsv(anytime[2])[column(anytimeHeader, "best_val_loss")], std::string("0.45"));
        QCOMPARE(splitCsv(anytime[3])[0], std::string("random"));

        const auto methods = readLines(folder / "methods.csv");
        QCOMPARE(methods.size(), std::size_t{3});
        const auto methodsHeader = splitCsv(methods[0]);
        const auto bilevel = splitCsv(methods[1]);
        QCOMPARE(bilevel[column(methodsHeader, "refit_test_loss")], std::string("0.625"));
        QCOMPARE(bilevel[column(methodsHeader, "cost_epochs")], std::string("12.5"));
        QCOMPARE(bilevel[column(methodsHeader, "lambda_fc2")], std::string("-2.5"));
    }

    void unwritableFolderIsReported() {
        const auto file = std::filesystem::path(m_dir.path().toStdString()) / "a-file";
        std::ofstream(file) << "x";
        try {
            bt::store::exportRunCsv(*m_store, "20260301-120000-beef", file / "csv");
            QFAIL("no error");
        } catch (const bt::core::InputError& e) {
            QVERIFY2(QString(e.what()).contains(QString::fromStdString(file.string())), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestRunExport)
#include "test_run_export.moc"
