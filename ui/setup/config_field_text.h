#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <QString>

#include <nlohmann/json.hpp>

#include "ui/setup/config_fields.h"

namespace bt::ui {

/// `text` (UTF-8) as a QString.
QString qs(std::string_view text);

/// The value at "section.name" (or a top-level "name") of `root`, or null.
const nlohmann::json* jsonAt(const nlohmann::json& root, std::string_view key);

/// Sets the value at "section.name" (or a top-level "name") of `root`.
void jsonPut(nlohmann::json& root, std::string_view key, nlohmann::json value);

/// The field a problem's key belongs to: "model.hidden[1]" → "model.hidden".
std::string fieldKeyOf(const std::string& problemKey);

/// How a field of `kind` shows a JSON value (empty for null).
QString displayText(FieldKind kind, const nlohmann::json& value);

/// Reads a field's text as the JSON of its `kind`, or says in `why` why it cannot. Boolean and
/// Methods fields have no text to read (nullopt, `why` untouched).
std::optional<nlohmann::json> readText(FieldKind kind, const QString& raw, QString& why);

} // namespace bt::ui
