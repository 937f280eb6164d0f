#include "ui/setup_panel.h"

#include <cmath>
#include <fstream>

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include "engine/config/config_error.h"
#include "engine/config/format_number.h"
#include "engine/config/run_config_json.h"
#include "engine/config/validate.h"
#include "engine/core/paths.h"

namespace bt::ui {

using nlohmann::json;

namespace {

// Keeps the mouse wheel from changing a choice the pointer merely passes over while the user
// scrolls the form: an unfocused combo box hands the wheel to the form's scroll area instead.
class WheelOnlyWhenFocused : public QObject {
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override {
        auto* widget = qobject_cast<QWidget*>(watched);
        if (event->type() != QEvent::Wheel || widget == nullptr || widget->hasFocus()) {
            return false;
        }
        for (QWidget* w = widget->parentWidget(); w != nullptr; w = w->parentWidget()) {
            if (auto* area = qobject_cast<QScrollArea*>(w)) {
                QCoreApplication::sendEvent(area->verticalScrollBar(), event);
                break;
            }
        }
        return true;
    }
};

QString qs(std::string_view text) {
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

/// The value at "section.name" (or a top-level "name") of `root`, or null.
const json* at(const json& root, std::string_view key) {
    const auto dot = key.find('.');
    const std::string first(key.substr(0, dot));
    if (!root.is_object() || !root.contains(first)) {
        return nullptr;
    }
    const json& section = root.at(first);
    if (dot == std::string_view::npos) {
        return &section;
    }
    const std::string second(key.substr(dot + 1));
    if (!section.is_object() || !section.contains(second)) {
        return nullptr;
    }
    return &section.at(second);
}

void put(json& root, std::string_view key, json value) {
    const auto dot = key.find('.');
    if (dot == std::string_view::npos) {
        root[std::string(key)] = std::move(value);
    } else {
        root[std::string(key.substr(0, dot))][std::string(key.substr(dot + 1))] = std::move(value);
    }
}

/// The field a problem's key belongs to: "model.hidden[1]" → "model.hidden".
std::string fieldKeyOf(const std::string& problemKey) {
    return problemKey.substr(0, problemKey.find('['));
}

/// How a field shows a JSON value.
QString displayText(FieldKind kind, const json& value) {
    if (value.is_null()) {
        return {};
    }
    switch (kind) {
    case FieldKind::Number:
        return value.is_number() ? qs(config::formatNumber(value.get<double>())) : qs(value.dump());
    case FieldKind::Split:
        if (value.is_array() && value.size() == 2) {
            return qs(value[0].dump()) + QLatin1Char(':') + qs(value[1].dump());
        }
        return qs(value.dump());
    case FieldKind::IntList: {
        QStringList parts;
        if (value.is_array()) {
            for (const auto& v : value) {
                parts << qs(v.dump());
            }
        }
        return parts.join(QStringLiteral(", "));
    }
    case FieldKind::Boolean:
        return value.is_boolean() && value.get<bool>() ? QStringLiteral("true")
                                                       : QStringLiteral("false");
    case FieldKind::Methods: {
        QStringList parts;
        for (const auto& v : value) {
            parts << qs(v.is_string() ? v.get<std::string>() : v.dump());
        }
        return parts.join(QStringLiteral(", "));
    }
    case FieldKind::Text:
    case FieldKind::Path:
    case FieldKind::Choice:
    case FieldKind::Device:
        return value.is_string() ? qs(value.get<std::string>()) : qs(value.dump());
    case FieldKind::Integer:
    case FieldKind::Seed:
        return qs(value.dump());
    }
    return {};
}

/// Reads a field's text as JSON, or says why it cannot.
std::optional<json> readText(FieldKind kind, const QString& raw, QString& why) {
    const QString text = raw.trimmed();
    bool ok = false;
    switch (kind) {
    case FieldKind::Integer: {
        const qlonglong v = text.toLongLong(&ok);
        if (!ok) {
            why = text.isEmpty() ? QStringLiteral("expected an integer, got nothing")
                                 : QStringLiteral("expected an integer, got '%1'").arg(text);
            return std::nullopt;
        }
        return json(static_cast<std::int64_t>(v));
    }
    case FieldKind::Seed: {
        const qulonglong v = text.toULongLong(&ok);
        if (!ok) {
            why = QStringLiteral("expected an integer in [0, 2^64), got '%1'").arg(text);
            return std::nullopt;
        }
        return json(static_cast<std::uint64_t>(v));
    }
    case FieldKind::Number: {
        const double v = text.toDouble(&ok); // C locale: "0.05", "1e-4"
        if (!ok) {
            why = text.isEmpty() ? QStringLiteral("expected a number, got nothing")
                                 : QStringLiteral("expected a number, got '%1'").arg(text);
            return std::nullopt;
        }
        if (!std::isfinite(v)) {
            why = QStringLiteral("expected a finite number, got '%1'").arg(text);
            return std::nullopt;
        }
        return json(v);
    }
    case FieldKind::Split: {
        QString t = text;
        t.remove(QLatin1Char('[')).remove(QLatin1Char(']')).remove(QLatin1Char(')'));
        t.replace(QLatin1Char(','), QLatin1Char(':'));
        const auto parts = t.split(QLatin1Char(':'));
        if (parts.size() == 1) {
            const qlonglong v = parts[0].trimmed().toLongLong(&ok);
            if (ok) {
                return json(static_cast<std::int64_t>(v));
            }
        } else if (parts.size() == 2) {
            bool okEnd = false;
            const qlonglong begin = parts[0].trimmed().toLongLong(&ok);
            const qlonglong end = parts[1].trimmed().toLongLong(&okEnd);
            if (ok && okEnd) {
                return json::array(
                    {static_cast<std::int64_t>(begin), static_cast<std::int64_t>(end)});
            }
        }
        why = QStringLiteral("expected a count (e.g. 5000), -1 (all that remain) or a range "
                             "begin:end, got '%1'")
                  .arg(text);
        return std::nullopt;
    }
    case FieldKind::IntList: {
        json list = json::array();
        QString t = text;
        t.replace(QLatin1Char(';'), QLatin1Char(','));
        for (const auto& part : t.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const qlonglong v = part.trimmed().toLongLong(&ok);
            if (!ok) {
                why = QStringLiteral("expected integers separated by commas (e.g. 300, 100), "
                                     "got '%1'")
                          .arg(part.trimmed());
                return std::nullopt;
            }
            list.push_back(static_cast<std::int64_t>(v));
        }
        return list;
    }
    case FieldKind::Text:
    case FieldKind::Path:
    case FieldKind::Device:
    case FieldKind::Choice:
        return json(text.toStdString());
    case FieldKind::Boolean:
    case FieldKind::Methods:
        break;
    }
    return std::nullopt;
}

constexpr auto kInvalidProperty = "invalid";

void markInvalid(QWidget* widget, bool invalid) {
    if (widget->property(kInvalidProperty).toBool() == invalid) {
        return;
    }
    widget->setProperty(kInvalidProperty, invalid);
    widget->style()->unpolish(widget);
    widget->style()->polish(widget);
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

    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Preset:"), this));
    m_presets = new QComboBox(this);
    m_presets->setObjectName(QStringLiteral("presetCombo"));
    m_presets->setToolTip(tr("The reference tasks (resources/configs): loads one into the form"));
    m_presets->addItem(tr("reference task…"));
    m_presets->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    for (const auto& name : presetNames()) {
        m_presets->addItem(name, name);
    }
    top->addWidget(m_presets, 1);
    auto* loadButton = new QPushButton(tr("Load…"), this);
    loadButton->setToolTip(tr("Read a run configuration (the command line's JSON)"));
    auto* saveButton = new QPushButton(tr("Save…"), this);
    saveButton->setToolTip(tr("Write the form as a run configuration for the command line"));
    auto* defaultsButton = new QPushButton(tr("Defaults"), this);
    defaultsButton->setToolTip(tr("Every field back to its documented default"));
    top->addWidget(loadButton);
    top->addWidget(saveButton);
    top->addWidget(defaultsButton);
    outer->addLayout(top);

    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* content = new QWidget(scroll);
    auto* groups = new QVBoxLayout(content);
    groups->setContentsMargins(0, 0, 4, 0);

    auto defaults = config::toJson(config::RunConfig{});
    defaults["dataset"]["kind"] = "fashion-mnist";
    const auto& specs = configFields();
    m_fields.resize(specs.size());
    std::map<FieldGroup, QFormLayout*> forms;
    for (std::size_t i = 0; i < specs.size(); ++i) {
        const auto& spec = specs[i];
        auto& f = m_fields[i];
        f.spec = &spec;
        m_index[std::string(spec.key)] = i;
        auto*& form = forms[spec.group];
        if (form == nullptr) {
            auto* box = new QGroupBox(qs(groupTitle(spec.group)), content);
            box->setObjectName(QStringLiteral("group") + qs(groupTitle(spec.group)).remove(' '));
            form = new QFormLayout(box);
            form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
            groups->addWidget(box);
        }
        f.row = buildField(f, content, defaults);
        f.label = new QLabel(qs(spec.label) + QLatin1Char(':'), content);
        f.label->setToolTip(f.editor->toolTip());
        form->addRow(f.label, f.row);
    }
    groups->addStretch(1);
    scroll->setWidget(content);
    outer->addWidget(scroll, 1);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("problemSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setMinimumHeight(fontMetrics().height() * 2);
    outer->addWidget(m_summary);

    connect(m_presets, &QComboBox::activated, this, [this](int index) {
        if (index > 0) {
            loadPreset(m_presets->itemData(index).toString());
        }
    });
    connect(loadButton, &QPushButton::clicked, this, &SetupPanel::openLoadDialog);
    connect(saveButton, &QPushButton::clicked, this, &SetupPanel::openSaveDialog);
    connect(defaultsButton, &QPushButton::clicked, this, &SetupPanel::resetToDefaults);

    resetToDefaults();
}

QWidget* SetupPanel::buildField(Field& f, QWidget* parent, const json& defaults) {
    const auto& spec = *f.spec;
    auto* container = new QWidget(parent);
    auto* v = new QVBoxLayout(container);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(2);
    auto* h = new QHBoxLayout;
    h->setContentsMargins(0, 0, 0, 0);
    v->addLayout(h);
    const QString objectName = QStringLiteral("field_") + qs(spec.key);
    auto changed = [this] {
        if (!m_updating) {
            validateNow();
        }
    };

    switch (spec.kind) {
    case FieldKind::Boolean:
        f.check = new QCheckBox(container);
        f.editor = f.check;
        connect(f.check, &QCheckBox::toggled, this, changed);
        break;
    case FieldKind::Choice:
    case FieldKind::Device:
        f.combo = new QComboBox(container);
        f.combo->setFocusPolicy(Qt::StrongFocus);
        f.combo->installEventFilter(new WheelOnlyWhenFocused(f.combo));
        for (const auto choice : spec.choices) {
            f.combo->addItem(qs(choice));
        }
        f.editor = f.combo;
        if (spec.kind == FieldKind::Device) {
            f.combo->setEditable(true);
            connect(f.combo, &QComboBox::currentTextChanged, this, changed);
        } else {
            connect(f.combo, &QComboBox::currentIndexChanged, this, changed);
        }
        if (spec.key == "dataset.kind" || spec.key == "model.kind") {
            connect(f.combo, &QComboBox::currentIndexChanged, this, [this] { updateRelevance(); });
        }
        break;
    case FieldKind::Methods: {
        f.list = new QListWidget(container);
        f.list->setDragDropMode(QAbstractItemView::InternalMove);
        f.list->setDefaultDropAction(Qt::MoveAction);
        for (const auto& entry : config::EnumNames<config::Method>::kNames) {
            auto* item = new QListWidgetItem(qs(entry.second), f.list);
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable |
                           Qt::ItemIsDragEnabled);
            item->setCheckState(Qt::Unchecked);
        }
        // All five methods visible without scrolling.
        f.list->setFixedHeight(f.list->sizeHintForRow(0) * f.list->count() +
                               2 * f.list->frameWidth() + 6);
        f.list->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        f.editor = f.list;
        connect(f.list, &QListWidget::itemChanged, this, changed);
        connect(f.list->model(), &QAbstractItemModel::rowsMoved, this, changed);
        break;
    }
    case FieldKind::Integer:
    case FieldKind::Seed:
    case FieldKind::Number:
    case FieldKind::Text:
    case FieldKind::Path:
    case FieldKind::Split:
    case FieldKind::IntList:
        f.line = new QLineEdit(container);
        f.editor = f.line;
        if (spec.kind == FieldKind::Split) {
            f.line->setPlaceholderText(tr("count, -1 or begin:end"));
        } else if (spec.kind == FieldKind::Path) {
            f.line->setPlaceholderText(spec.key == "dataset.path" ? tr("standard location")
                                                                  : tr("none"));
        }
        connect(f.line, &QLineEdit::textChanged, this, changed);
        break;
    }
    f.editor->setObjectName(objectName);
    h->addWidget(f.editor, 1);
    if (spec.kind == FieldKind::Path) {
        auto* browse = new QToolButton(container);
        browse->setText(QStringLiteral("…"));
        browse->setToolTip(tr("Choose a file or folder"));
        h->addWidget(browse);
        connect(browse, &QToolButton::clicked, this, [this, &f] {
            const QString start = f.line->text().isEmpty()
                                      ? QString::fromStdString(m_dataDir.string())
                                      : f.line->text();
            const QString chosen =
                isCsv()
                    ? QFileDialog::getOpenFileName(this, tr("Choose a CSV file"), start,
                                                   tr("CSV files (*.csv);;All files (*)"))
                    : QFileDialog::getExistingDirectory(this, tr("Choose the data folder"), start);
            if (!chosen.isEmpty()) {
                f.line->setText(chosen);
            }
        });
    }
    if (!spec.unit.empty()) {
        auto* unit = new QLabel(qs(spec.unit), container);
        unit->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("ln coeff.")));
        h->addWidget(unit);
    }
    f.error = new QLabel(container);
    f.error->setObjectName(QStringLiteral("fieldError"));
    f.error->setWordWrap(true);
    f.error->setVisible(false);
    v->addWidget(f.error);

