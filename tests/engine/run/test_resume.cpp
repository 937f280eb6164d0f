#include <QtTest>

#include <QTemporaryDir>

#include <algorithm>
#include <filesystem>
#include <stop_token>
#include <string>
#include <tuple>
#include <variant>

#include <nlohmann/json.hpp>

#include "engine/config/run_config_json.h"
#include "engine/core/error.h"
#include "engine/core/journal.h"
#include "engine/eval/evaluator.h"
#include "engine/run/runner.h"
#include "small_mlp_fixture.h"

namespace {

// A parallel executor's completion order, played out in this process: every batch is trained,
// then reported last request first, so the journal's records are appended out of key order.
class ReversingEvaluator final : public bt::eval::Evaluator {
public:
    explicit ReversingEvaluator(const bt::train::Trainer& trainer) : m_inner(trainer) {}

    std::vector<bt::eval::EvaluationOutcome>
    evaluate(const std::vector<bt::eval::EvaluationRequest>& requests, std::stop_token stop,
             const Completion& onCompleted) override {
        auto outcomes = m_inner.evaluate(requests, stop, {});
        for (std::size_t i = outcomes.size(); i-- > 0;) {
            onCompleted(i, outcomes[i]);
            ++reported;
        }
        reversedBatches += outcomes.size() > 1 ? 1 : 0;
        return outcomes;
    }

    int reported = 0;
    int reversedBatches = 0;

private:
    bt::eval::InProcessEvaluator m_inner;
};

// Requests a stop once the bilevel method's λ* has been retrained: the stop falls on the run's
// refit at λ*, after the method completed.
class StopAfterRetraining final : public bt::events::EventSink {
public:
    explicit StopAfterRetraining(std::stop_source& stop) : m_stop(stop) {}

    void onEvent(const bt::events::Event& event) override {
        if (const auto* log = std::get_if<bt::events::LogEvent>(&event)) {
            if (log->message.find("λ* retrained") != std::string::npos) {
                m_stop.request_stop();
            }
        }
    }

private:
    std::stop_source& m_stop;
};

// Counts the events it hears.
class CountingSink final : public bt::events::EventSink {
public:
    void onEvent(const bt::events::Event&) override { ++count; }
    int count = 0;
};

} // namespace

// Resume by journal (issue 6): a run cut after any committed unit of work and resumed from its
// journal ends with the result of the uninterrupted run, and redoes none of the committed work.
class TestResume : public QObject {
    Q_OBJECT

    // Every method, with budgets small enough for a test: 2 per-layer λ, 10 epochs.
    nlohmann::json comparisonConfig() const {
        auto json = bt::testing::smallMlpConfig(m_dir.path());
        json["training"]["epochs"] = 10;
        json["bilevel"] = {{"initial_samples", 2},
                           {"outer_iterations", 3},
                           {"refine_trials", 3},
                           {"inner_steps", 40},
                           {"warm_sample_epochs", 4}};
        json["methods"] = {"bilevel", "grid", "random", "bayesian", "hyperband"};
        json["grid"] = {{"points_per_dim", 2}};
        json["random"] = {{"trials", 3}};
        json["bayesian"] = {{"trials", 4}, {"initial", 2}};
        json["hyperband"] = {{"max_epochs", 9}, {"eta", 3}};
        return json;
    }

