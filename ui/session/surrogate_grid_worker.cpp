#include "ui/session/surrogate_grid_worker.h"

#include <utility>

#include <QtConcurrent/QtConcurrentRun>

namespace bt::ui {

SurrogateGridWorker::SurrogateGridWorker(QObject* parent) : QObject(parent) {
    connect(&m_watcher, &QFutureWatcher<methods::SurrogateGrid>::finished, this,
            &SurrogateGridWorker::collect);
}

// A computation still running finishes on its pool thread; it touches nothing of this object.
SurrogateGridWorker::~SurrogateGridWorker() = default;

std::uint64_t SurrogateGridWorker::request(methods::SurrogateGridRequest request) {
    m_waiting = Job{std::move(request), ++m_latest};
    if (!m_running) {
        startWaiting();
    }
    return m_latest;
}

void SurrogateGridWorker::drop() {
    ++m_latest;
    m_waiting.reset();
}

void SurrogateGridWorker::settle() {
    while (m_running) {
        m_watcher.waitForFinished();
        collect();
    }
}

void SurrogateGridWorker::startWaiting() {
    if (!m_waiting) {
        return;
    }
    Job job = std::move(*m_waiting);
    m_waiting.reset();
    m_running = job.ticket;
    // A GP fit is O(restarts · n³) per likelihood evaluation: never on the GUI thread.
    m_watcher.setFuture(QtConcurrent::run(
        [request = std::move(job.request)] { return methods::surrogateGrid(request); }));
}

void SurrogateGridWorker::collect() {
    // settle() may have collected this result already; then the watcher's signal finds nothing.
    if (!m_running || !m_watcher.isFinished()) {
        return;
    }
    const std::uint64_t ticket = *m_running;
    m_running.reset();
    if (ticket == m_latest) {
        Q_EMIT finished(ticket, m_watcher.result());
    }
    startWaiting();
}

} // namespace bt::ui
