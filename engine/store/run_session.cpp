#include "engine/store/run_session.h"

namespace bt::store {

RunSession::RunSession(RunStore& store, std::string runId, Options options)
    : m_store(store), m_runId(std::move(runId)),
      m_sink(store, m_runId, options.innerProgressInterval),
      m_heartbeat(std::make_unique<Heartbeat>(store, m_runId, options.heartbeatInterval)) {}

std::unique_ptr<RunSession> RunSession::start(RunStore& store, const NewRun& run, Options options) {
    store.createRun(run);
    return std::unique_ptr<RunSession>(new RunSession(store, run.id, options));
}

std::unique_ptr<RunSession> RunSession::adopt(RunStore& store, const std::string& runId,
                                              Options options) {
    store.claimRun(runId);
    return std::unique_ptr<RunSession>(new RunSession(store, runId, options));
}

RunSession::~RunSession() {
    m_heartbeat->stop();
}

void RunSession::finish(const report::RunResult& result) {
    m_heartbeat->stop();
    auto status = result.status;
    auto message = result.message;
    if (const auto failure = m_sink.failure()) {
        status = RunStatus::Failed;
        message = "the run store failed: " + *failure;
    }
    m_store.finishRun(m_runId, status, message, report::toJson(result));
}

void RunSession::discard() {
    m_heartbeat->stop();
    m_store.discardRun(m_runId);
}

} // namespace bt::store
