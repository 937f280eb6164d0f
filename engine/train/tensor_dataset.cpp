#include "engine/train/tensor_dataset.h"

#include <memory>
#include <vector>

#include <torch/torch.h>

namespace bt::train {

TensorDataset toTensors(const data::Dataset& dataset, bool flatten) {
    const std::int64_t n = dataset.size();
    std::vector<std::int64_t> shape = {n};
    if (flatten) {
        shape.push_back(dataset.featureCount());
    } else {
        shape.insert(shape.end(), dataset.sampleShape.begin(), dataset.sampleShape.end());
    }

    TensorDataset out;
    if (n == 0 || dataset.featureCount() == 0) {
        out.inputs = torch::empty(shape, torch::kFloat32);
    } else {
        // The deleter owns a reference: the buffer lives as long as the tensor (or its views).
        std::shared_ptr<std::vector<float>> keep = dataset.features;
        out.inputs = torch::from_blob(
            keep->data(), shape, [keep](void*) mutable { keep.reset(); },
            torch::TensorOptions().dtype(torch::kFloat32));
    }
    if (dataset.task == data::Task::Regression) {
        out.targets = torch::tensor(dataset.targets, torch::kFloat32).reshape({n});
    } else {
        out.targets = torch::tensor(dataset.labels, torch::kInt64).reshape({n});
    }
    return out;
}

TensorDataset rows(const TensorDataset& split, const torch::Tensor& index) {
    return {split.inputs.index_select(0, index), split.targets.index_select(0, index)};
}

} // namespace bt::train
