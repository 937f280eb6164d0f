#include <QtTest>

#include <QTemporaryDir>

#include <filesystem>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "engine/core/error.h"
#include "engine/core/journal.h"
#include "engine/eval/evaluator.h"
#include "engine/eval/journaling_evaluator.h"
#include "engine/train/trainer.h"
#include "tests/engine/methods/fake_evaluator.h" // tinyProblem
#include "tests/support/reported_batch.h"
#include "tests/support/same_weights.h"

using bt::core::MemoryJournal;
using bt::eval::EvaluationOutcome;
using bt::eval::EvaluationRequest;
using bt::eval::JournalingEvaluator;
using bt::train::TrainingResult;
using bt::train::TrainStatus;

namespace {

// Trains in this process and counts what it was asked; with `reverse`, reports a batch's
// completions last first, as a parallel executor may.
class CountingEvaluator final : public bt::eval::Evaluator {
public:
    CountingEvaluator(const bt::train::Trainer& trainer, bool reverse = false)
        : m_inner(trainer), m_reverse(reverse) {}

    std::vector<EvaluationOutcome> evaluate(const std::vector<EvaluationRequest>& requests,
                                            std::stop_token stop,
                                            const Completion& onCompleted) override {
        requested += static_cast<int>(requests.size());
        if (!m_reverse) {
            return m_inner.evaluate(requests, stop, onCompleted);
        }
        auto outcomes = m_inner.evaluate(requests, stop, {});
        for (std::size_t i = outcomes.size(); i-- > 0;) {
            onCompleted(i, outcomes[i]);
        }
        return outcomes;
    }

    int requested = 0;

private:
    bt::eval::InProcessEvaluator m_inner;
    bool m_reverse;
};

std::vector<EvaluationRequest> twoRequests() {
    std::vector<EvaluationRequest> requests(2);
    requests[0].lambda = {-5.0, -1.0};
    requests[1].lambda = {-2.0, -3.0};
    requests[1].epochs = 2;
    requests[1].keepWeights = true;
    return requests;
}

// The InputError `f` throws: its where() and what(), or a text saying what happened instead.
template <class F>
std::pair<std::string, std::string> inputErrorOf(F&& f) {
    try {
        f();
    } catch (const bt::core::InputError& e) {
        return {e.where(), e.what()};
    } catch (const std::exception& e) {
        return {"<not an InputError>", e.what()};
    }
    return {"<no exception>", ""};
}

} // namespace