    QString tooltip = qs(spec.tooltip);
    if (const json* d = at(defaults, spec.key)) {
        const QString text = displayText(spec.kind, *d);
        tooltip += tr("\n\nDefault: %1").arg(text.isEmpty() ? tr("(empty)") : text);
    }
    tooltip += tr("\nJSON key: %1").arg(qs(spec.key));
    f.editor->setToolTip(tooltip);
    return container;
}

SetupPanel::Field* SetupPanel::field(const std::string& key) {
    const auto it = m_index.find(key);
    return it == m_index.end() ? nullptr : &m_fields[it->second];
}

const SetupPanel::Field* SetupPanel::field(const std::string& key) const {
    const auto it = m_index.find(key);
    return it == m_index.end() ? nullptr : &m_fields[it->second];
}

bool SetupPanel::isCsv() const {
    const auto* kind = field("dataset.kind");
    return kind != nullptr && kind->combo->currentText() == QStringLiteral("csv");
}

void SetupPanel::setMethods(Field& f, const json& value) {
    // Listed methods first, in their order, then the others unchecked.
    QStringList order;
    if (value.is_array()) {
        for (const auto& v : value) {
            if (v.is_string()) {
                order << qs(v.get<std::string>());
            }
        }
    }
    QStringList all = order;
    for (const auto& entry : config::EnumNames<config::Method>::kNames) {
        if (!all.contains(qs(entry.second))) {
            all << qs(entry.second);
        }
    }
    f.list->clear();
    for (const auto& name : all) {
        auto* item = new QListWidgetItem(name, f.list);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable |
                       Qt::ItemIsDragEnabled);
        item->setCheckState(order.contains(name) ? Qt::Checked : Qt::Unchecked);
    }
}

