#include "ui/session/surrogate_grid_worker.h"

#include <utility>

namespace bt::ui {

SurrogateGridWorker::SurrogateGridWorker(QObject* parent)
    : QObject(parent), m_jobs([this](std::uint64_t ticket, const methods::SurrogateGrid& grid) {
          // A grid that is no longer the latest request's is dropped.
          if (ticket == m_latest) {
              Q_EMIT finished(ticket, grid);
          }
      }) {}

std::uint64_t SurrogateGridWorker::request(methods::SurrogateGridRequest request) {
    // A GP fit is O(restarts · n³) per likelihood evaluation: never on the GUI thread.
    m_jobs.ask(++m_latest,
               [request = std::move(request)] { return methods::surrogateGrid(request); });
    return m_latest;
}

void SurrogateGridWorker::drop() {
    ++m_latest;
    m_jobs.dropWaiting();
}

} // namespace bt::ui