    static void compareResults(const bt::report::RunResult& a, const bt::report::RunResult& b) {
        QCOMPARE(QString::fromLatin1(bt::events::toString(b.status)),
                 QString::fromLatin1(bt::events::toString(a.status)));
        QCOMPARE(b.methods.size(), a.methods.size());
        for (std::size_t i = 0; i < a.methods.size(); ++i) {
            const auto& x = a.methods[i];
            const auto& y = b.methods[i];
            QCOMPARE(y.method, x.method);
            QCOMPARE(y.lambda, x.lambda);
            QCOMPARE(y.metrics.valLoss, x.metrics.valLoss);
            QCOMPARE(y.metrics.testLoss, x.metrics.testLoss);
            QCOMPARE(y.metrics.testAccuracy, x.metrics.testAccuracy);
            QCOMPARE(y.cost.lowerLevelTrainings, x.cost.lowerLevelTrainings);
            QCOMPARE(y.cost.epochs, x.cost.epochs);
            QCOMPARE(y.samples.size(), x.samples.size());
            QCOMPARE(y.iterations.size(), x.iterations.size());
            for (std::size_t k = 0; k < x.iterations.size(); ++k) {
                QCOMPARE(y.iterations[k].violationSampled, x.iterations[k].violationSampled);
                QCOMPARE(y.iterations[k].mu, x.iterations[k].mu);
                QCOMPARE(y.iterations[k].innerSteps, x.iterations[k].innerSteps);
                QVERIFY(x.iterations[k].innerSteps > 0);
            }
            QVERIFY(x.refitMetrics.has_value() == y.refitMetrics.has_value());
            if (x.refitMetrics) {
                QCOMPARE(y.refitMetrics->testLoss, x.refitMetrics->testLoss);
            }
        }
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        bt::testing::writeClassificationCsv(m_dir.path() + "/train.csv", 300, 1);
        bt::testing::writeClassificationCsv(m_dir.path() + "/validation.csv", 300, 2);
        bt::testing::writeClassificationCsv(m_dir.path() + "/test.csv", 600, 3);
    }

    void resumedRunEqualsTheUninterruptedOne() {
        const auto config = bt::config::parseRunConfig(comparisonConfig(), "test");
        const std::filesystem::path checkpoints = (m_dir.path() + "/checkpoints").toStdString();
        bt::core::MemoryJournal full(checkpoints);
        bt::events::NullSink sink;
        const auto reference = bt::run::executeRun(config, "full", sink, {}, &full);
        QCOMPARE(QString::fromLatin1(bt::events::toString(reference.status)),
                 QStringLiteral("completed"));
        const std::size_t units = full.size();
        // The data's fingerprints, then 4 design samples + 3 × (inner solve + sample) + 3
        // refinement trainings (one of them the confirmation when one runs, so record 13 lies
        // between two refinements), 4 grid, 3 random, 4 bayesian trials, Hyperband's trainings
        // and promotions, and 5 refits: every unit is a record.
        QVERIFY2(units > 30, qPrintable(QString::number(units)));

        // Cut before any work, during the initial design, inside the outer iterations, between
        // the refinement trainings, during the baselines and just before the last refit.
        for (const std::size_t cut : {std::size_t{1}, std::size_t{2}, std::size_t{6},
                                      std::size_t{9}, std::size_t{13}, units / 2, units - 1}) {
            bt::core::MemoryJournal partial = full;
            partial.truncate(cut);
            const auto resumed = bt::run::executeRun(config, "resumed", sink, {}, &partial);
            qInfo("cut after %zu of %zu records", cut, units);
            compareResults(reference, resumed);
            QCOMPARE(partial.size(), units); // the rest was done once, nothing twice
        }
    }

    // The automatic refinement count (ALGORITHM.md §3.6) reads the epochs the method has spent
    // from its cost meter; a resumed run replays them from the journal, so a cut anywhere gives
    // the same count and the same run.
    void automaticRefinementResumesToTheSameCount() {
        auto json = comparisonConfig();
        json["methods"] = {"bilevel"};
        json["bilevel"]["refine_trials"] = -1;
        json["random"]["trials"] = 12; // 120 epochs: room for refinement trainings
        const auto config = bt::config::parseRunConfig(json, "test");
        bt::core::MemoryJournal full((m_dir.path() + "/automatic").toStdString());
        bt::events::NullSink sink;
        const auto reference = bt::run::executeRun(config, "full", sink, {}, &full);
        QCOMPARE(QString::fromLatin1(bt::events::toString(reference.status)),
                 QStringLiteral("completed"));
        const auto& samples = reference.methods.front().samples;
        const auto refinements = std::count_if(samples.begin(), samples.end(), [](const auto& s) {
            return s.phase == bt::events::phase::kRefinement;
        });
        QVERIFY2(refinements >= 2, qPrintable(QString::number(refinements)));
        QVERIFY(reference.methods.front().cost.epochs <= config.baselineEpochs() + 1e-6);
        const std::size_t units = full.size();
        // Within the design, within the outer iterations, and between the refinement trainings.
        for (std::size_t cut = 1; cut + 1 < units; cut += 2) {
            bt::core::MemoryJournal partial = full;
            partial.truncate(cut);
            const auto resumed = bt::run::executeRun(config, "resumed", sink, {}, &partial);
            qInfo("cut after %zu of %zu records", cut, units);
            compareResults(reference, resumed);
            QCOMPARE(partial.size(), units);
        }
    }