/// The journaling evaluator (engine/eval/journaling_evaluator): commits every completed
/// training, replays committed ones instead of training them again, refuses a journal of
/// another run.
class TestJournalingEvaluator : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        bt::train::TrainerOptions options;
        options.epochs = 3;
        options.batchSize = 8;
        m_trainer =
            std::make_unique<bt::train::Trainer>(bt::testing::tinyProblem(20, 3, 4), options);
    }

    // Doubles round-trip exactly; an absent accuracy stays absent.
    void trainingResultRoundTripsThroughJournalJson() {
        TrainingResult r;
        r.status = TrainStatus::Diverged;
        r.message = "loss is nan at epoch 2";
        r.evaluation.objective = 0.1 + 0.2;
        r.evaluation.penalty = 1e-300;
        r.evaluation.train = {1.0 / 3.0, 0.75};
        r.evaluation.validation = {2.0 / 3.0, std::nullopt};
        r.evaluation.test = {5.5, 0.125};
        r.samplesProcessed = 123456789012;
        r.seconds = 2.5;
        r.trainSeconds = 1.75;
        const auto back = bt::eval::trainingResultFromJournal(
            nlohmann::json::parse(bt::eval::toJournalJson(r).dump()), "grid/3");
        QVERIFY(back.status == TrainStatus::Diverged);
        QCOMPARE(back.message, r.message);
        QCOMPARE(back.evaluation.objective, 0.1 + 0.2);
        QCOMPARE(back.evaluation.penalty, 1e-300);
        QCOMPARE(back.evaluation.train.loss, 1.0 / 3.0);
        QCOMPARE(back.evaluation.train.accuracy, std::optional<double>(0.75));
        QCOMPARE(back.evaluation.validation.loss, 2.0 / 3.0);
        QVERIFY(!back.evaluation.validation.accuracy.has_value());
        QCOMPARE(back.evaluation.test.loss, 5.5);
        QCOMPARE(back.evaluation.test.accuracy, std::optional<double>(0.125));
        QCOMPARE(back.samplesProcessed, int64_t{123456789012});
        QCOMPARE(back.seconds, 2.5);
        QCOMPARE(back.trainSeconds, 1.75);
        for (const auto status : {TrainStatus::Ok, TrainStatus::Cancelled}) {
            r.status = status;
            QVERIFY(bt::eval::trainingResultFromJournal(bt::eval::toJournalJson(r), "k").status ==
                    status);
        }
    }

    // A malformed record is an input error naming it.
    void malformedRecordIsNamed() {
        auto j = bt::eval::toJournalJson(TrainingResult{});
        j.erase("objective");
        auto [where, what] =
            inputErrorOf([&] { bt::eval::trainingResultFromJournal(j, "grid/3"); });
        QCOMPARE(QString::fromStdString(where), QStringLiteral("run journal record grid/3"));
        QVERIFY2(what.find("malformed training result") != std::string::npos, what.c_str());
        j = bt::eval::toJournalJson(TrainingResult{});
        j["status"] = "exploded";
        std::tie(where, what) =
            inputErrorOf([&] { bt::eval::trainingResultFromJournal(j, "random/0"); });
        QCOMPARE(QString::fromStdString(where), QStringLiteral("run journal record random/0"));
        QVERIFY2(what.find("exploded") != std::string::npos, what.c_str());
    }

    // First pass: trained and committed one by one ("<prefix>/<n>"), a checkpoint for the
    // request that keeps its weights. Second pass over the same journal: nothing is trained,
    // the outcomes (and weights) are the first pass's, marked replayed; the next request's key
    // continues the count and is trained.
    void commitsThenReplays() {
        const std::filesystem::path folder = (m_dir.path() + "/replay").toStdString();
        MemoryJournal journal(folder);
        const auto requests = twoRequests();

        CountingEvaluator firstInner(*m_trainer);
        JournalingEvaluator first(firstInner, *m_trainer, &journal, "grid");
        const auto live = first.evaluate(requests, {}, {});
        QCOMPARE(firstInner.requested, 2);
        QCOMPARE(live.size(), std::size_t{2});
        QCOMPARE(journal.size(), std::size_t{2});
        const auto r0 = journal.find("grid/0");
        const auto r1 = journal.find("grid/1");
        QVERIFY(r0 && r1);
        QCOMPARE(r0->data.at("lambda").get<std::vector<double>>(), requests[0].lambda);
        QCOMPARE(r0->data.at("epochs").get<int>(), 0);
        QCOMPARE(r0->data.at("continued").get<bool>(), false);
        QVERIFY(r0->checkpoint.empty());
        QCOMPARE(r1->data.at("epochs").get<int>(), 2);
        QCOMPARE(r1->checkpoint, std::string("grid-1.pt"));
        QVERIFY(std::filesystem::is_regular_file(folder / "grid-1.pt"));
        // The state the journal needed is not handed to a caller that did not ask for it.
        QVERIFY(!live[0].state && !live[1].state);
        QVERIFY(!live[1].network.is_empty());

        CountingEvaluator secondInner(*m_trainer);
        JournalingEvaluator second(secondInner, *m_trainer, &journal, "grid");
        const auto [replayed, reported] = bt::testing::evaluateReporting(second, requests);
        QCOMPARE(secondInner.requested, 0);
        QCOMPARE(reported, (std::vector<std::size_t>{0, 1}));
        QCOMPARE(replayed.size(), std::size_t{2});
        for (std::size_t i = 0; i < 2; ++i) {
            QVERIFY(replayed[i].replayed);
            QVERIFY(!live[i].replayed);
            QCOMPARE(replayed[i].lambda, requests[i].lambda);
            QCOMPARE(replayed[i].result.evaluation.objective, live[i].result.evaluation.objective);
            QCOMPARE(replayed[i].result.evaluation.test.loss, live[i].result.evaluation.test.loss);
            QCOMPARE(replayed[i].result.samplesProcessed, live[i].result.samplesProcessed);
        }
        QVERIFY(replayed[0].network.is_empty());
        QVERIFY(!replayed[1].network.is_empty());
        QVERIFY(bt::testing::sameWeights(replayed[1].network, live[1].network));
        QCOMPARE(journal.size(), std::size_t{2});

        EvaluationRequest third;
        third.lambda = {-1.0, -1.0};
        QCOMPARE(second.evaluate({third}, {}, {}).size(), std::size_t{1});
        QCOMPARE(secondInner.requested, 1);
        QVERIFY(journal.find("grid/2").has_value());
    }

    // A record made for another evaluation (another λ: the configuration changed) is refused.
    void aRecordOfAnotherRequestIsRefused() {
        MemoryJournal journal((m_dir.path() + "/other").toStdString());
        CountingEvaluator inner(*m_trainer);
        JournalingEvaluator first(inner, *m_trainer, &journal, "random");
        QCOMPARE(first.evaluate(twoRequests(), {}, {}).size(), std::size_t{2});
        auto changed = twoRequests();
        changed[0].lambda = {-5.0, -1.5};
        JournalingEvaluator second(inner, *m_trainer, &journal, "random");
        const auto [where, what] = inputErrorOf([&] { second.evaluate(changed, {}, {}); });
        QCOMPARE(QString::fromStdString(where), QStringLiteral("run journal record random/0"));
        QVERIFY2(what.find("another evaluation") != std::string::npos, what.c_str());
        QCOMPARE(inner.requested, 2); // nothing trained for the refused request
    }

    // Completions that arrive last first are committed as they arrive and reported to the
    // caller in request order.
    void outOfOrderCompletionsAreReportedInOrder() {
        MemoryJournal journal((m_dir.path() + "/reversed").toStdString());
        CountingEvaluator inner(*m_trainer, true);
        JournalingEvaluator evaluator(inner, *m_trainer, &journal, "rung");
        std::vector<EvaluationRequest> requests(3);
        for (std::size_t i = 0; i < requests.size(); ++i) {
            requests[i].lambda = {-2.0 * static_cast<double>(i + 1), -1.0};
        }
        const auto [outcomes, reported] = bt::testing::evaluateReporting(evaluator, requests);
        QCOMPARE(reported, (std::vector<std::size_t>{0, 1, 2}));
        QCOMPARE(outcomes.size(), std::size_t{3});
        for (std::size_t i = 0; i < 3; ++i) {
            QCOMPARE(outcomes[i].lambda, requests[i].lambda);
        }
        // Committed in arrival order: the first record appended is the last request's.
        MemoryJournal first = journal;
        first.truncate(1);
        QVERIFY(first.find("rung/2").has_value());
        QVERIFY(!first.find("rung/0").has_value());
    }

    // Without a journal everything goes to the wrapped evaluator, unchanged.
    void withoutAJournalPassesThrough() {
        CountingEvaluator inner(*m_trainer);
        JournalingEvaluator evaluator(inner, *m_trainer, nullptr, "grid");
        const auto requests = twoRequests();
        const auto outcomes = evaluator.evaluate(requests, {}, {});
        QCOMPARE(inner.requested, 2);
        QCOMPARE(outcomes.size(), std::size_t{2});
        const auto direct = m_trainer->trainFromInit(requests[0].lambda, {});
        QCOMPARE(outcomes[0].result.evaluation.objective, direct.evaluation.objective);
        QVERIFY(!outcomes[0].replayed);
        QVERIFY(!outcomes[0].state);
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<bt::train::Trainer> m_trainer;
};

QTEST_GUILESS_MAIN(TestJournalingEvaluator)
#include "test_journaling_evaluator.moc"
