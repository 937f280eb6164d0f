#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace bt::core {

/// One committed unit of a run's work (a finished training, an inner solve, a refit): what a
/// resumed run needs to continue without redoing it.
struct JournalRecord {
    nlohmann::json data;
    /// A checkpoint file's name inside the journal's checkpointFolder(); empty when none.
    std::string checkpoint;
};

/// The key of the record that holds a run's data fingerprints (result.json's "data"), appended
/// when the run is first executed and compared when it is resumed (run::executeRun).
inline constexpr const char* kDataRecordKey = "data";

/// The write-ahead record of a run that makes resume exact: every method asks it, in its own
/// deterministic order, whether a unit of work is already done. On a first run nothing is found
/// and each unit is appended once it completes; a resumed run replays the records (the same
/// outcomes, weights from their checkpoints) and continues where the records end. Because every
/// unit is seeded by what it evaluates, replay plus continuation gives the uninterrupted run's
/// result (with the same thread count).
class Journal {
public:
    virtual ~Journal() = default;

    /// The record committed under `key`, if any.
    virtual std::optional<JournalRecord> find(const std::string& key) = 0;

    /// Commits `record` under `key` durably before returning; its checkpoint file, if any, is
    /// already in place. A key is appended at most once.
    virtual void append(const std::string& key, const JournalRecord& record) = 0;

    /// Where this run's checkpoint files live (created on demand by the caller).
    virtual std::filesystem::path checkpointFolder() const = 0;
};

/// A journal held in memory, with checkpoints in a given folder: for tests, and for runs that
/// do not keep a store.
class MemoryJournal final : public Journal {
public:
    explicit MemoryJournal(std::filesystem::path checkpointFolder)
        : m_folder(std::move(checkpointFolder)) {}

    std::optional<JournalRecord> find(const std::string& key) override;
    void append(const std::string& key, const JournalRecord& record) override;
    std::filesystem::path checkpointFolder() const override { return m_folder; }

    std::size_t size() const { return m_records.size(); }
    /// Drops every record after the first `count` appended (a run killed earlier), for tests.
    void truncate(std::size_t count);

private:
    std::filesystem::path m_folder;
    std::map<std::string, JournalRecord> m_records;
    std::vector<std::string> m_order;
};

} // namespace bt::core
