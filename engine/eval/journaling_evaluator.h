#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "engine/core/journal.h"
#include "engine/eval/evaluator.h"

namespace bt::eval {

/// An evaluator that makes a method's evaluations resumable: each request gets the key
/// "<prefix>/<n>" (n counts the method's requests in order, which is deterministic); a request
/// whose record is in the journal is replayed (its result, and its weights or training state
/// from the checkpoint), the others go to the wrapped evaluator and are committed to the
/// journal one by one as they complete, before the caller hears of them. Without a journal it
/// passes everything through.
class JournalingEvaluator final : public Evaluator {
public:
    JournalingEvaluator(Evaluator& inner, const train::Trainer& trainer, core::Journal* journal,
                        std::string prefix)
        : m_inner(inner), m_trainer(trainer), m_journal(journal), m_prefix(std::move(prefix)) {}

    std::vector<EvaluationOutcome> evaluate(const std::vector<EvaluationRequest>& requests,
                                            std::stop_token stop,
                                            const Completion& onCompleted) override;

private:
    EvaluationOutcome replay(const EvaluationRequest& request, const core::JournalRecord& record,
                             const std::string& key) const;
    void commit(const std::string& key, const EvaluationRequest& request,
                const EvaluationOutcome& outcome) const;

    Evaluator& m_inner;
    const train::Trainer& m_trainer;
    core::Journal* m_journal;
    std::string m_prefix;
    std::size_t m_next = 0;
};

/// A training result as journal JSON (doubles round-trip exactly), and back; `key` names the
/// record in the error thrown for a malformed one.
nlohmann::json toJournalJson(const train::TrainingResult& result);
train::TrainingResult trainingResultFromJournal(const nlohmann::json& json, const std::string& key);

/// Writes `state` as the checkpoint of record `key` in the journal's folder; returns the file's
/// name for core::JournalRecord::checkpoint.
std::string writeJournalCheckpoint(core::Journal& journal, const train::Trainer& trainer,
                                   const std::string& key, const train::TrainingState& state);

/// Reads the checkpoint of `record` back. Throws core::InputError naming the file when it is
/// missing, corrupt or of another model.
train::TrainingState readJournalCheckpoint(core::Journal& journal, const train::Trainer& trainer,
                                           const core::JournalRecord& record);

} // namespace bt::eval
