#include <QtTest>

#include <QTemporaryDir>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

#include <nlohmann/json.hpp>

#include "engine/core/error.h"
#include "engine/report/result_json.h"
#include "tests/support/text_files.h"

namespace fs = std::filesystem;
using bt::testing::readText;
using nlohmann::json;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

bt::events::Metrics metrics(double valLoss, double testLoss) {
    bt::events::Metrics m;
    m.trainLoss = 0.5;
    m.objective = 0.625;
    m.valLoss = valLoss;
    m.testLoss = testLoss;
    return m;
}

bt::events::SampleEvent sample(int index, double lambda, double valLoss) {
    bt::events::SampleEvent s;
    s.method = "random";
    s.phase = "trial";
    s.index = index;
    s.total = 2;
    s.lambda = {lambda};
    s.epochsTrained = 3.0;
    s.status = "ok";
    s.metrics = metrics(valLoss, valLoss + 1.0);
    s.cost.lowerLevelTrainings = index + 1;
    s.cost.epochs = 3.0 * (index + 1);
    return s;
}

bt::report::MethodResult randomResult() {
    bt::report::MethodResult r;
    r.method = "random";
    r.lambda = {-2.5};
    r.metrics = metrics(0.25, 1.25);
    r.metrics.valAccuracy = 0.875;
    r.refitMetrics = metrics(0.125, 1.125);
    r.cost = {2, 6.0, 1.5, 0.0};
    r.samples = {sample(0, -7.0, 0.5), sample(1, -2.5, 0.25)};
    r.anytime = {{3.0, 0.75, 0.5, std::nullopt, 1.5}, {6.0, 1.5, 0.25, 0.875, 1.25}};
    return r;
}

bt::report::RunResult runResult() {
    bt::report::RunResult run;
    run.runId = "20260101-120000-abcd";
    run.status = bt::events::RunStatus::Completed;
    run.config = {{"methods", {"random", "bilevel"}}, {"training", {{"epochs", 3}}}};
    run.environment = {{"app_version", "test"}, {"threads", 1}};
    run.methods.push_back(randomResult());
    bt::report::MethodResult bilevel;
    bilevel.method = "bilevel";
    bilevel.status = bt::events::RunStatus::Cancelled;
    bilevel.message = "stopped by the user";
    bilevel.lambda = {-1.0, -3.0};
    bilevel.retrainedMetrics = metrics(0.375, 1.375);
    bilevel.samples = {sample(0, -1.0, 0.75)};
    bt::events::OuterIterationEvent it;
    it.iteration = 1;
    it.lambda = {-1.0, -3.0};
    it.violationSampled = 0.015625;
    it.mu = 2.0;
    it.r = 4.0;
    it.upperLoss = 0.375;
    it.lowerObjective = kNaN; // not representable in JSON
    bilevel.iterations = {it};
    run.methods.push_back(bilevel);
    return run;
}

} // namespace

