#include "engine/data/csv_table.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <string_view>
#include <system_error>

#include "engine/core/error.h"
#include "engine/data/byte_reader.h"

namespace bt::data {

namespace {

struct Field {
    std::string text;
    std::int64_t column = 1; // 1-based, where the field starts
};

std::string at(const std::filesystem::path& path, std::int64_t line, std::int64_t column) {
    return path.string() + ":" + std::to_string(line) + ":" + std::to_string(column);
}

bool isSpace(char c) {
    return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && isSpace(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && isSpace(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

bool isBlank(std::string_view line) {
    return trim(line).empty();
}

std::vector<Field> splitFields(const std::filesystem::path& path, std::int64_t lineNo,
                               std::string_view line) {
    std::vector<Field> fields;
    std::size_t p = 0;
    for (;;) {
        std::size_t q = p;
        while (q < line.size() && isSpace(line[q])) {
            ++q;
        }
        Field field;
        if (q < line.size() && line[q] == '"') {
            field.column = static_cast<std::int64_t>(q) + 1;
            bool closed = false;
            ++q;
            while (q < line.size()) {
                if (line[q] == '"') {
                    if (q + 1 < line.size() && line[q + 1] == '"') {
                        field.text.push_back('"');
                        q += 2;
                        continue;
                    }
                    ++q;
                    closed = true;
                    break;
                }
                field.text.push_back(line[q++]);
            }
            if (!closed) {
                throw core::InputError(at(path, lineNo, field.column),
                                       "unterminated quoted field; expected a closing '\"' on the "
                                       "same line (quoted fields may not span lines)");
            }
            while (q < line.size() && isSpace(line[q])) {
                ++q;
            }
            if (q < line.size() && line[q] != ',') {
                throw core::InputError(at(path, lineNo, static_cast<std::int64_t>(q) + 1),
                                       std::string("expected ',' after a closing quote, found '") +
                                           line[q] + "'");
            }
        } else {
            field.column = static_cast<std::int64_t>(p) + 1;
            const std::size_t comma = line.find(',', p);
            q = comma == std::string_view::npos ? line.size() : comma;
            field.text = std::string(trim(line.substr(p, q - p)));
        }
        fields.push_back(std::move(field));
        if (q >= line.size()) {
            return fields;
        }
        p = q + 1; // past the comma
    }
}

// A finite double, or nullopt-like failure reported by the caller. Accepts a leading '+'.
bool parseNumber(std::string_view text, double& value) {
    if (!text.empty() && text.front() == '+') {
        text.remove_prefix(1);
    }
    if (text.empty()) {
        return false;
    }
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() && end == text.data() + text.size() && std::isfinite(value);
}

float toFeature(const std::filesystem::path& path, std::int64_t line, const Field& field,
                const std::string& columnName) {
    double value = 0.0;
    const std::string where = at(path, line, field.column);
    if (field.text.empty()) {
        throw core::InputError(where,
                               "empty cell in column '" + columnName + "'; expected a number");
    }
    if (!parseNumber(field.text, value)) {
        throw core::InputError(where, "expected a finite number in column '" + columnName +
                                          "', found '" + field.text + "'");
    }
    if (std::fabs(value) > static_cast<double>(std::numeric_limits<float>::max())) {
        throw core::InputError(where, "the number " + field.text + " in column '" + columnName +
                                          "' is outside the 32-bit float range");
    }
    return static_cast<float>(value);
}

// Lines as views into `text`, without their line ends; blank lines at the end are dropped.
std::vector<std::string_view> splitLines(const std::string& text) {
    std::vector<std::string_view> lines;
    for (std::size_t start = 0; start < text.size();) {
        std::size_t end = text.find('\n', start);
        const std::size_t next = end == std::string::npos ? text.size() : end + 1;
        end = end == std::string::npos ? text.size() : end;
        std::string_view line(text.data() + start, end - start);
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        lines.push_back(line);
        start = next;
    }
    while (!lines.empty() && isBlank(lines.back())) {
        lines.pop_back(); // blank lines at the end are harmless
    }
    return lines;
}

// The header row's fields; their names, checked to be present and unique, go to table.header.
std::vector<Field> readHeader(const std::filesystem::path& path, std::string_view line,
                              CsvTable& table) {
    std::vector<Field> header = splitFields(path, 1, line);
    for (std::size_t c = 0; c < header.size(); ++c) {
        const auto& name = header[c].text;
        if (name.empty()) {
            throw core::InputError(at(path, 1, header[c].column),
                                   "empty name of column " + std::to_string(c + 1) +
                                       " in the header; expected a column name");
        }
        for (std::size_t d = 0; d < c; ++d) {
            if (header[d].text == name) {
                throw core::InputError(at(path, 1, header[c].column),
                                       "duplicate column name '" + name + "' (also column " +
                                           std::to_string(d + 1) + "); expected unique names");
            }
        }
        table.header.push_back(name);
    }
    return header;
}

// The index of the column named `target` in `names` (the last one when `target` is empty).
std::size_t targetColumnIndex(const std::filesystem::path& path,
                              const std::vector<std::string>& names, const std::string& target) {
    std::size_t targetIndex = names.size() - 1;
    if (!target.empty()) {
        targetIndex = names.size();
        for (std::size_t c = 0; c < names.size(); ++c) {
            if (names[c] == target) {
                targetIndex = c;
            }
        }
        if (targetIndex == names.size()) {
            std::string listed;
            for (const auto& h : names) {
                listed += (listed.empty() ? "'" : ", '") + h + "'";
            }
            throw core::InputError(at(path, 1, 1), "no target column '" + target +
                                                       "' in the header; the columns are " +
                                                       listed);
        }
    }
    return targetIndex;
}

// One data row (line `lineNo`): its features, target cell and line go to `table`.
void readRow(const std::filesystem::path& path, std::int64_t lineNo, std::string_view line,
             std::size_t fieldCount, std::size_t targetIndex, CsvTable& table) {
    const std::string expectedFields =
        "expected " + std::to_string(fieldCount) + " fields as in the header";
    if (isBlank(line)) {
        throw core::InputError(at(path, lineNo, 1), "blank line; " + expectedFields);
    }
    std::vector<Field> fields = splitFields(path, lineNo, line);
    if (fields.size() != fieldCount) {
        const std::int64_t column = fields.size() > fieldCount
                                        ? fields[fieldCount].column
                                        : static_cast<std::int64_t>(line.size()) + 1;
        throw core::InputError(at(path, lineNo, column),
                               expectedFields + ", found " + std::to_string(fields.size()));
    }
    for (std::size_t c = 0; c < fields.size(); ++c) {
        if (c == targetIndex) {
            if (fields[c].text.empty()) {
                throw core::InputError(at(path, lineNo, fields[c].column),
                                       "empty cell in the target column '" + table.targetName +
                                           "'; expected a value");
            }
            table.targetCells.push_back(std::move(fields[c].text));
            table.targetColumns.push_back(fields[c].column);
        } else {
            table.features.push_back(toFeature(path, lineNo, fields[c], table.header[c]));
        }
    }
    table.lines.push_back(lineNo);
}

} // namespace

std::string CsvTable::targetWhere(std::int64_t row) const {
    const auto r = static_cast<std::size_t>(row);
    return at(path, lines[r], targetColumns[r]);
}

std::vector<float> CsvTable::numericTargets() const {
    std::vector<float> values;
    values.reserve(targetCells.size());
    for (std::int64_t r = 0; r < rows(); ++r) {
        const auto& cell = targetCells[static_cast<std::size_t>(r)];
        double value = 0.0;
        if (!parseNumber(cell, value) ||
            std::fabs(value) > static_cast<double>(std::numeric_limits<float>::max())) {
            throw core::InputError(targetWhere(r),
                                   "expected a finite number in the target column '" + targetName +
                                       "', found '" + cell + "'");
        }
        values.push_back(static_cast<float>(value));
    }
    return values;
}

CsvTable readCsv(const std::filesystem::path& path, const std::string& target) {
    std::string text = ByteReader(path, "a CSV file with a header row").readRest();
    if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) {
        text.erase(0, 3);
    }

    const std::vector<std::string_view> lines = splitLines(text);
    if (lines.empty()) {
        throw core::InputError(at(path, 1, 1), "empty file; expected a header row of column "
                                               "names and at least one data row");
    }

    CsvTable table;
    table.path = path;
    const std::vector<Field> header = readHeader(path, lines[0], table);
    const std::size_t targetIndex = targetColumnIndex(path, table.header, target);
    table.targetName = table.header[targetIndex];
    for (std::size_t c = 0; c < header.size(); ++c) {
        if (c != targetIndex) {
            table.featureNames.push_back(table.header[c]);
        }
    }
    if (table.featureNames.empty()) {
        throw core::InputError(at(path, 1, 1), "the header has only the target column '" +
                                                   table.targetName +
                                                   "'; expected at least one feature column");
    }
    if (lines.size() < 2) {
        throw core::InputError(at(path, 2, 1), "no data rows; expected at least one row after "
                                               "the header");
    }

    const std::size_t rowCount = lines.size() - 1;
    table.features.reserve(rowCount * table.featureNames.size());
    table.targetCells.reserve(rowCount);
    table.lines.reserve(rowCount);
    table.targetColumns.reserve(rowCount);
    for (std::size_t i = 1; i < lines.size(); ++i) {
        readRow(path, static_cast<std::int64_t>(i) + 1, lines[i], header.size(), targetIndex,
                table);
    }
    return table;
}

} // namespace bt::data
