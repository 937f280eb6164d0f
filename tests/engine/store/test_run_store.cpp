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
#include "store_test_support.h"
#include "tests/support/child_process.h"
#include "tests/support/text_files.h"
#include "tests/support/unprivileged.h"

using namespace std::chrono_literals;
using bt::events::RunStatus;
using bt::store::RunStore;
using bt::store::StoreError;
using namespace bt::testing;

class TestRunStore : public QObject {
    Q_OBJECT

private:
    bt::testing::FreshStores m_stores;

    std::filesystem::path freshPath() { return m_stores.next(); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_stores.isValid()); }

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
