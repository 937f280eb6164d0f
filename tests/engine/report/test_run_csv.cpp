#include <QtTest>

#include <QTemporaryDir>

#include <fstream>
#include <limits>

#include "engine/core/error.h"
#include "engine/report/run_csv.h"
#include "tests/support/text_files.h"

// The one CSV writer (report/run_csv.h) of the command line's `export --format csv` and the
// app's File ▸ Export: its files, their columns, and how values are written.

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

using bt::testing::readLines;

bt::report::RunTables tables() {
    bt::report::RunTables t;
    bt::events::SampleEvent s;
    s.method = "bilevel";
    s.phase = "initial-design";
    s.index = 0;
    s.total = 2;
    s.lambda = {-1.0, 0.1};
    s.epochsTrained = 5.0;
    s.status = "ok";
    s.metrics = {0.25, 0.5, 0.75, kNaN, 0.875, std::nullopt};
    s.cost = {1, 5.0, 0.5, 0.0};
    t.samples.push_back(s);
    s.method = "grid";
    s.phase = "trial";
    s.index = 1;
    s.lambda = {-3.0, -4.0};
    s.status = "diverged";
    s.message = "loss became inf, \"NaN\" after epoch 2";
    t.samples.push_back(s);

    bt::events::OuterIterationEvent it;
    it.iteration = 1;
    it.total = 3;
    it.lambda = {-1.5, -2.5};
    it.violationSampled = 1e-3;
    it.mu = 0.25;
    it.r = 4.0;
    it.phiHat = kNaN;
    it.innerSteps = 40;
    t.iterations.push_back(it);

    bt::report::MethodResult bilevel;
    bilevel.method = "bilevel";
    bilevel.lambda = {-1.5, -2.5};
    bilevel.refitMetrics = bt::events::Metrics{};
    bilevel.refitMetrics->testLoss = 0.625;
    bilevel.cost.epochs = 12.5;
    bilevel.anytime = {{5.0, 1.0, 0.5, 0.9, 0.25}, {10.0, 2.0, 0.45, std::nullopt, 0.2}};
    // The augmented-Lagrangian weights the paper's rule picks: outer iteration 1.
    it.metrics.testLoss = 0.375;
    bilevel.iterations = {it};
    bilevel.alWeightsIteration = 1;
    bt::report::MethodResult grid;
    grid.method = "grid";
    grid.status = bt::events::RunStatus::Cancelled;
    grid.lambda = {-3.0};
    t.methods = {bilevel, grid};
    return t;
}

} // namespace

class TestRunCsv : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    std::filesystem::path folder(const char* name) const {
        return std::filesystem::path(m_dir.path().toStdString()) / name;
    }

