#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/events/events.h"
#include "engine/events/run_status.h"
#include "engine/store/store_error.h"

namespace bt::store {

// The store keeps the run status of events (engine/events/run_status.h) in its runs table.
using events::parseRunStatus;
using events::RunStatus;

/// How a RunStore opens its file.
struct StoreOptions {
    /// How long a write waits for another process's write transaction before failing with
    /// StoreError::Kind::Locked. Writers hold the lock for milliseconds (one event, one training's
    /// records), so this only runs out when something holds the store far longer.
    std::chrono::milliseconds busyTimeout{5000};
    /// A `running` run of another host whose heartbeat is older than this is marked
    /// `interrupted` (a run of this host is, as soon as its process is gone). Three missed beats
    /// of Heartbeat::kDefaultInterval.
    std::chrono::milliseconds staleAfter{15000};
};

/// What a new run starts with.
struct NewRun {
    std::string id; ///< unique in the store (run::newRunId())
    std::string name;
    nlohmann::json config; ///< the full run configuration (config::toJson)
    std::vector<std::string> methods;
    std::optional<std::uint64_t> seed;
    nlohmann::json environment = nlohmann::json::object(); ///< versions, BLAS, devices
    std::filesystem::path outDir;                          ///< where result.json goes
    std::optional<std::int64_t> pid;                       ///< default: this process
    std::optional<std::string> host;                       ///< default: this machine
};

/// A run as the store holds it. Times are milliseconds since the Unix epoch (UTC).
struct RunInfo {
    std::string id;
    std::string name;
    RunStatus status = RunStatus::Running;
    std::string message; ///< why it failed, was cancelled or interrupted
    nlohmann::json config;
    std::vector<std::string> methods;
    std::optional<std::uint64_t> seed;
    std::int64_t createdMs = 0;
    std::int64_t updatedMs = 0;   ///< last write of any kind but the heartbeat
    std::int64_t heartbeatMs = 0; ///< last sign of life of the process running it
    std::int64_t pid = 0;
    std::string host;
    std::filesystem::path outDir;
    nlohmann::json environment;
    nlohmann::json result; ///< result.json's content once the run ended; null before
};

/// One event of a run, as stored (the JSON form of event_json.h).
struct StoredEvent {
    std::int64_t seq = 0; ///< 1, 2, ... per run, in the order the engine sent them
    std::int64_t timeMs = 0;
    std::string type;
    nlohmann::json data;
};

/// A unit of a run's work that resume needs (a finished training, an outer iteration...): a key
/// unique within the run, JSON data and optionally the path of a checkpoint file. The store
/// keeps the path only; the file is the writer's to create (before appending) and keep.
struct Record {
    std::string key;
    nlohmann::json data;
    std::string checkpoint; ///< empty when none
};

struct StoredRecord : Record {
    std::int64_t seq = 0; ///< 1, 2, ... per run, in append order
    std::int64_t timeMs = 0;
};

/// The run store: every run, its events in order, its lower-level trainings (φ samples and
/// trials), outer iterations, resume records and final result, in one SQLite file
/// (default `<data folder>/runs.db`).
///
/// Durability: the file is in WAL mode with synchronous=FULL, and each call that writes is one
/// transaction (a sample event and its sample row, an outer iteration and its row, a batch of
/// records), committed before the call returns; Transaction groups several calls into one. A
/// process killed at any moment leaves the store as it was after the last committed call.
///
/// Safety: opening checks the file before writing anything to it. A file that is not SQLite, an
/// SQLite file of another application, one written by a newer version, or one that fails
/// SQLite's quick check throws StoreError and is left exactly as it was. An older schema is
/// upgraded step by step, after a copy of the file is saved next to it.
///
/// Concurrency: any number of processes may read while one writes (WAL); writers queue for up to
/// StoreOptions::busyTimeout. Within a process, one RunStore may be used from several threads
/// (a mutex serialises its connection; a Transaction holds it until it ends).
///
/// Every method throws StoreError (an InputError naming the file) when the database fails:
/// Locked, Unwritable, Corrupt or Failed; UnknownRun for a run id the store does not hold.
class RunStore {
public:
    /// Opens `file`, creating it (and its folder) when missing, and marks stale runs as
    /// interrupted (markStaleRunsInterrupted) when the file is writable. A file that the
    /// operating system does not let us write is opened read-only: reading works, writing throws
    /// StoreError::Kind::Unwritable.
    /// @throws StoreError  NotADatabase, Corrupt, Foreign, NewerSchema, Unwritable, Locked
    explicit RunStore(std::filesystem::path file, StoreOptions options = {});
    ~RunStore();
    RunStore(const RunStore&) = delete;
    RunStore& operator=(const RunStore&) = delete;

    /// `<data folder>/runs.db`.
    static std::filesystem::path defaultPath();

