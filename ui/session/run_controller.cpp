#include "ui/session/run_controller.h"

#include <algorithm>
#include <exception>
#include <mutex>
#include <utility>
#include <variant>
#include <vector>

#include <QDateTime>

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include "engine/config/config_error.h"
#include "engine/config/run_config_json.h"
#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/core/paths.h"
#include "engine/run/run_driver.h"
#include "engine/run/runner.h"
#include "engine/store/event_json.h"
#include "engine/store/run_store.h"

namespace bt::ui {

namespace {

/// The end of a run, as the engine thread saw it.
struct RunEnded {
    report::RunResult result;
    QString error; ///< non-empty when executeRun threw
};

using InboxItem = std::variant<events::Event, LogRecord, RunEnded>;

} // namespace

/// What the engine thread (and any thread that logs) hands to the GUI thread. Shared by the
/// controller, the event sink and the spdlog sinks, so that a sink that outlives the controller
/// (spdlog holds sinks by shared_ptr) finds a closed inbox instead of a dangling pointer.
class ControllerInbox {
public:
    explicit ControllerInbox(RunController* target) : m_target(target) {}

    void push(InboxItem item) {
        const std::lock_guard lock(m_mutex);
        if (m_target == nullptr) {
            return;
        }
        m_items.push_back(std::move(item));
        if (!m_flushPosted) {
            m_flushPosted = true;
            // Posting is thread-safe; the call runs on the controller's (GUI) thread. Queued
            // calls to a deleted controller are discarded by Qt, and close() below runs before
            // the controller is gone, under this mutex, so no post can race its destruction.
            QMetaObject::invokeMethod(m_target, &RunController::deliver, Qt::QueuedConnection);
        }
    }

    std::vector<InboxItem> take() {
        const std::lock_guard lock(m_mutex);
        m_flushPosted = false;
        return std::exchange(m_items, {});
    }

    void close() {
        const std::lock_guard lock(m_mutex);
        m_target = nullptr;
        m_items.clear();
    }

private:
    std::mutex m_mutex;
    RunController* m_target;
    std::vector<InboxItem> m_items;
    bool m_flushPosted = false;
};

namespace {

/// The engine's EventSink for one run: copies each event into the inbox and returns at once
/// (EventSink implementations must be quick; the engine waits).
class InboxEventSink final : public events::EventSink {
public:
    explicit InboxEventSink(std::shared_ptr<ControllerInbox> inbox) : m_inbox(std::move(inbox)) {}
    void onEvent(const events::Event& event) override { m_inbox->push(event); }

private:
    std::shared_ptr<ControllerInbox> m_inbox;
};

/// An spdlog sink that forwards records to the controller's inbox (never to a widget: STYLE.md,
/// "Logging"). base_sink<std::mutex> serialises calls from the threads that log.
class InboxLogSink final : public spdlog::sinks::base_sink<std::mutex> {
public:
    explicit InboxLogSink(std::shared_ptr<ControllerInbox> inbox) : m_inbox(std::move(inbox)) {}

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        LogRecord record;
        record.level = msg.level;
        record.logger = QString::fromUtf8(msg.logger_name.data(),
                                          static_cast<qsizetype>(msg.logger_name.size()));
        record.message =
            QString::fromUtf8(msg.payload.data(), static_cast<qsizetype>(msg.payload.size()));
        record.msecsSinceEpoch =
            std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch())
                .count();
        m_inbox->push(std::move(record));
    }
    void flush_() override {}

private:
    std::shared_ptr<ControllerInbox> m_inbox;
};

} // namespace

RunController::RunController(QObject* parent)
    : QObject(parent), m_inbox(std::make_shared<ControllerInbox>(this)) {
    registerMetaTypes();
    for (const char* name : {"app", core::kEngineLoggerName}) {
        if (auto logger = spdlog::get(name)) {
            attachLogger(logger);
        }
    }
}

RunController::~RunController() {
    m_stop.request_stop();
    if (m_thread.joinable()) {
        m_thread.join();
    }
    // No engine thread is left to log; detach our sinks so that later records (other windows,
    // shutdown messages) do not reach a closed inbox for nothing.
    for (const auto& logger : m_loggers) {
        auto& sinks = logger->sinks();
        sinks.erase(std::remove_if(sinks.begin(), sinks.end(),
                                   [](const spdlog::sink_ptr& sink) {
                                       return dynamic_cast<InboxLogSink*>(sink.get()) != nullptr;
                                   }),
                    sinks.end());
    }
    m_inbox->close();
}

