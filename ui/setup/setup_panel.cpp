#include "ui/setup/setup_panel.h"

#include <algorithm>
#include <cmath>
#include <fstream>

#include <QAbstractItemView>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPalette>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QVBoxLayout>

#include "engine/config/config_error.h"
#include "engine/config/run_config_json.h"
#include "engine/config/validate.h"
#include "engine/core/paths.h"
#include "engine/methods/run_plan.h"
#include "engine/models/weight_layers.h"
#include "engine/run/runner.h"
#include "ui/export/chart_export.h"
#include "ui/setup/config_field_row.h"
#include "ui/setup/config_field_text.h"
#include "ui/setup/preset_times.h"

namespace bt::ui {

using nlohmann::json;

namespace {

// The form's defaults: config::RunConfig{}, with Fashion-MNIST as the dataset.
json formDefaults() {
    auto defaults = config::toJson(config::RunConfig{});
    defaults["dataset"]["kind"] = "fashion-mnist";
    return defaults;
}

} // namespace

SetupPanel::SetupPanel(QWidget* parent) : QWidget(parent), m_dataDir(core::dataDir()) {
    setObjectName(QStringLiteral("setupPanel"));
    setStyleSheet(QStringLiteral(
        "QLineEdit[invalid=\"true\"], QComboBox[invalid=\"true\"], QListWidget[invalid=\"true\"] "
        "{ border: 2px solid #d9534f; border-radius: 3px; }"
        "QLabel#fieldError { color: #d9534f; }"));
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(4, 4, 4, 4);
    outer->addLayout(buildToolbar());

    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(buildForm());
    outer->addWidget(scroll, 1);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("problemSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse |
                                       Qt::LinksAccessibleByKeyboard);
    m_summary->setTextFormat(Qt::RichText);
    connect(m_summary, &QLabel::linkActivated, this, &SetupPanel::followSummaryLink);
    m_summary->setMinimumHeight(fontMetrics().height() * 2);
    outer->addWidget(m_summary);

    m_presetTimes = new PresetTimes(this);
    connect(m_presetTimes, &PresetTimes::measured, this, &SetupPanel::showPresetTime);
    m_probe = new NetworkProbe(this);
    connect(m_probe, &NetworkProbe::checked, this, &SetupPanel::validateNow);
    resetToDefaults();
}

void SetupPanel::settleNetworkCheck() {
    m_probe->settle();
    validateNow();
}

QLayout* SetupPanel::buildToolbar() {
    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Preset:"), this));
    m_presets = new QComboBox(this);
    m_presets->setObjectName(QStringLiteral("presetCombo"));
    m_presets->addItem(tr("reference task…"));
    // The combo as wide as the panel allows; its list as wide as the presets' summaries.
    m_presets->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_presets->setMinimumContentsLength(16);
    for (const auto& name : presetNames()) {
        // What the task is, how much it trains and how long it takes here, beside its name.
        m_presets->addItem(presetLabel(name), name);
    }
    m_presets->view()->setMinimumWidth(m_presets->view()->sizeHintForColumn(0) + 24);
    updatePresetTip();
    top->addWidget(m_presets, 1);
    auto* loadButton = new QPushButton(tr("Load…"), this);
    loadButton->setToolTip(tr("Read a run configuration (the command line's JSON)"));
    auto* saveButton = new QPushButton(tr("Save…"), this);
    saveButton->setToolTip(tr("Write the form as a run configuration for the command line"));
    auto* defaultsButton = new QPushButton(tr("Defaults"), this);
    defaultsButton->setToolTip(tr("Every field back to its documented default"));
    // The buttons on a row of their own: in a narrow panel the preset's name stays readable.
    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(loadButton);
    buttons->addWidget(saveButton);
    buttons->addWidget(defaultsButton);
    auto* rows = new QVBoxLayout;
    rows->setSpacing(4);
    rows->addLayout(top);
    rows->addLayout(buttons);
    connect(m_presets, &QComboBox::currentIndexChanged, this, &SetupPanel::updatePresetTip);
    connect(m_presets, &QComboBox::activated, this, [this](int index) {
        if (index > 0) {
            loadPreset(m_presets->itemData(index).toString());
        }
    });
    connect(loadButton, &QPushButton::clicked, this, &SetupPanel::openLoadDialog);
    connect(saveButton, &QPushButton::clicked, this, &SetupPanel::openSaveDialog);
    connect(defaultsButton, &QPushButton::clicked, this, &SetupPanel::resetToDefaults);
    return rows;
}

QWidget* SetupPanel::buildForm() {
    auto* content = new QWidget;
    auto* groups = new QVBoxLayout(content);
    groups->setContentsMargins(0, 0, 4, 0);
    const auto defaults = formDefaults();
    std::map<FieldGroup, QFormLayout*> forms;
    for (const auto& spec : configFields()) {
        auto*& form = forms[spec.group];
        if (form == nullptr) {
            auto* box = new QGroupBox(qs(groupTitle(spec.group)), content);
            box->setObjectName(QStringLiteral("group") + qs(groupTitle(spec.group)).remove(' '));
            form = new QFormLayout(box);
            form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
            groups->addWidget(box);
        }
        auto* row = new ConfigFieldRow(spec, defaults, content);
        m_index[std::string(spec.key)] = m_fields.size();
        m_fields.push_back(row);
        form->addRow(row->label(), row);
        connect(row, &ConfigFieldRow::edited, this, [this] {
            if (!m_updating) {
                validateNow();
            }
        });
        if (spec.key == "dataset.kind" || spec.key == "model.kind") {
            connect(row, &ConfigFieldRow::choiceChanged, this, [this] { updateRelevance(); });
        }
        connect(row, &ConfigFieldRow::browseRequested, this, [this, row] { browse(*row); });
    }
    groups->addStretch(1);
    return content;
}

void SetupPanel::browse(ConfigFieldRow& row) {
    const QString current = row.text();
    const QString start = current.isEmpty() ? QString::fromStdString(m_dataDir.string()) : current;
    const auto* kind = field("dataset.kind");
    QString chosen;
    if (row.spec().key == "model.path") {
        chosen =
            QFileDialog::getOpenFileName(this, tr("Choose a TorchScript module"), start,
                                         tr("TorchScript modules (*.pt *.pth);;All files (*)"));
    } else if (kind != nullptr && kind->text() == QStringLiteral("numpy")) {
        chosen = QFileDialog::getOpenFileName(this, tr("Choose a NumPy file"), start,
                                              tr("NumPy files (*.npz *.npy);;All files (*)"));
    } else if (namesItsFiles()) {
        chosen = QFileDialog::getOpenFileName(this, tr("Choose a CSV file"), start,
                                              tr("CSV files (*.csv);;All files (*)"));
    } else {
        chosen = QFileDialog::getExistingDirectory(this, tr("Choose the data folder"), start);
    }
    if (!chosen.isEmpty()) {
        row.setText(chosen);
    }
}

ConfigFieldRow* SetupPanel::field(const std::string& key) const {
    const auto it = m_index.find(key);
    return it == m_index.end() ? nullptr : m_fields[it->second];
}

bool SetupPanel::namesItsFiles() const {
    const auto* kind = field("dataset.kind");
    const auto parsed = kind == nullptr
                            ? std::nullopt
                            : config::fromString<config::DatasetKind>(kind->text().toStdString());
    return parsed && config::namesItsFiles(*parsed);
}

void SetupPanel::setConfigJson(const json& input) {
    m_updating = true;
    for (auto* f : m_fields) {
        if (const json* value = jsonAt(input, f->spec().key)) {
            f->setValue(*value);
        }
    }
    m_updating = false;
    updateRelevance();
    validateNow();
}

void SetupPanel::setConfig(const config::RunConfig& config) {
    setConfigJson(config::toJson(config));
}

void SetupPanel::showConfig(const config::RunConfig& config, const QString& name) {
    setConfig(config);
    m_configName = name;
    m_presets->setCurrentIndex(0);
}

void SetupPanel::resetToDefaults() {
    m_presets->setCurrentIndex(0);
    m_configName.clear();
    setConfigJson(formDefaults());
}

void SetupPanel::updateRelevance() {
    const bool files = namesItsFiles();
    for (auto* f : m_fields) {
        if (f->spec().fileKindsOnly) {
            f->setRelevant(files);
        }
    }
    // A numpy file's targets are its array y: no target column. An image dataset's empty path
    // is its standard folder; a file dataset has none.
    if (const auto* kind = field("dataset.kind")) {
        if (auto* target = field("dataset.target")) {
            target->setRelevant(kind->text() == QStringLiteral("csv"));
        }
    }
    if (auto* path = field("dataset.path")) {
        path->setPlaceholder(files ? tr("none") : tr("standard location"));
    }
    // The model's keys that one kind uses: hidden (mlp), path (torchscript), init (the built-in
    // kinds).
    if (const auto* kind = field("model.kind")) {
        if (auto* hidden = field("model.hidden")) {
            hidden->setRelevant(kind->text() == QStringLiteral("mlp"));
        }
        if (auto* path = field("model.path")) {
            path->setRelevant(kind->text() == QStringLiteral("torchscript"));
        }
        if (auto* init = field("model.init")) {
            const auto parsed = config::fromString<config::ModelKind>(kind->text().toStdString());
            init->setRelevant(!parsed || config::takesWeightInit(*parsed));
        }
    }
}

json SetupPanel::formJson(std::vector<config::ConfigProblem>* unreadable) const {
    json out = json::object();
    const bool csv = namesItsFiles();
    for (const auto* f : m_fields) {
        const auto& spec = f->spec();
        if (spec.fileKindsOnly && !csv) {
            continue; // not used: the defaults stand (the engine rejects them for image data)
        }
        QString why;
        if (auto value = f->value(why)) {
            jsonPut(out, spec.key, std::move(*value));
        } else if (!why.isEmpty() && unreadable != nullptr) {
            unreadable->push_back({std::string(spec.key), why.toStdString()});
        }
    }
    return out;
}

void SetupPanel::validateNow() {
    std::vector<config::ConfigProblem> problems;
    const json j = formJson(&problems);
    std::vector<config::ConfigProblem> reading;
    const auto cfg = config::readRunConfig(j, reading);
    auto covered = [&](const std::string& key) {
        const auto fieldKey = fieldKeyOf(key);
        for (const auto& p : problems) {
            if (fieldKeyOf(p.key) == fieldKey) {
                return true;
            }
        }
        return false;
    };
    for (auto& p : reading) {
        if (!covered(p.key)) {
            problems.push_back(std::move(p));
        }
    }
    const std::size_t before = problems.size();
    for (auto& p : config::validate(cfg)) {
        bool seen = false;
        for (std::size_t i = 0; i < before; ++i) {
            seen = seen || fieldKeyOf(problems[i].key) == fieldKeyOf(p.key);
        }
        if (!seen) {
            problems.push_back(std::move(p));
        }
    }
    m_problems = std::move(problems);
    m_dataProblems.clear();
    m_networkText.clear();
    m_budgetNote.clear();
    bool checking = false;
    // Everything wrong at once: the data and the network are checked as soon as their own
    // sections are right, whatever else is still wrong.
    const auto clean = [this](std::initializer_list<std::string_view> sections) {
        for (const auto& p : m_problems) {
            for (const auto section : sections) {
                if (p.key.starts_with(section)) {
                    return false;
                }
            }
        }
        return true;
    };
    if (clean({"dataset", "model"})) {
        m_dataProblems = checkData(cfg, m_dataDir);
    }
    if (clean({"dataset", "model", "hyperparameters"}) && m_dataProblems.empty()) {
        auto network = checkNetwork(cfg, m_dataDir);
        if (network.problem) {
            m_dataProblems.push_back(std::move(*network.problem));
        } else if (run::mayNotTakeData(cfg)) {
            if (const auto outcome = m_probe->outcome(cfg, m_dataDir); !outcome) {
                checking = true; // validateNow runs again when the check ends
            } else if (*outcome) {
                m_dataProblems.push_back(**outcome);
            }
        }
        m_networkText = QString::fromStdString(network.description);
        if (network.dimension > 0 && m_problems.empty()) {
            m_budgetNote =
                QString::fromStdString(methods::bilevelOverBudget(cfg, network.dimension));
        }
    }
    m_checkingNetwork = checking;
    const bool valid = m_problems.empty() && m_dataProblems.empty();
    if (!valid) {
        m_networkText.clear(); // described only with everything in place
    }
    showProblems();
    const bool changed = valid != m_valid;
    m_valid = valid;
    if (changed) {
        Q_EMIT validityChanged(m_valid);
    }
    Q_EMIT configEdited();
}

void SetupPanel::showProblems() {
    std::map<std::string, QStringList> byField;
    for (const auto& p : m_problems) {
        const auto key = fieldKeyOf(p.key);
        if (field(key) != nullptr) {
            // Under its field the key goes without saying; an element says which ("[1]: ...").
            const auto element = p.key.substr(key.size());
            byField[key] << (element.empty() ? qs(p.message) : qs(element + ": " + p.message));
        }
    }
    for (const auto& d : m_dataProblems) {
        if (const auto key = fieldKeyOf(d.key); field(key) != nullptr) {
            byField[key] << qs(d.message);
        }
    }
    for (auto* f : m_fields) {
        const auto it = byField.find(std::string(f->spec().key));
        f->showError(it != byField.end() ? it->second.join(QLatin1Char('\n')) : QString());
    }
    m_summary->setText(summaryHtml());
    m_summary->setToolTip(m_networkText);
}

std::optional<config::RunConfig> SetupPanel::config() const {
    if (!m_valid) {
        return std::nullopt;
    }
    try {
        return config::parseRunConfig(formJson(), "the run form");
    } catch (const core::InputError&) {
        return std::nullopt;
    }
}

QString SetupPanel::fieldError(const QString& key) const {
    const auto* f = field(key.toStdString());
    return f == nullptr ? QString() : f->error();
}

QWidget* SetupPanel::fieldEditor(const QString& key) const {
    const auto* f = field(key.toStdString());
    return f == nullptr ? nullptr : f->editor();
}

QString SetupPanel::fieldText(const QString& key) const {
    const auto* f = field(key.toStdString());
    return f == nullptr ? QString() : f->text();
}

bool SetupPanel::setFieldText(const QString& key, const QString& text) {
    auto* f = field(key.toStdString());
    if (f == nullptr) {
        return false;
    }
    f->setText(text);
    return true;
}

bool SetupPanel::loadFile(const QString& path, QString* error) {
    try {
        showConfig(config::loadRunConfig(path.toStdString()), QFileInfo(path).completeBaseName());
        if (error != nullptr) {
            error->clear();
        }
        return true;
    } catch (const config::ConfigError& e) {
        // A file that is JSON but has problems is still shown, with them; one that is not
        // (missing, unreadable, a syntax error: problems without a key) is not.
        const auto& problems = e.problems();
        const bool readable = std::all_of(problems.begin(), problems.end(),
                                          [](const auto& p) { return !p.key.empty(); });
        if (error != nullptr) {
            *error = QString::fromUtf8(e.what());
        }
        if (!readable) {
            return false;
        }
        std::ifstream in(path.toStdString());
        json parsed = json::parse(in, nullptr, false);
        if (parsed.is_discarded() || !parsed.is_object()) {
            return false;
        }
        std::vector<config::ConfigProblem> ignored;
        showConfig(config::readRunConfig(parsed, ignored), QFileInfo(path).completeBaseName());
        return true;
    } catch (const core::InputError& e) {
        if (error != nullptr) {
            *error = QString::fromUtf8(e.what());
        }
        return false;
    }
}

bool SetupPanel::saveFile(const QString& path, QString* error) const {
    std::vector<config::ConfigProblem> ignored;
    const auto cfg = config::readRunConfig(formJson(), ignored);
    const std::string text = config::toJson(cfg).dump(2) + "\n";
    return writeAtomically(path, QByteArray::fromStdString(text), error);
}

bool SetupPanel::loadPreset(const QString& name) {
    const auto parsed = presetJson(name);
    if (!parsed) {
        return false;
    }
    std::vector<config::ConfigProblem> ignored;
    showConfig(config::readRunConfig(*parsed, ignored), name);
    const int index = m_presets->findData(name);
    if (index >= 0) {
        m_presets->setCurrentIndex(index);
    }
    return true;
}

void SetupPanel::setDataDir(const std::filesystem::path& dir) {
    m_dataDir = dir;
    validateNow();
}

void SetupPanel::openLoadDialog() {
    QSettings settings;
    const QString folder = settings.value(QStringLiteral("setup/configFolder")).toString();
    const QString path = QFileDialog::getOpenFileName(this, tr("Load a run configuration"), folder,
                                                      tr("Run configurations (*.json)"));
    if (path.isEmpty()) {
        return;
    }
    settings.setValue(QStringLiteral("setup/configFolder"), QFileInfo(path).absolutePath());
    openConfigFile(path);
}

bool SetupPanel::openConfigFile(const QString& path) {
    QString error;
    const bool shown = loadFile(path, &error);
    if (!error.isEmpty()) {
        Q_EMIT messageRaised(shown ? tr("The configuration was loaded with problems")
                                   : tr("The configuration could not be loaded"),
                             error);
    }
    if (shown) {
        Q_EMIT configFileUsed(path);
    }
    return shown;
}

void SetupPanel::openSaveDialog() {
    QSettings settings;
    const QString folder = settings.value(QStringLiteral("setup/configFolder")).toString();
    const QString path = QFileDialog::getSaveFileName(this, tr("Save the run configuration"),
                                                      folder + QStringLiteral("/run.json"),
                                                      tr("Run configurations (*.json)"));
    if (path.isEmpty()) {
        return;
    }
    settings.setValue(QStringLiteral("setup/configFolder"), QFileInfo(path).absolutePath());
    QString error;
    if (!saveFile(path, &error)) {
        Q_EMIT messageRaised(tr("The configuration could not be saved"), error);
        return;
    }
    Q_EMIT configFileUsed(path);
}

} // namespace bt::ui
