#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace bt::data {

/// One CSV file, parsed: the feature columns as numbers, the target column as text (its meaning,
/// class label or real number, is decided by the caller). Every row keeps its line number and
/// the column of its target cell so that later errors can point at the cell.
struct CsvTable {
    std::filesystem::path path;
    std::vector<std::string> header;         ///< all column names, in file order
    std::string targetName;                  ///< the target column's name
    std::vector<std::string> featureNames;   ///< the other columns' names, in file order
    std::vector<float> features;             ///< rows() * featureNames.size(), row-major
    std::vector<std::string> targetCells;    ///< the target cell of each row, unquoted, trimmed
    std::vector<std::int64_t> lines;         ///< 1-based line of each row
    std::vector<std::int64_t> targetColumns; ///< 1-based character column of each target cell

    std::int64_t rows() const { return static_cast<std::int64_t>(targetCells.size()); }
    /// "PATH:LINE:COLUMN" of the target cell of `row`.
    std::string targetWhere(std::int64_t row) const;
    /// The target cells as real numbers (regression).
    /// @throws core::InputError at the first cell that is not a finite number.
    std::vector<float> numericTargets() const;
};

/// Reads a CSV file: a header row of column names, then one row per sample with the same number
/// of comma-separated fields. A field may be enclosed in double quotes (a doubled quote inside
/// stands for one; a quoted field may not span lines); unquoted fields are trimmed of spaces.
/// Lines may end in CRLF; blank lines at the end are ignored; a UTF-8 byte-order mark is skipped.
/// Feature cells must be finite numbers within float range.
/// @param target  name of the target column; empty means the last column
/// @throws core::InputError naming "PATH:LINE:COLUMN" and what was expected for an empty file,
///         a missing or duplicate column name, a missing target column, no feature column, no
///         data rows, a row with more or fewer fields than the header (or a blank line inside),
///         a bad quoted field or a non-numeric feature cell; and the errors of ByteReader for a
///         missing, unreadable or directory path. The file may be gzip-compressed.
CsvTable readCsv(const std::filesystem::path& path, const std::string& target);

} // namespace bt::data
