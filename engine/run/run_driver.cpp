#include "engine/run/run_driver.h"

#include <stdexcept>
#include <utility>

#include "engine/config/run_config_json.h"
#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/report/result_json.h"
#include "engine/store/run_session.h"
#include "engine/store/store_journal.h"
#include "engine/train/environment.h"

namespace bt::run {

namespace {

/// Sends each event to the store's sink first, then to the front end's: what is shown is
/// already durable.
class TeeSink final : public events::EventSink {
public:
    TeeSink(events::EventSink& first, events::EventSink& second)
        : m_first(first), m_second(second) {}
    void onEvent(const events::Event& event) override {
        m_first.onEvent(event);
        m_second.onEvent(event);
    }

private:
    events::EventSink& m_first;
    events::EventSink& m_second;
};

} // namespace

RunDriver::RunDriver(store::RunStore& store, std::unique_ptr<store::RunSession> session,
                     config::RunConfig config, std::filesystem::path outDir)
    : m_store(store), m_session(std::move(session)), m_runId(m_session->runId()),
      m_config(std::move(config)), m_outDir(std::move(outDir)) {}

RunDriver::~RunDriver() = default;

std::unique_ptr<RunDriver> RunDriver::begin(store::RunStore& store, const config::RunConfig& config,
                                            NewRunSpec spec) {
    store::NewRun newRun;
    newRun.id = spec.id;
    newRun.name = spec.name;
    newRun.config = config::toJson(config);
    for (const auto method : config.methods) {
        newRun.methods.emplace_back(config::toString(method));
    }
    newRun.seed = config.training.seed;
    newRun.environment = train::toJson(train::describeEnvironment());
    newRun.outDir = spec.outDir.empty() ? spec.outDir : std::filesystem::absolute(spec.outDir);
    auto session = store::RunSession::start(store, newRun);
    core::engineLogger()->info("run {} started", spec.id);
    return std::unique_ptr<RunDriver>(
        new RunDriver(store, std::move(session), config, std::move(spec.outDir)));
}

ResumableRun RunDriver::findResumable(store::RunStore& store, const std::string& runIdOrPrefix) {
    auto info = store.run(runIdOrPrefix); // marks a dead process's run interrupted first
    const std::string where = "run " + info.id;
    if (info.status == events::RunStatus::Completed) {
        throw core::InputError(where, "is completed; there is nothing to resume");
    }
    if (info.status == events::RunStatus::Running) {
        throw core::InputError(where, "is still running (process " + std::to_string(info.pid) +
                                          " on " + info.host +
                                          "); stop it first, or wait until its heartbeat is stale");
    }
    auto config = config::parseRunConfig(info.config, where + " configuration");
    return {std::move(info), std::move(config)};
}

std::unique_ptr<RunDriver> RunDriver::resume(store::RunStore& store, const ResumableRun& run,
                                             std::filesystem::path outDir) {
    // The replay sends every committed unit's events again: the stored ones give way to them.
    store.clearEvents(run.info.id);
    auto session = store::RunSession::adopt(store, run.info.id);
    core::engineLogger()->info("run {} resumed from {} records", run.info.id,
                               store.records(run.info.id).size());
    return std::unique_ptr<RunDriver>(
        new RunDriver(store, std::move(session), run.config,
                      outDir.empty() ? run.info.outDir : std::move(outDir)));
}

report::RunResult RunDriver::drive(events::EventSink& frontEnd, std::stop_source stop,
                                   const EvaluatorFactory& makeEvaluator) {
    m_session->sink().setFailureHandler(
        [stop](const std::string&) mutable { stop.request_stop(); });
    TeeSink sink(m_session->sink(), frontEnd);
    store::StoreJournal journal(m_store, m_runId);
    try {
        auto result =
            executeRun(m_config, m_runId, sink, stop.get_token(), &journal, makeEvaluator);
        core::engineLogger()->info("run {} ended: {}", m_runId, events::toString(result.status));
        return result;
    } catch (const std::exception& e) {
        // A run that never began (bad data, found before its first event) is not kept; one that
        // did (a resumed run has records) is marked failed.
        if (m_session->sink().written() == 0 && m_store.records(m_runId).empty()) {
            m_session->discard();
        } else {
            m_store.setStatus(m_runId, events::RunStatus::Failed, e.what());
        }
        throw;
    }
}

void RunDriver::finish(report::RunResult& result) {
    if (const auto failure = m_session->sink().failure()) {
        result.status = events::RunStatus::Failed;
        result.message = "the run store failed: " + *failure;
    }
    std::string unrecorded;
    try {
        m_session->finish(result);
    } catch (const std::exception& e) {
        unrecorded = e.what();
    }
    if (!m_outDir.empty()) {
        report::writeResultJson(result, m_outDir / "result.json");
    }
    if (!unrecorded.empty()) {
        throw std::runtime_error("run " + m_runId +
                                 ": its end could not be recorded in the store: " + unrecorded);
    }
}

} // namespace bt::run