    const std::filesystem::path& file() const;
    bool readOnly() const;
    /// The schema version of the open file (after any upgrade).
    int schemaVersion() const;

    // ---- writing -------------------------------------------------------------------------------

    /// Adds a run with status `running`, its heartbeat now.
    /// @throws std::invalid_argument  when the id is empty or already in the store
    void createRun(const NewRun& run);

    /// Appends `event` to the run's events and returns its sequence number. In the same
    /// transaction: a SampleEvent also adds a sample row, an OuterIterationEvent an iteration
    /// row, a FinishedEvent sets the run's status and message.
    std::int64_t appendEvent(const std::string& runId, const events::Event& event);

    /// Appends `records` in order, all or none, in one transaction.
    /// @throws std::invalid_argument  when a key is empty, given twice or already in the run
    ///         (nothing is appended then)
    void appendRecords(const std::string& runId, const std::vector<Record>& records);

    /// Sets the status and message; the result is left as it is.
    void setStatus(const std::string& runId, RunStatus status, const std::string& message);

    /// Ends a run: its status, message and result (result.json's content) in one transaction.
    void finishRun(const std::string& runId, RunStatus status, const std::string& message,
                   const nlohmann::json& result);

    /// Marks the run as alive now (Heartbeat calls this every few seconds).
    void touchHeartbeat(const std::string& runId);

    /// Makes this process the run's owner again: status `running`, this pid and host, heartbeat
    /// now, message cleared. For a run that continues (resume).
    void claimRun(const std::string& runId);

    /// Deletes the run's events, samples and outer iterations, keeping the run and its records,
    /// in one transaction: a resumed run replays its records and sends their events again.
    void clearEvents(const std::string& runId);

    /// Deletes the run and everything stored with it (not checkpoint files). For a run that
    /// never started (bad data found before its first event).
    void discardRun(const std::string& runId);

    /// Gives the run another name (what `list` and the Runs view show; checkRunName's rule).
    void renameRun(const std::string& runId, const std::string& name);

    /// Deletes a run that is not running, and everything the store holds of it, in one
    /// transaction; its checkpoint files are the caller's (deleteStoredRun removes both). Stale
    /// runs are marked interrupted first, so a run whose process is gone can be deleted.
    /// @throws StoreError RunInUse  when the run is running in a live process
    void deleteRun(const std::string& runId);

    /// Marks `interrupted` every `running` run of this host whose process is gone (whatever its
    /// heartbeat's age), and every `running` run of another host whose heartbeat is older than
    /// StoreOptions::staleAfter. Returns how many. Does nothing on a read-only store.
    int markStaleRunsInterrupted();

    // ---- reading -------------------------------------------------------------------------------

    /// Every run, oldest first; marks stale runs first (markStaleRunsInterrupted), when the
    /// store is writable and not locked.
    std::vector<RunInfo> listRuns();

    std::optional<RunInfo> findRun(const std::string& runId) const;

    /// The run with this id, or with this unique id prefix.
    /// @throws StoreError UnknownRun  when none or several runs match
    RunInfo run(const std::string& idOrPrefix) const;

    /// The run's events in order; with `withInnerProgress` false, inner-progress events are
    /// left out.
    std::vector<StoredEvent> events(const std::string& runId, bool withInnerProgress = true) const;

    /// Every lower-level training of the run (φ samples and trials), in order.
    std::vector<events::SampleEvent> samples(const std::string& runId) const;

    /// The bilevel method's outer iterations, in order.
    std::vector<events::OuterIterationEvent> iterations(const std::string& runId) const;

    /// The run's records in append order.
    std::vector<StoredRecord> records(const std::string& runId) const;

    /// The record with this key, if the run has one.
    std::optional<StoredRecord> record(const std::string& runId, const std::string& key) const;

    /// Groups writes into one transaction: every RunStore call made on this thread while it
    /// lives joins it, and nothing is visible to other connections, or kept after a crash,
    /// until commit(). Destroyed without commit(), it rolls everything back. Holds the store's
    /// mutex (other threads' calls wait) and the database's write lock (other processes'
    /// writers wait) for its whole life: keep it short.
    class Transaction {
    public:
        explicit Transaction(RunStore& store);
        ~Transaction();
        Transaction(const Transaction&) = delete;
        Transaction& operator=(const Transaction&) = delete;
        void commit();

    private:
        RunStore& m_store;
        bool m_done = false;
    };

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// A run's name: at most kMaxRunNameLength bytes (of UTF-8), no control characters
/// (a tab or a line break would break `list`'s columns). Empty is allowed.
/// @throws core::InputError  naming the run name and what is wrong with it
void checkRunName(const std::string& name);
inline constexpr std::size_t kMaxRunNameLength = 200;

/// Milliseconds since the Unix epoch, now.
std::int64_t nowMs();

/// "2026-11-26T19:45:01Z" (UTC, seconds).
std::string formatTime(std::int64_t ms);

} // namespace bt::store
