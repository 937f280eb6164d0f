#include <QtTest>

#include <algorithm>

#include <QTemporaryDir>

#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <thread>

#include <SQLiteCpp/SQLiteCpp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/store/event_json.h"
#include "engine/store/heartbeat.h"
#include "engine/store/run_session.h"
#include "engine/store/run_store.h"
#include "engine/store/schema.h"
#include "engine/store/store_journal.h"
#include "engine/store/store_sink.h"
#include "tests/support/child_process.h"
#include "tests/support/text_files.h"
#include "tests/support/unprivileged.h"

using namespace std::chrono_literals;
using bt::events::RunStatus;
using bt::store::RunStore;
using bt::store::StoreError;

namespace {

// Runs `body` and returns the StoreError it threw (QFAIL when it threw none or another type).
template <typename Body>
std::optional<StoreError> storeErrorOf(Body&& body) {
    try {
        body();
    } catch (const StoreError& e) {
        return e;
    } catch (const std::exception& e) {
        qWarning("unexpected exception: %s", e.what());
        return std::nullopt;
    }
    qWarning("no exception");
    return std::nullopt;
}

bt::store::NewRun newRun(const std::string& id, const std::string& name = "ridge") {
    bt::store::NewRun r;
    r.id = id;
    r.name = name;
    r.config = {{"dataset", {{"kind", "csv"}}}, {"training", {{"epochs", 3}}}};
    r.methods = {"bilevel", "random"};
    r.seed = 7;
    r.environment = {{"app_version", "test"}};
    r.outDir = "/tmp/out";
    return r;
}

bt::events::SampleEvent sample(int index, double lambda, double valLoss) {
    bt::events::SampleEvent s;
    s.method = "bilevel";
    s.phase = "initial-design";
    s.index = index;
    s.total = 3;
    s.lambda = {lambda, lambda / 2};
    s.epochsTrained = 3.0;
    s.status = "ok";
    s.metrics.valLoss = valLoss;
    s.metrics.objective = 0.5 * valLoss;
    s.metrics.valAccuracy = 0.75;
    s.cost.lowerLevelTrainings = index + 1;
    s.cost.epochs = 3.0 * (index + 1);
    s.cost.wallSeconds = 0.25 * (index + 1);
    return s;
}

bt::events::OuterIterationEvent outer(int iteration) {
    bt::events::OuterIterationEvent o;
    o.iteration = iteration;
    o.total = 4;
    o.lambda = {-2.0 - iteration, -1.0};
    o.violationSampled = 1e-3 * iteration;
    o.violationSurrogate = -2e-4;
    o.mu = 0.5;
    o.r = 2.0 * iteration;
    o.upperLoss = 1.25;
    o.lowerObjective = 0.75;
    o.phiSampled = 0.7;
    o.phiHat = 0.71;
    o.innerSteps = 40;
    o.metrics.testLoss = 1.5;
    o.cost.lowerLevelTrainings = 3 + iteration;
    return o;
}

bt::events::InnerProgressEvent inner(int outerIteration, int step) {
    bt::events::InnerProgressEvent e;
    e.outerIteration = outerIteration;
    e.step = step;
    e.totalSteps = 100;
    e.lambda = {-1.0};
    e.augmentedLagrangian = 2.0;
    return e;
}

// A process id that is certainly not running: a child that has exited and been reaped.
pid_t deadPid() {
    const pid_t child = ::fork();
    if (child == 0) {
        ::_exit(0);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    return child;
}

bool sameMetrics(const bt::events::Metrics& a, const bt::events::Metrics& b) {
    const auto same = [](double x, double y) { return x == y || (std::isnan(x) && std::isnan(y)); };
    return same(a.valLoss, b.valLoss) && same(a.testLoss, b.testLoss) &&
           same(a.trainLoss, b.trainLoss) && same(a.objective, b.objective) &&
           a.valAccuracy == b.valAccuracy && a.testAccuracy == b.testAccuracy;
}

} // namespace

class TestRunStore : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_counter = 0;

