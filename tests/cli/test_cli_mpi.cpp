#include <QtTest>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <random>

#include <nlohmann/json.hpp>

#include "classes_fixture.h"
#include "engine/models/network.h"
#include "engine/models/script_module.h"
#include "engine/store/run_store.h"

// The MPI executor through the command line (issue 10): `mpirun -np 3 --oversubscribe
// bilevel-tuner-cli run --executor mpi` gives the serial run's figures; a worker rank killed
// with SIGKILL ends the job, and `resume` continues it from the store to the same figures with
// no completed training lost or repeated; bad input ends every rank with a message, not a hang.
namespace {

using json = nlohmann::json;
using bt::testing::writeClassSplits;

// What must match between runs, per method: λ*, the metrics, the cost in epochs and
// trainings, the refit, and bilevel's trace of violations and multipliers.
json essentials(const json& result) {
    json out = json::object();
    for (const auto& [name, m] : result.at("methods").items()) {
        json trace = json::array();
        for (const auto& it : m.value("trace", json::array())) {
            trace.push_back({it.value("h_sampled", json()), it.value("mu", json()),
                             it.value("lambda", json())});
        }
        out[name] = {m.at("lambda"),
                     m.at("metrics"),
                     m.at("cost").at("epochs"),
                     m.at("cost").at("lower_level_trainings"),
                     m.value("refit_metrics", json()),
                     trace};
    }
    return out;
}

// The pids of this test's processes that are MPI rank `rank` (OpenMPI puts the rank in each
// process's environment; the marker tells this test's processes from any others).
std::vector<pid_t> ranksWithMarker(int rank, const std::string& marker) {
    std::vector<pid_t> pids;
    const std::string wantRank = "OMPI_COMM_WORLD_RANK=" + std::to_string(rank);
    const std::string wantMarker = "BT_TEST_MPI_MARKER=" + marker;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const auto name = entry.path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) {
            continue;
        }
        std::ifstream environ(entry.path() / "environ", std::ios::binary);
        bool rankFound = false;
        bool markerFound = false;
        for (std::string variable; std::getline(environ, variable, '\0');) {
            rankFound = rankFound || variable == wantRank;
            markerFound = markerFound || variable == wantMarker;
        }
        if (rankFound && markerFound) {
            pids.push_back(static_cast<pid_t>(std::stol(name)));
        }
    }
    return pids;
}

// A process's /proc/PID/stat line, or "" when there is none (for failure messages).
std::string procStat(std::int64_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(stat, line);
    return line;
}

} // namespace