private Q_SLOTS:
    void writesTheFourTablesWithTheirColumns() {
        QVERIFY(m_dir.isValid());
        const auto out = folder("a") / "b";
        const auto files = bt::report::writeRunCsv(tables(), out);
        QCOMPARE(files.size(), std::size_t{4});
        const char* const names[] = {"samples.csv", "trace.csv", "anytime.csv", "methods.csv"};
        for (std::size_t i = 0; i < 4; ++i) {
            QCOMPARE(files[i], out / names[i]);
            QVERIFY(!std::filesystem::exists(files[i].string() + ".partial"));
        }

        const std::string metrics = "val_loss,val_accuracy,test_loss,test_accuracy,train_loss,"
                                    "objective";
        const std::string cost =
            "cost_lower_level_trainings,cost_epochs,cost_wall_seconds,cost_gp_seconds";
        const auto samples = readLines(out / "samples.csv");
        QCOMPARE(samples.size(), std::size_t{3});
        QCOMPARE(samples[0], "method,phase,index,total,lambda_1,lambda_2,epochs_trained,status,"
                             "message," +
                                 metrics + "," + cost);
        // Shortest round-trip numbers; NaN and an absent accuracy are empty fields.
        QCOMPARE(samples[1], std::string("bilevel,initial-design,0,2,-1,0.1,5,ok,,"
                                         "0.75,0.875,,,0.25,0.5,1,5,0.5,0"));
        QCOMPARE(samples[2], std::string("grid,trial,1,2,-3,-4,5,diverged,"
                                         "\"loss became inf, \"\"NaN\"\" after epoch 2\","
                                         "0.75,0.875,,,0.25,0.5,1,5,0.5,0"));

        const auto trace = readLines(out / "trace.csv");
        QCOMPARE(trace.size(), std::size_t{2});
        QCOMPARE(trace[0], "method,iteration,total,lambda_1,lambda_2,h_sampled,h_surrogate,mu,r,F,"
                           "f,phi_sampled,phi_hat,inner_steps," +
                               metrics + "," + cost);
        QCOMPARE(trace[1],
                 std::string("bilevel,1,3,-1.5,-2.5,0.001,0,0.25,4,0,0,0,,40,0,,0,,0,0,0,0,0,0"));

        const auto anytime = readLines(out / "anytime.csv");
        QCOMPARE(anytime.size(), std::size_t{3});
        QCOMPARE(anytime[0], std::string("method,epochs,seconds,best_val_loss,test_loss_of_best,"
                                         "test_accuracy_of_best"));
        QCOMPARE(anytime[1], std::string("bilevel,5,1,0.5,0.25,0.9"));
        QCOMPARE(anytime[2], std::string("bilevel,10,2,0.45,0.2,"));

        const auto methods = readLines(out / "methods.csv");
        QCOMPARE(methods.size(), std::size_t{3});
        QCOMPARE(methods[0],
                 "method,status,lambda_1,lambda_2," + metrics +
                     ",retrained_val_loss,"
                     "retrained_val_accuracy,retrained_test_loss,retrained_test_accuracy,"
                     "retrained_train_loss,retrained_objective,refit_val_loss,"
                     "refit_val_accuracy,refit_test_loss,refit_test_accuracy,"
                     "refit_train_loss,refit_objective," +
                     cost +
                     ",al_weights_iteration,al_weights_val_loss,al_weights_val_accuracy,"
                     "al_weights_test_loss,al_weights_test_accuracy,al_weights_train_loss,"
                     "al_weights_objective");
        // No retrained metrics: six empty fields; the refit's are there; then the
        // augmented-Lagrangian weights of outer iteration 1.
        QCOMPARE(methods[1], std::string("bilevel,completed,-1.5,-2.5,0,,0,,0,0,,,,,,,0,,0.625,,0,"
                                         "0,0,12.5,0,0,1,0,,0.375,,0,0"));
        // A shorter λ leaves its last columns empty; a method without augmented-Lagrangian
        // weights leaves theirs empty.
        QCOMPARE(methods[2],
                 std::string("grid,cancelled,-3,,0,,0,,0,0,,,,,,,,,,,,,0,0,0,0,,,,,,,"));
    }

    void lambdaColumnsAreNamedByTheEntries() {
        // Names for every entry name the columns (a group's, a weight's, "shared"); a list that
        // does not match λ's length falls back to numbers.
        auto named = tables();
        named.lambdaNames = {"backbone", "head.weight"};
        const auto out = folder("named");
        bt::report::writeRunCsv(named, out);
        for (const char* file : {"samples.csv", "trace.csv", "methods.csv"}) {
            QVERIFY2(readLines(out / file)[0].find(",lambda_backbone,lambda_head.weight,") !=
                         std::string::npos,
                     file);
        }
        named.lambdaNames = {"shared"};
        const auto numbered = folder("numbered");
        bt::report::writeRunCsv(named, numbered);
        QVERIFY(readLines(numbered / "samples.csv")[0].find(",lambda_1,lambda_2,") !=
                std::string::npos);
    }

    void emptyTablesHaveTheirHeader() {
        const auto out = folder("empty");
        const auto files = bt::report::writeRunCsv({}, out);
        QCOMPARE(files.size(), std::size_t{4});
        for (const auto& f : files) {
            QCOMPARE(readLines(f).size(), std::size_t{1});
        }
        QCOMPARE(
            readLines(out / "samples.csv")[0].rfind("method,phase,index,total,epochs_trained,", 0),
            std::size_t{0});
    }

    void unwritableFolderIsNamed() {
        const auto file = folder("a-file");
        std::ofstream(file) << "x";
        try {
            bt::report::writeRunCsv(tables(), file / "csv");
            QFAIL("no error");
        } catch (const bt::core::InputError& e) {
            QVERIFY2(QString(e.what()).contains(QString::fromStdString(file.string())), e.what());
        }
        try {
            bt::report::writeRunCsv(tables(), file);
            QFAIL("no error");
        } catch (const bt::core::InputError& e) {
            QVERIFY2(QString(e.what()).contains(QStringLiteral("cannot create the export folder")),
                     e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestRunCsv)
#include "test_run_csv.moc"