    // A stop after the method completed, during the refit at its λ*, cancels the run (it used
    // to end "completed" without the refit, which resume then could not add); resumed, the run
    // trains the refit and equals the uninterrupted one.
    void aStopDuringTheRefitCancelsTheRun() {
        auto json = comparisonConfig();
        json["methods"] = {"bilevel"};
        const auto config = bt::config::parseRunConfig(json, "test");
        const std::filesystem::path checkpoints = (m_dir.path() + "/refit-stop").toStdString();
        bt::core::MemoryJournal full(checkpoints);
        bt::events::NullSink quiet;
        const auto reference = bt::run::executeRun(config, "full", quiet, {}, &full);
        QCOMPARE(QString::fromLatin1(bt::events::toString(reference.status)),
                 QStringLiteral("completed"));
        QVERIFY(reference.methods.front().refitMetrics.has_value());

        bt::core::MemoryJournal journal(checkpoints);
        std::stop_source stop;
        StopAfterRetraining stopper(stop);
        const auto cut = bt::run::executeRun(config, "cut", stopper, stop.get_token(), &journal);
        QCOMPARE(QString::fromLatin1(bt::events::toString(cut.status)),
                 QStringLiteral("cancelled"));
        QVERIFY(cut.methods.front().retrainedMetrics.has_value());
        QVERIFY(!cut.methods.front().refitMetrics.has_value());
        QCOMPARE(journal.size(), full.size() - 1); // everything but the refit

        const auto resumed = bt::run::executeRun(config, "resumed", quiet, {}, &journal);
        compareResults(reference, resumed);
        QVERIFY(resumed.methods.front().refitMetrics.has_value());
        QCOMPARE(journal.size(), full.size());
    }

    void completionsInAnyOrderGiveTheSameRun() {
        // The MPI executor reports trainings as they finish. The journal commits each at once
        // and the methods still hear of them in request order: the same result and records as
        // a serial run, and a resume from any cut of such a journal is exact.
        const auto config = bt::config::parseRunConfig(comparisonConfig(), "test");
        bt::events::NullSink sink;
        bt::core::MemoryJournal serial((m_dir.path() + "/serial").toStdString());
        const auto reference = bt::run::executeRun(config, "serial", sink, {}, &serial);

        ReversingEvaluator* reversing = nullptr;
        const bt::run::EvaluatorFactory factory = [&](const bt::train::Trainer& trainer) {
            auto evaluator = std::make_unique<ReversingEvaluator>(trainer);
            reversing = evaluator.get();
            return std::unique_ptr<bt::eval::Evaluator>(std::move(evaluator));
        };
        bt::core::MemoryJournal parallel((m_dir.path() + "/parallel").toStdString());
        const auto result = bt::run::executeRun(config, "parallel", sink, {}, &parallel, factory);
        QVERIFY(reversing != nullptr);
        QVERIFY(reversing->reversedBatches >= 4); // design, grid, random, Hyperband's rungs
        compareResults(reference, result);
        QCOMPARE(parallel.size(), serial.size());

        // And without a journal (the pass-through path) the order is restored too.
        const auto unjournaled = bt::run::executeRun(config, "plain", sink, {}, nullptr, factory);
        compareResults(reference, unjournaled);

        bt::core::MemoryJournal partial = parallel;
        partial.truncate(parallel.size() / 3);
        compareResults(reference, bt::run::executeRun(config, "resumed", sink, {}, &partial));
    }