class TestCliMpi : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::filesystem::path m_root;
    std::filesystem::path m_config;
    json m_reference;
    std::size_t m_records{0};

    static QString path(const std::filesystem::path& p) {
        return QString::fromStdString(p.string());
    }

    QProcessEnvironment environment() const {
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("BILEVEL_TUNER_DATA_DIR", path(m_root / "data"));
        env.insert("XDG_STATE_HOME", path(m_root / "state"));
        env.insert("BT_TEST_MPI_MARKER", path(m_root));
        // CI runs as root, which OpenMPI refuses unless told; and containers may forbid the
        // cross-memory attach its shared-memory transport would use.
        env.insert("OMPI_ALLOW_RUN_AS_ROOT", "1");
        env.insert("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1");
        env.insert("OMPI_MCA_btl_vader_single_copy_mechanism", "none");
        return env;
    }

    static QStringList mpirun(int ranks, const QStringList& arguments) {
        QStringList all{"-np", QString::number(ranks), "--oversubscribe", BT_CLI_PATH};
        all += arguments;
        return all;
    }

    struct Outcome {
        int code = -1;
        QByteArray errors;
    };

    Outcome start(const QString& program, const QStringList& arguments) const {
        QProcess process;
        process.setProcessEnvironment(environment());
        process.start(program, arguments);
        Outcome outcome;
        if (!process.waitForFinished(180000)) {
            process.kill();
            process.waitForFinished();
            outcome.errors = "timed out: " + arguments.join(' ').toUtf8();
            return outcome;
        }
        outcome.errors = process.readAllStandardError();
        outcome.code = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        return outcome;
    }

    Outcome cli(const QStringList& arguments) const { return start(BT_CLI_PATH, arguments); }

    Outcome mpi(int ranks, const QStringList& arguments) const {
        return start(BT_MPIEXEC_PATH, mpirun(ranks, arguments));
    }

    json resultOf(const std::filesystem::path& out) const {
        return json::parse(std::ifstream(out / "result.json"));
    }

    static std::size_t recordsOf(const std::filesystem::path& store) {
        bt::store::RunStore reader(store);
        return reader.records(reader.listRuns().front().id).size();
    }

    void compareWithReference(const std::filesystem::path& out) const {
        const auto result = resultOf(out);
        QCOMPARE(QString::fromStdString(result.at("status").get<std::string>()),
                 QStringLiteral("completed"));
        QCOMPARE(QString::fromStdString(essentials(result).dump()),
                 QString::fromStdString(essentials(m_reference).dump()));
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_root = m_dir.path().toStdString();
        writeClassSplits(m_root);
        // Every method, each with batches for the ranks to share: bilevel's initial design
        // (2 per-layer λ: 4 samples) and its warm-started samples, the grid, random draws,
        // Bayesian optimisation's initial design and Hyperband's rungs with promotions.
        json config = bt::testing::classSplitsConfig(m_root, 30);
        config["methods"] = {"bilevel", "grid", "random", "bayesian", "hyperband"};
        config["grid"] = {{"points_per_dim", 3}};
        config["random"] = {{"trials", 4}};
        config["bayesian"] = {{"trials", 5}, {"initial", 3}};
        m_config = m_root / "run.json";
        std::ofstream(m_config) << config.dump(2);

        const auto store = m_root / "serial.db";
        const auto serial = cli({"run", "--config", path(m_config), "--store", path(store), "--out",
                                 path(m_root / "serial"), "--quiet"});
        QVERIFY2(serial.code == 0, serial.errors.constData());
        m_reference = resultOf(m_root / "serial");
        m_records = recordsOf(store);
        QVERIFY(m_records > 20);
    }

    void threeRanksGiveTheSerialResult() {
        const auto store = m_root / "three.db";
        const auto run = mpi(3, {"run", "--config", path(m_config), "--store", path(store), "--out",
                                 path(m_root / "three"), "--quiet", "--executor", "mpi"});
        QVERIFY2(run.code == 0, run.errors.constData());
        compareWithReference(m_root / "three");
        // The same units of work, each committed once by rank 0.
        QCOMPARE(recordsOf(store), m_records);
        // The store and the output are rank 0's alone: no worker wrote a second run.
        QCOMPARE(bt::store::RunStore(store).listRuns().size(), std::size_t{1});
    }

    void oneProcessTrainsItself() {
        // Started without mpirun (a singleton job) or with -np 1: no worker, the same run.
        const auto run =
            cli({"run", "--config", path(m_config), "--store", path(m_root / "single.db"), "--out",
                 path(m_root / "single"), "--quiet", "--executor", "mpi"});
        QVERIFY2(run.code == 0, run.errors.constData());
        compareWithReference(m_root / "single");
    }

    void killedWorkerRankIsResumed() {
        const auto store = m_root / "killed.db";
        const auto out = m_root / "killed";
        QProcess job;
        job.setProcessEnvironment(environment());
        job.start(BT_MPIEXEC_PATH,
                  mpirun(3, {"run", "--config", path(m_config), "--store", path(store), "--out",
                             path(out), "--json-events", "--executor", "mpi"}));
        QVERIFY(job.waitForStarted());
        // Kill rank 1 once bilevel's initial design has reported a sample: some trainings are
        // committed, most of the run is still to do.
        bool killed = false;
        while (!killed && job.state() == QProcess::Running) {
            if (!job.canReadLine() && !job.waitForReadyRead(60000)) {
                break;
            }
            while (!killed && job.canReadLine()) {
                const auto event = json::parse(job.readLine().constData(), nullptr, false);
                if (!event.is_discarded() && event.value("phase", "") == "initial-design" &&
                    event.value("index", -1) == 2) {
                    const auto victims = ranksWithMarker(1, path(m_root).toStdString());
                    QCOMPARE(victims.size(), std::size_t{1});
                    QCOMPARE(::kill(victims.front(), SIGKILL), 0);
                    killed = true;
                }
            }
        }
        QVERIFY2(killed, "the run ended before rank 1 could be killed");
        QVERIFY(job.waitForFinished(60000));
        QVERIFY2(job.exitStatus() != QProcess::NormalExit || job.exitCode() != 0,
                 "mpirun reported success after a rank died");
        QVERIFY(!std::filesystem::exists(out / "result.json"));
        // mpirun may return while the ranks it ended are still exiting (a process whose memory
        // is being torn down still counts as alive): the store marks the run interrupted once
        // rank 0 is gone, so wait for that, up to 30 s.
        for (int i = 0; i < 300; ++i) {
            bt::store::RunStore reader(store);
            const auto runs = reader.listRuns();
            if (runs.size() == 1 && runs.front().status != bt::events::RunStatus::Running) {
                break;
            }
            QTest::qWait(100);
        }
        std::string runId;
        {
            bt::store::RunStore reader(store); // a dead rank 0's run is marked interrupted
            const auto runs = reader.listRuns();
            QCOMPARE(runs.size(), std::size_t{1});
            // Killed (interrupted), or ended by rank 0 on mpirun's SIGTERM (cancelled); all
            // three ends are resumable.
            const auto status = runs.front().status;
            QVERIFY2(status == bt::events::RunStatus::Interrupted ||
                         status == bt::events::RunStatus::Cancelled ||
                         status == bt::events::RunStatus::Failed,
                     qPrintable(QString("status %1 (%2), pid %3 on %4: /proc stat '%5'")
                                    .arg(static_cast<int>(status))
                                    .arg(QString::fromStdString(runs.front().message))
                                    .arg(runs.front().pid)
                                    .arg(QString::fromStdString(runs.front().host))
                                    .arg(QString::fromStdString(procStat(runs.front().pid)))));
            runId = runs.front().id;
            const auto committed = reader.records(runId).size();
            QVERIFY2(committed >= 2 && committed < m_records,
                     qPrintable(QString::number(committed)));
        }
        const auto resumed = mpi(3, {"resume", QString::fromStdString(runId), "--store",
                                     path(store), "--quiet", "--executor", "mpi"});
        QVERIFY2(resumed.code == 0, resumed.errors.constData());
        compareWithReference(out);
        // Nothing completed was lost (the count would be short) or repeated (a duplicate key
        // is refused).
        QCOMPARE(recordsOf(store), m_records);
    }

    // The user's own network (model.kind torchscript, issue 20): every rank loads the module
    // and three ranks give the serial run's result.
    void aTorchScriptNetworkGivesTheSerialResultOnThreeRanks() {
        const bt::models::Network network(
            bt::models::ModelSpec{bt::models::ModelKind::Mlp, {6}, 3, {12}}, 7);
        const auto module = m_root / "net.pt";
        bt::models::saveScript(bt::models::toScriptModule(*network), module);
        auto config = json::parse(std::ifstream(m_config));
        config["model"] = {{"kind", "torchscript"}, {"path", module.string()}};
        config["methods"] = {"bilevel", "random"};
        const auto file = m_root / "torchscript.json";
        std::ofstream(file) << config.dump(2);
        const auto serial =
            cli({"run", "--config", path(file), "--store", path(m_root / "ts-serial.db"), "--out",
                 path(m_root / "ts-serial"), "--quiet"});
        QVERIFY2(serial.code == 0, serial.errors.constData());
        const auto three =
            mpi(3, {"run", "--config", path(file), "--store", path(m_root / "ts-three.db"), "--out",
                    path(m_root / "ts-three"), "--quiet", "--executor", "mpi"});
        QVERIFY2(three.code == 0, three.errors.constData());
        const auto reference = resultOf(m_root / "ts-serial");
        QCOMPARE(QString::fromStdString(essentials(resultOf(m_root / "ts-three")).dump()),
                 QString::fromStdString(essentials(reference).dump()));
        QCOMPARE(reference.at("methods").at("bilevel").at("lambda").size(), std::size_t{2});
    }

    // Every rank reads the data itself: ranks whose files differ from rank 0's (here another
    // test file in the workers' data folder, the configuration naming the files relative to it)
    // fail the run, naming the split, instead of mixing other rows' trainings into it.
    void ranksOnOtherDataFailTheRun() {
        const auto ownData = m_root / "rank0-data";
        const auto otherData = m_root / "worker-data";
        for (const auto& folder : {ownData, otherData}) {
            std::filesystem::create_directories(folder);
            writeClassSplits(folder);
        }
        bt::testing::writeClasses(otherData / "test.csv", 240, 4);
        auto config = bt::testing::classSplitsConfig(m_root, 5);
        config["dataset"]["train_path"] = "train.csv";
        config["dataset"]["validation_path"] = "validation.csv";
        config["dataset"]["test_path"] = "test.csv";
        config["methods"] = {"random"};
        config["random"] = {{"trials", 4}};
        const auto file = m_root / "relative.json";
        std::ofstream(file) << config.dump();
        const QStringList run{BT_CLI_PATH,  "run",     "--config",
                              path(file),   "--store", path(m_root / "other-data.db"),
                              "--executor", "mpi"};
        QStringList arguments{"--oversubscribe", "-np", "1", "-x",
                              "BILEVEL_TUNER_DATA_DIR=" + path(ownData)};
        arguments += run;
        arguments += {":", "-np", "2", "-x", "BILEVEL_TUNER_DATA_DIR=" + path(otherData)};
        arguments += run;
        const auto mixed = start(BT_MPIEXEC_PATH, arguments);
        QVERIFY2(mixed.code != 0, mixed.errors.constData());
        QVERIFY2(mixed.errors.contains("data differ from rank 0's") &&
                     mixed.errors.contains("test 240 rows"),
                 mixed.errors.constData());
    }

    void badInputEndsEveryRank() {
        // A configuration that does not exist: rank 0 says so, the workers are released.
        const auto missing = mpi(3, {"run", "--config", path(m_root / "nope.json"), "--store",
                                     path(m_root / "bad.db"), "--executor", "mpi"});
        QCOMPARE(missing.code, 2);
        QVERIFY2(missing.errors.contains("nope.json"), missing.errors.constData());

        // Data that every rank fails to load: found by rank 0 before the run starts.
        auto config = json::parse(std::ifstream(m_config));
        config["dataset"]["train_path"] = (m_root / "absent.csv").string();
        const auto badData = m_root / "bad-data.json";
        std::ofstream(badData) << config.dump();
        const auto noData = mpi(3, {"run", "--config", path(badData), "--store",
                                    path(m_root / "bad.db"), "--executor", "mpi"});
        QCOMPARE(noData.code, 2);
        QVERIFY2(noData.errors.contains("absent.csv"), noData.errors.constData());

        // An executor that does not exist.
        const auto unknown = cli({"run", "--config", path(m_config), "--executor", "slurm"});
        QCOMPARE(unknown.code, 2);
        QVERIFY2(unknown.errors.contains("--executor"), unknown.errors.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliMpi)
#include "test_cli_mpi.moc"
