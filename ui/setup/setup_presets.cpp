// The reference tasks the form offers as presets: their names and what each is.
#include <cmath>

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <nlohmann/json.hpp>

#include "engine/config/run_config_json.h"
#include "engine/methods/run_plan.h"
#include "engine/models/weight_layers.h"
#include "ui/setup/config_field_text.h"
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

QString SetupPanel::presetSummary(const QString& name) {
    QFile file(QStringLiteral(":/configs/%1.json").arg(name));
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    const auto bytes = file.readAll();
    const json parsed =
        json::parse(bytes.constData(), bytes.constData() + bytes.size(), nullptr, false);
    std::vector<config::ConfigProblem> problems;
    const auto c = config::readRunConfig(parsed, problems);
    if (parsed.is_discarded() || !problems.empty() || !c.dataset.kind) {
        return {};
    }
    const int d = models::lambdaDimension(c.model, c.hyperparameters);
    double epochs = 0.0;
    if (d > 0) {
        for (const auto& plan : methods::planRun(c, d)) {
            epochs += plan.epochs;
        }
    }
    QString text =
        QStringLiteral("%1 on %2, %3 λ, %4 method%5")
            .arg(qs(config::toString(c.model.kind)), qs(config::toString(*c.dataset.kind)))
            .arg(d)
            .arg(c.methods.size())
            .arg(c.methods.size() == 1 ? "" : "s");
    if (epochs > 0.0) {
        text += QStringLiteral(", about %1 training epochs").arg(std::round(epochs), 0, 'f', 0);
    }
    return text;
}

} // namespace bt::ui
