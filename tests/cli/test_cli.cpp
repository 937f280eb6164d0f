#include <QtTest>

#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <limits>
#include <thread>

#include <nlohmann/json.hpp>

#include "classes_fixture.h"
#include "cli_process.h"
#include "engine/config/run_config_json.h"
#include "engine/core/journal.h"
#include "engine/report/result_json.h"
#include "engine/store/run_store.h"
#include "tests/engine/run/ridge_fixture.h"
#include "tests/support/text_files.h"

using bt::testing::readText;
using bt::testing::writeText;

using Outcome = bt::testing::CliOutcome;

class TestCli : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::filesystem::path m_root;
    std::filesystem::path m_config;     // the tiny ridge run
    std::filesystem::path m_slowConfig; // long enough to be interrupted
    std::filesystem::path m_store;
    std::string m_runId; // of the completed run

    QProcessEnvironment environment() const {
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("BILEVEL_TUNER_DATA_DIR", QString::fromStdString((m_root / "data").string()));
        env.insert("XDG_STATE_HOME", QString::fromStdString((m_root / "state").string()));
        return env;
    }

    Outcome cli(const QStringList& arguments, int timeoutMs = 60000) const {
        return bt::testing::runCli(arguments, environment(), timeoutMs);
    }

    static QString path(const std::filesystem::path& p) {
        return QString::fromStdString(p.string());
    }

    // Runs in the store, read in this process (cheaper than starting the CLI).
    static std::size_t runCount(const std::filesystem::path& store) {
        return bt::store::RunStore(store).listRuns().size();
    }

    nlohmann::json listJson(const std::filesystem::path& store) const {
        const auto o = cli({"list", "--json", "--store", path(store)});
        if (o.code != 0) {
            qWarning("list failed: %s", qPrintable(o.err));
            return nullptr;
        }
        return nlohmann::json::parse(o.out.toStdString());
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_root = m_dir.path().toStdString();
        const auto data = bt::testing::makeRidgeData(3, 120, 80, 200, 10, 4);
        const auto csv = m_root / "ridge";
        std::filesystem::create_directories(csv);
        bt::testing::writeCsv(csv / "train.csv", data.xTrain, data.yTrain);
        bt::testing::writeCsv(csv / "validation.csv", data.xVal, data.yVal);
        bt::testing::writeCsv(csv / "test.csv", data.xTest, data.yTest);
        auto config = bt::testing::ridgeRunConfig(csv.string(), "bilevel", 0);
        config["methods"] = {"bilevel", "random"};
        config["training"]["epochs"] = 10;
        config["bilevel"] = {{"initial_samples", 3},
                             {"outer_iterations", 2},
                             {"refine_trials", 2},
                             {"inner_steps", 30}};
        config["random"] = {{"trials", 3}};
        m_config = m_root / "tiny.json";
        writeText(m_config, config.dump(2));
        config["training"]["epochs"] = 3000;
        config["bilevel"]["initial_samples"] = 30;
        m_slowConfig = m_root / "slow.json";
        writeText(m_slowConfig, config.dump(2));
        m_store = m_root / "store" / "runs.db";
    }

    void runRecordsTheRunAndWritesTheResult() {
        const auto out = m_root / "out1";
        const auto o = cli({"run", "--config", path(m_config), "--store", path(m_store), "--out",
                            path(out), "--name", "tiny ridge"});
        QVERIFY2(o.code == 0, qPrintable(o.err + o.out));
        // Not a terminal: plain lines, no progress bar.
        QVERIFY(!o.out.contains('\r'));
        QVERIFY(o.out.contains("bilevel initial design 1/3"));
        QVERIFY(o.out.contains("bilevel outer iteration 2/2"));
        // Each outer iteration's φ sample is counted within its phase, not by sample index.
        QVERIFY(o.out.contains("bilevel φ sample 2/2:"));
        QVERIFY(!o.out.contains("bilevel outer-iteration"));
        // Counted within the refinement ("2/2"; "1/1" when a confirmation took one of the two).
        QVERIFY(o.out.contains(QRegularExpression("bilevel refinement 1/[12]:")));
        QVERIFY(o.out.contains(QRegularExpression("bilevel refinement ([12])/\\1:")));
        QVERIFY(o.out.contains("random trial 3/"));
        // Over random search's 3 × 10 epochs: said at the start, the inner solves counted on
        // the training split as read (the configuration reads its CSV files whole).
        QVERIFY2(o.err.contains(QRegularExpression(
                     "The bilevel method plans about [0-9.]+ epochs, [0-9.]+× random search's 30: "
                     ".*inner solve [0-9.]+: 30 steps × 2 batches of 40 ÷ [0-9]+ training rows")),
                 qPrintable(o.err));
        const auto result = nlohmann::json::parse(readText(out / "result.json"));
        QCOMPARE(result["status"].get<std::string>(), std::string("completed"));
        m_runId = result["run_id"].get<std::string>();
        QVERIFY(o.out.contains(QString::fromStdString("Run " + m_runId)));

        const auto list = listJson(m_store);
        QCOMPARE(list.size(), std::size_t{1});
        QCOMPARE(list[0]["run_id"].get<std::string>(), m_runId);
        QCOMPARE(list[0]["status"].get<std::string>(), std::string("completed"));
        QCOMPARE(list[0]["name"].get<std::string>(), std::string("tiny ridge"));
        QCOMPARE(list[0]["methods"], nlohmann::json({"bilevel", "random"}));
        QVERIFY(list[0]["created"].get<std::string>().ends_with("Z"));

        // The store holds what result.json says, training by training.
        bt::store::RunStore store(m_store);
        const auto run = store.run(m_runId);
        QCOMPARE(run.result["methods"]["random"]["lambda"], result["methods"]["random"]["lambda"]);
        const auto samples = store.samples(m_runId);
        QCOMPARE(samples.size(), result["methods"]["bilevel"]["samples"].size() +
                                     result["methods"]["random"]["samples"].size());
        QCOMPARE(store.iterations(m_runId).size(), std::size_t{2});
        const auto events = store.events(m_runId);
        QCOMPARE(events.back().type, std::string("finished"));
        QCOMPARE(run.outDir, std::filesystem::absolute(out));
    }

    // list shows the newest run first, as the app's Runs view does.
    void listShowsTheNewestFirst() {
        const auto store = m_root / "order.db";
        for (const char* id : {"20260101-000000-aaaa", "20250101-000000-bbbb"}) {
            bt::store::NewRun run;
            run.id = id;
            run.name = "order";
            run.methods = {"random"};
            bt::store::RunStore(store).createRun(run);
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        const auto list = listJson(store);
        QCOMPARE(list.size(), std::size_t{2});
        QCOMPARE(list[0]["run_id"].get<std::string>(), std::string("20250101-000000-bbbb"));
        const auto text = cli({"list", "--store", path(store)});
        QVERIFY(text.out.indexOf("bbbb") >= 0 &&
                text.out.indexOf("bbbb") < text.out.indexOf("aaaa"));
    }

    void listAndShowPrintTheRun() {
        QVERIFY(!m_runId.empty());
        const auto list = cli({"list", "--store", path(m_store)});
        QCOMPARE(list.code, 0);
        QVERIFY(list.out.contains(QString::fromStdString(m_runId)));
        QVERIFY(list.out.contains("completed"));
        QVERIFY(list.out.contains("bilevel,random"));
        // Beside the record: the task, and the recommended model, the method whose λ* trained
        // on the training split alone (bilevel's retraining, a baseline's own model) has the
        // lowest validation loss, shown by its refit model; read here from the stored result.
        QVERIFY2(list.out.contains("linear on csv train.csv (regression)"), qPrintable(list.out));
        const auto stored = bt::store::RunStore(m_store).run(m_runId).result;
        std::string lowest;
        double low = std::numeric_limits<double>::infinity();
        double lowestVal = std::numeric_limits<double>::infinity();
        for (const auto& [name, m] : stored.at("methods").items()) {
            const auto& own = m.at(name == "bilevel" ? "retrained_metrics" : "metrics");
            const double val = own.at("val_loss").get<double>();
            if (val < lowestVal) {
                lowestVal = val;
                low = m.at("refit_metrics").at("test_loss").get<double>();
                lowest = name;
            }
        }
        QVERIFY(!lowest.empty());
        QVERIFY2(list.out.contains(QString::fromStdString(" (" + lowest + ")")) &&
                     list.out.contains("test loss "),
                 qPrintable(list.out));
        const auto listed = listJson(m_store);
        const auto entry = std::find_if(listed.begin(), listed.end(), [&](const auto& r) {
            return r.at("run_id").template get<std::string>() == m_runId;
        });
        QVERIFY(entry != listed.end());
        QCOMPARE((*entry).at("task").get<std::string>(),
                 std::string("linear on csv train.csv (regression)"));
        QCOMPARE((*entry).at("recommended").at("method").get<std::string>(), lowest);
        QCOMPARE((*entry).at("recommended").at("model").get<std::string>(), std::string("refit"));
        QCOMPARE((*entry).at("recommended").at("metrics").at("test_loss").get<double>(), low);

        // By a unique start of the id.
        const auto show =
            cli({"show", QString::fromStdString(m_runId.substr(0, 18)), "--store", path(m_store)});
        QVERIFY2(show.code == 0, qPrintable(show.err));
        QVERIFY(show.out.contains(QString::fromStdString("Run " + m_runId + " (tiny ridge)")));
        QVERIFY(show.out.contains("status    completed"));
        QVERIFY2(!show.out.contains("resume"), qPrintable(show.out)); // nothing left to run
        QVERIFY2(show.out.contains("config    linear on csv train.csv (regression); λ shared in "
                                   "[-10, 3]; 10 epochs, batch 40, lr 0.02, seed 0"),
                 qPrintable(show.out));
        QVERIFY(show.out.contains("10 epochs"));
        // The data's fingerprints: the tiny ridge's files, each split whole.
        QVERIFY2(show.out.contains(QRegularExpression(
                     "\n  data      train 120 rows \\(CRC-32 [0-9a-f]{8}\\), validation 80 "
                     "rows \\(CRC-32 [0-9a-f]{8}\\), test 200 rows \\(CRC-32 [0-9a-f]{8}\\)\n")),
                 qPrintable(show.out));
        const auto lines = show.out.split('\n');
        bool bilevel = false;
        bool random = false;
        for (const auto& line : lines) {
            bilevel = bilevel || line.startsWith("bilevel    completed");
            random = random || line.startsWith("random     completed");
        }
        QVERIFY2(bilevel && random, qPrintable(show.out));
        QVERIFY(show.out.contains("Total cost: "));
        // The held-out figures lead: λ* trained on the training split, then refit.
        QVERIFY(show.out.contains("refit: λ* trained on training ∪ validation"));
        QVERIFY(show.out.contains("refit loss"));
        // The augmented-Lagrangian weights stay visible, labelled as fitted to validation.
        QVERIFY2(show.out.contains("bilevel's augmented-Lagrangian weights (outer iteration ") &&
                     show.out.contains("fitted to the validation split, so not comparable"),
                 qPrintable(show.out));
    }

    // compare: the settings two runs differ in, A's value then B's, and both runs' methods in
    // one table with the recommended model among them; none where their data differ.
    void compareNamesTheSettingsAndRecommends() {
        QVERIFY(!m_runId.empty());
        // A copy of the store, so that the runs made below leave the others' counts alone.
        const auto storeFile = m_root / "compare" / "runs.db";
        std::filesystem::create_directories(storeFile.parent_path());
        std::filesystem::copy_file(m_store, storeFile);
        const QString id = QString::fromStdString(m_runId);
        const auto same = cli({"compare", id, id, "--store", path(storeFile)});
        QVERIFY2(same.code == 0, qPrintable(same.err));
        QVERIFY2(same.out.contains("Run A: " + id + " (tiny ridge), completed") &&
                     same.out.contains("Run B: " + id),
                 qPrintable(same.out));
        QVERIFY(same.out.contains("The same settings."));
        QVERIFY2(same.out.contains("lambda* entries: shared\n"), qPrintable(same.out));
        // The method column widens to the longest name and two spaces.
        for (const char* row : {"A: bilevel  completed", "A: random   completed",
                                "B: bilevel  completed", "B: random   completed"}) {
            QVERIFY2(same.out.contains(QString::fromUtf8(row)), qPrintable(same.out));
        }
        // The two runs tie in every figure: the first, run A's, is recommended.
        QVERIFY2(same.out.contains(QRegularExpression("Recommended model: test loss [0-9.]+ \\(A: "
                                                      "(bilevel|random)\\)")),
                 qPrintable(same.out));

        // A second run, made by hand from the first's record: random search then the bilevel
        // method, 12 epochs; then random search alone, on other data.
        const auto original = bt::store::RunStore(storeFile).run(m_runId);
        const auto addRun = [&](const std::string& runId, const nlohmann::json& config,
                                const nlohmann::json& data = nullptr) {
            bt::store::RunStore store(storeFile);
            bt::store::NewRun run;
            run.id = runId;
            run.name = "by hand";
            run.methods = config.at("methods").get<std::vector<std::string>>();
            run.config = config;
            store.createRun(run);
            auto result = original.result;
            result["run_id"] = runId;
            if (run.methods.size() == 1) {
                result["methods"].erase("bilevel");
            }
            if (!data.is_null()) {
                store.appendRecords(runId, {{bt::core::kDataRecordKey, data, ""}});
            }
            store.finishRun(runId, bt::events::RunStatus::Completed, "", result);
        };
        auto config = original.config;
        config["methods"] = {"random", "bilevel"};
        config["training"]["epochs"] = 12;
        addRun("20990101-000000-more-epochs", config);
        const auto more = cli({"compare", id, "20990101-000000-more", "--store", path(storeFile)});
        QVERIFY2(more.code == 0, qPrintable(more.err));
        QVERIFY2(more.out.contains("Settings that differ, A -> B:\n"
                                   "  methods          [\"bilevel\",\"random\"] -> "
                                   "[\"random\",\"bilevel\"]\n"
                                   "  training.epochs  10 -> 12\n"),
                 qPrintable(more.out));
        // Each run's methods in the order it ran them.
        QVERIFY(more.out.indexOf("A: bilevel") < more.out.indexOf("A: random"));
        QVERIFY(more.out.indexOf("B: random") < more.out.indexOf("B: bilevel"));
        QVERIFY(more.out.contains("Recommended model: "));
        QVERIFY(!more.out.contains("data differ"));

        config["methods"] = {"random"};
        // The seed draws nothing from files that are each one split: the same data.
        config["dataset"]["seed"] = 5;
        addRun("20990101-000000-another-seed", config);
        const auto seed =
            cli({"compare", id, "20990101-000000-another", "--store", path(storeFile)});
        QVERIFY2(seed.out.contains("  dataset.seed     0 -> 5\n"), qPrintable(seed.out));
        QVERIFY(!seed.out.contains("data differ"));
        QVERIFY(seed.out.contains("Recommended model: "));
        // 150 of the test file's 200 rows, drawn by the seed: other data.
        config["dataset"]["test"] = 150;
        addRun("20990101-000000-other-splits", config);
        const auto apart =
            cli({"compare", id, "20990101-000000-other", "--store", path(storeFile)});
        QVERIFY2(apart.code == 0, qPrintable(apart.err));
        QVERIFY2(apart.out.contains("  dataset.test     -1 -> 150\n") &&
                     apart.out.contains("Their data differ (dataset.test, dataset.seed): the "
                                        "runs may validate and test on different rows"),
                 qPrintable(apart.out));
        QVERIFY(apart.out.contains("B: random"));
        QVERIFY(!apart.out.contains("B: bilevel"));
        QVERIFY(!apart.out.contains("Recommended model"));

        // With both runs' data fingerprints they decide: the first run's configuration over a
        // test file whose contents changed since is other data, though no key differs.
        const auto fingerprints =
            bt::store::RunStore(storeFile).record(m_runId, bt::core::kDataRecordKey);
        QVERIFY(fingerprints.has_value());
        QCOMPARE(fingerprints->data["test"]["rows"].get<int>(), 200);
        auto changedFile = fingerprints->data;
        changedFile["test"]["crc32"] = "00000000";
        addRun("20990101-000000-changed-file", original.config, changedFile);
        const auto changed =
            cli({"compare", id, "20990101-000000-changed", "--store", path(storeFile)});
        QVERIFY2(changed.out.contains("The same settings.") &&
                     changed.out.contains("Their data differ (test rows): the runs validated or "
                                          "tested on different rows, so no model"),
                 qPrintable(changed.out));
        QVERIFY(!changed.out.contains("Recommended model"));
        // ... and the same fingerprints are the same data whatever the keys say: a copy of the
        // test file under another name.
        auto copied = original.config;
        copied["dataset"]["test_path"] = "copy/test.csv";
        addRun("20990101-000000-same-rows", copied, fingerprints->data);
        const auto sameRows =
            cli({"compare", id, "20990101-000000-same-rows", "--store", path(storeFile)});
        QVERIFY2(sameRows.out.contains("dataset.test_path") &&
                     !sameRows.out.contains("data differ") &&
                     sameRows.out.contains("Recommended model: "),
                 qPrintable(sameRows.out));

        // An unknown second run: exit 2, named.
        const auto unknown = cli({"compare", id, "nope", "--store", path(storeFile)});
        QCOMPARE(unknown.code, 2);
        QVERIFY2(unknown.err.contains("nope"), qPrintable(unknown.err));
    }

    // run --seeds: one run per seed (training.seed) in OUT/seed-S, named by its seed, then the
    // aggregate across them; a bad list is bad input before anything runs.
    void runOverSeedsEndsInTheAggregate() {
        const auto store = m_root / "seeds" / "runs.db";
        auto o = cli({"run", "--config", path(m_config), "--seeds", "3,5", "--quiet", "--store",
                      path(store), "--out", path(m_root / "seeds-out")});
        QVERIFY2(o.code == 0, qPrintable(o.err));
        QVERIFY2(o.out.contains("Across 2 runs (training.seed 3, 5)"), qPrintable(o.out));
        for (const auto& run : bt::store::RunStore(store).listRuns()) {
            const auto seed = std::to_string(run.config["training"]["seed"].get<int>());
            QCOMPARE(run.name, "tiny · seed " + seed);
            QVERIFY(
                std::filesystem::exists(m_root / "seeds-out" / ("seed-" + seed) / "result.json"));
        }
        QCOMPARE(runCount(store), std::size_t{2});
        o = cli({"run", "--config", path(m_config), "--seeds", "2, 2", "--store", path(store)});
        QCOMPARE(o.code, 2);
        QVERIFY2(o.err.contains("--seeds: seed 2 is named twice"), qPrintable(o.err));
        QCOMPARE(runCount(store), std::size_t{2});
    }

    void exportWritesJsonAndCsv() {
        QVERIFY(!m_runId.empty());
        const auto json = m_root / "export" / "run.json";
        auto o = cli({"export", QString::fromStdString(m_runId), "--format", "json", "--out",
                      path(json), "--store", path(m_store)});
        QVERIFY2(o.code == 0, qPrintable(o.err));
        const auto whole = nlohmann::json::parse(readText(json));
        QCOMPARE(whole["run_id"].get<std::string>(), m_runId);
        QCOMPARE(whole["status"].get<std::string>(), std::string("completed"));
        QCOMPARE(whole["iterations"].size(), std::size_t{2});
        QVERIFY(whole["events"].size() > whole["samples"].size());
        QVERIFY(whole["methods"]["bilevel"].contains("anytime"));

        const auto folder = m_root / "export" / "csv";
        o = cli({"export", QString::fromStdString(m_runId), "--format", "csv", "--out",
                 path(folder), "--store", path(m_store)});
        QVERIFY2(o.code == 0, qPrintable(o.err));
        for (const char* name : {"samples.csv", "trace.csv", "anytime.csv", "methods.csv"}) {
            QVERIFY2(std::filesystem::exists(folder / name), name);
        }
        const auto samples = QString::fromStdString(readText(folder / "samples.csv"));
        QCOMPARE(samples.count('\n'), static_cast<qsizetype>(whole["samples"].size() + 1));
        // λ's columns by its entries' names: the ridge task has one shared λ.
        QVERIFY(samples.startsWith("method,phase,index,total,lambda_shared,epochs_trained,"));
        const auto trace = QString::fromStdString(readText(folder / "trace.csv"));
        QCOMPARE(trace.count('\n'), 3);
    }

    void jsonEventsPrintOneObjectPerLine() {
        const auto o = cli({"run", "--config", path(m_config), "--store", path(m_store), "--out",
                            path(m_root / "out2"), "--json-events"});
        QVERIFY2(o.code == 0, qPrintable(o.err));
        const auto lines = o.out.trimmed().split('\n');
        QVERIFY(lines.size() > 8);
        for (const auto& line : lines) {
            const auto event = nlohmann::json::parse(line.toStdString());
            QVERIFY(event.contains("type"));
            QVERIFY(event["type"] != "inner-progress");
        }
        QCOMPARE(nlohmann::json::parse(lines.last().toStdString())["type"].get<std::string>(),
                 std::string("finished"));
        const auto quiet = cli({"run", "--config", path(m_config), "--store", path(m_store),
                                "--out", path(m_root / "out3"), "--quiet"});
        QCOMPARE(quiet.code, 0);
        QVERIFY(quiet.out.isEmpty());
        // Nothing but errors: not the warning that the bilevel method plans over the budget.
        QVERIFY2(quiet.err.isEmpty(), qPrintable(quiet.err));
        QCOMPARE(runCount(m_store), std::size_t{3});
    }

    void badInputExitsTwoAndStoresNothing() {
        const auto before = runCount(m_store);

        // A configuration with problems: every one named, and the store is not even created.
        auto bad = nlohmann::json::parse(readText(m_config));
        bad["training"]["epochz"] = 3;
        bad["hyperparameters"]["lower"] = 5.0;
        writeText(m_root / "bad.json", bad.dump());
        auto o = cli({"run", "--config", path(m_root / "bad.json"), "--store",
                      path(m_root / "never" / "runs.db")});
        QCOMPARE(o.code, 2);
        QVERIFY2(o.err.contains("training.epochz"), qPrintable(o.err));
        QVERIFY2(o.err.contains("epochs"), qPrintable(o.err)); // the nearest valid key
        QVERIFY2(o.err.contains("hyperparameters"), qPrintable(o.err));
        QVERIFY(!std::filesystem::exists(m_root / "never"));

        // Missing data: found before the store is opened (a new store is not made for it),
        // and the run is not kept.
        auto missing = nlohmann::json::parse(readText(m_config));
        missing["dataset"]["train_path"] = (m_root / "nowhere.csv").string();
        writeText(m_root / "missing.json", missing.dump());
        o = cli({"run", "--config", path(m_root / "missing.json"), "--store",
                 path(m_root / "new-store.db"), "--out", path(m_root / "out-missing")});
        QCOMPARE(o.code, 2);
        QVERIFY2(o.err.contains("nowhere.csv") && o.err.contains("dataset.train_path"),
                 qPrintable(o.err));
        QVERIFY(!std::filesystem::exists(m_root / "new-store.db"));
        o = cli({"run", "--config", path(m_root / "missing.json"), "--store", path(m_store),
                 "--out", path(m_root / "out-missing")});
        QCOMPARE(o.code, 2);

        // An output folder that cannot be made.
        writeText(m_root / "a-file", "x");
        o = cli({"run", "--config", path(m_config), "--store", path(m_store), "--out",
                 path(m_root / "a-file" / "out")});
        QCOMPARE(o.code, 2);
        QVERIFY2(o.err.contains(path(m_root / "a-file")), qPrintable(o.err));

        QCOMPARE(runCount(m_store), before);
    }

    // A classifier that learns nothing at any λ of the box (here: regularisation so strong that
    // every training collapses to a constant output) is said so on stderr, with what to change;
    // one that learns is not.
    void warnsWhenNoTrainingLearnt() {
        const auto folder = m_root / "classes";
        std::filesystem::create_directories(folder);
        bt::testing::writeClassSplits(folder);
        auto config = bt::testing::classSplitsConfig(folder, 3);
        config["methods"] = {"random"};
        config["random"] = {{"trials", 3}};
        config["hyperparameters"]["lower"] = 2.0;
        config["hyperparameters"]["upper"] = 4.0;
        writeText(m_root / "collapse.json", config.dump());
        auto o = cli({"run", "--config", path(m_root / "collapse.json"), "--store",
                      path(m_root / "classes.db"), "--out", path(m_root / "out-collapse")});
        QVERIFY2(o.code == 0, qPrintable(o.err));
        QVERIFY2(o.err.contains("random: none of its 3 trainings learnt anything") &&
                     o.err.contains("hyperparameters.upper"),
                 qPrintable(o.err));
        config["hyperparameters"]["lower"] = -8.0;
        config["hyperparameters"]["upper"] = -4.0;
        writeText(m_root / "learns.json", config.dump());
        o = cli({"run", "--config", path(m_root / "learns.json"), "--store",
                 path(m_root / "classes.db"), "--out", path(m_root / "out-learns")});
        QVERIFY2(o.code == 0, qPrintable(o.err));
        QVERIFY2(!o.err.contains("learnt anything"), qPrintable(o.err));

        // A regression (the tiny ridge) whose steps are too small to move the initial weights
        // does worse than predicting the training mean; at its own step it learns and nothing
        // is said.
        auto ridge = nlohmann::json::parse(readText(m_config));
        ridge["methods"] = {"random"};
        ridge["random"] = {{"trials", 3}};
        writeText(m_root / "ridge-learns.json", ridge.dump());
        o = cli({"run", "--config", path(m_root / "ridge-learns.json"), "--store",
                 path(m_root / "ridge.db"), "--out", path(m_root / "out-ridge-learns")});
        QVERIFY2(o.code == 0, qPrintable(o.err));
        QVERIFY2(!o.err.contains("learnt anything"), qPrintable(o.err));
        ridge["training"]["learning_rate"] = 1e-7;
        writeText(m_root / "ridge-collapse.json", ridge.dump());
        o = cli({"run", "--config", path(m_root / "ridge-collapse.json"), "--store",
                 path(m_root / "ridge.db"), "--out", path(m_root / "out-ridge-collapse")});
        QVERIFY2(o.code == 0, qPrintable(o.err));
        QVERIFY2(o.err.contains("random: none of its 3 trainings learnt anything") &&
                     o.err.contains("training split's mean"),
                 qPrintable(o.err));
    }

    void unknownRunExitsTwo() {
        auto o = cli({"export", "no-such-run", "--format", "json", "--out", path(m_root / "x.json"),
                      "--store", path(m_store)});
        QCOMPARE(o.code, 2);
        QVERIFY2(o.err.contains("no run \"no-such-run\""), qPrintable(o.err));
        QVERIFY(!std::filesystem::exists(m_root / "x.json"));
        // An empty store lists nothing, without creating the file.
        o = cli({"list", "--store", path(m_root / "absent.db")});
        QCOMPARE(o.code, 0);
        QVERIFY(o.out.contains("No runs"));
        QVERIFY(!std::filesystem::exists(m_root / "absent.db"));
    }

    void corruptAndForeignStoresAreRefusedUntouched() {
        const auto garbage = m_root / "garbage.db";
        const std::string bytes = "PK\x03\x04 a zip archive, not a store" + std::string(700, 'z');
        writeText(garbage, bytes);
        auto o = cli({"run", "--config", path(m_config), "--store", path(garbage), "--out",
                      path(m_root / "out-garbage")});
        QCOMPARE(o.code, 2);
        QVERIFY2(o.err.contains(path(garbage)) && o.err.contains("not an SQLite database"),
                 qPrintable(o.err));
        QCOMPARE(readText(garbage), bytes);

        // Another application's SQLite file (made by this test through the store's own
        // dependency would be circular; a copy of a store with its application id changed is
        // exactly "someone else's SQLite file").
        const auto foreign = m_root / "foreign.db";
        { bt::store::RunStore store(foreign); }
        auto content = readText(foreign);
        content[68] = 0x12; // application_id, big-endian at offset 68 of the header
        writeText(foreign, content);
        o = cli({"list", "--store", path(foreign)});
        QCOMPARE(o.code, 2);
        QVERIFY2(o.err.contains("another application"), qPrintable(o.err));
        QCOMPARE(readText(foreign), content);
    }

    void ctrlCCancelsAndMarksTheRunCancelled() {
        QProcess process;
        process.setProcessEnvironment(environment());
        const auto out = m_root / "out-cancel";
        process.start(BT_CLI_PATH, {"run", "--config", path(m_slowConfig), "--store", path(m_store),
                                    "--out", path(out)});
        QVERIFY(process.waitForStarted());
        // Wait for the first finished training, then interrupt as Ctrl-C does.
        QString seen;
        QElapsedTimer timer;
        timer.start();
        while (!seen.contains("initial design 1/30") && timer.elapsed() < 60000) {
            process.waitForReadyRead(200);
            seen += QString::fromUtf8(process.readAllStandardOutput());
        }
        QVERIFY2(seen.contains("initial design 1/30"), qPrintable(seen));
        ::kill(static_cast<pid_t>(process.processId()), SIGINT);
        QVERIFY(process.waitForFinished(30000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 130);
        const auto result = nlohmann::json::parse(readText(out / "result.json"));
        QCOMPARE(result["status"].get<std::string>(), std::string("cancelled"));
        bt::store::RunStore store(m_store);
        const auto run = store.run(result["run_id"].get<std::string>());
        QVERIFY(run.status == bt::events::RunStatus::Cancelled);
        QCOMPARE(store.events(run.id).back().type, std::string("finished"));
        // How to go on is said at the end and by `show`, with the store (not the default).
        const QString resume = QString::fromStdString("bilevel-tuner-cli resume " + run.id +
                                                      " --store " + m_store.string());
        const QString err = QString::fromUtf8(process.readAllStandardError());
        QVERIFY2(err.contains(resume), qPrintable(err));
        const auto show = cli({"show", QString::fromStdString(run.id), "--store", path(m_store)});
        QVERIFY2(show.out.contains("resume    " + resume), qPrintable(show.out));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
