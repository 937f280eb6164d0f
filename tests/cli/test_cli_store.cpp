#include <QtTest>

#include <algorithm>
#include <filesystem>

#include <QTemporaryDir>

#include <nlohmann/json.hpp>

#include "cli_process.h"
#include "engine/config/run_config_json.h"
#include "engine/report/result_json.h"
#include "engine/store/run_store.h"
#include "tests/support/text_files.h"

using bt::testing::readText;
using bt::testing::writeText;

// The CLI's commands that need no run of their own: rename, delete and aggregate on stores made
// by hand, and every command documented. (test_cli.cpp runs.)
class TestCliStore : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::filesystem::path m_root;

    bt::testing::CliOutcome cli(const QStringList& arguments) const {
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("BILEVEL_TUNER_DATA_DIR", QString::fromStdString((m_root / "data").string()));
        env.insert("XDG_STATE_HOME", QString::fromStdString((m_root / "state").string()));
        return bt::testing::runCli(arguments, env);
    }

    static QString path(const std::filesystem::path& p) {
        return QString::fromStdString(p.string());
    }

    static std::size_t runCount(const std::filesystem::path& store) {
        return bt::store::RunStore(store).listRuns().size();
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_root = m_dir.path().toStdString();
    }

    // Every command that --help lists has its entry in the man page and a line in README's
    // command block, so that a new command is not left out of either (export-model was).
    void everyCommandIsDocumented() {
        const auto help = cli({"--help"});
        QCOMPARE(help.code, 0);
        QStringList names;
        bool commands = false;
        for (const auto& line : help.out.split('\n')) {
            if (line.startsWith("Subcommands:")) {
                commands = true;
            } else if (commands && line.startsWith("  ")) {
                names << line.trimmed().section(' ', 0, 0);
            }
        }
        QVERIFY2(names.contains("compare") && names.contains("export-model") && names.size() >= 9,
                 qPrintable(names.join(", ")));
        const std::filesystem::path root = std::filesystem::path(BT_TEST_SOURCE_DIR) / "..";
        const auto man =
            QString::fromStdString(readText(root / "packaging" / "man" / "bilevel-tuner-cli.1"));
        const auto readme = QString::fromStdString(readText(root / "README.md"));
        for (const auto& name : names) {
            // In the man page's COMMANDS: a line `.B name`, `.BI "name ...`, hyphens escaped.
            const QString escaped = QString(name).replace("-", "\\-");
            const QRegularExpression entry("^\\.B[IR]? \"?" + QRegularExpression::escape(escaped) +
                                               "(?:[ \"]|$)",
                                           QRegularExpression::MultilineOption);
            QVERIFY2(man.contains(entry), qPrintable("man page: " + name));
            QVERIFY2(readme.contains("bilevel-tuner-cli " + name + " "),
                     qPrintable("README: " + name));
        }
    }

    // data make-ridge writes the ridge preset's three files (by default where the preset reads
    // them), refuses to write over them, and replaces them with --force.
    void makeRidgeWritesTheRidgeData() {
        auto o = cli({"data", "make-ridge"});
        QVERIFY2(o.code == 0, qPrintable(o.err));
        const auto folder = m_root / "data" / "ridge";
        QVERIFY2(o.out.contains(path(folder)), qPrintable(o.out));
        const auto train = readText(folder / "train.csv");
        QVERIFY(train.starts_with("x0,x1,"));
        QCOMPARE(std::count(train.begin(), train.end(), '\n'), 121);
        o = cli({"data", "make-ridge", "--seed", "5"});
        QCOMPARE(o.code, 2);
        QVERIFY2(o.err.contains(path(folder / "train.csv")) && o.err.contains("--force"),
                 qPrintable(o.err));
        QCOMPARE(readText(folder / "train.csv"), train);
        o = cli({"data", "make-ridge", "--seed", "5", "--force", "--out", path(folder)});
        QCOMPARE(o.code, 0);
        QVERIFY(readText(folder / "train.csv") != train);
    }

    // rename gives a run another name; delete removes runs with their checkpoint folders, looks
    // every id up first (a mistyped one deletes nothing) and refuses a running run.
    void renameAndDeleteRuns() {
        const auto store = m_root / "tidy" / "runs.db";
        const auto checkpoints = store.parent_path() / "checkpoints";
        for (const char* id :
             {"20260101-000000-aaaa", "20260101-000001-bbbb", "20260101-000002-live"}) {
            bt::store::NewRun run;
            run.id = id;
            run.name = "tidy";
            run.methods = {"random"};
            bt::store::RunStore(store).createRun(run);
            if (!std::string(id).ends_with("live")) { // live: this test's process, running
                bt::store::RunStore(store).setStatus(id, bt::events::RunStatus::Completed, "");
            }
            std::filesystem::create_directories(checkpoints / id);
            writeText(checkpoints / id / "refit.pt", "weights");
        }
        auto o = cli({"rename", "20260101-000000", "ridge, first", "--store", path(store)});
        QVERIFY2(o.code == 0, qPrintable(o.err));
        QVERIFY2(o.out.contains("\"tidy\" is now \"ridge, first\""), qPrintable(o.out));
        QCOMPARE(bt::store::RunStore(store).run("20260101-000000").name,
                 std::string("ridge, first"));
        // list lines its columns up by characters, not bytes: "λ₁" is 2 wide, 5 bytes.
        o = cli({"rename", "20260101-000001", "λ₁ per layer", "--store", path(store)});
        QVERIFY2(o.code == 0, qPrintable(o.err));
        o = cli({"list", "--store", path(store)});
        const auto lines = o.out.split('\n');
        const auto row = std::find_if(lines.begin(), lines.end(),
                                      [](const QString& l) { return l.contains("λ₁ per layer"); });
        QVERIFY(row != lines.end());
        QCOMPARE(row->indexOf("completed"), lines.front().indexOf("status"));
        o = cli({"rename", "20260101-000000", "a\tb", "--store", path(store)});
        QCOMPARE(o.code, 2);
        QVERIFY2(o.err.contains("control character"), qPrintable(o.err));
        o = cli({"run", "--config", path(m_root / "any.json"), "--store", path(store), "--name",
                 "a\nb"});
        QCOMPARE(o.code, 2);
        QCOMPARE(runCount(store), std::size_t{3});

        o = cli({"delete", "20260101-000000", "20269999", "--store", path(store)});
        QCOMPARE(o.code, 2);
        QVERIFY2(o.err.contains("20269999"), qPrintable(o.err));
        QCOMPARE(runCount(store), std::size_t{3});
        o = cli({"delete", "20260101-000000", "20260101-000000-aaaa", "--store", path(store)});
        QVERIFY2(o.code == 0, qPrintable(o.err));
        QVERIFY2(o.out.contains("Deleted run 20260101-000000-aaaa (ridge, first)"),
                 qPrintable(o.out));
        QCOMPARE(runCount(store), std::size_t{2});
        QVERIFY(!std::filesystem::exists(checkpoints / "20260101-000000-aaaa"));
        QVERIFY(std::filesystem::exists(checkpoints / "20260101-000001-bbbb" / "refit.pt"));
        o = cli({"delete", "20260101-000002-live", "--store", path(store)});
        QCOMPARE(o.code, 2);
        QVERIFY2(o.err.contains("is running"), qPrintable(o.err));
        QCOMPARE(runCount(store), std::size_t{2});
        QVERIFY(std::filesystem::exists(checkpoints / "20260101-000002-live" / "refit.pt"));
    }

    // aggregate: each method over runs of the same settings but their seeds, mean ± standard
    // error and the paired difference from the best; a run of other settings is refused.
    void aggregateSummarisesSeeds() {
        const auto store = m_root / "seeds" / "runs.db";
        // Retrained test losses by seed: random 0.30, 0.35, 0.27; grid 0.31, 0.35, 0.29 (paired
        // differences 0.01, 0.00, 0.02: mean 0.01, standard error 0.0058, "behind").
        const std::vector<std::pair<double, double>> losses{
            {0.30, 0.31}, {0.35, 0.35}, {0.27, 0.29}};
        std::vector<std::string> ids;
        for (std::size_t s = 0; s <= losses.size(); ++s) {
            bt::config::RunConfig config;
            config.training.seed = s < losses.size() ? s : 0;
            config.training.epochs = s < losses.size() ? 10 : 20; // the last: other settings
            bt::store::NewRun run;
            run.id = "20260101-00000" + std::to_string(s) + "-seed";
            run.name = "seeds";
            run.methods = {"random", "grid"};
            run.config = bt::config::toJson(config);
            bt::store::RunStore(store).createRun(run);
            bt::report::RunResult result;
            result.runId = run.id;
            result.status = bt::events::RunStatus::Completed;
            const auto [random, grid] = losses[std::min(s, losses.size() - 1)];
            for (const auto& [method, loss] : {std::pair{"random", random}, {"grid", grid}}) {
                bt::report::MethodResult m;
                m.method = method;
                m.lambda = {-2.0};
                m.metrics.testLoss = loss;
                m.metrics.testAccuracy = 1.0 - loss;
                m.refitMetrics = m.metrics;
                m.cost.epochs = 100;
                result.methods.push_back(m);
            }
            bt::store::RunStore(store).finishRun(run.id, bt::events::RunStatus::Completed, "",
                                                 bt::report::toJson(result));
            ids.push_back(run.id);
        }
        // Named in any order, the runs are taken oldest first, as the app takes them.
        auto o = cli({"aggregate", QString::fromStdString(ids[2]), QString::fromStdString(ids[0]),
                      QString::fromStdString(ids[1]), "--store", path(store)});
        QVERIFY2(o.code == 0, qPrintable(o.err));
        QVERIFY2(o.out.contains("Across 3 runs (training.seed 0, 1, 2)"), qPrintable(o.out));
        const auto lines = o.out.split('\n');
        const auto line = [&lines](const char* method) {
            const auto it = std::find_if(lines.begin(), lines.end(), [&](const QString& l) {
                return l.startsWith(QString::fromLatin1(method) + " ");
            });
            return it != lines.end() ? *it : QString();
        };
        // random: mean 0.3067, s = 0.0404, SE 0.0233.
        QVERIFY2(line("random").contains("0.3067 ± 0.0233") && line("random").endsWith("best"),
                 qPrintable(line("random")));
        QVERIFY2(line("grid").contains("+0.0100 ± 0.0058 behind"), qPrintable(line("grid")));
        o = cli({"aggregate", QString::fromStdString(ids[0]), QString::fromStdString(ids[1]),
                 "--json", "--store", path(store)});
        QCOMPARE(o.code, 0);
        const auto json = nlohmann::json::parse(o.out.toStdString());
        QCOMPARE(json["seeds"]["training.seed"], nlohmann::json({"0", "1"}));
        QCOMPARE(json["methods"][0]["retrained_test_loss"]["n"].get<int>(), 2);
        QVERIFY(std::abs(json["methods"][0]["retrained_test_loss"]["mean"].get<double>() - 0.325) <
                1e-12);
        // Other settings, or one run: bad input, named.
        o = cli({"aggregate", QString::fromStdString(ids[0]), QString::fromStdString(ids[3]),
                 "--store", path(store)});
        QCOMPARE(o.code, 2);
        QVERIFY2(o.err.contains("training.epochs 20"), qPrintable(o.err));
        o = cli({"aggregate", QString::fromStdString(ids[0]), "--store", path(store)});
        QCOMPARE(o.code, 2);
        QVERIFY2(o.err.contains("two or more runs"), qPrintable(o.err));
    }
};

QTEST_GUILESS_MAIN(TestCliStore)
#include "test_cli_store.moc"
