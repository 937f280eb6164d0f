#pragma once

#include <cstddef>

#include "engine/config/config_enums.h"

namespace bt::config {
struct ModelConfig;
}

namespace bt::models {

/// Number of weight-bearing layers (linear and convolution) a network of `kind` builds: linear
/// 1, mlp hiddenLayers + 1, lenet5 5 (two convolutions, three fully connected layers);
/// torchscript 0, unknown until the module is loaded (models::Network). Without LibTorch, so
/// that the configuration's λ dimension is known before any network is built.
int weightLayerCount(config::ModelKind kind, std::size_t hiddenLayers);

/// The λ dimension of a run (ARCHITECTURE.md, "Run configuration keys"): 1 for scope shared,
/// else the weight-layer count of `model` (0 for torchscript: the run reports it).
int lambdaDimension(const config::ModelConfig& model, config::LambdaScope scope);

} // namespace bt::models
