#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/data/class_mapping.h"
#include "engine/data/csv_table.h"
#include "engine/data/dataset.h"
#include "engine/data/numpy_reader.h"
#include "engine/data/split_data.h"

namespace bt::data {

/// The samples of one CSV or NumPy file with their targets resolved (class indices or real
/// numbers), from which splits are taken by row index.
///
/// Normalisation statistics are per feature for samples of one dimension (CSV columns, NumPy
/// x of shape N × F) and per channel, the sample's first dimension, otherwise (NumPy x of shape
/// N × C × H × W).
struct TablePool {
    std::vector<std::int64_t> sampleShape; ///< {F} for CSV; x's shape after N for NumPy
    std::vector<std::string> featureNames; ///< per-feature pools: one name a feature
    std::vector<float> features;           ///< size() * featureCount(), row-major
    std::vector<std::int64_t> labels;      ///< classification
    std::vector<float> targets;            ///< regression
    Task task = Task::Classification;
    std::int64_t numClasses = 0;
    std::vector<std::string> classNames;

    /// Takes over `table`'s features and resolves its targets: through `mapping` for
    /// classification, as numbers for regression (mapping unused).
    /// @throws core::InputError for an unseen class or a non-numeric regression target.
    static TablePool fromCsv(CsvTable table, Task task, const ClassMapping& mapping);

    /// Takes over a NumPy file's arrays (checked by checkPair): classification labels become
    /// class indices through `classes` (the training file's distinct labels in increasing
    /// order), regression targets are kept as they are.
    /// @throws core::InputError naming y's file for a label the training file does not have
    static TablePool fromNumpy(NumpyPair pair, Task task, const std::vector<double>& classes);

    std::int64_t size() const;
    /// Values per sample: the product of sampleShape.
    std::int64_t featureCount() const;
    /// Consecutive values that share one statistic: 1 per feature, H·W per channel.
    std::int64_t statisticGroup() const;

    /// Mean and population standard deviation of each feature column (or channel) over `rows`
    /// (stddev 1 for a constant one), accumulated in double precision.
    /// @pre rows non-empty, each in [0, size())
    Normalization featureStatistics(const std::vector<std::int64_t>& rows) const;

    /// The rows `rows`, in that order, as a Dataset with this sampleShape: a value of feature
    /// (or channel) j becomes (x - mean[j]) / stddev[j], or stays x when `normalization` is
    /// empty. Targets unchanged.
    Dataset select(const std::vector<std::int64_t>& rows, const Normalization& normalization) const;
};

} // namespace bt::data
