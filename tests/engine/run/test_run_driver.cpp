#include <QtTest>

#include <QDir>
#include <QTemporaryDir>

#include <filesystem>
#include <fstream>
#include <stop_token>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "../../ui/tiny_ridge_run.h"
#include "engine/core/error.h"
#include "engine/run/run_driver.h"
#include "engine/store/run_store.h"

namespace {

using bt::events::RunStatus;
using nlohmann::json;

// A front end's sink that counts the events and requests a stop at the `stopAt`-th sample.
class CountingSink final : public bt::events::EventSink {
public:
    CountingSink(std::stop_source stop, int stopAt) : m_stop(std::move(stop)), m_stopAt(stopAt) {}

    void onEvent(const bt::events::Event& event) override {
        ++events;
        if (std::holds_alternative<bt::events::SampleEvent>(event) && ++samples == m_stopAt) {
            m_stop.request_stop();
        }
        if (const auto* end = std::get_if<bt::events::FinishedEvent>(&event)) {
            finished = std::string(bt::events::toString(end->status));
        }
    }

    int events = 0;
    int samples = 0;
    std::string finished;

private:
    std::stop_source m_stop;
    int m_stopAt;
};

// What a resumed run must reproduce of an uninterrupted one: each method's λ* and metrics.
json essentials(const bt::report::RunResult& result) {
    json out = json::array();
    for (const auto& method : result.methods) {
        out.push_back({{"method", method.method},
                       {"status", method.status},
                       {"lambda", method.lambda},
                       {"val_loss", method.metrics.valLoss},
                       {"test_loss", method.metrics.testLoss},
                       {"samples", method.samples.size()}});
    }
    return out;
}

} // namespace

// run::RunDriver, the one way both front ends drive a stored run: begin or resume it in the
// store, run it with the store's sink before the front end's, end it with result.json.
class TestRunDriver : public QObject {
    Q_OBJECT

    bt::config::RunConfig config() const {
        return bt::testing::tinyRidgeConfig(m_dir.path(), {"bilevel", "grid"}, 10, 2);
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        bt::testing::writeRidgeFiles(m_dir.path());
        m_store = std::filesystem::path(m_dir.path().toStdString()) / "runs.db";
    }

    // begin → drive → finish: the run is stored completed, with its events and its result, and
    // result.json is written into the output folder.
    void aNewRunIsStoredAndWritten() {
        bt::store::RunStore store(m_store);
        bt::run::NewRunSpec spec;
        spec.name = "driver test";
        spec.outDir = std::filesystem::path(m_dir.path().toStdString()) / "out-new";
        const auto driver = bt::run::RunDriver::begin(store, config(), spec);
        QCOMPARE(driver->runId(), spec.id);
        QVERIFY(store.run(spec.id).status == RunStatus::Running);

        CountingSink frontEnd(std::stop_source{}, -1);
        auto result = driver->drive(frontEnd, std::stop_source{});
        driver->finish(result);

        QCOMPARE(QString::fromLatin1(bt::events::toString(result.status)),
                 QStringLiteral("completed"));
        QCOMPARE(QString::fromStdString(frontEnd.finished), QStringLiteral("completed"));
        const auto info = store.run(spec.id);
        QVERIFY(info.status == RunStatus::Completed);
        QCOMPARE(info.name, std::string("driver test"));
        QCOMPARE(info.outDir, std::filesystem::absolute(spec.outDir));
        // The store saw every event the front end saw (inner progress is thinned by the store).
        QVERIFY(!store.events(spec.id).empty());
        QVERIFY(store.events(spec.id).size() <= static_cast<std::size_t>(frontEnd.events));
        QCOMPARE(store.samples(spec.id).size(), static_cast<std::size_t>(frontEnd.samples));
        QCOMPARE(info.result.at("status").get<std::string>(), std::string("completed"));
        const auto written = json::parse(std::ifstream(spec.outDir / "result.json"));
        QCOMPARE(written.at("run_id").get<std::string>(), spec.id);
        QCOMPARE(written.at("status").get<std::string>(), std::string("completed"));
        m_reference = essentials(result);
        m_referenceRecords = store.records(spec.id).size();

        // A completed run is not resumed.
        QVERIFY_THROWS_EXCEPTION(bt::core::InputError,
                                 bt::run::RunDriver::findResumable(store, spec.id));
    }