    std::filesystem::path freshPath() {
        return std::filesystem::path(m_dir.path().toStdString()) /
               ("store" + std::to_string(++m_counter)) / "runs.db";
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void roundTripOfRunsEventsAndResult() {
        const auto path = freshPath();
        const auto nan = std::numeric_limits<double>::quiet_NaN();
        std::vector<bt::events::Event> sent = {
            bt::events::RunStartedEvent{{"body", "fc3"}, {{"fc1", "fc2"}, {"fc3"}}, "csv", "cpu"},
            bt::events::LogEvent{bt::events::LogLevel::Info, "initial design: 3 trainings"},
            sample(0, -3.0, 1.5),
            sample(1, -5.0, nan), // a diverged training: NaN comes back as NaN
            bt::events::GpRefitEvent{"bilevel", 2, {0.5, 2.0}, 1.0, 1e-4, -3.5, 1e-8, 0.01},
            inner(1, 10),
            outer(1),
            bt::events::MethodFinishedEvent{"bilevel", {-4.0, -2.0}, {}, {}},
            bt::events::FinishedEvent{bt::events::RunStatus::Completed, ""},
        };
        {
            RunStore store(path);
            QCOMPARE(store.schemaVersion(), bt::store::schema::currentVersion());
            QVERIFY(!store.readOnly());
            store.createRun(newRun("20260101-000000-aaaa"));
            for (std::size_t i = 0; i < sent.size(); ++i) {
                QCOMPARE(store.appendEvent("20260101-000000-aaaa", sent[i]),
                         static_cast<std::int64_t>(i + 1));
            }
            store.finishRun("20260101-000000-aaaa", RunStatus::Completed, "",
                            {{"run_id", "20260101-000000-aaaa"}, {"methods", {{"bilevel", {}}}}});
        }
        // A second process would see the same: reopen.
        RunStore store(path);
        const auto runs = store.listRuns();
        QCOMPARE(runs.size(), std::size_t{1});
        const auto& run = runs.front();
        QCOMPARE(run.id, std::string("20260101-000000-aaaa"));
        QCOMPARE(run.name, std::string("ridge"));
        QVERIFY(run.status == RunStatus::Completed);
        QCOMPARE(run.methods, (std::vector<std::string>{"bilevel", "random"}));
        QCOMPARE(run.seed.value_or(0), std::uint64_t{7});
        QCOMPARE(run.pid, static_cast<std::int64_t>(::getpid()));
        QCOMPARE(run.config["training"]["epochs"].get<int>(), 3);
        QCOMPARE(run.outDir.string(), std::string("/tmp/out"));
        QCOMPARE(run.result["run_id"].get<std::string>(), run.id);
        QVERIFY(run.createdMs > 0 && run.updatedMs >= run.createdMs);

        const auto events = store.events(run.id);
        QCOMPARE(events.size(), sent.size());
        for (std::size_t i = 0; i < sent.size(); ++i) {
            QCOMPARE(events[i].seq, static_cast<std::int64_t>(i + 1));
            QCOMPARE(events[i].type, bt::store::eventType(sent[i]));
            QCOMPARE(events[i].data.dump(), bt::store::eventToJson(sent[i]).dump());
        }
        QCOMPARE(store.events(run.id, false).size(), sent.size() - 1);
        // The start event reads back whole: λ's names and the weights of each entry.
        const auto started = std::get<bt::events::RunStartedEvent>(
            bt::store::eventFromJson(bt::store::eventToJson(sent.front())));
        QVERIFY(started.lambdaNames == (std::vector<std::string>{"body", "fc3"}));
        QVERIFY(started.lambdaMembers ==
                (std::vector<std::vector<std::string>>{{"fc1", "fc2"}, {"fc3"}}));
        QCOMPARE(started.data, std::string("csv"));
        QCOMPARE(started.device, std::string("cpu"));

        const auto samples = store.samples(run.id);
        QCOMPARE(samples.size(), std::size_t{2});
        QCOMPARE(samples[1].index, 1);
        QCOMPARE(samples[1].lambda, (std::vector<double>{-5.0, -2.5}));
        QVERIFY(std::isnan(samples[1].metrics.valLoss));
        QCOMPARE(samples[0].metrics.valLoss, 1.5);
        QCOMPARE(samples[0].cost.lowerLevelTrainings, std::int64_t{1});
        const auto iterations = store.iterations(run.id);
        QCOMPARE(iterations.size(), std::size_t{1});
        QCOMPARE(iterations[0].r, 2.0);
        QCOMPARE(iterations[0].innerSteps, 40);
    }

    void eventJsonRoundTripsEveryType() {
        const auto nan = std::numeric_limits<double>::quiet_NaN();
        auto s = sample(4, -1.0, 0.25);
        s.metrics.testAccuracy = 0.5;
        s.message = "diverged at epoch 2, \"loss\" = inf";
        s.cost.gpSeconds = nan;
        const auto back =
            std::get<bt::events::SampleEvent>(bt::store::eventFromJson(bt::store::eventToJson(s)));
        QCOMPARE(back.method, s.method);
        QCOMPARE(back.phase, s.phase);
        QCOMPARE(back.index, s.index);
        QCOMPARE(back.total, s.total);
        QCOMPARE(back.lambda, s.lambda);
        QCOMPARE(back.message, s.message);
        QVERIFY(sameMetrics(back.metrics, s.metrics));
        QVERIFY(std::isnan(back.cost.gpSeconds));
        QCOMPARE(back.cost.epochs, s.cost.epochs);

        const auto o = outer(3);
        const auto ob = std::get<bt::events::OuterIterationEvent>(
            bt::store::eventFromJson(bt::store::eventToJson(o)));
        QCOMPARE(ob.iteration, 3);
        QCOMPARE(ob.total, 4);
        QCOMPARE(ob.violationSampled, o.violationSampled);
        QCOMPARE(ob.phiHat, o.phiHat);
        QCOMPARE(ob.innerSteps, o.innerSteps);

        const bt::events::GpRefitEvent g{"bayesian", 9,  {0.1, 0.2, 0.3}, 1.5, 1e-6, -12.0,
                                         1e-9,       0.2};
        const auto gb =
            std::get<bt::events::GpRefitEvent>(bt::store::eventFromJson(bt::store::eventToJson(g)));
        QCOMPARE(gb.lengthScales, g.lengthScales);
        QCOMPARE(gb.logMarginalLikelihood, g.logMarginalLikelihood);

        const auto i = inner(2, 30);
        const auto ib = std::get<bt::events::InnerProgressEvent>(
            bt::store::eventFromJson(bt::store::eventToJson(i)));
        QCOMPARE(ib.step, 30);
        QCOMPARE(ib.totalSteps, 100);
        QCOMPARE(ib.augmentedLagrangian, 2.0);

        const auto lb = std::get<bt::events::LogEvent>(bt::store::eventFromJson(
            bt::store::eventToJson(bt::events::LogEvent{bt::events::LogLevel::Warning, "w"})));
        QVERIFY(lb.level == bt::events::LogLevel::Warning);
        const auto fb =
            std::get<bt::events::FinishedEvent>(bt::store::eventFromJson(bt::store::eventToJson(
                bt::events::FinishedEvent{bt::events::RunStatus::Cancelled, "by the user"})));
        QVERIFY(fb.status == bt::events::RunStatus::Cancelled);
        QCOMPARE(fb.message, std::string("by the user"));

        // A method cut short says so; one stored before the field existed reads as completed.
        bt::events::MethodFinishedEvent m{
            "random", {-2.0}, {}, {}, bt::events::RunStatus::Cancelled};
        const auto mb = std::get<bt::events::MethodFinishedEvent>(
            bt::store::eventFromJson(bt::store::eventToJson(m)));
        QVERIFY(mb.status == bt::events::RunStatus::Cancelled);
        QCOMPARE(mb.lambda, m.lambda);
        auto old = bt::store::eventToJson(m);
        old.erase("status");
        QVERIFY(std::get<bt::events::MethodFinishedEvent>(bt::store::eventFromJson(old)).status ==
                bt::events::RunStatus::Completed);
        auto odd = bt::store::eventToJson(m);
        odd["status"] = "paused";
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, bt::store::eventFromJson(odd));

        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 bt::store::eventFromJson({{"type", "telemetry"}}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 bt::store::eventFromJson({{"type", "sample"}, {"index", "x"}}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, bt::store::eventFromJson(42));
    }

    void recordsKeepOrderAndUniqueKeys() {
        RunStore store(freshPath());
        store.createRun(newRun("r1"));
        store.createRun(newRun("r2"));
        store.appendRecords("r1", {{"bilevel/sample/0", {{"phi", 0.5}}, "ckpt/s0.pt"},
                                   {"bilevel/sample/1", {{"phi", 0.25}}, ""}});
        store.appendRecords("r1", {{"bilevel/outer/1", {{"mu", 1.0}}, ""}});
        // The same key in another run is fine.
        store.appendRecords("r2", {{"bilevel/sample/0", {{"phi", 9.0}}, ""}});

        const auto records = store.records("r1");
        QCOMPARE(records.size(), std::size_t{3});
        QCOMPARE(records[0].key, std::string("bilevel/sample/0"));
        QCOMPARE(records[0].checkpoint, std::string("ckpt/s0.pt"));
        QCOMPARE(records[1].data["phi"].get<double>(), 0.25);
        QCOMPARE(records[2].key, std::string("bilevel/outer/1"));
        QCOMPARE(records[2].seq, std::int64_t{3});
        QCOMPARE(store.record("r2", "bilevel/sample/0")->data["phi"].get<double>(), 9.0);
        QVERIFY(!store.record("r1", "bilevel/sample/9"));

        // A batch with a key already stored is refused whole: its new key is not appended.
        QVERIFY_THROWS_EXCEPTION(
            std::invalid_argument,
            store.appendRecords("r1", {{"grid/trial/0", {}, ""}, {"bilevel/sample/1", {}, ""}}));
        QVERIFY(!store.record("r1", "grid/trial/0"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 store.appendRecords("r1", {{"a", {}, ""}, {"a", {}, ""}}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, store.appendRecords("r1", {{"", {}, ""}}));
        QCOMPARE(store.records("r1").size(), std::size_t{3});
        const auto unknown = storeErrorOf([&] { store.appendRecords("nope", {{"k", {}, ""}}); });
        QVERIFY(unknown && unknown->kind() == StoreError::Kind::UnknownRun);
    }

    void transactionGroupsWritesAndRollsBack() {
        const auto path = freshPath();
        RunStore store(path);
        store.createRun(newRun("run"));
        {
            RunStore::Transaction transaction(store);
            store.appendEvent("run", sample(0, -1.0, 1.0));
            store.appendRecords("run", {{"bilevel/sample/0", {{"phi", 1.0}}, ""}});
            // Another connection (another process) sees nothing before the commit.
            RunStore reader(path);
            QCOMPARE(reader.events("run").size(), std::size_t{0});
            QCOMPARE(reader.records("run").size(), std::size_t{0});
            // Left without commit: rolled back.
        }
        QCOMPARE(store.events("run").size(), std::size_t{0});
        QCOMPARE(store.records("run").size(), std::size_t{0});
        {
            RunStore::Transaction transaction(store);
            store.appendEvent("run", sample(0, -1.0, 1.0));
            store.appendRecords("run", {{"bilevel/sample/0", {{"phi", 1.0}}, ""}});
            // A failing call inside rolls back only itself; the transaction goes on.
            QVERIFY_THROWS_EXCEPTION(
                std::invalid_argument,
                store.appendRecords("run", {{"new", {}, ""}, {"bilevel/sample/0", {}, ""}}));
            transaction.commit();
        }
        RunStore reader(path);
        QCOMPARE(reader.events("run").size(), std::size_t{1});
        QCOMPARE(reader.samples("run").size(), std::size_t{1});
        QCOMPARE(reader.records("run").size(), std::size_t{1});
        QVERIFY(!reader.record("run", "new"));
    }

    void processKilledMidTransactionLosesOnlyThatTransaction() {
        const auto path = freshPath();
        {
            RunStore store(path);
            store.createRun(newRun("run"));
        }
        // Children killed (SIGKILL) right after a committed and inside an uncommitted write.
        for (const bool commit : {true, false}) {
            const pid_t child = ::fork();
            if (child == 0) {
                RunStore store(path);
                RunStore::Transaction transaction(store);
                store.appendRecords("run", {{commit ? "committed" : "lost", {}, ""}});
                if (commit) {
                    transaction.commit();
                }
                ::kill(::getpid(), SIGKILL);
                ::_exit(3);
            }
            int status = 0;
            ::waitpid(child, &status, 0);
            QVERIFY(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        }
        RunStore store(path);
        const auto records = store.records("run");
        QCOMPARE(records.size(), std::size_t{1});
        QCOMPARE(records[0].key, std::string("committed"));
    }

    void aFullDiskFailsTheWriteAndKeepsTheStore() {
        // Writes the disk refuses (a file-size limit in a child process: EFBIG, as ENOSPC on a
        // full disk) end in a StoreError naming the store; what was committed before stays
        // readable, and the store opens cleanly afterwards.
        const auto path = freshPath();
        {
            RunStore store(path);
            store.createRun(newRun("kept"));
            store.appendRecords("kept", {{"first", {{"loss", 0.5}}, ""}});
        }
        const auto limit = static_cast<rlim_t>(std::filesystem::file_size(path) + 8192);
        const auto run = bt::testing::runWithFileSizeLimit(limit, [&]() -> std::string {
            try {
                RunStore store(path);
                store.createRun(newRun("big"));
                const nlohmann::json large = {{"text", std::string(4096, 'x')}};
                for (int i = 0; i < 1000; ++i) {
                    store.appendRecords("big", {{"r" + std::to_string(i), large, ""}});
                }
                return "wrote 4 MiB past the limit";
            } catch (const bt::store::StoreError& e) {
                return std::string("refused: ") + e.what();
            }
        });
        QVERIFY2(run.ran, run.why.c_str());
        QVERIFY2(run.output.rfind("refused: ", 0) == 0, run.output.c_str());
        QVERIFY2(run.output.find(path.string()) != std::string::npos, run.output.c_str());
        RunStore store(path);
        const auto records = store.records("kept");
        QCOMPARE(records.size(), std::size_t{1});
        QCOMPARE(records[0].key, std::string("first"));
        QVERIFY(store.findRun("kept").has_value());
    }

    void notAnSqliteFileIsReportedAndLeftUntouched() {
        const auto path = freshPath();
        std::filesystem::create_directories(path.parent_path());
        const std::string garbage =
            "this is a CSV file,not a database\n1,2\n" + std::string(600, 'x');
        bt::testing::writeText(path, garbage);
        const auto e = storeErrorOf([&] { RunStore store(path); });
        QVERIFY(e);
        QVERIFY(e->kind() == StoreError::Kind::NotADatabase);
        QCOMPARE(e->where(), path.string());
        QVERIFY(QString(e->what()).contains("not an SQLite database"));
        QCOMPARE(bt::testing::readText(path), garbage);
        QVERIFY(!std::filesystem::exists(path.string() + "-wal"));
    }

    void corruptStoreIsReportedAndLeftUntouched() {
        const auto path = freshPath();
        {
            RunStore store(path);
            RunStore::Transaction transaction(store); // one commit: fast
            for (int r = 0; r < 20; ++r) {
                store.createRun(newRun("run-" + std::to_string(r)));
                for (int i = 0; i < 20; ++i) {
                    store.appendEvent("run-" + std::to_string(r), sample(i, -1.0 * i, 0.5));
                }
            }
            transaction.commit();
        }
        auto bytes = bt::testing::readText(path);
        const std::size_t pageSize = 4096;
        QVERIFY(bytes.size() > 6 * pageSize);
        // Scribble over pages 2 to 5 (b-tree pages of the tables), keeping the header page.
        for (std::size_t i = pageSize; i < 5 * pageSize; ++i) {
            bytes[i] = static_cast<char>((i * 7919) & 0xff);
        }
        bt::testing::writeText(path, bytes);
        const auto e = storeErrorOf([&] { RunStore store(path); });
        QVERIFY(e);
        QVERIFY(e->kind() == StoreError::Kind::Corrupt);
        QCOMPARE(e->where(), path.string());
        QVERIFY2(QString(e->what()).contains("left as it is"), e->what());
        QCOMPARE(bt::testing::readText(path), bytes);
    }

    void foreignSqliteFileIsReportedAndLeftUntouched() {
        const auto path = freshPath();
        std::filesystem::create_directories(path.parent_path());
        {
            SQLite::Database other(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
            other.exec("CREATE TABLE contacts (name TEXT, phone TEXT)");
            other.exec("INSERT INTO contacts VALUES ('Ada', '123')");
        }
        const auto before = bt::testing::readText(path);
        const auto e = storeErrorOf([&] { RunStore store(path); });
        QVERIFY(e);
        QVERIFY(e->kind() == StoreError::Kind::Foreign);
        QVERIFY2(QString(e->what()).contains("contacts"), e->what());
        QCOMPARE(bt::testing::readText(path), before);

        // An SQLite file of another application that set its own application id.
        const auto path2 = freshPath();
        std::filesystem::create_directories(path2.parent_path());
        {
            SQLite::Database other(path2.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
            other.exec("PRAGMA application_id = 1234");
        }
        const auto e2 = storeErrorOf([&] { RunStore store(path2); });
        QVERIFY(e2 && e2->kind() == StoreError::Kind::Foreign);
        QVERIFY2(QString(e2->what()).contains("0x000004d2"), e2->what());
    }

    void newerSchemaIsRefusedAndMigrationsStepWithACopy() {
        const auto path = freshPath();
        {
            RunStore store(path);
            store.createRun(newRun("kept"));
        }
        // A version-2 step: the mechanism that a future format change uses.
        const std::vector<bt::store::schema::Migration> steps = {
            {2, "runs get tags", [](SQLite::Database& db) {
                 db.exec("ALTER TABLE runs ADD COLUMN tags TEXT NOT NULL DEFAULT '[]'");
             }}};
        const std::vector<bt::store::schema::Migration> failing = {
            {2, "a broken step", [](SQLite::Database& db) {
                 db.exec("ALTER TABLE runs ADD COLUMN tags TEXT");
                 db.exec("ALTER TABLE no_such_table ADD COLUMN x");
             }}};
        {
            SQLite::Database db(path.string(), SQLite::OPEN_READWRITE);
            const auto e =
                storeErrorOf([&] { bt::store::schema::upgrade(db, path, 1, failing, false); });
            QVERIFY(e && e->kind() == StoreError::Kind::Failed);
            QVERIFY2(QString(e->what()).contains("a broken step"), e->what());
            QCOMPARE(db.execAndGet("PRAGMA user_version").getInt(), 1);
            // All or nothing: the step's first statement is rolled back too.
            QCOMPARE(db.execAndGet("SELECT COUNT(*) FROM pragma_table_info('runs') WHERE name = "
                                   "'tags'")
                         .getInt(),
                     0);

            const auto backup = bt::store::schema::upgrade(db, path, 1, steps, true);
            QCOMPARE(db.execAndGet("PRAGMA user_version").getInt(), 2);
            QCOMPARE(db.execAndGet("SELECT tags FROM runs WHERE id = 'kept'").getString(),
                     std::string("[]"));
            QCOMPARE(backup.string(), path.string() + ".schema-v1.bak");
            SQLite::Database copy(backup.string(), SQLite::OPEN_READONLY);
            QCOMPARE(copy.execAndGet("PRAGMA user_version").getInt(), 1);
            QCOMPARE(copy.execAndGet("SELECT COUNT(*) FROM runs").getInt(), 1);
        }
        // This program reads up to version 1: the upgraded file is refused, untouched.
        const auto before = bt::testing::readText(path);
        const auto e = storeErrorOf([&] { RunStore store(path); });
        QVERIFY(e && e->kind() == StoreError::Kind::NewerSchema);
        QVERIFY2(QString(e->what()).contains("version 2"), e->what());
        QCOMPARE(bt::testing::readText(path), before);
    }

    void unwritableLocationsAreReported() {
        // A path under a regular file fails even for root.
        const auto regular = std::filesystem::path(m_dir.path().toStdString()) / "plain-file";
        bt::testing::writeText(regular, "x");
        const auto underFile = regular / "sub" / "runs.db";
        auto e = storeErrorOf([&] { RunStore store(underFile); });
        QVERIFY(e && e->kind() == StoreError::Kind::Unwritable);
        QVERIFY2(QString(e->what()).contains(QString::fromStdString(regular.string())), e->what());
        QCOMPARE(bt::testing::readText(regular), std::string("x"));

        // A folder that cannot be created (procfs refuses new entries, also to root).
        e = storeErrorOf([] { RunStore store("/proc/bilevel-tuner-test/runs.db"); });
        QVERIFY(e && e->kind() == StoreError::Kind::Unwritable);

        // A folder given as the store.
        e = storeErrorOf([&] { RunStore store(m_dir.path().toStdString()); });
        QVERIFY(e && e->kind() == StoreError::Kind::Unwritable);

        // Permission bits do not stop root, and CI runs the suite as root: the read-only folder
        // and file cases run as an unprivileged user (tests/support/unprivileged.h) who owns
        // both, as a user's own store and folder would be.
        const auto user = bt::testing::unprivilegedUser();
        QVERIFY2(user, "running as root, and there is no user 'nobody' to run the cases as");
        QTemporaryDir shared;
        QVERIFY(shared.isValid());
        const std::filesystem::path base = shared.path().toStdString();
        QVERIFY(bt::testing::shareWithUnprivileged(base));
        const auto folder = base / "own";
        std::filesystem::create_directories(folder);
        const auto existing = folder / "runs.db";
        {
            RunStore store(existing);
            store.createRun(newRun("old"));
        }
        const auto readOnlyFolder = base / "ro";
        std::filesystem::create_directories(readOnlyFolder);
        for (const auto& p : {folder, existing, readOnlyFolder}) {
            QVERIFY2(bt::testing::giveToUnprivileged(p, *user), std::strerror(errno));
        }
        QCOMPARE(::chmod(readOnlyFolder.c_str(), 0555), 0);
        QCOMPARE(::chmod(existing.c_str(), 0444), 0);
        const auto kindOf = [](const std::optional<StoreError>& error) -> std::string {
            if (!error) {
                return "no StoreError";
            }
            return error->kind() == StoreError::Kind::Unwritable
                       ? "Unwritable"
                       : "kind " + std::to_string(static_cast<int>(error->kind())) + ": " +
                             error->what();
        };
        const auto run = bt::testing::runUnprivileged([&]() -> std::string {
            if (const auto why = bt::testing::unreachableReason(existing); !why.empty()) {
                return why;
            }
            std::string out;
            // A read-only folder: the store cannot be created in it.
            out += "folder: " +
                   kindOf(storeErrorOf([&] { RunStore store(readOnlyFolder / "runs.db"); }));
            out += std::string("; created: ") +
                   (std::filesystem::exists(readOnlyFolder / "runs.db") ? "yes" : "no");
            // A read-only file: readable, and writing says why it fails.
            RunStore store(existing);
            out += std::string("; read-only: ") + (store.readOnly() ? "yes" : "no");
            out += "; runs: " + std::to_string(store.listRuns().size());
            const auto write = storeErrorOf([&] { store.createRun(newRun("new")); });
            out += "; write: " + kindOf(write);
            if (write && !QString(write->what()).contains(QStringLiteral("read-only"))) {
                out += std::string(" without 'read-only' in: ") + write->what();
            }
            return out;
        });
        QCOMPARE(::chmod(readOnlyFolder.c_str(), 0755), 0);
        QCOMPARE(::chmod(existing.c_str(), 0644), 0);
        QVERIFY2(run.ran, run.why.c_str());
        qInfo("checked as %s", run.user.c_str());
        QCOMPARE(QString::fromStdString(run.output),
                 QStringLiteral("folder: Unwritable; created: no; read-only: yes; runs: 1; "
                                "write: Unwritable"));
        // Nothing was written to the file.
        RunStore after(existing);
        QCOMPARE(after.listRuns().size(), std::size_t{1});
    }

    void writerWaitsForTheLockThenGivesUpClearly() {
        const auto path = freshPath();
        bt::store::StoreOptions options;
        options.busyTimeout = 300ms;
        RunStore store(path, options);
        store.createRun(newRun("run"));
        store.appendEvent("run", sample(0, -1.0, 1.0));
        {
            // Another writer holds the write lock.
            SQLite::Database other(path.string(), SQLite::OPEN_READWRITE);
            other.exec("BEGIN IMMEDIATE");
            other.exec("UPDATE runs SET name = 'other' WHERE id = 'run'");
            const auto started = std::chrono::steady_clock::now();
            const auto e = storeErrorOf([&] { store.appendEvent("run", sample(1, -2.0, 1.0)); });
            const auto waited = std::chrono::steady_clock::now() - started;
            QVERIFY(e && e->kind() == StoreError::Kind::Locked);
            QVERIFY2(QString(e->what()).contains("locked by another writer"), e->what());
            QCOMPARE(e->where(), path.string());
            QVERIFY(waited >= 250ms);
            QVERIFY(waited < 5s);
            // Reading still works while the other writer holds the lock (WAL).
            QCOMPARE(store.events("run").size(), std::size_t{1});
            other.exec("ROLLBACK");
        }
        // Intact and writable again.
        QCOMPARE(store.appendEvent("run", sample(1, -2.0, 1.0)), std::int64_t{2});
        QCOMPARE(store.findRun("run")->name, std::string("ridge"));
    }

    void listingWorksWhileAnotherConnectionWrites() {
        const auto path = freshPath();
        RunStore writer(path);
        writer.createRun(newRun("busy"));
        std::atomic<bool> done{false};
        std::atomic<int> written{0};
        std::string writerError;
        std::thread writing([&] {
            try {
                for (int i = 0; i < 100; ++i) {
                    RunStore::Transaction t(writer);
                    writer.appendEvent("busy", sample(i, -1.0, 1.0));
                    writer.appendRecords("busy", {{"k" + std::to_string(i), {}, ""}});
                    t.commit();
                    ++written;
                }
            } catch (const std::exception& e) {
                writerError = e.what();
            }
            done = true;
        });
        RunStore reader(path); // a second connection, as `list` in another process
        int reads = 0;
        std::size_t last = 0;
        while (!done || reads < 3) {
            const auto runs = reader.listRuns();
            QCOMPARE(runs.size(), std::size_t{1});
            const auto events = reader.events("busy").size();
            const auto records = reader.records("busy").size();
            QVERIFY(events >= last);
            last = events;
            // A reader sees whole transactions only; it may read the two tables at different
            // moments, so the later read (records) is never behind the earlier one.
            QVERIFY(records >= events);
            ++reads;
        }
        writing.join();
        QVERIFY2(writerError.empty(), writerError.c_str());
        QCOMPARE(written.load(), 100);
        QCOMPARE(reader.events("busy").size(), std::size_t{100});
        QVERIFY(reads >= 3);
    }

    void staleRunsAreMarkedInterrupted() {
        const auto path = freshPath();
        bt::store::StoreOptions options;
        options.staleAfter = 200ms;
        {
            RunStore store(path, options);
            auto dead = newRun("dead");
            dead.pid = deadPid();
            store.createRun(dead);
            auto alive = newRun("alive"); // this process: alive though stale
            store.createRun(alive);
            auto remote = newRun("remote");
            remote.host = "another-host.example";
            remote.pid = ::getpid();
            store.createRun(remote);
            auto done = newRun("done");
            done.pid = deadPid();
            store.createRun(done);
            store.setStatus("done", RunStatus::Completed, "");
            // A process of this host that is gone is dead at once, heartbeat fresh or not (a
            // kill -9 a moment ago); another host's run waits for its heartbeat to go stale.
            QCOMPARE(store.markStaleRunsInterrupted(), 1);
            QVERIFY(store.findRun("dead")->status == RunStatus::Interrupted);
            QVERIFY(store.findRun("remote")->status == RunStatus::Running);
        }
        std::this_thread::sleep_for(300ms);
        RunStore store(path, options); // opening marks
        QVERIFY2(QString::fromStdString(store.findRun("dead")->message).contains("pid"),
                 store.findRun("dead")->message.c_str());
        QVERIFY(store.findRun("remote")->status == RunStatus::Interrupted);
        QVERIFY(store.findRun("alive")->status == RunStatus::Running);
        QVERIFY(store.findRun("done")->status == RunStatus::Completed);
        // Listing marks too.
        auto later = newRun("later");
        later.host = "another-host.example";
        store.createRun(later);
        QVERIFY(store.findRun("later")->status == RunStatus::Running);
        std::this_thread::sleep_for(300ms);
        const auto runs = store.listRuns();
        const auto it =
            std::find_if(runs.begin(), runs.end(), [](const auto& r) { return r.id == "later"; });
        QVERIFY(it != runs.end() && it->status == RunStatus::Interrupted);
    }

    void heartbeatKeepsARunAlive() {
        const auto path = freshPath();
        bt::store::StoreOptions options;
        options.staleAfter = 300ms;
        RunStore store(path, options);
        auto run = newRun("beating");
        run.host = "another-host.example"; // judged by its heartbeat alone
        store.createRun(run);
        const auto created = store.findRun("beating")->heartbeatMs;
        {
            bt::store::Heartbeat heartbeat(store, "beating", 50ms);
            std::this_thread::sleep_for(600ms);
            RunStore other(path, options); // would mark it, were the heartbeat stale
            QVERIFY(other.findRun("beating")->status == RunStatus::Running);
            QVERIFY(heartbeat.beats() >= 3);
            QVERIFY(other.findRun("beating")->heartbeatMs > created + 300);
        }
        std::this_thread::sleep_for(500ms);
        RunStore later(path, options);
        QVERIFY(later.findRun("beating")->status == RunStatus::Interrupted);
    }

    void sessionRecordsARunAndThrottlesInnerProgress() {
        const auto path = freshPath();
        RunStore store(path);
        bt::store::RunSession::Options options;
        options.innerProgressInterval = 10s;
        auto session = bt::store::RunSession::start(store, newRun("s"), options);
        auto& sink = session->sink();
        for (int step = 0; step < 50; ++step) {
            sink.onEvent(inner(1, step));
        }
        sink.onEvent(outer(1));
        for (int step = 0; step < 50; ++step) {
            sink.onEvent(inner(2, step));
        }
        sink.onEvent(bt::events::FinishedEvent{bt::events::RunStatus::Cancelled, "stopped"});
        QVERIFY(!sink.failure());
        QCOMPARE(sink.innerProgressSkipped(), std::int64_t{98});
        const auto events = store.events("s");
        QCOMPARE(events.size(), std::size_t{4}); // first inner of each iteration, outer, finished
        QCOMPARE(events[0].data["step"].get<int>(), 0);
        QCOMPARE(events[2].data["outer_iteration"].get<int>(), 2);
        QVERIFY(store.findRun("s")->status == RunStatus::Cancelled);

        bt::report::RunResult result;
        result.runId = "s";
        result.status = bt::events::RunStatus::Cancelled;
        result.message = "stopped";
        session->finish(result);
        const auto run = store.findRun("s");
        QVERIFY(run->status == RunStatus::Cancelled);
        QCOMPARE(run->result["run_id"].get<std::string>(), std::string("s"));

        // A session whose data turned out bad leaves nothing behind.
        auto discarded = bt::store::RunSession::start(store, newRun("bad-data"));
        discarded->discard();
        QVERIFY(!store.findRun("bad-data"));
    }

    void sinkStopsAndReportsOnAFailedWrite() {
        RunStore store(freshPath());
        bt::store::StoreSink sink(store, "missing-run");
        int calls = 0;
        std::string message;
        sink.setFailureHandler([&](const std::string& m) {
            ++calls;
            message = m;
        });
        sink.onEvent(sample(0, -1.0, 1.0)); // must not throw
        sink.onEvent(sample(1, -1.0, 1.0));
        QCOMPARE(calls, 1);
        QVERIFY(sink.failure());
        QVERIFY2(QString::fromStdString(message).contains("missing-run"), message.c_str());
        QCOMPARE(sink.written(), std::int64_t{0});
    }

    void runsAreFoundByUniquePrefix() {
        RunStore store(freshPath());
        store.createRun(newRun("20260101-101010-aaaa"));
        store.createRun(newRun("20260101-101010-abcd"));
        store.createRun(newRun("20260102-000000-ffff"));
        QCOMPARE(store.run("20260102").id, std::string("20260102-000000-ffff"));
        QCOMPARE(store.run("20260101-101010-ab").id, std::string("20260101-101010-abcd"));
        auto e = storeErrorOf([&] { (void)store.run("20260101"); });
        QVERIFY(e && e->kind() == StoreError::Kind::UnknownRun);
        QVERIFY2(QString(e->what()).contains("matches 2 runs"), e->what());
        e = storeErrorOf([&] { (void)store.run("1999"); });
        QVERIFY(e && e->kind() == StoreError::Kind::UnknownRun);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 store.createRun(newRun("20260102-000000-ffff")));
        store.discardRun("20260102-000000-ffff");
        QVERIFY(!store.findRun("20260102-000000-ffff"));
    }

    // A run is renamed (the name's rule checked first, the store left as it was on a refusal)
    // and deleted with its checkpoint folder, unless its process is alive; another run's rows
    // and folder are untouched.
    void runsAreRenamedAndDeleted() {
        const auto path = freshPath();
        RunStore store(path);
        auto finished = newRun("finished");
        finished.pid = deadPid();
        store.createRun(finished);
        store.appendEvent("finished", bt::events::RunStartedEvent{});
        store.appendRecords("finished", {{"k", {{"x", 1}}, ""}});
        store.setStatus("finished", RunStatus::Completed, "");
        store.createRun(newRun("other"));
        store.appendRecords("other", {{"k", {{"x", 2}}, ""}});
        store.setStatus("other", RunStatus::Cancelled, "");
        store.createRun(newRun("live")); // this process: alive, status running

        store.renameRun("finished", "ridge, 5 λ");
        QCOMPARE(store.findRun("finished")->name, std::string("ridge, 5 λ"));
        QVERIFY_THROWS_EXCEPTION(bt::core::InputError, store.renameRun("finished", "a\nb"));
        QVERIFY_THROWS_EXCEPTION(bt::core::InputError,
                                 store.renameRun("finished", std::string(201, 'x')));
        QCOMPARE(store.findRun("finished")->name, std::string("ridge, 5 λ"));
        store.renameRun("finished", std::string(200, 'x'));
        store.renameRun("finished", "");
        QCOMPARE(store.findRun("finished")->name, std::string());
        auto e = storeErrorOf([&] { store.renameRun("missing", "x"); });
        QVERIFY(e && e->kind() == StoreError::Kind::UnknownRun);
        QVERIFY_THROWS_EXCEPTION(bt::core::InputError, store.createRun(newRun("tab", "a\tb")));
        QVERIFY(!store.findRun("tab"));

        const auto folders = std::filesystem::path(path).parent_path() / "checkpoints";
        for (const char* id : {"finished", "other", "live"}) {
            std::filesystem::create_directories(folders / id);
            bt::testing::writeText(folders / id / "model.pt", "weights");
        }
        e = storeErrorOf([&] { (void)bt::store::deleteStoredRun(store, "live"); });
        QVERIFY(e && e->kind() == StoreError::Kind::RunInUse);
        QVERIFY2(QString(e->what()).contains("running"), e->what());
        QVERIFY(store.findRun("live"));
        QVERIFY(std::filesystem::exists(folders / "live" / "model.pt"));

        QCOMPARE(bt::store::deleteStoredRun(store, "finished"), std::string());
        QVERIFY(!store.findRun("finished"));
        QVERIFY(store.events("finished").empty());
        QVERIFY(store.records("finished").empty());
        QVERIFY(!std::filesystem::exists(folders / "finished"));
        QCOMPARE(store.records("other").size(), std::size_t{1});
        QVERIFY(std::filesystem::exists(folders / "other" / "model.pt"));
        e = storeErrorOf([&] { (void)bt::store::deleteStoredRun(store, "finished"); });
        QVERIFY(e && e->kind() == StoreError::Kind::UnknownRun);
        // A run whose process is gone (interrupted once marked) can be deleted.
        auto dead = newRun("dead");
        dead.pid = deadPid();
        store.createRun(dead);
        QCOMPARE(bt::store::deleteStoredRun(store, "dead"), std::string());
        QVERIFY(!store.findRun("dead"));
    }
};

QTEST_GUILESS_MAIN(TestRunStore)
#include "test_run_store.moc"
