#include "engine/store/store_journal.h"

#include <system_error>

namespace bt::store {

std::filesystem::path checkpointFolderFor(const RunStore& store, const std::string& runId) {
    return store.file().parent_path() / "checkpoints" / runId;
}

std::string deleteStoredRun(RunStore& store, const std::string& runId) {
    const auto folder = checkpointFolderFor(store, runId);
    store.deleteRun(runId);
    std::error_code error;
    std::filesystem::remove_all(folder, error);
    if (error) {
        return "run " + runId + " is deleted from " + store.file().string() +
               ", but its checkpoint folder " + folder.string() + " could not be removed (" +
               error.message() + "); delete it by hand";
    }
    return {};
}

StoreJournal::StoreJournal(RunStore& store, std::string runId)
    : m_store(store), m_runId(std::move(runId)), m_folder(checkpointFolderFor(store, m_runId)) {}

std::optional<core::JournalRecord> StoreJournal::find(const std::string& key) {
    const auto stored = m_store.record(m_runId, key);
    if (!stored) {
        return std::nullopt;
    }
    core::JournalRecord record;
    record.data = stored->data;
    // The journal names checkpoints inside its folder; the store keeps the whole path.
    if (!stored->checkpoint.empty()) {
        record.checkpoint = std::filesystem::path(stored->checkpoint).filename().string();
    }
    return record;
}

void StoreJournal::append(const std::string& key, const core::JournalRecord& record) {
    Record stored;
    stored.key = key;
    stored.data = record.data;
    if (!record.checkpoint.empty()) {
        stored.checkpoint = (m_folder / record.checkpoint).string();
    }
    m_store.appendRecords(m_runId, {stored});
}

} // namespace bt::store
