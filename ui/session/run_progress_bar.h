#pragma once

#include <QWidget>

#include "ui/session/run_progress.h"

class QLabel;
class QProgressBar;

namespace bt::ui {

/// The progress bar of a run, with its phase ("bilevel: outer iteration 3/5") and an ETA.
class RunProgressBar : public QWidget {
    Q_OBJECT

public:
    explicit RunProgressBar(QWidget* parent = nullptr);

    /// Sets the run's progress (the owner shows the bar).
    void setState(const bt::ui::RunProgressState& state);
    /// Back to the idle look: empty and hidden (no run; as constructed).
    void reset();
    QString phaseText() const;
    QString etaText() const;
    int value() const;

    /// "2 h 05 min", "3 min 20 s", "45 s"; "—" for a negative (unknown) duration.
    static QString formatDuration(double seconds);
    /// An estimate's duration, as precise as an estimate is: "about 40 s", "about 12 min",
    /// "about 2.5 h".
    static QString formatApproximateDuration(double seconds);

private:
    QProgressBar* m_bar = nullptr;
    QLabel* m_phase = nullptr;
    QLabel* m_eta = nullptr;
};

} // namespace bt::ui
