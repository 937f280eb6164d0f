#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/data/class_mapping.h"
#include "engine/data/csv_table.h"
#include "engine/data/dataset.h"
#include "engine/data/split_data.h"

namespace bt::data {

/// The rows of one CSV file with their targets resolved (class indices or real numbers), from
/// which splits are taken by row index.
struct TablePool {
    std::vector<std::string> featureNames;
    std::vector<float> features;      ///< size() * featureNames.size(), row-major
    std::vector<std::int64_t> labels; ///< classification
    std::vector<float> targets;       ///< regression
    Task task = Task::Classification;
    std::int64_t numClasses = 0;
    std::vector<std::string> classNames;

    /// Takes over `table`'s features and resolves its targets: through `mapping` for
    /// classification, as numbers for regression (mapping unused).
    /// @throws core::InputError for an unseen class or a non-numeric regression target.
    static TablePool fromCsv(CsvTable table, Task task, const ClassMapping& mapping);

    std::int64_t size() const;
    std::int64_t featureCount() const { return static_cast<std::int64_t>(featureNames.size()); }

    /// Mean and population standard deviation of each feature column over `rows` (stddev 1 for
    /// a constant column), accumulated in double precision.
    /// @pre rows non-empty, each in [0, size())
    Normalization featureStatistics(const std::vector<std::int64_t>& rows) const;

    /// The rows `rows`, in that order, as a Dataset with sampleShape {F}: feature j becomes
    /// (x - mean[j]) / stddev[j], or stays x when `normalization` is empty. Targets unchanged.
    Dataset select(const std::vector<std::int64_t>& rows, const Normalization& normalization) const;
};

} // namespace bt::data