void RunController::attachLogger(const std::shared_ptr<spdlog::logger>& logger) {
    if (!logger || std::find(m_loggers.begin(), m_loggers.end(), logger) != m_loggers.end()) {
        return;
    }
    auto sink = std::make_shared<InboxLogSink>(m_inbox);
    sink->set_level(spdlog::level::trace); // the logger's own level decides; the panel filters
    logger->sinks().push_back(std::move(sink));
    m_loggers.push_back(logger);
}

void RunController::setStorePath(const std::filesystem::path& path) {
    if (path != m_storePath && !m_running) {
        m_storePath = path;
        m_store.reset();
    }
}

std::shared_ptr<store::RunStore> RunController::store() {
    if (!m_store && !m_storePath.empty()) {
        m_store = std::make_shared<store::RunStore>(m_storePath);
    }
    return m_store;
}

bool RunController::start(const config::RunConfig& config, const QString& name) {
    if (m_running) {
        return false;
    }
    run::NewRunSpec spec;
    std::unique_ptr<run::RunDriver> driver;
    m_runName.clear();
    if (!m_storePath.empty()) {
        try {
            spec.name = name.isEmpty() ? std::string("desktop run") : name.toStdString();
            spec.outDir = core::dataDir() / "runs" / spec.id;
            driver = run::RunDriver::begin(*store(), config, spec);
            m_runName = QString::fromStdString(spec.name);
        } catch (const std::exception& e) {
            // The run is worth having without the store; the user hears why it is not kept.
            const auto message =
                QStringLiteral("The run is not recorded in the run store: %1").arg(e.what());
            core::engineLogger()->warn("{}", message.toStdString());
            Q_EMIT warningRaised(message);
        }
    }
    return launch(config, spec.id, std::move(driver), {});
}

std::vector<events::Event> completedInnerSteps(const store::RunStore& store,
                                               const std::string& runId) {
    int done = 0;
    for (const auto& iteration : store.iterations(runId)) {
        done = std::max(done, iteration.iteration);
    }
    std::vector<events::Event> steps;
    for (const auto& stored : store.events(runId, true)) {
        if (stored.type != "inner-progress") {
            continue;
        }
        auto json = stored.data;
        json["type"] = stored.type;
        try {
            auto event = store::eventFromJson(json);
            // An iteration cut short is solved again after the resume: only finished ones.
            if (std::get<events::InnerProgressEvent>(event).outerIteration <= done) {
                steps.push_back(std::move(event));
            }
        } catch (const std::invalid_argument&) {
            // A damaged progress event costs a piece of a curve, not the resume.
        }
    }
    return steps;
}

bool RunController::resume(const QString& runIdOrPrefix) {
    if (m_running) {
        return false;
    }
    config::RunConfig config;
    std::string runId = runIdOrPrefix.toStdString();
    std::unique_ptr<run::RunDriver> driver;
    QString problem;
    m_runName.clear();
    try {
        auto runStore = store();
        if (!runStore) {
            throw core::InputError("resume", "no run store is set");
        }
        const auto run = run::RunDriver::findResumable(*runStore, runId);
        runId = run.info.id;
        m_runName = QString::fromStdString(run.info.name);
        config = run.config;
        m_earlierSteps = completedInnerSteps(*runStore, runId);
        driver = run::RunDriver::resume(*runStore, run);
    } catch (const std::exception& e) {
        problem = QString::fromUtf8(e.what());
    }
    return launch(config, runId, std::move(driver), problem);
}

bool RunController::startCustom(const config::RunConfig& config, RunBody body) {
    if (m_running) {
        return false;
    }
    m_runName.clear();
    return launch(config, run::newRunId(), nullptr, {}, std::move(body));
}

