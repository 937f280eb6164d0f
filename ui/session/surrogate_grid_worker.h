#pragma once

#include <cstdint>

#include <QObject>

#include "engine/methods/surrogate_grid.h"
#include "ui/session/serial_jobs.h"

namespace bt::ui {

/// Computes methods::surrogateGrid off the GUI thread (the global thread pool), one request at a
/// time, and hands back only the latest request's grid: a request made while another is being
/// computed waits and replaces any that waited before it, and a result that is no longer the
/// latest is dropped. Lives on the GUI thread; the computation holds its own copy of the request.
class SurrogateGridWorker : public QObject {
    Q_OBJECT

public:
    explicit SurrogateGridWorker(QObject* parent = nullptr);

    /// Asks for `request`'s grid. @return its ticket, which finished() names
    std::uint64_t request(methods::SurrogateGridRequest request);
    /// Nothing asked for so far is wanted any more (a new run, a view with nothing to show).
    void drop();
    /// Waits for the latest request and delivers it before returning (exports, tests).
    void settle() { m_jobs.settle(); }
    /// A request is being computed or waits.
    bool busy() const { return m_jobs.busy(); }

Q_SIGNALS:
    /// The grid of the latest request, on the GUI thread.
    void finished(std::uint64_t ticket, const bt::methods::SurrogateGrid& grid);

private:
    SerialJobs<std::uint64_t, methods::SurrogateGrid> m_jobs; // tagged by ticket
    std::uint64_t m_latest = 0;                               // the ticket of the latest request
};

} // namespace bt::ui
