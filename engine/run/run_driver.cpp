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

/// A resumed run's store sink: its first event (the run has begun: its data were read and are
/// the ones it began with) first clears the run's stored events, which the replay sends again.
/// A failed clear requests the stop and keeps every event out of the store.
class ClearingSink final : public events::EventSink {
public:
    ClearingSink(store::RunStore& store, const std::string& runId, events::EventSink& inner,
                 std::stop_source stop, std::optional<std::string>& failure)
        : m_store(store), m_runId(runId), m_inner(inner), m_stop(std::move(stop)),
          m_failure(failure) {}
    void onEvent(const events::Event& event) override {
        if (!m_cleared) {
            m_cleared = true;
            try {
                m_store.clearEvents(m_runId);
            } catch (const std::exception& e) {
                m_failure = e.what();
                m_stop.request_stop();
            }
        }
        if (!m_failure) {
            m_inner.onEvent(event);
        }
    }

private:
    store::RunStore& m_store;
    const std::string& m_runId;
    events::EventSink& m_inner;
    std::stop_source m_stop;
    std::optional<std::string>& m_failure;
    bool m_cleared = false;
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
    auto session = store::RunSession::adopt(store, run.info.id);
    core::engineLogger()->info("run {} resumed from {} records", run.info.id,
                               store.records(run.info.id).size());
    auto driver = std::unique_ptr<RunDriver>(
        new RunDriver(store, std::move(session), run.config,
                      outDir.empty() ? run.info.outDir : std::move(outDir)));
    driver->m_resumedFrom = Previous{run.info.status, run.info.message};
    return driver;
}

report::RunResult RunDriver::drive(events::EventSink& frontEnd, std::stop_source stop,
                                   const EvaluatorFactory& makeEvaluator) {
    m_session->sink().setFailureHandler(
        [stop](const std::string&) mutable { stop.request_stop(); });
    ClearingSink clearing(m_store, m_runId, m_session->sink(), stop, m_clearFailure);
    TeeSink sink(m_resumedFrom ? static_cast<events::EventSink&>(clearing) : m_session->sink(),
                 frontEnd);
    store::StoreJournal journal(m_store, m_runId);
    try {
        auto result =
            executeRun(m_config, m_runId, sink, stop.get_token(), &journal, makeEvaluator);
        core::engineLogger()->info("run {} ended: {}", m_runId, events::toString(result.status));
        return result;
    } catch (const std::exception& e) {
        // Thrown before the run's first event (bad or changed data): a new run is not kept, a
        // resumed one stays as it was (nothing of it was cleared); once begun it is failed.
        const bool begun = m_session->sink().written() > 0 || m_clearFailure;
        if (!begun && m_resumedFrom) {
            m_store.setStatus(m_runId, m_resumedFrom->status, m_resumedFrom->message);
        } else if (!begun && m_store.records(m_runId).empty()) {
            m_session->discard();
        } else {
            m_store.setStatus(m_runId, events::RunStatus::Failed, e.what());
        }
        throw;
    }
}

void RunDriver::finish(report::RunResult& result) {
    if (const auto failure = m_clearFailure ? m_clearFailure : m_session->sink().failure()) {
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
