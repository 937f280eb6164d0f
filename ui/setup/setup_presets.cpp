// The reference tasks the form offers as presets: their names and what each is.
#include <cmath>

#include <QAbstractItemView>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <nlohmann/json.hpp>

#include "engine/config/run_config_json.h"
#include "engine/methods/run_plan.h"
#include "engine/models/weight_layers.h"
#include "ui/session/run_progress_bar.h"
#include "ui/setup/config_field_text.h"
#include "ui/setup/preset_times.h"
#include "ui/setup/setup_panel.h"

namespace bt::ui {

using nlohmann::json;

QStringList SetupPanel::presetNames() {
    QStringList names;
    for (const auto& file : QDir(QStringLiteral(":/configs"))
                                .entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
        names << QFileInfo(file).completeBaseName();
    }
    return names;
}

std::optional<json> SetupPanel::presetJson(const QString& name) {
    QFile file(QStringLiteral(":/configs/%1.json").arg(name));
    if (!file.open(QIODevice::ReadOnly)) {
        return std::nullopt;
    }
    const auto bytes = file.readAll();
    json parsed = json::parse(bytes.constData(), bytes.constData() + bytes.size(), nullptr, false);
    if (parsed.is_discarded()) {
        return std::nullopt;
    }
    return parsed;
}

std::optional<config::RunConfig> SetupPanel::presetConfig(const QString& name) {
    const auto parsed = presetJson(name);
    if (!parsed) {
        return std::nullopt;
    }
    std::vector<config::ConfigProblem> problems;
    auto c = config::readRunConfig(*parsed, problems);
    if (!problems.empty() || !c.dataset.kind) {
        return std::nullopt;
    }
    return c;
}

QString SetupPanel::presetSummary(const QString& name) {
    const auto read = presetConfig(name);
    if (!read) {
        return {};
    }
    const auto& c = *read;
    const int d = models::lambdaDimension(c.model, c.hyperparameters);
    double epochs = 0.0;
    if (d > 0) {
        for (const auto& plan : methods::planRun(c, d)) {
            epochs += plan.epochs;
        }
    }
    QString text = QStringLiteral("%1, %2 λ, %3 method%4")
                       .arg(QString::fromStdString(config::taskText(c)))
                       .arg(d)
                       .arg(c.methods.size())
                       .arg(c.methods.size() == 1 ? "" : "s");
    if (epochs > 0.0) {
        text += QStringLiteral(", about %1 training epochs").arg(std::round(epochs), 0, 'f', 0);
    }
    // The time first: the closed combo shows the start of the entry, and the time is what
    // tells presets apart most.
    if (const auto seconds = PresetTimes::seconds(name)) {
        text = QStringLiteral("%1 here: %2")
                   .arg(RunProgressBar::formatApproximateDuration(*seconds), text);
    }
    return text;
}

QString SetupPanel::presetLabel(const QString& name) {
    const auto summary = presetSummary(name);
    return summary.isEmpty() ? name : name + QStringLiteral(" — ") + summary;
}

void SetupPanel::measurePresetTimes(const QStringList& names) {
    m_presetTimes->measure(names.isEmpty() ? presetNames() : names);
}

void SetupPanel::pausePresetTimes() {
    m_presetTimes->pause();
}

void SetupPanel::settlePresetTimes() {
    m_presetTimes->settle();
}

void SetupPanel::showPresetTime(const QString& name) {
    const int index = m_presets->findData(name);
    if (index >= 0) {
        m_presets->setItemText(index, presetLabel(name));
        updatePresetTip();
        m_presets->view()->setMinimumWidth(m_presets->view()->sizeHintForColumn(0) + 24);
    }
}

void SetupPanel::updatePresetTip() {
    // The chosen preset's whole entry first: the combo itself may be too narrow for it.
    const QString general = tr("The reference tasks (resources/configs): loads one into the form");
    const int index = m_presets->currentIndex();
    m_presets->setToolTip(index > 0 ? m_presets->itemText(index) + QStringLiteral("\n") + general
                                    : general);
}

} // namespace bt::ui
