#include <QtTest>

#include <QProcess>
#include <QTemporaryDir>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>

#include <nlohmann/json.hpp>

#include <sys/mount.h>

#include "classes_fixture.h"
#include "engine/models/network.h"
#include "engine/models/script_module.h"
#include "engine/store/run_store.h"

// Crash-safe resume through the command line (issue 6): the CLI is killed with SIGKILL during
// the initial design, inside an outer iteration and during a baseline, resumed with `resume`,
// and its result compared with an uninterrupted run's: equal, with no training done twice.
namespace {

using json = nlohmann::json;
using bt::testing::writeClassSplits;
using Predicate = std::function<bool(const json& event)>;

// What must match between the resumed and the uninterrupted run, per method.
json essentials(const json& result) {
    json out = json::object();
    for (const auto& [name, m] : result.at("methods").items()) {
        out[name] = {m.at("lambda"), m.at("metrics"), m.at("cost").at("epochs"),
                     m.at("cost").at("lower_level_trainings"), m.value("refit_metrics", json())};
    }
    return out;
}

} // namespace

class TestCliResume : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::filesystem::path m_root;
    std::filesystem::path m_config;
    json m_reference;         // result.json of the uninterrupted run
    std::size_t m_records{0}; // its committed units of work

    static QString path(const std::filesystem::path& p) {
        return QString::fromStdString(p.string());
    }

    QProcessEnvironment environment() const {
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("BILEVEL_TUNER_DATA_DIR", path(m_root / "data"));
        env.insert("XDG_STATE_HOME", path(m_root / "state"));
        return env;
    }

    int cli(const QStringList& arguments) const {
        QProcess process;
        process.setProcessEnvironment(environment());
        process.start(BT_CLI_PATH, arguments);
        if (!process.waitForFinished(120000)) {
            process.kill();
            process.waitForFinished();
            return -1;
        }
        if (process.exitCode() != 0) {
            qWarning("%s", process.readAllStandardError().constData());
        }
        return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    }

    // Starts a run with --json-events and kills it (SIGKILL) right after the first event for
    // which `when` holds. Returns whether it was killed there (not finished before).
    bool runAndKill(const std::filesystem::path& store, const std::filesystem::path& out,
                    const Predicate& when, const std::filesystem::path& config = {}) const {
        QProcess process;
        process.setProcessEnvironment(environment());
        process.start(BT_CLI_PATH, {"run", "--config", path(config.empty() ? m_config : config),
                                    "--store", path(store), "--out", path(out), "--json-events"});
        if (!process.waitForStarted()) {
            return false;
        }
        while (process.state() == QProcess::Running) {
            if (!process.canReadLine() && !process.waitForReadyRead(30000)) {
                break;
            }
            while (process.canReadLine()) {
                const auto line = process.readLine();
                const auto event = json::parse(line.constData(), nullptr, false);
                if (!event.is_discarded() && when(event)) {
                    ::kill(static_cast<pid_t>(process.processId()), SIGKILL);
                    process.waitForFinished();
                    return true;
                }
            }
        }
        process.waitForFinished();
        return false;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_root = m_dir.path().toStdString();
        writeClassSplits(m_root);
        json config = bt::testing::classSplitsConfig(m_root, 20);
        config["methods"] = {"bilevel", "grid", "random", "hyperband"};
        config["grid"] = {{"points_per_dim", 2}};
        config["random"] = {{"trials", 3}};
        m_config = m_root / "run.json";
        std::ofstream(m_config) << config.dump(2);

        const auto store = m_root / "reference.db";
        QCOMPARE(cli({"run", "--config", path(m_config), "--store", path(store), "--out",
                      path(m_root / "reference"), "--quiet"}),
                 0);
        m_reference = json::parse(std::ifstream(m_root / "reference" / "result.json"));
        bt::store::RunStore reader(store);
        m_records = reader.records(reader.listRuns().front().id).size();
        QVERIFY(m_records > 10);
    }

    void killedRunResumesToTheSameResult_data() {
        QTest::addColumn<int>("point");
        QTest::newRow("during the initial design") << 0;
        QTest::newRow("inside an outer iteration") << 1;
        QTest::newRow("during a baseline") << 2;
    }

    void killedRunResumesToTheSameResult() {
        QFETCH(int, point);
        const Predicate predicates[] = {
            [](const json& e) {
                return e.value("phase", "") == "initial-design" && e.value("index", -1) == 1;
            },
            [](const json& e) { return e.value("type", "") == "outer-iteration"; },
            [](const json& e) {
                return e.value("method", "") == "grid" && e.value("index", -1) == 1;
            },
        };
        const auto store = m_root / ("killed-" + std::to_string(point) + ".db");
        const auto out = m_root / ("killed-" + std::to_string(point));
        QVERIFY2(runAndKill(store, out, predicates[point]), "the run ended before the kill");

        std::string runId;
        {
            bt::store::RunStore reader(store); // marks the dead process's run interrupted
            const auto runs = reader.listRuns();
            QCOMPARE(runs.size(), std::size_t{1});
            QVERIFY(runs.front().status == bt::events::RunStatus::Interrupted);
            runId = runs.front().id;
            QVERIFY(reader.records(runId).size() < m_records);
        }
        QCOMPARE(cli({"resume", QString::fromStdString(runId), "--store", path(store), "--quiet"}),
                 0);

        const auto resumed = json::parse(std::ifstream(out / "result.json"));
        QCOMPARE(QString::fromStdString(resumed.at("status").get<std::string>()),
                 QStringLiteral("completed"));
        QCOMPARE(QString::fromStdString(essentials(resumed).dump()),
                 QString::fromStdString(essentials(m_reference).dump()));
        bt::store::RunStore reader(store);
        QVERIFY(reader.run(runId).status == bt::events::RunStatus::Completed);
        // Each unit of work committed once: a repeated one would have been refused as a
        // duplicate key, and a lost one would leave fewer records.
        QCOMPARE(reader.records(runId).size(), m_records);
        // The events were recorded again in order: one sample per training.
        QCOMPARE(reader.samples(runId).size(),
                 bt::store::RunStore(m_root / "reference.db")
                     .samples(bt::store::RunStore(m_root / "reference.db").listRuns().front().id)
                     .size());
    }

    // A disk that fills up during the run (each file limited to half the size of the
    // uninterrupted run's store, with SIGXFSZ ignored so that writes past it fail as on a full
    // disk): the run ends with exit code 1 and a message naming the store, nothing committed is
    // lost, and once there is room again `resume` finishes it to the uninterrupted result.
    void aFullDiskEndsTheRunClearlyAndResumeFinishesIt() {
        const auto store = m_root / "full-disk.db";
        const auto out = m_root / "full-disk";
        const auto limitKiB = std::filesystem::file_size(m_root / "reference.db") / 2048;
        QProcess process;
        process.setProcessEnvironment(environment());
        process.start(
            "bash", {"-c", QStringLiteral("trap '' XFSZ; ulimit -f %1; exec \"$@\"").arg(limitKiB),
                     "bash", BT_CLI_PATH, "run", "--config", path(m_config), "--store", path(store),
                     "--out", path(out), "--quiet"});
        QVERIFY(process.waitForFinished(120000));
        const auto error = QString::fromLocal8Bit(process.readAllStandardError());
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QVERIFY2(process.exitCode() == 1,
                 qPrintable(QStringLiteral("exit %1 under a %2 KiB limit: %3")
                                .arg(process.exitCode())
                                .arg(limitKiB)
                                .arg(error)));
        QVERIFY2(error.contains(path(store)) && error.contains(QStringLiteral("disk")),
                 qPrintable(error));

        std::string runId;
        {
            bt::store::RunStore reader(store); // the run's process is gone: interrupted
            const auto runs = reader.listRuns();
            QCOMPARE(runs.size(), std::size_t{1});
            QVERIFY(runs.front().status == bt::events::RunStatus::Interrupted);
            runId = runs.front().id;
            QVERIFY(!reader.records(runId).empty());
            QVERIFY(reader.records(runId).size() < m_records);
        }
        QCOMPARE(cli({"resume", QString::fromStdString(runId), "--store", path(store), "--quiet"}),
                 0);
        const auto resumed = json::parse(std::ifstream(out / "result.json"));
        QCOMPARE(QString::fromStdString(essentials(resumed).dump()),
                 QString::fromStdString(essentials(m_reference).dump()));
        QCOMPARE(bt::store::RunStore(store).records(runId).size(), m_records);
    }

    // The same on a real full disk: a small tmpfs, where this process may mount one (root on a
    // machine or in a container that allows it; skipped elsewhere, where the file-size limit
    // above stands in for it). The run ends with exit code 1, naming the store and how to resume;
    // `list` reads the full disk; with room again, `resume` finishes the run to the
    // uninterrupted result.
    void aFullTmpfsEndsTheRunClearlyAndResumeFinishesIt() {
        const auto disk = m_root / "small-disk";
        std::filesystem::create_directories(disk);
        // Room for the new store and its shared-memory file (32 KiB), and the size of the
        // uninterrupted run's store: its write-ahead log, which takes every page each
        // transaction changes, fills the disk during the run.
        const auto kib = std::filesystem::file_size(m_root / "reference.db") / 1024 + 48;
        const std::string size = "size=" + std::to_string(kib) + "k";
        if (::mount("tmpfs", disk.c_str(), "tmpfs", 0, size.c_str()) != 0) {
            QSKIP(qPrintable(QStringLiteral("cannot mount a tmpfs here (%1); the file-size limit "
                                            "of the test above stands in for a full disk")
                                 .arg(QString::fromLocal8Bit(std::strerror(errno)))));
        }
        const auto unmount = qScopeGuard([&] { ::umount2(disk.c_str(), MNT_DETACH); });
        const auto store = disk / "runs.db";
        const auto out = disk / "out";
        QProcess run;
        run.setProcessEnvironment(environment());
        run.start(BT_CLI_PATH, {"run", "--config", path(m_config), "--store", path(store), "--out",
                                path(out), "--quiet"});
        QVERIFY(run.waitForFinished(120000));
        const auto error = QString::fromLocal8Bit(run.readAllStandardError());
        QVERIFY2(run.exitStatus() == QProcess::NormalExit, qPrintable(error));
        QVERIFY2(run.exitCode() == 1, qPrintable(QStringLiteral("exit %1 on a %2 KiB disk: %3")
                                                     .arg(run.exitCode())
                                                     .arg(kib)
                                                     .arg(error)));
        QVERIFY2(error.contains(path(store)) &&
                     error.contains(QStringLiteral("bilevel-tuner-cli resume ")),
                 qPrintable(error));

        // `list` on the disk that is still full.
        QProcess list;
        list.setProcessEnvironment(environment());
        list.start(BT_CLI_PATH, {"list", "--store", path(store), "--json"});
        QVERIFY(list.waitForFinished(60000));
        QVERIFY2(list.exitCode() == 0, list.readAllStandardError().constData());
        const auto runs = json::parse(list.readAllStandardOutput().toStdString());
        QCOMPARE(runs.size(), std::size_t{1});
        // Failed when the store could still record the end, interrupted when it could not
        // (where the disk fills varies from run to run); either is resumed.
        const auto status = runs[0].at("status").get<std::string>();
        QVERIFY2(status == "interrupted" || status == "failed", status.c_str());
        const auto runId = QString::fromStdString(runs[0].at("run_id").get<std::string>());

        QVERIFY(::mount("tmpfs", disk.c_str(), "tmpfs", MS_REMOUNT, "size=256m") == 0);
        QCOMPARE(cli({"resume", runId, "--store", path(store), "--quiet"}), 0);
        const auto resumed = json::parse(std::ifstream(out / "result.json"));
        QCOMPARE(QString::fromStdString(essentials(resumed).dump()),
                 QString::fromStdString(essentials(m_reference).dump()));
    }

    // The user's own network (model.kind torchscript, issue 20): killed inside an outer
    // A network that does not take the data stops `run` before the store is opened, with both
    // shapes named: no store file is made for a run that cannot start.
    void aNetworkThatDoesNotTakeTheDataMakesNoStore() {
        const bt::models::Network network(
            bt::models::ModelSpec{bt::models::ModelKind::Mlp, {6}, 2, {12}}, 3);
        const auto module = m_root / "two-classes.pt";
        bt::models::saveScript(bt::models::toScriptModule(*network), module);
        auto config = json::parse(std::ifstream(m_config));
        config["model"] = {{"kind", "torchscript"}, {"path", module.string()}};
        const auto file = m_root / "two-classes.json";
        std::ofstream(file) << config.dump(2);
        const auto store = m_root / "never-made.db";
        QProcess run;
        run.setProcessEnvironment(environment());
        run.start(BT_CLI_PATH, {"run", "--config", path(file), "--store", path(store), "--out",
                                path(m_root / "two-classes"), "--quiet"});
        QVERIFY(run.waitForFinished(60000));
        const auto error = QString::fromLocal8Bit(run.readAllStandardError());
        QCOMPARE(run.exitCode(), 2);
        QVERIFY2(error.contains(QStringLiteral("model.path")) &&
                     error.contains(QStringLiteral("returns shape [2, 2]")),
                 qPrintable(error));
        QVERIFY(!std::filesystem::exists(store));
    }

    // iteration and resumed, it ends as the uninterrupted run of the same network.
    void killedTorchScriptRunResumesToTheSameResult() {
        const bt::models::Network network(
            bt::models::ModelSpec{bt::models::ModelKind::Mlp, {6}, 3, {12}}, 3);
        const auto module = m_root / "net.pt";
        bt::models::saveScript(bt::models::toScriptModule(*network), module);
        auto config = json::parse(std::ifstream(m_config));
        config["model"] = {{"kind", "torchscript"}, {"path", module.string()}};
        config["methods"] = {"bilevel"};
        const auto file = m_root / "torchscript.json";
        std::ofstream(file) << config.dump(2);
        QCOMPARE(cli({"run", "--config", path(file), "--store", path(m_root / "ts-reference.db"),
                      "--out", path(m_root / "ts-reference"), "--quiet"}),
                 0);
        const auto reference = json::parse(std::ifstream(m_root / "ts-reference" / "result.json"));

        const auto store = m_root / "ts-killed.db";
        const auto out = m_root / "ts-killed";
        QVERIFY2(runAndKill(
                     store, out,
                     [](const json& e) { return e.value("type", "") == "outer-iteration"; }, file),
                 "the run ended before the kill");
        std::string runId;
        {
            bt::store::RunStore reader(store);
            runId = reader.listRuns().front().id;
        }
        QCOMPARE(cli({"resume", QString::fromStdString(runId), "--store", path(store), "--quiet"}),
                 0);
        const auto resumed = json::parse(std::ifstream(out / "result.json"));
        QCOMPARE(QString::fromStdString(essentials(resumed).dump()),
                 QString::fromStdString(essentials(reference).dump()));
    }

    void aCompletedRunIsNotResumed() {
        const auto store = m_root / "reference.db";
        const auto id = bt::store::RunStore(store).listRuns().front().id;
        QCOMPARE(cli({"resume", QString::fromStdString(id), "--store", path(store)}), 2);
    }
};

QTEST_GUILESS_MAIN(TestCliResume)
#include "test_cli_resume.moc"
