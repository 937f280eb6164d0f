#include "ui/setup/config_field_row.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QScrollArea>
#include <QScrollBar>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include "engine/config/config_enums.h"
#include "ui/setup/config_field_text.h"

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

constexpr auto kInvalidProperty = "invalid";

void markInvalid(QWidget* widget, bool invalid) {
    if (widget->property(kInvalidProperty).toBool() == invalid) {
        return;
    }
    widget->setProperty(kInvalidProperty, invalid);
    widget->style()->unpolish(widget);
    widget->style()->polish(widget);
}

void addMethodItem(QListWidget* list, const QString& name, bool checked) {
    auto* item = new QListWidgetItem(name, list);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable |
                   Qt::ItemIsDragEnabled);
    item->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
}

} // namespace

ConfigFieldRow::ConfigFieldRow(const FieldSpec& spec, const json& defaults, QWidget* parent)
    : QWidget(parent), m_spec(spec) {
    auto* v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(2);
    auto* h = new QHBoxLayout;
    h->setContentsMargins(0, 0, 0, 0);
    v->addLayout(h);
    switch (spec.kind) {
    case FieldKind::Boolean:
        buildCheckBox();
        break;
    case FieldKind::Choice:
    case FieldKind::Device:
        buildComboBox();
        break;
    case FieldKind::Methods:
        buildMethodList();
        break;
    default:
        buildLineEdit();
        break;
    }
    m_editor->setObjectName(QStringLiteral("field_") + qs(spec.key));
    m_editor->installEventFilter(this);
    h->addWidget(m_editor, 1);
    if (spec.kind == FieldKind::Path) {
        auto* browse = new QToolButton(this);
        browse->setText(QStringLiteral("…"));
        browse->setToolTip(tr("Choose a file or folder"));
        h->addWidget(browse);
        connect(browse, &QToolButton::clicked, this, &ConfigFieldRow::browseRequested);
    }
    if (!spec.unit.empty()) {
        auto* unit = new QLabel(qs(spec.unit), this);
        unit->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("ln coeff.")));
        h->addWidget(unit);
    }
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("fieldError"));
    m_error->setWordWrap(true);
    m_error->setVisible(false);
    v->addWidget(m_error);

    QString tooltip = qs(spec.tooltip);
    if (const json* d = jsonAt(defaults, spec.key)) {
        const QString text = shown(*d);
        tooltip += tr("\n\nDefault: %1")
                       .arg(!text.isEmpty()   ? text
                            : isAutomatic(*d) ? tr("automatic")
                                              : tr("(empty)"));
    }
    tooltip += tr("\nJSON key: %1").arg(qs(spec.key));
    m_editor->setToolTip(tooltip);
    m_label = new QLabel(qs(spec.label) + QLatin1Char(':'), parent);
    m_label->setToolTip(tooltip);
}

void ConfigFieldRow::buildCheckBox() {
    m_check = new QCheckBox(this);
    m_editor = m_check;
    connect(m_check, &QCheckBox::toggled, this, &ConfigFieldRow::edited);
}

void ConfigFieldRow::buildComboBox() {
    m_combo = new QComboBox(this);
    m_combo->setFocusPolicy(Qt::StrongFocus);
    m_combo->installEventFilter(new WheelOnlyWhenFocused(m_combo));
    for (const auto choice : m_spec.choices) {
        m_combo->addItem(qs(choice));
    }
    m_editor = m_combo;
    if (m_spec.kind == FieldKind::Device) {
        m_combo->setEditable(true);
        connect(m_combo, &QComboBox::currentTextChanged, this, &ConfigFieldRow::edited);
    } else {
        connect(m_combo, &QComboBox::currentIndexChanged, this, &ConfigFieldRow::edited);
    }
    connect(m_combo, &QComboBox::currentIndexChanged, this, &ConfigFieldRow::choiceChanged);
}

void ConfigFieldRow::buildMethodList() {
    m_list = new QListWidget(this);
    m_list->setDragDropMode(QAbstractItemView::InternalMove);
    m_list->setDefaultDropAction(Qt::MoveAction);
    for (const auto& entry : config::EnumNames<config::Method>::kNames) {
        addMethodItem(m_list, qs(entry.second), false);
    }
    // All five methods visible without scrolling.
    m_list->setFixedHeight(m_list->sizeHintForRow(0) * m_list->count() + 2 * m_list->frameWidth() +
                           6);
    m_list->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_editor = m_list;
    connect(m_list, &QListWidget::itemChanged, this, &ConfigFieldRow::edited);
    connect(m_list->model(), &QAbstractItemModel::rowsMoved, this, &ConfigFieldRow::edited);
}

