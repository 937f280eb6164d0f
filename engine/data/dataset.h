#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/config/config_enums.h"

namespace bt::data {

/// What the target of a dataset is: a class index or a real number (dataset.task).
using Task = config::Task;

/// "classification" or "regression", as the run configuration spells it.
const char* taskName(Task task);

/// One split of a dataset (training, validation or test), ready for training: features as
/// contiguous float32, one row per sample, already normalised (see SplitData::normalization).
/// A plain value; copying it shares the feature buffer, which is never modified after loading.
struct Dataset {
    /// Shape of one sample: {1, 28, 28} (MNIST, Fashion-MNIST), {3, 32, 32} (CIFAR-10, channel
    /// major), {F} (CSV: F feature columns) or a NumPy x's shape after its first dimension.
    std::vector<std::int64_t> sampleShape;
    /// size() * featureCount() values, row-major: sample i starts at i * featureCount(). Shared
    /// so that tensors can alias it without a copy (train::toTensors). Never null.
    std::shared_ptr<std::vector<float>> features = std::make_shared<std::vector<float>>();
    /// Classification: class index in [0, numClasses) per sample. Empty for regression.
    std::vector<std::int64_t> labels;
    /// Regression: target value per sample, in the units of the file. Empty for classification.
    std::vector<float> targets;
    Task task = Task::Classification;
    /// Number of classes (0 for regression). The same for all splits of one load.
    std::int64_t numClasses = 0;
    /// Name of each class index (numClasses entries; empty for regression).
    std::vector<std::string> classNames;
    /// Samples of one dimension (CSV, NumPy N × F): the name of each feature, in order (a CSV's
    /// target column left out); empty otherwise.
    std::vector<std::string> featureNames;

    /// Number of samples: labels.size() for classification, targets.size() for regression.
    std::int64_t size() const;
    /// Values per sample: the product of sampleShape (0 when sampleShape is empty).
    std::int64_t featureCount() const;
};

} // namespace bt::data