    void aJournalOfAnotherRunIsRefused() {
        auto json = comparisonConfig();
        json["methods"] = {"random"};
        const std::filesystem::path checkpoints = (m_dir.path() + "/other").toStdString();
        bt::core::MemoryJournal journal(checkpoints);
        bt::events::NullSink sink;
        const auto first = bt::run::executeRun(bt::config::parseRunConfig(json, "test"), "first",
                                               sink, {}, &journal);
        QCOMPARE(QString::fromLatin1(bt::events::toString(first.status)),
                 QStringLiteral("completed"));
        json["training"]["seed"] = 4; // another seed draws other λ
        const auto changed = bt::run::executeRun(bt::config::parseRunConfig(json, "test"),
                                                 "changed", sink, {}, &journal);
        QCOMPARE(QString::fromLatin1(bt::events::toString(changed.status)),
                 QStringLiteral("failed"));
        QVERIFY2(changed.message.find("run journal record random/0") != std::string::npos,
                 changed.message.c_str());
    }

    // The journal's first record keeps the data's fingerprints: a resumption over a file that
    // changed since is refused before any event, naming the split, and leaves the journal as it
    // was; with the file restored the run resumes to the uninterrupted result.
    void aResumeOverChangedDataIsRefused() {
        const QString dir = m_dir.path() + "/changed-data";
        QVERIFY(QDir().mkpath(dir));
        for (const auto& [name, n, seed] :
             {std::tuple{"train", 300, 1U}, std::tuple{"validation", 300, 2U},
              std::tuple{"test", 600, 3U}}) {
            bt::testing::writeClassificationCsv(dir + "/" + name + ".csv", n, seed);
        }
        auto json = comparisonConfig();
        json["methods"] = {"random"};
        json["dataset"]["train_path"] = (dir + "/train.csv").toStdString();
        json["dataset"]["validation_path"] = (dir + "/validation.csv").toStdString();
        json["dataset"]["test_path"] = (dir + "/test.csv").toStdString();
        const auto config = bt::config::parseRunConfig(json, "test");
        bt::core::MemoryJournal full((dir + "/checkpoints").toStdString());
        bt::events::NullSink sink;
        const auto reference = bt::run::executeRun(config, "full", sink, {}, &full);
        const auto record = full.find(bt::core::kDataRecordKey);
        QVERIFY(record.has_value());
        QCOMPARE(record->data, reference.data);
        QCOMPARE(reference.data["test"]["rows"].get<int>(), 600);
        QCOMPARE(reference.data["test"]["crc32"].get<std::string>().size(), std::size_t{8});

        bt::core::MemoryJournal partial = full;
        partial.truncate(2); // the fingerprints and the first trial
        bt::testing::writeClassificationCsv(dir + "/test.csv", 600, 4);
        CountingSink events;
        try {
            bt::run::executeRun(config, "resumed", events, {}, &partial);
            QFAIL("a resumption over other test data ran");
        } catch (const bt::core::InputError& e) {
            const std::string message = e.what();
            QVERIFY2(message.find("dataset") != std::string::npos &&
                         message.find("test split 600 rows") != std::string::npos &&
                         message.find("began with") != std::string::npos &&
                         message.find("validation split") == std::string::npos,
                     message.c_str());
        }
        QCOMPARE(events.count, 0);
        QCOMPARE(partial.size(), std::size_t{2});

        bt::testing::writeClassificationCsv(dir + "/test.csv", 600, 3);
        compareResults(reference, bt::run::executeRun(config, "resumed", sink, {}, &partial));
        QCOMPARE(partial.size(), full.size());
    }

    void aMissingCheckpointIsNamed() {
        auto json = comparisonConfig();
        json["methods"] = {"bilevel"};
        const std::filesystem::path checkpoints = (m_dir.path() + "/missing").toStdString();
        bt::core::MemoryJournal journal(checkpoints);
        bt::events::NullSink sink;
        const auto config = bt::config::parseRunConfig(json, "test");
        QCOMPARE(QString::fromLatin1(bt::events::toString(
                     bt::run::executeRun(config, "a", sink, {}, &journal).status)),
                 QStringLiteral("completed"));
        std::filesystem::remove(checkpoints / "bilevel-0.pt");
        const auto resumed = bt::run::executeRun(config, "b", sink, {}, &journal);
        QCOMPARE(QString::fromLatin1(bt::events::toString(resumed.status)),
                 QStringLiteral("failed"));
        QVERIFY2(resumed.message.find("bilevel-0.pt") != std::string::npos &&
                     resumed.message.find("missing") != std::string::npos,
                 resumed.message.c_str());
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestResume)
#include "test_resume.moc"
