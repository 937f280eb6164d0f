#include "ui/setup/config_fields.h"

#include <algorithm>
#include <filesystem>
#include <string>
#include <type_traits>

#include "engine/config/config_schema.h"

namespace bt::ui {

namespace {

template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};

template <config::ConfigEnum E>
std::vector<std::string_view> spellings() {
    std::vector<std::string_view> out;
    for (const auto& entry : config::EnumNames<E>::kNames) {
        out.push_back(entry.second);
    }
    return out;
}

/// How a key of type T is edited, and the choices an enum offers.
template <class T>
FieldKind kindOf(const config::FieldInfo& info, std::vector<std::string_view>& choices) {
    if constexpr (IsOptional<T>::value) {
        return kindOf<typename T::value_type>(info, choices);
    } else if constexpr (std::is_enum_v<T>) {
        choices = spellings<T>();
        return FieldKind::Choice;
    } else if constexpr (std::is_same_v<T, bool>) {
        return FieldKind::Boolean;
    } else if constexpr (std::is_same_v<T, int>) {
        return FieldKind::Integer;
    } else if constexpr (std::is_same_v<T, std::uint64_t>) {
        return FieldKind::Seed;
    } else if constexpr (std::is_same_v<T, double>) {
        return FieldKind::Number;
    } else if constexpr (std::is_same_v<T, std::filesystem::path>) {
        return FieldKind::Path;
    } else if constexpr (std::is_same_v<T, config::SplitSize>) {
        return FieldKind::Split;
    } else if constexpr (std::is_same_v<T, std::vector<int>>) {
        return FieldKind::IntList;
    } else if constexpr (std::is_same_v<T, std::vector<config::Method>>) {
        return FieldKind::Methods;
    } else if constexpr (std::is_same_v<T, std::vector<config::LambdaGroup>>) {
        return FieldKind::Groups;
    } else {
        static_assert(std::is_same_v<T, std::string>);
        choices.assign(info.suggestions.begin(), info.suggestions.end());
        return choices.empty() ? FieldKind::Text : FieldKind::Device;
    }
}

FieldGroup groupOf(std::string_view section, const config::FieldInfo& info) {
    if (info.compute) {
        return FieldGroup::Compute;
    }
    if (section.empty()) {
        return FieldGroup::Methods;
    }
    if (section == "dataset") {
        return FieldGroup::Data;
    }
    if (section == "model") {
        return FieldGroup::Model;
    }
    if (section == "hyperparameters") {
        return FieldGroup::Hyperparameters;
    }
    if (section == "training") {
        return FieldGroup::Training;
    }
    if (section == "bilevel") {
        return FieldGroup::Bilevel;
    }
    return FieldGroup::Baselines; // grid, random, bayesian, hyperband
}

std::string tooltipOf(const config::FieldInfo& info) {
    std::string out(info.help);
    if (const std::string range = config::describe(info.range); !range.empty()) {
        out += (out.empty() ? "" : " ") + std::string("Range: ") + range + ".";
    }
    if (info.automatic) {
        out += " Empty: automatic (" + std::to_string(*info.automatic) + " in JSON).";
    }
    return out;
}

std::vector<FieldSpec> makeFields() {
    std::vector<FieldSpec> out;
    const auto add = [&](std::string_view section) {
        return [&out, section](const config::FieldInfo& info, const auto& member) {
            using T = std::remove_cvref_t<decltype(member)>;
            FieldSpec spec{section.empty() ? std::string(info.key)
                                           : std::string(section) + "." + std::string(info.key),
                           groupOf(section, info),
                           info.label,
                           FieldKind::Text,
                           info.unit,
                           tooltipOf(info)};
            spec.kind = kindOf<T>(info, spec.choices);
            spec.fileKindsOnly = info.fileKindsOnly;
            spec.automatic = info.automatic;
            out.push_back(std::move(spec));
        };
    };
    const config::RunConfig config;
    config::visitFields(config, add({}));
    config::visitSections(config, [&](std::string_view name, const auto& section) {
        config::visitFields(section, add(name));
    });
    std::stable_sort(out.begin(), out.end(),
                     [](const FieldSpec& a, const FieldSpec& b) { return a.group < b.group; });
    return out;
}

} // namespace

const std::vector<FieldSpec>& configFields() {
    static const std::vector<FieldSpec> fields = makeFields();
    return fields;
}

std::string_view groupTitle(FieldGroup group) {
    switch (group) {
    case FieldGroup::Methods:
        return "Methods";
    case FieldGroup::Data:
        return "Data";
    case FieldGroup::Model:
        return "Model";
    case FieldGroup::Hyperparameters:
        return "Hyperparameters";
    case FieldGroup::Training:
        return "Training";
    case FieldGroup::Bilevel:
        return "Bilevel method";
    case FieldGroup::Baselines:
        return "Baselines";
    case FieldGroup::Compute:
        return "Compute";
    }
    return "";
}

} // namespace bt::ui
