#pragma once

#include <filesystem>
#include <string>

#include "engine/core/journal.h"
#include "engine/store/run_store.h"

namespace bt::store {

/// A run's journal (core::Journal) kept in the run store as the run's records: resume reads the
/// records an interrupted process committed and continues after them. Checkpoint files live in
/// checkpointFolderFor(store, runId); the record holds the file's path.
class StoreJournal final : public core::Journal {
public:
    StoreJournal(RunStore& store, std::string runId);

    std::optional<core::JournalRecord> find(const std::string& key) override;
    void append(const std::string& key, const core::JournalRecord& record) override;
    std::filesystem::path checkpointFolder() const override { return m_folder; }

private:
    RunStore& m_store;
    std::string m_runId;
    std::filesystem::path m_folder;
};

/// `<the store's folder>/checkpoints/<run id>`.
std::filesystem::path checkpointFolderFor(const RunStore& store, const std::string& runId);

/// Deletes run `runId` from `store` (RunStore::deleteRun: refused while it is running) and then
/// its checkpoint folder, the kept models with it. The store's rows go first, in one
/// transaction, so that a failure leaves the run whole; a folder that cannot be removed
/// afterwards is named in the text returned (empty when everything went). The run's output
/// folder (result.json, RunInfo::outDir) is the user's and is left as it is.
std::string deleteStoredRun(RunStore& store, const std::string& runId);

} // namespace bt::store
