#include "engine/data/table_pool.h"

#include <algorithm>
#include <cmath>

#include "engine/core/error.h"

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
    pool.sampleShape = {static_cast<std::int64_t>(table.featureNames.size())};
    pool.featureNames = std::move(table.featureNames);
    pool.features = std::move(table.features);
    return pool;
}

TablePool TablePool::fromNumpy(NumpyPair pair, Task task, const std::vector<double>& classes) {
    TablePool pool;
    pool.task = task;
    pool.sampleShape.assign(pair.x.shape.begin() + 1, pair.x.shape.end());
    if (pool.sampleShape.size() == 1) {
        for (std::int64_t j = 0; j < pool.sampleShape[0]; ++j) {
            pool.featureNames.push_back("x[:, " + std::to_string(j) + "]");
        }
    }
    pool.features = std::move(pair.x.floats);
    const auto& y = pair.y.values;
    if (task == Task::Regression) {
        pool.targets.assign(y.begin(), y.end());
        return pool;
    }
    pool.numClasses = static_cast<std::int64_t>(classes.size());
    for (const auto c : classes) {
        pool.classNames.push_back(std::to_string(static_cast<std::int64_t>(c)));
    }
    pool.labels.reserve(y.size());
    for (std::size_t i = 0; i < y.size(); ++i) {
        const auto found = std::lower_bound(classes.begin(), classes.end(), y[i]);
        if (found == classes.end() || *found != y[i]) {
            throw core::InputError(pair.y.source,
                                   "sample " + std::to_string(i) + " has label " +
                                       std::to_string(static_cast<std::int64_t>(y[i])) +
                                       ", which the training file does not have");
        }
        pool.labels.push_back(found - classes.begin());
    }
    return pool;
}

std::int64_t TablePool::featureCount() const {
    std::int64_t n = 1;
    for (const auto d : sampleShape) {
        n *= d;
    }
    return sampleShape.empty() ? 0 : n;
}

std::int64_t TablePool::statisticGroup() const {
    return sampleShape.size() < 2 ? 1 : featureCount() / std::max<std::int64_t>(1, sampleShape[0]);
}

std::int64_t TablePool::size() const {
    return static_cast<std::int64_t>(task == Task::Regression ? targets.size() : labels.size());
}

Normalization TablePool::featureStatistics(const std::vector<std::int64_t>& rows) const {
    const auto f = static_cast<std::size_t>(featureCount());
    const auto group = static_cast<std::size_t>(statisticGroup());
    const std::size_t groups = f / group;
    std::vector<double> sum(groups, 0.0);
    for (const auto row : rows) {
        const float* x = features.data() + static_cast<std::size_t>(row) * f;
        for (std::size_t j = 0; j < f; ++j) {
            sum[j / group] += x[j];
        }
    }
    const auto n = static_cast<double>(rows.size() * group);
    std::vector<double> squares(groups, 0.0);
    for (const auto row : rows) {
        const float* x = features.data() + static_cast<std::size_t>(row) * f;
        for (std::size_t j = 0; j < f; ++j) {
            const double d = x[j] - sum[j / group] / n;
            squares[j / group] += d * d;
        }
    }
    Normalization result;
    for (std::size_t j = 0; j < groups; ++j) {
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
    const auto group = static_cast<std::size_t>(statisticGroup());
    Dataset out;
    out.sampleShape = sampleShape;
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
            out.features->push_back(normalization.mean.empty()
                                        ? x[j]
                                        : static_cast<float>((static_cast<double>(x[j]) -
                                                              normalization.mean[j / group]) /
                                                             normalization.stddev[j / group]));
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