void ConfigFieldRow::buildLineEdit() {
    m_line = new QLineEdit(this);
    m_editor = m_line;
    if (m_spec.kind == FieldKind::Split || m_spec.automatic) {
        m_line->setPlaceholderText(tr("automatic"));
    } else if (m_spec.kind == FieldKind::Path) {
        m_line->setPlaceholderText(m_spec.key == "dataset.path" ? tr("standard location")
                                                                : tr("none"));
    } else if (m_spec.kind == FieldKind::Groups) {
        m_line->setPlaceholderText(tr("none: one λ per weight tensor"));
    }
    connect(m_line, &QLineEdit::textChanged, this, &ConfigFieldRow::edited);
}

void ConfigFieldRow::setMethods(const json& value) {
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
    m_list->clear();
    for (const auto& name : all) {
        addMethodItem(m_list, name, order.contains(name));
    }
}

void ConfigFieldRow::setValue(const json& value) {
    if (m_check != nullptr) {
        m_check->setChecked(value.is_boolean() && value.get<bool>());
    } else if (m_list != nullptr) {
        setMethods(value);
    } else if (m_combo != nullptr) {
        const QString text = displayText(m_spec.kind, value);
        if (m_combo->isEditable()) {
            m_combo->setCurrentText(text);
        } else {
            m_combo->setCurrentIndex(m_combo->findText(text));
        }
    } else {
        m_line->setText(shown(value));
    }
}

bool ConfigFieldRow::isAutomatic(const json& value) const {
    return m_spec.automatic && value.is_number_integer() && value == json(*m_spec.automatic);
}

QString ConfigFieldRow::shown(const json& value) const {
    return isAutomatic(value) ? QString() : displayText(m_spec.kind, value);
}

std::optional<json> ConfigFieldRow::value(QString& why) const {
    switch (m_spec.kind) {
    case FieldKind::Boolean:
        return json(m_check->isChecked());
    case FieldKind::Methods: {
        json list = json::array();
        for (int i = 0; i < m_list->count(); ++i) {
            if (m_list->item(i)->checkState() == Qt::Checked) {
                list.push_back(m_list->item(i)->text().toStdString());
            }
        }
        return list;
    }
    case FieldKind::Choice:
        if (m_combo->currentIndex() >= 0) {
            return json(m_combo->currentText().toStdString());
        }
        return std::nullopt;
    case FieldKind::Device:
        return readText(m_spec.kind, m_combo->currentText(), why);
    default:
        if (m_spec.automatic && m_line->text().trimmed().isEmpty()) {
            return json(*m_spec.automatic);
        }
        return readText(m_spec.kind, m_line->text(), why);
    }
}

QString ConfigFieldRow::text() const {
    if (m_check != nullptr) {
        return m_check->isChecked() ? QStringLiteral("true") : QStringLiteral("false");
    }
    if (m_combo != nullptr) {
        return m_combo->currentText();
    }
    if (m_list != nullptr) {
        QStringList checked;
        for (int i = 0; i < m_list->count(); ++i) {
            if (m_list->item(i)->checkState() == Qt::Checked) {
                checked << m_list->item(i)->text();
            }
        }
        return checked.join(QStringLiteral(", "));
    }
    return m_line->text();
}

void ConfigFieldRow::setText(const QString& text) {
    if (m_check != nullptr) {
        m_check->setChecked(text == QStringLiteral("true"));
    } else if (m_combo != nullptr) {
        if (m_combo->isEditable()) {
            m_combo->setCurrentText(text);
        } else {
            m_combo->setCurrentIndex(m_combo->findText(text));
        }
    } else if (m_list != nullptr) {
        json methods = json::array();
        for (const auto& name : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            methods.push_back(name.trimmed().toStdString());
        }
        setMethods(methods);
        Q_EMIT edited();
    } else {
        m_line->setText(text);
    }
}

void ConfigFieldRow::showError(const QString& message) {
    const bool invalid = !message.isEmpty();
    m_error->setText(message);
    markInvalid(m_editor, invalid);
    // While the user types in this field the message's line neither appears nor goes (the
    // fields below would jump); the red frame says it at once, the line follows on leaving.
    if (!m_editor->hasFocus()) {
        m_error->setVisible(invalid);
    }
}

bool ConfigFieldRow::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_editor && event->type() == QEvent::FocusOut) {
        m_error->setVisible(!m_error->text().isEmpty());
    }
    return QWidget::eventFilter(watched, event);
}

QString ConfigFieldRow::error() const {
    return m_error->text();
}

void ConfigFieldRow::setRelevant(bool relevant) {
    setEnabled(relevant);
    m_label->setEnabled(relevant);
}

void ConfigFieldRow::setPlaceholder(const QString& text) {
    if (m_line != nullptr) {
        m_line->setPlaceholderText(text);
    }
}

} // namespace bt::ui
