#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <stop_token>
#include <thread>

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <spdlog/logger.h>

#include "engine/config/run_config.h"
#include "engine/events/events.h"
#include "engine/report/result_json.h"
#include "ui/session/run_progress.h"
#include "ui/shell/event_meta_types.h"
#include "ui/shell/log_record.h"

namespace bt::store {
class RunStore;
}

namespace bt::run {
class RunDriver;
}

namespace bt::ui {

class ControllerInbox;

/// The one object through which the UI talks to the engine (STYLE.md, "Values cross threads").
///
/// It owns the engine thread: start() and resume() run the run on a std::jthread (through
/// run::RunDriver when a store is set, else run::executeRun); the engine's events
/// and every spdlog record of the loggers it is attached to are queued in an inbox and delivered
/// on the GUI thread, in order, as the signals below. Delivery is batched: the engine thread
/// posts one queued flush when the inbox turns non-empty, so a burst of events costs the event
/// loop one wake-up, not one per event.
///
/// Every run, however it ends (completed, cancelled, failed, or an error before it began such as
/// missing data), ends with exactly one runFinished(); an error also gives errorOccurred() first.
/// The inner-progress events a stored run kept for its finished outer iterations, in order:
/// what a resumed run's charts need besides the engine's replay.
/// (A malformed stored event is left out.)
/// @throws std::exception  when the store cannot be read
std::vector<events::Event> completedInnerSteps(const store::RunStore& store,
                                               const std::string& runId);

class RunController : public QObject {
    Q_OBJECT

public:
    explicit RunController(QObject* parent = nullptr);
    /// Cancels a run in progress and waits for the engine thread.
    ~RunController() override;

    RunController(const RunController&) = delete;
    RunController& operator=(const RunController&) = delete;

    /// Starts `config` on the engine thread. Returns false (and does nothing) while a run is in
    /// progress. The config should be valid; if it is not, the run fails with the engine's
    /// message through errorOccurred() and runFinished().
    bool start(const config::RunConfig& config, const QString& name = {});

    /// Continues the stored run `runId` (interrupted, cancelled or failed) from its records in
    /// the run store: what was committed is replayed (its events come again), the rest is run.
    /// Returns false (and does nothing) while a run is in progress; a run that cannot be resumed
    /// (unknown, completed, still running elsewhere, no store) fails through errorOccurred() and
    /// runFinished().
    bool resume(const QString& runId);

    /// Where runs are recorded (every event, resume records, the result); empty: nowhere.
    /// The file is opened at the next start(); a store that cannot be opened is reported in the
    /// log and the run goes on unrecorded.
    void setStorePath(const std::filesystem::path& path);
    const std::filesystem::path& storePath() const { return m_storePath; }
    /// The open run store (after a start with a store path), shared with the history view.
    std::shared_ptr<store::RunStore> store();

    /// What the engine thread runs: a run's whole body, sending its events to the sink.
    using RunBody = std::function<report::RunResult(events::EventSink&, std::stop_token)>;

    /// Runs `body` on the engine thread in place of the engine, with the same delivery, progress
    /// and end as start() (no store). For benchmarks and tests that need a controlled stream of
    /// events. Returns false while a run is in progress.
    bool startCustom(const config::RunConfig& config, RunBody body);

    /// Asks the run to stop. Not a queued slot on purpose: the engine thread has no event loop
    /// while it runs, so the request is the atomic stop state that the engine checks at every
    /// minibatch and optimiser step (it ends the run within a fraction of a second).
    void cancel();

    bool isRunning() const { return m_running; }
    bool cancelRequested() const;
    const QString& runId() const { return m_runId; }
    /// The run's name in the run store (what start() was given, or the stored run's when
    /// resumed); empty without a store.
    const QString& runName() const { return m_runName; }
    const RunProgressState& progress() const { return m_progress.state(); }

    /// Forwards `logger`'s records to logged(). The controller's constructor attaches the loggers
    /// registered as "app" and "engine" (main creates them); tests attach their own. Call from
    /// the GUI thread while no run is in progress: spdlog's sink list is not guarded.
    void attachLogger(const std::shared_ptr<spdlog::logger>& logger);

Q_SIGNALS:
    void runStarted(const QString& runId, const bt::config::RunConfig& config);
    /// Every engine event, in order (the specific signals below follow it for each event).
    void eventReceived(const bt::events::Event& event);
    void sampleRecorded(const bt::events::SampleEvent& event);
    void gpRefitted(const bt::events::GpRefitEvent& event);
    void innerProgressed(const bt::events::InnerProgressEvent& event);
    void outerIterationCompleted(const bt::events::OuterIterationEvent& event);
    void methodFinished(const bt::events::MethodFinishedEvent& event);
    void progressChanged(const bt::ui::RunProgressState& state);
    void logged(const bt::ui::LogRecord& record);
    /// The run could not start or failed: the message names what and where.
    void errorOccurred(const QString& message);
    /// Something the user should know that does not stop the run (the store is unavailable).
    void warningRaised(const QString& message);
    /// The run ended; the engine thread has been joined. Exactly one per start().
    void runFinished(const bt::report::RunResult& result);

private:
    friend class ControllerInbox;
    void deliver();
    bool launch(const config::RunConfig& config, const std::string& runId,
                std::unique_ptr<run::RunDriver> driver, const QString& startError,
                RunBody body = {});

    std::shared_ptr<ControllerInbox> m_inbox;
    std::vector<std::shared_ptr<spdlog::logger>> m_loggers;
    std::filesystem::path m_storePath;
    std::shared_ptr<store::RunStore> m_store;
    std::unique_ptr<run::RunDriver> m_driver; // used by the engine thread while it runs
    /// A resumed run's inner steps of the iterations already done, from the store: delivered
    /// after runStarted, before the engine replays the rest.
    std::vector<events::Event> m_earlierSteps;
    std::jthread m_thread;
    std::stop_source m_stop;
    bool m_running = false;
    QString m_runId;
    QString m_runName;
    RunProgress m_progress;
    QElapsedTimer m_clock;
};

} // namespace bt::ui
