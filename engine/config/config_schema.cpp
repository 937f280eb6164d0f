#include "engine/config/config_schema.h"

#include "engine/config/format_number.h"
#include "engine/config/run_config_json.h"

#include <nlohmann/json.hpp>

namespace bt::config {

std::string describe(const Range& range) {
    switch (range.kind) {
    case Range::Kind::None:
        return {};
    case Range::Kind::Finite:
        return "finite";
    case Range::Kind::AtLeast:
        return ">= " + formatNumber(range.minimum);
    case Range::Kind::Positive:
        return "> 0";
    case Range::Kind::UnitInterval:
        return "in [0, 1)";
    }
    return {};
}

std::vector<std::string_view> topLevelKeys() {
    std::vector<std::string_view> keys = keysOf<RunConfig>();
    const RunConfig config;
    visitSections(config, [&](std::string_view name, const auto&) { keys.push_back(name); });
    return keys;
}

const std::vector<std::string>& allKeyPaths() {
    static const std::vector<std::string> paths = [] {
        std::vector<std::string> out;
        const RunConfig config;
        for (const auto key : keysOf<RunConfig>()) {
            out.emplace_back(key);
        }
        visitSections(config, [&](std::string_view name, const auto& section) {
            visitFields(section, [&](const FieldInfo& info, const auto&) {
                out.push_back(std::string(name) + "." + std::string(info.key));
            });
        });
        return out;
    }();
    return paths;
}

namespace {

/// `text` with the characters that end a Markdown table cell escaped.
std::string cell(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (c == '|') {
            out += "\\|";
        } else {
            out.push_back(c);
        }
    }
    return out;
}

/// The value's JSON text; an enum's value with the other spellings it takes.
template <class T>
std::string defaultText(const nlohmann::json& value) {
    std::string out = "`" + value.dump() + "`";
    if constexpr (ConfigEnum<T>) {
        out += " (" + allowedValues<T>() + ")";
    }
    return out;
}

template <class T>
struct OptionalValue {
    using type = T;
};
template <class T>
struct OptionalValue<std::optional<T>> {
    using type = T;
};

} // namespace

std::string keysMarkdown() {
    RunConfig defaults;
    const nlohmann::json json = toJson(defaults);
    std::string out;
    const auto table = [&](std::string_view section, const nlohmann::json& values) {
        out += "\n### " + std::string(section.empty() ? "methods (top level)" : section) + "\n\n";
        out += "| key | default | range | meaning |\n| --- | --- | --- | --- |\n";
        return [&out, values](const FieldInfo& info, const auto& member) {
            using T = typename OptionalValue<std::remove_cvref_t<decltype(member)>>::type;
            out += "| `" + std::string(info.key) + "` | " +
                   cell(defaultText<T>(values.at(std::string(info.key)))) + " | " +
                   cell(describe(info.range)) + " | " + cell(info.help) + " |\n";
        };
    };
    visitFields(defaults, table({}, json));
    visitSections(defaults, [&](std::string_view name, const auto& section) {
        visitFields(section, table(name, json.at(std::string(name))));
    });
    return out;
}

} // namespace bt::config