void SetupPanel::setFieldValue(Field& f, const json& value) {
    const auto kind = f.spec->kind;
    if (kind == FieldKind::Boolean) {
        f.check->setChecked(value.is_boolean() && value.get<bool>());
    } else if (kind == FieldKind::Methods) {
        setMethods(f, value);
    } else if (f.combo != nullptr) {
        const QString text = displayText(kind, value);
        if (f.combo->isEditable()) {
            f.combo->setCurrentText(text);
        } else {
            f.combo->setCurrentIndex(f.combo->findText(text));
        }
    } else {
        f.line->setText(displayText(kind, value));
    }
}

void SetupPanel::setConfigJson(const json& input) {
    m_updating = true;
    for (auto& f : m_fields) {
        if (const json* value = at(input, f.spec->key)) {
            setFieldValue(f, *value);
        }
    }
    m_updating = false;
    updateRelevance();
    validateNow();
}

void SetupPanel::setConfig(const config::RunConfig& config) {
    setConfigJson(config::toJson(config));
}

void SetupPanel::resetToDefaults() {
    auto defaults = config::toJson(config::RunConfig{});
    defaults["dataset"]["kind"] = "fashion-mnist";
    m_presets->setCurrentIndex(0);
    m_configName.clear();
    setConfigJson(defaults);
}

