#include "engine/data/class_mapping.h"

#include <charconv>
#include <optional>
#include <set>
#include <string_view>
#include <system_error>

#include "engine/core/error.h"

namespace bt::data {

namespace {

std::optional<std::int64_t> parseInteger(std::string_view text) {
    if (!text.empty() && text.front() == '+') {
        text.remove_prefix(1);
    }
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

} // namespace

ClassMapping ClassMapping::fromTable(const CsvTable& training) {
    ClassMapping mapping;
    mapping.m_numeric = true;
    std::set<std::int64_t> values;
    for (const auto& cell : training.targetCells) {
        const auto value = parseInteger(cell);
        if (!value) {
            mapping.m_numeric = false;
            break;
        }
        values.insert(*value);
    }
    if (mapping.m_numeric) {
        for (const auto v : values) {
            mapping.m_byValue.emplace(v, mapping.numClasses());
            mapping.m_names.push_back(std::to_string(v));
        }
        return mapping;
    }
    const std::set<std::string> names(training.targetCells.begin(), training.targetCells.end());
    for (const auto& name : names) {
        mapping.m_byName.emplace(name, mapping.numClasses());
        mapping.m_names.push_back(name);
    }
    return mapping;
}

std::vector<std::int64_t> ClassMapping::labelsOf(const CsvTable& table) const {
    std::vector<std::int64_t> labels;
    labels.reserve(table.targetCells.size());
    for (std::int64_t r = 0; r < table.rows(); ++r) {
        const auto& cell = table.targetCells[static_cast<std::size_t>(r)];
        std::optional<std::int64_t> index;
        if (m_numeric) {
            if (const auto value = parseInteger(cell)) {
                if (const auto it = m_byValue.find(*value); it != m_byValue.end()) {
                    index = it->second;
                }
            }
        } else if (const auto it = m_byName.find(cell); it != m_byName.end()) {
            index = it->second;
        }
        if (!index) {
            // Name the known classes, but not thousands of them.
            constexpr std::size_t kListed = 20;
            std::string known;
            for (std::size_t i = 0; i < m_names.size() && i < kListed; ++i) {
                known += (known.empty() ? "'" : ", '") + m_names[i] + "'";
            }
            if (m_names.size() > kListed) {
                known += ", ... (" + std::to_string(m_names.size()) + " classes)";
            }
            throw core::InputError(
                table.targetWhere(r),
                "class '" + cell + "' in the target column '" + table.targetName +
                    "' does not occur in the training data; expected one of " + known);
        }
        labels.push_back(*index);
    }
    return labels;
}

} // namespace bt::data
