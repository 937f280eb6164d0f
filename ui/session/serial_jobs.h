#pragma once

#include <functional>
#include <optional>
#include <utility>

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace bt::ui {

/// Runs jobs off the GUI thread (Qt's global thread pool) one at a time: a job asked for while
/// another runs waits, replacing any that waited before it. Each finished job's result goes to
/// `done` on the GUI thread with the tag it was asked with; the next job starts first. Lives on
/// the GUI thread. A job holds its own copies of what it needs: one still running when this is
/// destroyed finishes on its pool thread and touches nothing of it.
template <class Tag, class Result>
class SerialJobs {
public:
    using Job = std::function<Result()>;
    using Done = std::function<void(const Tag& tag, const Result& result)>;

    explicit SerialJobs(Done done) : m_done(std::move(done)) {
        QObject::connect(&m_watcher, &QFutureWatcher<Result>::finished, &m_watcher,
                         [this] { collect(); });
    }
    SerialJobs(const SerialJobs&) = delete;
    SerialJobs& operator=(const SerialJobs&) = delete;

    /// Asks for `job`, tagged `tag`: it starts now when no job runs, and waits otherwise.
    void ask(Tag tag, Job job) {
        m_waiting.emplace(std::move(tag), std::move(job));
        if (!m_running) {
            startWaiting();
        }
    }
    /// The job that waits, if any, is no longer wanted.
    void dropWaiting() { m_waiting.reset(); }
    /// Waits for the job running and the one waiting, delivering their results (exports, tests).
    void settle() {
        while (m_running) {
            m_watcher.waitForFinished();
            collect();
        }
    }
    /// A job runs or waits.
    bool busy() const { return m_running.has_value() || m_waiting.has_value(); }
    /// The tag of the job running, if one is.
    const std::optional<Tag>& running() const { return m_running; }

private:
    void startWaiting() {
        if (!m_waiting) {
            return;
        }
        auto [tag, job] = std::move(*m_waiting);
        m_waiting.reset();
        m_running = std::move(tag);
        m_watcher.setFuture(QtConcurrent::run(std::move(job)));
    }

    void collect() {
        // settle() may have collected this result already; then the watcher's signal finds
        // nothing.
        if (!m_running || !m_watcher.isFinished()) {
            return;
        }
        const Tag tag = std::move(*m_running);
        m_running.reset();
        const Result result = m_watcher.result();
        startWaiting();
        m_done(tag, result);
    }

    Done m_done;
    QFutureWatcher<Result> m_watcher;
    std::optional<std::pair<Tag, Job>> m_waiting;
    std::optional<Tag> m_running;
};

} // namespace bt::ui
