#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/data/csv_table.h"

namespace bt::data {

/// The mapping from the class labels written in a CSV target column to class indices. It is made
/// once, from the training file, and then applied to every file of the same dataset, so that a
/// label means the same index in training, validation and test data.
///
/// When every training label is an integer, the classes are the distinct integers in increasing
/// numeric order ("2" and "02" are the same class; "10" comes after "9"); otherwise they are the
/// distinct strings in byte order. Class i is the i-th of them.
class ClassMapping {
public:
    /// The classes of the training table's target column.
    /// @pre training.rows() > 0
    static ClassMapping fromTable(const CsvTable& training);

    std::int64_t numClasses() const { return static_cast<std::int64_t>(m_names.size()); }
    /// The label text of each class index (integers in canonical decimal form).
    const std::vector<std::string>& classNames() const { return m_names; }
    /// True when the labels are integers.
    bool numeric() const { return m_numeric; }

    /// The class index of every row of `table`.
    /// @throws core::InputError naming "PATH:LINE:COLUMN" for a label the training file does not
    ///         have, and listing the known classes.
    std::vector<std::int64_t> labelsOf(const CsvTable& table) const;

private:
    bool m_numeric = false;
    std::vector<std::string> m_names;
    std::map<std::int64_t, std::int64_t> m_byValue;
    std::map<std::string, std::int64_t> m_byName;
};

} // namespace bt::data
