#include "ui/setup/config_field_text.h"

#include <cmath>
#include <cstdint>

#include <QStringList>

#include "engine/config/format_number.h"

namespace bt::ui {

using nlohmann::json;

namespace {

// How the form writes a split's -1 (all that the pool's other splits leave), so that its three
// forms read alike: a count "10000", "rest", a range "0:600".
const QString kRestOfPool = QStringLiteral("rest");

// A split size: a count, "rest" or -1, a range "begin:end" (also "[begin, end)"), or nothing
// (automatic).
std::optional<json> readSplit(const QString& text, QString& why) {
    if (text.trimmed().isEmpty()) {
        return json(nullptr); // automatic (config::splitSizes)
    }
    if (text.trimmed().compare(kRestOfPool, Qt::CaseInsensitive) == 0) {
        return json(-1);
    }
    bool ok = false;
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
            return json::array({static_cast<std::int64_t>(begin), static_cast<std::int64_t>(end)});
        }
    }
    why = QStringLiteral("expected a count (e.g. 5000), rest (all that the other splits leave), "
                         "a range begin:end, or nothing (automatic), got '%1'")
              .arg(text);
    return std::nullopt;
}

// Integers separated by commas (or semicolons): "300, 100".
std::optional<json> readIntList(const QString& text, QString& why) {
    json list = json::array();
    QString t = text;
    t.replace(QLatin1Char(';'), QLatin1Char(','));
    for (const auto& part : t.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
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

// λ groups "name = pattern" separated by semicolons: "backbone = features.*.weight; head = fc*".
std::optional<json> readGroups(const QString& text, QString& why) {
    json list = json::array();
    for (const auto& part : text.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        const auto equals = part.indexOf(QLatin1Char('='));
        const QString name = part.left(equals).trimmed();
        const QString pattern = part.mid(equals + 1).trimmed();
        if (equals < 0 || name.isEmpty() || pattern.isEmpty()) {
            why = QStringLiteral("expected groups as name = pattern separated by semicolons "
                                 "(e.g. backbone = features.*.weight; head = head.weight), got "
                                 "'%1'")
                      .arg(part.trimmed());
            return std::nullopt;
        }
        list.push_back({{"name", name.toStdString()}, {"match", pattern.toStdString()}});
    }
    return list;
}

} // namespace

QString qs(std::string_view text) {
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

const json* jsonAt(const json& root, std::string_view key) {
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

void jsonPut(json& root, std::string_view key, json value) {
    const auto dot = key.find('.');
    if (dot == std::string_view::npos) {
        root[std::string(key)] = std::move(value);
    } else {
        root[std::string(key.substr(0, dot))][std::string(key.substr(dot + 1))] = std::move(value);
    }
}

std::string fieldKeyOf(const std::string& problemKey) {
    return problemKey.substr(0, problemKey.find('['));
}

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
        return value == json(-1) ? kRestOfPool : qs(value.dump());
    case FieldKind::IntList: {
        QStringList parts;
        if (value.is_array()) {
            for (const auto& v : value) {
                parts << qs(v.dump());
            }
        }
        return parts.join(QStringLiteral(", "));
    }
    case FieldKind::Groups: {
        QStringList parts;
        for (const auto& group : value) {
            if (group.is_object()) {
                parts << qs(group.value("name", std::string())) + QStringLiteral(" = ") +
                             qs(group.value("match", std::string()));
            }
        }
        return parts.join(QStringLiteral("; "));
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
    case FieldKind::Split:
        return readSplit(text, why);
    case FieldKind::IntList:
        return readIntList(text, why);
    case FieldKind::Groups:
        return readGroups(text, why);
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

} // namespace bt::ui
