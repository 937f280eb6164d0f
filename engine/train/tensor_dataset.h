#pragma once

#include <torch/types.h>

#include "engine/data/dataset.h"

namespace bt::train {

/// One split as tensors for the trainer.
struct TensorDataset {
    torch::Tensor inputs;  ///< float32: N x C x H x W, or N x F when flattened
    torch::Tensor targets; ///< int64 class indices (classification) or float32 values, shape N
};

/// The tensors of `dataset`, on the CPU.
///
/// `inputs` aliases dataset.features without copying (torch::from_blob): its deleter holds a
/// reference to the feature buffer, so the tensor stays valid after `dataset` is gone, and the
/// buffer is freed with the last of them. The buffer is shared, not copied: writing into the
/// tensor in place would change the Dataset too (the engine never does; .to(device) on a GPU
/// makes a copy anyway). `targets` is a copy of the labels or targets (8 or 4 bytes a sample).
/// @param flatten  N x featureCount() instead of N x sampleShape (MLP and linear models)
/// @pre dataset.features holds size() * featureCount() values
TensorDataset toTensors(const data::Dataset& dataset, bool flatten);

/// The rows of `split` at `index` (int64, on the split's device), inputs and targets together:
/// a minibatch, or a fixed subset of a split.
TensorDataset rows(const TensorDataset& split, const torch::Tensor& index);

} // namespace bt::train
