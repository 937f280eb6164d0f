#include "engine/data/table_pool.h"

#include <cmath>

namespace bt::data {

TablePool TablePool::fromCsv(CsvTable table, Task task, const ClassMapping& mapping) {
    TablePool pool;
    pool.task = task;
    if (task == Task::Classification) {
        pool.labels = mapping.labelsOf(table);
        pool.numClasses = mapping.numClasses();
        pool.classNames = mapping.classNames();
    } else {
        pool.targets = table.numericTargets();
    }
    pool.featureNames = std::move(table.featureNames);
    pool.features = std::move(table.features);
    return pool;
}

std::int64_t TablePool::size() const {
    return static_cast<std::int64_t>(task == Task::Regression ? targets.size() : labels.size());
}

Normalization TablePool::featureStatistics(const std::vector<std::int64_t>& rows) const {
    const auto f = static_cast<std::size_t>(featureCount());
    std::vector<double> sum(f, 0.0);
    for (const auto row : rows) {
        const float* x = features.data() + static_cast<std::size_t>(row) * f;
        for (std::size_t j = 0; j < f; ++j) {
            sum[j] += x[j];
        }
    }
    const auto n = static_cast<double>(rows.size());
    std::vector<double> squares(f, 0.0);
    for (const auto row : rows) {
        const float* x = features.data() + static_cast<std::size_t>(row) * f;
        for (std::size_t j = 0; j < f; ++j) {
            const double d = x[j] - sum[j] / n;
            squares[j] += d * d;
        }
    }
    Normalization result;
    for (std::size_t j = 0; j < f; ++j) {
        // A spread of denormals can be positive in double and 0 as a float: treat it as constant.
        const auto stddev = static_cast<float>(std::sqrt(squares[j] / n));
        result.mean.push_back(static_cast<float>(sum[j] / n));
        result.stddev.push_back(stddev > 0.0F ? stddev : 1.0F);
    }
    return result;
}

Dataset TablePool::select(const std::vector<std::int64_t>& rows,
                          const Normalization& normalization) const {
    const auto f = static_cast<std::size_t>(featureCount());
    Dataset out;
    out.sampleShape = {featureCount()};
    out.task = task;
    out.numClasses = numClasses;
    out.classNames = classNames;
    out.featureNames = featureNames;
    out.features->reserve(rows.size() * f);
    for (const auto row : rows) {
        const auto r = static_cast<std::size_t>(row);
        const float* x = features.data() + r * f;
        for (std::size_t j = 0; j < f; ++j) {
            // In double: x − mean can exceed the float range when mean and x do not.
            out.features->push_back(
                normalization.mean.empty()
                    ? x[j]
                    : static_cast<float>((static_cast<double>(x[j]) - normalization.mean[j]) /
                                         normalization.stddev[j]));
        }
        if (task == Task::Regression) {
            out.targets.push_back(targets[r]);
        } else {
            out.labels.push_back(labels[r]);
        }
    }
    return out;
}

} // namespace bt::data