void SetupPanel::updateRelevance() {
    const bool csv = isCsv();
    for (auto& f : m_fields) {
        if (f.spec->csvOnly) {
            f.row->setEnabled(csv);
            f.label->setEnabled(csv);
        }
    }
}

json SetupPanel::formJson(std::vector<config::ConfigProblem>* unreadable) const {
    json out = json::object();
    const bool csv = isCsv();
    for (const auto& f : m_fields) {
        const auto& spec = *f.spec;
        if (spec.csvOnly && !csv) {
            continue; // not used: the defaults stand (the engine rejects them for image data)
        }
        std::optional<json> value;
        QString why;
        switch (spec.kind) {
        case FieldKind::Boolean:
            value = f.check->isChecked();
            break;
        case FieldKind::Methods: {
            json list = json::array();
            for (int i = 0; i < f.list->count(); ++i) {
                if (f.list->item(i)->checkState() == Qt::Checked) {
                    list.push_back(f.list->item(i)->text().toStdString());
                }
            }
            value = list;
            break;
        }
        case FieldKind::Choice:
            if (f.combo->currentIndex() >= 0) {
                value = json(f.combo->currentText().toStdString());
            }
            break;
        case FieldKind::Device:
            value = readText(spec.kind, f.combo->currentText(), why);
            break;
        default:
            value = readText(spec.kind, f.line->text(), why);
            break;
        }
        if (value) {
            put(out, spec.key, std::move(*value));
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
    if (m_problems.empty()) {
        m_dataProblems = checkData(cfg, m_dataDir);
    }
    const bool valid = m_problems.empty() && m_dataProblems.empty();
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
    QStringList general;
    for (const auto& p : m_problems) {
        const auto key = fieldKeyOf(p.key);
        if (field(key) != nullptr) {
            byField[key] << qs(p.toString());
        } else {
            general << qs(p.toString());
        }
    }
    for (const auto& d : m_dataProblems) {
        if (field(d.key) != nullptr) {
            byField[d.key] << qs(d.message);
        }
    }
    for (auto& f : m_fields) {
        const auto it = byField.find(std::string(f.spec->key));
        const bool invalid = it != byField.end();
        f.error->setText(invalid ? it->second.join(QLatin1Char('\n')) : QString());
        f.error->setVisible(invalid);
        markInvalid(f.editor, invalid);
    }

    if (m_problems.empty() && m_dataProblems.empty()) {
        m_summary->setText(tr("<span style='color:#3c763d'>✔ The configuration is valid and its "
                              "data is in place.</span>"));
        return;
    }
    QString html;
    if (!m_problems.empty()) {
        html += tr("<b style='color:#d9534f'>%n problem(s)</b> (the fields are marked in red):",
                   nullptr, static_cast<int>(m_problems.size()));
        html += QStringLiteral("<ul style='margin:0'>");
        for (const auto& p : m_problems) {
            html += QStringLiteral("<li>%1</li>").arg(qs(p.toString()).toHtmlEscaped());
        }
        html += QStringLiteral("</ul>");
    }
    for (const auto& d : m_dataProblems) {
        html +=
            tr("<b style='color:#d9534f'>Missing data:</b> %1").arg(qs(d.message).toHtmlEscaped());
        if (!d.command.empty()) {
            html += tr("<br>Fetch it with:<pre style='margin:2px'>%1</pre>")
                        .arg(qs(d.command).toHtmlEscaped());
        }
    }
    m_summary->setText(html);
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
    return f == nullptr ? QString() : f->error->text();
}

QWidget* SetupPanel::fieldEditor(const QString& key) const {
    const auto* f = field(key.toStdString());
    return f == nullptr ? nullptr : f->editor;
}

QString SetupPanel::fieldText(const QString& key) const {
    const auto* f = field(key.toStdString());
    if (f == nullptr) {
        return {};
    }
    if (f->check != nullptr) {
        return f->check->isChecked() ? QStringLiteral("true") : QStringLiteral("false");
    }
    if (f->combo != nullptr) {
        return f->combo->currentText();
    }
    if (f->list != nullptr) {
        QStringList checked;
        for (int i = 0; i < f->list->count(); ++i) {
            if (f->list->item(i)->checkState() == Qt::Checked) {
                checked << f->list->item(i)->text();
            }
        }
        return checked.join(QStringLiteral(", "));
    }
    return f->line->text();
}

bool SetupPanel::setFieldText(const QString& key, const QString& text) {
    auto* f = field(key.toStdString());
    if (f == nullptr) {
        return false;
    }
    if (f->check != nullptr) {
        f->check->setChecked(text == QStringLiteral("true"));
    } else if (f->combo != nullptr) {
        if (f->combo->isEditable()) {
            f->combo->setCurrentText(text);
        } else {
            f->combo->setCurrentIndex(f->combo->findText(text));
        }
    } else if (f->list != nullptr) {
        json methods = json::array();
        for (const auto& name : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            methods.push_back(name.trimmed().toStdString());
        }
        setMethods(*f, methods);
        validateNow();
    } else {
        f->line->setText(text);
    }
    return true;
}

bool SetupPanel::loadFile(const QString& path, QString* error) {
    try {
        setConfig(config::loadRunConfig(path.toStdString()));
        m_configName = QFileInfo(path).completeBaseName();
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
        const auto cfg = config::readRunConfig(parsed, ignored);
        setConfig(cfg);
        m_configName = QFileInfo(path).completeBaseName();
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
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(text.data(), static_cast<qint64>(text.size())) !=
            static_cast<qint64>(text.size()) ||
        !file.commit()) {
        if (error != nullptr) {
            *error = tr("cannot write %1: %2").arg(path, file.errorString());
        }
        return false;
    }
    return true;
}

QStringList SetupPanel::presetNames() {
    QStringList names;
    for (const auto& file : QDir(QStringLiteral(":/configs"))
                                .entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
        names << QFileInfo(file).completeBaseName();
    }
    return names;
}

bool SetupPanel::loadPreset(const QString& name) {
    QFile file(QStringLiteral(":/configs/%1.json").arg(name));
    if (!file.open(QIODevice::ReadOnly)) {
        return false;
    }
    const auto bytes = file.readAll();
    const json parsed =
        json::parse(bytes.constData(), bytes.constData() + bytes.size(), nullptr, false);
    if (parsed.is_discarded()) {
        return false;
    }
    std::vector<config::ConfigProblem> ignored;
    setConfig(config::readRunConfig(parsed, ignored));
    m_configName = name;
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
    QString error;
    const bool shown = loadFile(path, &error);
    if (!error.isEmpty()) {
        Q_EMIT messageRaised(shown ? tr("The configuration was loaded with problems")
                                   : tr("The configuration could not be loaded"),
                             error);
    }
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
    }
}

} // namespace bt::ui
