// How long each reference task takes on this machine (preset_times.h).
#include "ui/setup/preset_times.h"

#include <algorithm>

#include <QSettings>
#include <QThread>

#include "engine/core/version.h"
#include "engine/run/run_speed.h"
#include "ui/setup/setup_panel.h"

namespace bt::ui {

namespace {

QString settingsKey(const QString& name) {
    return QStringLiteral("presetSeconds/%1/%2-threads/%3")
        .arg(QString::fromLatin1(core::kVersion))
        .arg(QThread::idealThreadCount())
        .arg(name);
}

} // namespace

std::optional<double> measurePreset(const QString& name) {
    const auto config = SetupPanel::presetConfig(name);
    if (!config) {
        return std::nullopt;
    }
    try {
        return run::expectedSeconds(*config, run::measureSpeed(*config));
    } catch (const std::exception&) {
        return std::nullopt; // missing or unreadable data: the time stays unknown
    }
}

PresetTimes::PresetTimes(QObject* parent)
    : QObject(parent), m_jobs([this](const QString& name, const std::optional<double>& seconds) {
          if (seconds) {
              // The fastest measurement kept: a busy machine measures slow.
              const double kept = std::min(*seconds, PresetTimes::seconds(name).value_or(*seconds));
              QSettings().setValue(settingsKey(name), kept);
              Q_EMIT measured(name, kept);
          } else {
              m_failed << name;
          }
          next();
      }) {}

std::optional<double> PresetTimes::seconds(const QString& name) {
    bool ok = false;
    const double value = QSettings().value(settingsKey(name)).toDouble(&ok);
    return ok && value > 0.0 ? std::optional<double>(value) : std::nullopt;
}

void PresetTimes::measure(const QStringList& names) {
    m_queue.clear();
    for (const auto& name : names) {
        if (!m_failed.contains(name) && m_jobs.running() != name) {
            m_queue << name;
        }
    }
    if (!m_jobs.busy()) {
        next();
    }
}

void PresetTimes::pause() {
    m_queue.clear();
}

void PresetTimes::settle() {
    while (m_jobs.busy()) {
        m_jobs.settle();
    }
}

void PresetTimes::next() {
    if (m_queue.isEmpty()) {
        return;
    }
    const QString name = m_queue.takeFirst();
    m_jobs.ask(name, [name] { return measurePreset(name); });
}

} // namespace bt::ui
