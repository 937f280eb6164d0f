#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "engine/report/result_json.h"
#include "engine/store/heartbeat.h"
#include "engine/store/run_store.h"
#include "engine/store/store_sink.h"

namespace bt::store {

/// How a RunSession records.
struct SessionOptions {
    std::chrono::milliseconds heartbeatInterval = Heartbeat::kDefaultInterval;
    std::chrono::milliseconds innerProgressInterval = StoreSink::kDefaultInnerProgressInterval;
};

/// One process's work on one stored run: the run's row (created, or taken over), its heartbeat
/// thread and the sink that records its events. Ends with finish() or discard(); destroyed
/// without either (an exception escaped), it stops the heartbeat and leaves the run `running`,
/// so that the next look at the store marks it interrupted once this process is gone.
class RunSession {
public:
    using Options = SessionOptions;

    /// Records `run` as a new run (status running) and starts its heartbeat.
    static std::unique_ptr<RunSession> start(RunStore& store, const NewRun& run,
                                             Options options = {});

    /// Takes over the stored run `runId` (RunStore::claimRun: status running, this process) and
    /// starts its heartbeat: for a run that continues.
    static std::unique_ptr<RunSession> adopt(RunStore& store, const std::string& runId,
                                             Options options = {});

    ~RunSession();
    RunSession(const RunSession&) = delete;
    RunSession& operator=(const RunSession&) = delete;

    const std::string& runId() const { return m_runId; }
    RunStore& store() { return m_store; }
    StoreSink& sink() { return m_sink; }

    /// Stops the heartbeat and stores the run's end in one transaction: status and message from
    /// `result` (a failed store write seen by the sink turns it into `failed`, with that
    /// message), and report::toJson(result) as its result.
    void finish(const report::RunResult& result);

    /// Stops the heartbeat and deletes the run (RunStore::discardRun): for a run that never
    /// started, e.g. because its data could not be read.
    void discard();

private:
    RunSession(RunStore& store, std::string runId, Options options);

    RunStore& m_store;
    std::string m_runId;
    StoreSink m_sink;
    std::unique_ptr<Heartbeat> m_heartbeat;
};

} // namespace bt::store
