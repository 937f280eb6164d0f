#pragma once

#include <optional>

#include <QObject>
#include <QStringList>

#include "ui/session/serial_jobs.h"

namespace bt::ui {

/// How long each reference task (preset) takes on this machine, so the preset list can say it:
/// run::measureSpeed times a short training of the preset's network on its data, and
/// run::expectedSeconds turns that into the run's time. Measured off the GUI thread, one preset
/// at a time (a few seconds of CPU for all of them), and kept in the settings by preset, app
/// version and thread count, so the list shows a time at once from the second start on. Each
/// start measures again and keeps the fastest time seen: a machine busy with other work measures
/// slow. A preset whose data are missing is not measured (its time stays unknown until they are
/// there and the app starts again).
class PresetTimes : public QObject {
    Q_OBJECT

public:
    explicit PresetTimes(QObject* parent = nullptr);

    /// The expected seconds of preset `name` here, when measured.
    static std::optional<double> seconds(const QString& name);

    /// Measures the presets of `names`, one after another.
    void measure(const QStringList& names);
    /// Measures nothing more after the measurement under way (a run is starting).
    void pause();
    /// Waits until every asked-for measurement has ended (tests).
    void settle();

Q_SIGNALS:
    /// Preset `name` was measured: its run takes about `seconds` here.
    void measured(const QString& name, double seconds);

private:
    void next();

    SerialJobs<QString, std::optional<double>> m_jobs; // tagged by preset name
    QStringList m_queue;
    QStringList m_failed; // not measurable this session (missing data)
};

/// The expected seconds of preset `name` in this thread: its configuration measured here;
/// nothing when it cannot be read or its data are missing.
std::optional<double> measurePreset(const QString& name);

} // namespace bt::ui