/// result.json (engine/report): the run's result as ARCHITECTURE.md describes it, written
/// atomically.
class TestResultJson : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // JSON has no NaN or infinity: such values, and absent accuracies, are null.
    void nonFiniteNumbersAndAbsentValuesAreNull() {
        auto m = metrics(kNaN, kInf);
        m.testAccuracy = 0.5;
        const auto j = bt::report::toJson(m);
        QVERIFY(j.at("val_loss").is_null());
        QVERIFY(j.at("test_loss").is_null());
        QVERIFY(j.at("val_accuracy").is_null());
        QCOMPARE(j.at("test_accuracy").get<double>(), 0.5);
        QCOMPARE(j.at("train_loss").get<double>(), 0.5);
        QCOMPARE(j.at("objective").get<double>(), 0.625);
        QCOMPARE(j.size(), std::size_t{6});

        bt::events::Cost cost{4, 12.0, -kInf, 0.25};
        const auto c = bt::report::toJson(cost);
        QCOMPARE(c.at("lower_level_trainings").get<int64_t>(), int64_t{4});
        QCOMPARE(c.at("epochs").get<double>(), 12.0);
        QVERIFY(c.at("wall_seconds").is_null());
        QCOMPARE(c.at("gp_seconds").get<double>(), 0.25);

        auto s = sample(0, kNaN, 1.0);
        s.lambda.push_back(-3.0);
        const auto sj = bt::report::toJson(s);
        QVERIFY(sj.at("lambda").at(0).is_null());
        QCOMPARE(sj.at("lambda").at(1).get<double>(), -3.0);
    }

    // A baseline's trace is its samples; the bilevel method's its outer iterations.
    void methodTraceIsTheIterationsOrTheSamples() {
        const auto run = runResult();
        const auto random = bt::report::toJson(run.methods[0]);
        QCOMPARE(random.at("status").get<std::string>(), std::string("completed"));
        QVERIFY(!random.contains("message"));
        QCOMPARE(random.at("lambda"), json::array({-2.5}));
        QCOMPARE(random.at("trace").size(), std::size_t{2});
        QCOMPARE(random.at("trace"), random.at("samples"));
        QCOMPARE(random.at("trace").at(1).at("lambda"), json::array({-2.5}));
        QCOMPARE(random.at("trace").at(1).at("metrics").at("val_loss").get<double>(), 0.25);
        QVERIFY(random.at("retrained_metrics").is_null());
        QCOMPARE(random.at("refit_metrics").at("val_loss").get<double>(), 0.125);
        QCOMPARE(random.at("metrics").at("val_accuracy").get<double>(), 0.875);
        QCOMPARE(random.at("anytime").size(), std::size_t{2});
        QVERIFY(random.at("anytime").at(0).at("test_accuracy_of_best").is_null());
        QCOMPARE(random.at("anytime").at(1).at("best_val_loss").get<double>(), 0.25);
        QCOMPARE(random.at("anytime").at(1).at("test_loss_of_best").get<double>(), 1.25);

        const auto bilevel = bt::report::toJson(run.methods[1]);
        QCOMPARE(bilevel.at("message").get<std::string>(), std::string("stopped by the user"));
        QCOMPARE(bilevel.at("trace").size(), std::size_t{1});
        QCOMPARE(bilevel.at("samples").size(), std::size_t{1});
        const auto& it = bilevel.at("trace").at(0);
        QCOMPARE(it.at("iteration").get<int>(), 1);
        QCOMPARE(it.at("h_sampled").get<double>(), 0.015625);
        QCOMPARE(it.at("F").get<double>(), 0.375);
        QVERIFY(it.at("f").is_null());
        QCOMPARE(bilevel.at("retrained_metrics").at("val_loss").get<double>(), 0.375);
        QVERIFY(bilevel.at("refit_metrics").is_null());
    }

    void runIsKeyedByMethod() {
        auto run = runResult();
        auto j = bt::report::toJson(run);
        QCOMPARE(j.at("run_id").get<std::string>(), run.runId);
        QCOMPARE(j.at("status").get<std::string>(), std::string("completed"));
        QCOMPARE(j.at("config"), run.config);
        QCOMPARE(j.at("environment"), run.environment);
        QVERIFY(!j.contains("message"));
        QCOMPARE(j.at("methods").size(), std::size_t{2});
        QCOMPARE(j.at("methods").at("random"), bt::report::toJson(run.methods[0]));
        QCOMPARE(j.at("methods").at("bilevel"), bt::report::toJson(run.methods[1]));
        run.message = "one method was cancelled";
        j = bt::report::toJson(run);
        QCOMPARE(j.at("message").get<std::string>(), run.message);
    }

    // Written, the file parses back to the same JSON (doubles exactly), in a folder made on the
    // way, with no temporary file left; written again, it is replaced.
    void writtenFileReadsBack() {
        const fs::path file = fs::path(m_dir.path().toStdString()) / "out" / "run" / "result.json";
        auto run = runResult();
        run.methods[0].lambda = {0.1 + 0.2}; // not a short decimal: must round-trip exactly
        bt::report::writeResultJson(run, file);
        QVERIFY(fs::is_regular_file(file));
        QVERIFY(!fs::exists(file.string() + ".partial"));
        const auto back = json::parse(readText(file));
        QCOMPARE(back, bt::report::toJson(run));
        QCOMPARE(back.at("methods").at("random").at("lambda").at(0).get<double>(), 0.1 + 0.2);

        run.status = bt::events::RunStatus::Failed;
        bt::report::writeResultJson(run, file);
        QCOMPARE(json::parse(readText(file)).at("status").get<std::string>(),
                 std::string("failed"));
        QVERIFY(!fs::exists(file.string() + ".partial"));
    }

    // A folder that cannot be made (below a regular file, which stops root too) is an input
    // error naming it; nothing is written.
    void unwritableFolderIsNamed() {
        const fs::path plain = fs::path(m_dir.path().toStdString()) / "plain-file";
        std::ofstream(plain) << "x";
        const fs::path file = plain / "sub" / "result.json";
        try {
            bt::report::writeResultJson(runResult(), file);
            QFAIL("expected an InputError");
        } catch (const bt::core::InputError& e) {
            QCOMPARE(QString::fromStdString(e.where()),
                     QString::fromStdString((plain / "sub").string()));
            QVERIFY2(std::string(e.what()).find("cannot create the output folder") !=
                         std::string::npos,
                     e.what());
        }
        QCOMPARE(readText(plain), std::string("x"));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestResultJson)
#include "test_result_json.moc"
