#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>

#include "engine/config/run_config.h"
#include "engine/events/events.h"
#include "engine/report/run_result.h"
#include "engine/run/runner.h"
#include "engine/store/run_store.h"

namespace bt::store {
class RunSession;
}

namespace bt::run {

/// What a new stored run is recorded with, besides its configuration.
struct NewRunSpec {
    std::string id = newRunId();
    std::string name;
    std::filesystem::path outDir; ///< where result.json goes; empty: nowhere
};

/// A stored run that may be continued, as RunDriver::findResumable checked it.
struct ResumableRun {
    store::RunInfo info;
    /// The run's configuration from the store. A front end may pin the device for its process
    /// (the MPI coordinator does) before RunDriver::resume.
    config::RunConfig config;
};

/// Drives one stored run for either front end (the command line, ui::RunController): begins it
/// in the run store or takes it over for resume, runs it on the calling thread with every event
/// sent to the store's sink first (durable before shown) and then to the front end's sink, with
/// its journal in the store, and ends it: the store's status and result, and result.json.
///
/// Use: begin() or findResumable() + resume(), then drive(), then finish() with drive's result.
/// Destroyed before finish() (an exception escaped the front end), it stops the heartbeat and
/// leaves the run `running`, to be marked interrupted once this process is gone.
class RunDriver {
public:
    /// Records a new run of `config` in `store` (status running) and starts its heartbeat.
    /// @throws store::StoreError when the store cannot be written
    static std::unique_ptr<RunDriver> begin(store::RunStore& store, const config::RunConfig& config,
                                            NewRunSpec spec);

    /// Looks `runIdOrPrefix` up (a dead process's run is marked interrupted first) and checks
    /// that it can be continued: interrupted, cancelled or failed.
    /// @throws store::StoreError for an unknown or ambiguous id
    /// @throws core::InputError for a completed run or one still running; config::ConfigError
    ///         for a stored configuration this program cannot read
    static ResumableRun findResumable(store::RunStore& store, const std::string& runIdOrPrefix);

    /// Takes `run` over for this process: its status is running again, and once the resumed run
    /// begins (its first event, after its data were read and found to be the ones it began
    /// with) its stored events give way to the replay's, which sends every committed unit's
    /// events again. result.json goes to `outDir`, or to the run's own folder when that is empty.
    /// @throws store::StoreError when the store cannot be written
    static std::unique_ptr<RunDriver> resume(store::RunStore& store, const ResumableRun& run,
                                             std::filesystem::path outDir = {});

    ~RunDriver();
    RunDriver(const RunDriver&) = delete;
    RunDriver& operator=(const RunDriver&) = delete;

    const std::string& runId() const { return m_runId; }
    const config::RunConfig& config() const { return m_config; }
    const std::filesystem::path& outDir() const { return m_outDir; }

    /// Runs the run on the calling thread (run::executeRun with the store's journal): a new run
    /// from the start, a resumed one by replaying its records and going on. Each event goes to
    /// the store's sink, then to `frontEnd`. A failed store write requests `stop`, so the run
    /// ends cancelled and finish() records it as failed.
    /// @throws what executeRun throws (core::InputError for bad data), after ending the run in
    ///         the store: a new run that never began (no event written, no record) is
    ///         discarded; a resumption that never began (data missing, or not the ones the run
    ///         began with) leaves the run as it was, its events, status and message; any other
    ///         run is marked failed with the error's message.
    report::RunResult drive(events::EventSink& frontEnd, std::stop_source stop,
                            const EvaluatorFactory& makeEvaluator = {});

    /// Ends the run with `result` from drive(): a failed store write seen by the store's sink
    /// turns it into `failed` with that message (so `result` is what was recorded); the store
    /// gets its status, message and result; result.json is written into outDir() (when set),
    /// even when the store could not record the end.
    /// @throws std::runtime_error naming the run when the store could not record its end;
    ///         core::InputError when result.json cannot be written.
    void finish(report::RunResult& result);

private:
    RunDriver(store::RunStore& store, std::unique_ptr<store::RunSession> session,
              config::RunConfig config, std::filesystem::path outDir);

    /// A resumed run's status and message before this process took it over.
    struct Previous {
        events::RunStatus status;
        std::string message;
    };

    store::RunStore& m_store;
    std::optional<Previous> m_resumedFrom;
    /// Why a resumed run's stored events could not be cleared (the run was then cancelled).
    std::optional<std::string> m_clearFailure;
    std::unique_ptr<store::RunSession> m_session;
    std::string m_runId;
    config::RunConfig m_config;
    std::filesystem::path m_outDir;
};

} // namespace bt::run