bool RunController::launch(const config::RunConfig& config, const std::string& runId,
                           std::unique_ptr<run::RunDriver> driver, const QString& startError,
                           RunBody body) {
    if (m_thread.joinable()) {
        m_thread.join(); // the previous run's thread has delivered its end; it is returning
    }
    m_running = true;
    m_stop = std::stop_source{};
    m_runId = QString::fromStdString(runId);
    m_driver = std::move(driver);
    m_progress.start(config);
    m_clock.start();
    Q_EMIT runStarted(m_runId, config);
    // The charts of a resumed run show the inner steps of its finished iterations too: the
    // engine's replay of the journal brings back their samples and outer iterations only.
    for (const auto& event : std::exchange(m_earlierSteps, {})) {
        Q_EMIT eventReceived(event);
    }
    Q_EMIT progressChanged(m_progress.state());

    // The engine thread: the whole run, and every exception caught here (the boundary), turned
    // into a failed result so that the GUI always hears of the end. The driver (store sink,
    // journal, heartbeat) is used only by this thread until it has pushed its end.
    m_thread = std::jthread([inbox = m_inbox, config, runId, stop = m_stop, driver = m_driver.get(),
                             startError, body = std::move(body)]() {
        InboxEventSink inboxSink(inbox);
        RunEnded ended;
        if (!startError.isEmpty()) {
            ended.error = startError;
        } else {
            try {
                if (body) {
                    ended.result = body(inboxSink, stop.get_token());
                } else if (driver != nullptr) {
                    ended.result = driver->drive(inboxSink, stop);
                } else {
                    ended.result = run::executeRun(config, runId, inboxSink, stop.get_token());
                }
            } catch (const std::exception& e) {
                ended.error = QString::fromUtf8(e.what());
            } catch (...) {
                ended.error = QStringLiteral("the run stopped with an unknown error");
            }
        }
        const auto log = core::engineLogger();
        if (!ended.error.isEmpty()) {
            log->error("run {}: {}", runId, ended.error.toStdString());
            ended.result.runId = runId;
            ended.result.status = events::RunStatus::Failed;
            ended.result.message = ended.error.toStdString();
            ended.result.config = config::toJson(config);
        } else if (driver != nullptr) {
            // The store's status and result, and result.json; a failure here is logged, the
            // run's own result stands.
            try {
                driver->finish(ended.result);
            } catch (const std::exception& e) {
                log->error("{}", e.what());
            }
        }
        inbox->push(std::move(ended));
    });
    return true;
}

void RunController::cancel() {
    if (m_running) {
        m_stop.request_stop();
    }
}

bool RunController::cancelRequested() const {
    return m_stop.stop_requested();
}

void RunController::deliver() {
    const double elapsed = static_cast<double>(m_clock.elapsed()) / 1000.0;
    bool progressed = false;
    for (auto& item : m_inbox->take()) {
        if (auto* record = std::get_if<LogRecord>(&item)) {
            Q_EMIT logged(*record);
        } else if (auto* event = std::get_if<events::Event>(&item)) {
            m_progress.update(*event, elapsed);
            progressed = true;
            Q_EMIT eventReceived(*event);
            std::visit(
                [this](const auto& e) {
                    using T = std::decay_t<decltype(e)>;
                    if constexpr (std::is_same_v<T, events::SampleEvent>) {
                        Q_EMIT sampleRecorded(e);
                    } else if constexpr (std::is_same_v<T, events::GpRefitEvent>) {
                        Q_EMIT gpRefitted(e);
                    } else if constexpr (std::is_same_v<T, events::InnerProgressEvent>) {
                        Q_EMIT innerProgressed(e);
                    } else if constexpr (std::is_same_v<T, events::OuterIterationEvent>) {
                        Q_EMIT outerIterationCompleted(e);
                    } else if constexpr (std::is_same_v<T, events::MethodFinishedEvent>) {
                        Q_EMIT methodFinished(e);
                    }
                },
                *event);
        } else if (auto* ended = std::get_if<RunEnded>(&item)) {
            // The thread pushed this as its last act: joining waits only for it to return.
            if (m_thread.joinable()) {
                m_thread.join();
            }
            m_driver.reset(); // the heartbeat stops; the store has the run's end
            m_running = false;
            if (progressed) {
                Q_EMIT progressChanged(m_progress.state());
                progressed = false;
            }
            if (!ended->error.isEmpty()) {
                Q_EMIT errorOccurred(ended->error);
            }
            Q_EMIT runFinished(ended->result);
        }
    }
    if (progressed) {
        // One progress update per delivery, not per event: the bar needs no more.
        Q_EMIT progressChanged(m_progress.state());
    }
}

} // namespace bt::ui
