#pragma once

#include <optional>

#include <QWidget>

#include <nlohmann/json.hpp>

#include "ui/setup/config_fields.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;

namespace bt::ui {

/// One row of the run form: the editor of one configuration key (a line edit, check box, combo
/// box or the method list, named "field_<key>"), its unit and browse button, and the error shown
/// under it ("fieldError"). It turns JSON into text and back (config_field_text.h); what the
/// form does with the values is the SetupPanel's.
class ConfigFieldRow : public QWidget {
    Q_OBJECT

public:
    /// Builds the editor of `spec`, with a tooltip of its help, its default in `defaults` (the
    /// full configuration's JSON) and its JSON key. The label is made with `parent`.
    ConfigFieldRow(const FieldSpec& spec, const nlohmann::json& defaults, QWidget* parent);

    const FieldSpec& spec() const { return m_spec; }
    QWidget* editor() const { return m_editor; }
    /// "Label:", for the form layout, with the editor's tooltip.
    QLabel* label() const { return m_label; }

    /// Shows a JSON value (check boxes: a boolean; combo boxes: its spelling; the method list:
    /// an array of names, checked and in this order, the others after them unchecked).
    void setValue(const nlohmann::json& value);
    /// The value the editor holds as JSON, or nullopt with `why` set when its text does not
    /// read (`why` empty: nothing chosen).
    std::optional<nlohmann::json> value(QString& why) const;
    /// The text the editor shows ("true"/"false" for check boxes, the checked methods joined
    /// by ", " for the method list).
    QString text() const;
    /// Sets the text as if typed (see text()).
    void setText(const QString& text);

    /// Shows `message` under the editor and marks it invalid (empty: clears both). While the
    /// editor has the focus only the mark changes; the line under it follows when it leaves.
    void showError(const QString& message);
    QString error() const;
    /// Enables or disables the row and its label (csv-only fields for image data).
    void setRelevant(bool relevant);
    /// The grey text an empty line edit shows (what an empty value means).
    void setPlaceholder(const QString& text);

Q_SIGNALS:
    /// The editor's value changed, by the user or by setValue / setText.
    void edited();
    /// A combo box's choice changed (dataset.kind and model.kind decide which fields apply).
    void choiceChanged();
    /// The browse button of a path field was pressed.
    void browseRequested();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void buildCheckBox();
    void buildComboBox();
    void buildMethodList();
    void buildLineEdit();
    void setMethods(const nlohmann::json& value);
    /// Whether `value` is the key's automatic value (FieldSpec::automatic).
    bool isAutomatic(const nlohmann::json& value) const;
    /// The text the line edit or combo box shows for `value` (empty for the automatic value).
    QString shown(const nlohmann::json& value) const;

    const FieldSpec& m_spec;
    QWidget* m_editor = nullptr;
    QLineEdit* m_line = nullptr;
    QCheckBox* m_check = nullptr;
    QComboBox* m_combo = nullptr;
    QListWidget* m_list = nullptr;
    QLabel* m_error = nullptr;
    QLabel* m_label = nullptr;
};

} // namespace bt::ui
