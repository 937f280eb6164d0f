#include "ui/session/run_progress_bar.h"

#include <algorithm>
#include <cmath>

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>

namespace bt::ui {

RunProgressBar::RunProgressBar(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("runProgressBar"));
    auto* layout = new QHBoxLayout(this);
    // Apart from the status bar's message on its left.
    layout->setContentsMargins(12, 0, 0, 0);
    m_phase = new QLabel(this);
    m_phase->setObjectName(QStringLiteral("runPhase"));
    m_phase->setMinimumWidth(200);
    m_bar = new QProgressBar(this);
    m_bar->setRange(0, 1000);
    m_bar->setTextVisible(true);
    m_bar->setMinimumWidth(120);
    m_bar->setMaximumWidth(240);
    m_eta = new QLabel(this);
    m_eta->setObjectName(QStringLiteral("runEta"));
    m_eta->setMinimumWidth(120);
    layout->addWidget(m_phase);
    layout->addWidget(m_bar);
    layout->addWidget(m_eta);
    reset();
}

QString RunProgressBar::formatDuration(double seconds) {
    if (!(seconds >= 0.0) || !std::isfinite(seconds)) {
        return QStringLiteral("—");
    }
    const auto total = static_cast<long long>(std::llround(seconds));
    const long long hours = total / 3600;
    const long long minutes = (total % 3600) / 60;
    const long long secs = total % 60;
    if (hours > 0) {
        return QStringLiteral("%1 h %2 min").arg(hours).arg(minutes, 2, 10, QLatin1Char('0'));
    }
    if (minutes > 0) {
        return QStringLiteral("%1 min %2 s").arg(minutes).arg(secs, 2, 10, QLatin1Char('0'));
    }
    return QStringLiteral("%1 s").arg(secs);
}

QString RunProgressBar::formatApproximateDuration(double seconds) {
    if (!(seconds >= 0.0) || !std::isfinite(seconds)) {
        return QStringLiteral("—");
    }
    if (seconds < 90.0) {
        // Tens of seconds; under ten, whole seconds.
        const double shown =
            seconds < 10.0 ? std::max(1.0, std::round(seconds)) : std::round(seconds / 10.0) * 10.0;
        return tr("about %1 s").arg(shown, 0, 'f', 0);
    }
    if (seconds < 90.0 * 60.0) {
        return tr("about %1 min").arg(std::round(seconds / 60.0), 0, 'f', 0);
    }
    return tr("about %1 h").arg(std::round(seconds / 360.0) / 10.0, 0, 'f', 1);
}

void RunProgressBar::setState(const RunProgressState& state) {
    m_bar->setEnabled(true);
    m_bar->setValue(static_cast<int>(std::lround(state.fraction * 1000.0)));
    m_bar->setFormat(QStringLiteral("%1 %").arg(state.fraction * 100.0, 0, 'f', 1));
    m_phase->setText(state.phase);
    m_eta->setText(state.ended ? tr("took %1").arg(formatDuration(state.elapsedSeconds))
                               : tr("elapsed %1, ETA %2")
                                     .arg(formatDuration(state.elapsedSeconds),
                                          formatDuration(state.etaSeconds)));
}

void RunProgressBar::reset() {
    m_bar->setValue(0);
    m_bar->setFormat(QString());
    m_bar->setEnabled(false);
    m_phase->clear();
    m_eta->clear();
    hide();
}

QString RunProgressBar::phaseText() const {
    return m_phase->text();
}

QString RunProgressBar::etaText() const {
    return m_eta->text();
}

int RunProgressBar::value() const {
    return m_bar->value();
}

} // namespace bt::ui