    // A run cut short whose process died is taken over, continues from its records and ends
    // with the uninterrupted run's result, each unit of work committed once.
    void anInterruptedRunContinues() {
        QVERIFY(!m_reference.empty());
        bt::store::RunStore store(m_store);
        const auto out = std::filesystem::path(m_dir.path().toStdString()) / "out-resumed";
        std::string runId;
        {
            bt::run::NewRunSpec spec;
            spec.outDir = out;
            const auto driver = bt::run::RunDriver::begin(store, config(), spec);
            runId = driver->runId();
            std::stop_source stop;
            CountingSink frontEnd(stop, 2); // during bilevel's initial design
            const auto cut = driver->drive(frontEnd, stop);
            QCOMPARE(QString::fromLatin1(bt::events::toString(cut.status)),
                     QStringLiteral("cancelled"));
            // The driver goes without finish(), as when its process dies; the next process to
            // open the store marks such a run interrupted.
        }
        store.setStatus(runId, RunStatus::Interrupted, "the process ended");
        const auto recordsBefore = store.records(runId).size();
        QVERIFY(recordsBefore > 0 && recordsBefore < m_referenceRecords);

        auto resumable = bt::run::RunDriver::findResumable(store, runId);
        QCOMPARE(resumable.info.id, runId);
        const auto driver = bt::run::RunDriver::resume(store, resumable);
        QCOMPARE(driver->outDir(), std::filesystem::absolute(out));
        QVERIFY(store.run(runId).status == RunStatus::Running);
        CountingSink frontEnd(std::stop_source{}, -1);
        auto result = driver->drive(frontEnd, std::stop_source{});
        driver->finish(result);

        QCOMPARE(QString::fromLatin1(bt::events::toString(result.status)),
                 QStringLiteral("completed"));
        QVERIFY(store.run(runId).status == RunStatus::Completed);
        QCOMPARE(QString::fromStdString(essentials(result).dump()),
                 QString::fromStdString(m_reference.dump()));
        QCOMPARE(store.records(runId).size(), m_referenceRecords);
        const auto written = json::parse(std::ifstream(out / "result.json"));
        QCOMPARE(written.at("status").get<std::string>(), std::string("completed"));
    }

    // A resumption over data that changed since the run began is refused before the run's
    // first event and leaves the stored run as it was: its status, message, events and
    // samples (they used to be cleared first, and the run marked failed). With the file
    // restored the run resumes to the uninterrupted result.
    void aResumptionOverOtherDataLeavesTheRunAsItWas() {
        QVERIFY(!m_reference.empty());
        const QString folder = m_dir.filePath(QStringLiteral("changing"));
        QVERIFY(QDir().mkpath(folder));
        bt::testing::writeRidgeFiles(folder);
        const auto test = std::filesystem::path(folder.toStdString()) / "test.csv";
        const auto original = test.string() + ".original";
        std::filesystem::copy_file(test, original);
        const auto changingConfig =
            bt::testing::tinyRidgeConfig(folder, {"bilevel", "grid"}, 10, 2);
        bt::store::RunStore store(m_store);
        std::string runId;
        {
            const auto driver = bt::run::RunDriver::begin(store, changingConfig, {});
            runId = driver->runId();
            std::stop_source stop;
            CountingSink frontEnd(stop, 2);
            QCOMPARE(
                QString::fromLatin1(bt::events::toString(driver->drive(frontEnd, stop).status)),
                QStringLiteral("cancelled"));
        }
        store.setStatus(runId, RunStatus::Interrupted, "the process ended");
        const auto events = store.events(runId).size();
        const auto samples = store.samples(runId).size();
        const auto records = store.records(runId).size();
        QVERIFY(events > 0 && samples > 0);

        { // one more row in the test file: 401 rows
            std::ofstream out(test, std::ios::app);
            out << "0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1\n";
        }
        {
            const auto driver =
                bt::run::RunDriver::resume(store, bt::run::RunDriver::findResumable(store, runId));
            CountingSink frontEnd(std::stop_source{}, -1);
            try {
                driver->drive(frontEnd, std::stop_source{});
                QFAIL("a resumption over other data ran");
            } catch (const bt::core::InputError& e) {
                QVERIFY2(std::string(e.what()).find("test split 401 rows") != std::string::npos,
                         e.what());
            }
            QCOMPARE(frontEnd.events, 0);
        }
        const auto info = store.run(runId);
        QVERIFY(info.status == RunStatus::Interrupted);
        QCOMPARE(info.message, std::string("the process ended"));
        QCOMPARE(store.events(runId).size(), events);
        QCOMPARE(store.samples(runId).size(), samples);
        QCOMPARE(store.records(runId).size(), records);

        std::filesystem::copy_file(original, test,
                                   std::filesystem::copy_options::overwrite_existing);
        const auto driver =
            bt::run::RunDriver::resume(store, bt::run::RunDriver::findResumable(store, runId));
        CountingSink frontEnd(std::stop_source{}, -1);
        auto result = driver->drive(frontEnd, std::stop_source{});
        driver->finish(result);
        QVERIFY(store.run(runId).status == RunStatus::Completed);
        QCOMPARE(QString::fromStdString(essentials(result).dump()),
                 QString::fromStdString(m_reference.dump()));
        // The replay's events replaced the stored ones: each sample once.
        QCOMPARE(store.samples(runId).size(), static_cast<std::size_t>(frontEnd.samples));
    }

    // A run whose data cannot be read never began: drive throws the input error and the store
    // keeps nothing of it.
    void aRunThatNeverBeganIsNotKept() {
        bt::store::RunStore store(m_store);
        auto broken = config();
        broken.dataset.trainPath = m_dir.filePath(QStringLiteral("missing.csv")).toStdString();
        const auto driver = bt::run::RunDriver::begin(store, broken, {});
        const auto runId = driver->runId();
        CountingSink frontEnd(std::stop_source{}, -1);
        QVERIFY_THROWS_EXCEPTION(bt::core::InputError, driver->drive(frontEnd, {}));
        QVERIFY(!store.findRun(runId));
        QCOMPARE(frontEnd.events, 0);
    }

private:
    QTemporaryDir m_dir;
    std::filesystem::path m_store;
    json m_reference;
    std::size_t m_referenceRecords = 0;
};

QTEST_GUILESS_MAIN(TestRunDriver)
#include "test_run_driver.moc"
