#include "engine/eval/journaling_evaluator.h"

#include <optional>

#include "engine/core/error.h"

namespace bt::eval {

namespace {

// Whether the journal keeps a request's trained state as a checkpoint: a replay must return
// what the request asks for (a state to continue, weights kept in the journal).
bool needsCheckpoint(const EvaluationRequest& request) {
    return (request.keepWeights && request.journalWeights) || request.keepState ||
           static_cast<bool>(request.resume);
}

nlohmann::json splitJson(const train::SplitMetrics& m) {
    nlohmann::json j = {{"loss", m.loss}};
    if (m.accuracy) {
        j["accuracy"] = *m.accuracy;
    }
    return j;
}

train::SplitMetrics splitFromJson(const nlohmann::json& j) {
    train::SplitMetrics m;
    m.loss = j.at("loss").get<double>();
    if (j.contains("accuracy")) {
        m.accuracy = j.at("accuracy").get<double>();
    }
    return m;
}

train::TrainStatus statusFromString(const std::string& s) {
    for (const auto status :
         {train::TrainStatus::Ok, train::TrainStatus::Diverged, train::TrainStatus::Cancelled}) {
        if (train::toString(status) == s) {
            return status;
        }
    }
    throw std::invalid_argument("unknown training status '" + s + "'");
}

// File names in the checkpoint folder: the key with '/' replaced.
std::string checkpointName(const std::string& key) {
    std::string name = key;
    for (auto& c : name) {
        if (c == '/') {
            c = '-';
        }
    }
    return name + ".pt";
}

} // namespace

nlohmann::json toJournalJson(const train::TrainingResult& result) {
    const auto& e = result.evaluation;
    return {{"status", train::toString(result.status)},
            {"message", result.message},
            {"objective", e.objective},
            {"penalty", e.penalty},
            {"train", splitJson(e.train)},
            {"validation", splitJson(e.validation)},
            {"test", splitJson(e.test)},
            {"samples", result.samplesProcessed},
            {"seconds", result.seconds},
            {"train_seconds", result.trainSeconds}};
}

train::TrainingResult trainingResultFromJournal(const nlohmann::json& j, const std::string& key) {
    try {
        train::TrainingResult r;
        r.status = statusFromString(j.at("status").get<std::string>());
        r.message = j.at("message").get<std::string>();
        r.evaluation.objective = j.at("objective").get<double>();
        r.evaluation.penalty = j.at("penalty").get<double>();
        r.evaluation.train = splitFromJson(j.at("train"));
        r.evaluation.validation = splitFromJson(j.at("validation"));
        r.evaluation.test = splitFromJson(j.at("test"));
        r.samplesProcessed = j.at("samples").get<int64_t>();
        r.seconds = j.at("seconds").get<double>();
        r.trainSeconds = j.at("train_seconds").get<double>();
        return r;
    } catch (const std::exception& e) {
        throw core::InputError("run journal record " + key,
                               std::string("malformed training result: ") + e.what());
    }
}

std::string writeJournalCheckpoint(core::Journal& journal, const train::Trainer& trainer,
                                   const std::string& key, const train::TrainingState& state) {
    const auto folder = journal.checkpointFolder();
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (ec) {
        throw core::InputError(folder.string(),
                               "cannot create the checkpoint folder: " + ec.message());
    }
    const auto name = checkpointName(key);
    trainer.saveCheckpoint(state, folder / name);
    return name;
}

train::TrainingState readJournalCheckpoint(core::Journal& journal, const train::Trainer& trainer,
                                           const core::JournalRecord& record) {
    return trainer.loadCheckpoint(journal.checkpointFolder() / record.checkpoint);
}

EvaluationOutcome JournalingEvaluator::replay(const EvaluationRequest& request,
                                              const core::JournalRecord& record,
                                              const std::string& key) const {
    const auto& data = record.data;
    // A record made for another request means the configuration or the code changed since the
    // run was interrupted: continuing would mix two different runs.
    if (data.value("lambda", std::vector<double>{}) != request.lambda ||
        data.value("epochs", -1) != request.epochs ||
        data.value("continued", false) != static_cast<bool>(request.resume)) {
        throw core::InputError("run journal record " + key,
                               "was made for another evaluation than the run now asks for; the "
                               "run's configuration or the program changed since it stopped");
    }
    EvaluationOutcome outcome;
    outcome.lambda = request.lambda;
    outcome.result = trainingResultFromJournal(data.at("result"), key);
    outcome.replayed = true;
    if (!record.checkpoint.empty()) {
        adoptTrainedState(request, readJournalCheckpoint(*m_journal, m_trainer, record), outcome);
    } else if (needsCheckpoint(request)) {
        throw core::InputError("run journal record " + key,
                               "has no checkpoint, but the evaluation needs its weights");
    }
    return outcome;
}

void JournalingEvaluator::commit(const std::string& key, const EvaluationRequest& request,
                                 const EvaluationOutcome& outcome) const {
    core::JournalRecord record;
    record.data = {{"lambda", request.lambda},
                   {"epochs", request.epochs},
                   {"continued", static_cast<bool>(request.resume)},
                   {"result", toJournalJson(outcome.result)}};
    if (needsCheckpoint(request) && outcome.state) {
        record.checkpoint = writeJournalCheckpoint(*m_journal, m_trainer, key, *outcome.state);
    }
    m_journal->append(key, record);
}

std::vector<EvaluationOutcome>
JournalingEvaluator::evaluate(const std::vector<EvaluationRequest>& requests, std::stop_token stop,
                              const Completion& onCompleted) {
    const std::size_t base = m_next;
    m_next += requests.size();
    const auto keyOf = [&](std::size_t i) { return m_prefix + "/" + std::to_string(base + i); };

    std::vector<std::optional<EvaluationOutcome>> ready(requests.size());
    std::vector<EvaluationRequest> pending;
    std::vector<std::size_t> pendingIndex;
    for (std::size_t i = 0; i < requests.size(); ++i) {
        const auto record = m_journal ? m_journal->find(keyOf(i)) : std::nullopt;
        if (record) {
            ready[i] = replay(requests[i], *record, keyOf(i));
        } else {
            auto request = requests[i];
            if (m_journal) {
                request.keepState = true; // the checkpoint is written from the state
            }
            pending.push_back(std::move(request));
            pendingIndex.push_back(i);
        }
    }

    // The inner evaluator may complete in any order (MpiEvaluator): each live outcome is
    // committed as it arrives, and the caller hears of them in request order, as the Evaluator
    // contract says.
    std::vector<EvaluationOutcome> outcomes;
    std::size_t emitted = 0;
    const auto flush = [&] {
        while (emitted < ready.size() && ready[emitted]) {
            outcomes.push_back(std::move(*ready[emitted]));
            if (onCompleted) {
                onCompleted(emitted, outcomes.back());
            }
            ++emitted;
        }
    };
    flush();
    if (!pending.empty()) {
        m_inner.evaluate(pending, stop, [&](std::size_t j, const EvaluationOutcome& live) {
            const auto i = pendingIndex[j];
            if (m_journal) {
                commit(keyOf(i), requests[i], live);
            }
            EvaluationOutcome outcome = live;
            if (!requests[i].keepState) {
                outcome.state.reset();
            }
            ready[i] = std::move(outcome);
            flush();
        });
    }
    return outcomes;
}

} // namespace bt::eval
