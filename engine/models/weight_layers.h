#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "engine/config/config_enums.h"

namespace bt::config {
struct ModelConfig;
struct HyperparameterConfig;
} // namespace bt::config

namespace bt::models {

/// Number of weight-bearing layers (linear and convolution) a network of `kind` builds: linear
/// 1, mlp hiddenLayers + 1, lenet5 5 (two convolutions, three fully connected layers);
/// torchscript 0, unknown until the module is loaded (models::Network). Without LibTorch, so
/// that the configuration's λ dimension is known before any network is built.
int weightLayerCount(config::ModelKind kind, std::size_t hiddenLayers);

/// The names of a built-in network's weight tensors, input to output: linear "linear"; mlp fc1 ...
/// fc(hiddenLayers + 1); lenet5 conv1, conv2, fc1, fc2, fc3. Empty for torchscript (the
/// module's own names; models::Network). models::Network names its layers by this.
std::vector<std::string> builtInWeightNames(config::ModelKind kind, std::size_t hiddenLayers);

/// How a network's weight tensors share the entries of λ (ALGORITHM.md §1,
/// `hyperparameters.scope` and `hyperparameters.groups`).
struct LambdaLayout {
    /// One per entry of λ, in λ's order: "shared", a group's name, or a weight's own name.
    std::vector<std::string> names;
    /// One per weight tensor, in the network's order: the index of the λ entry it takes.
    std::vector<std::size_t> lambdaOf;
    /// One per entry of λ: the names of the weights that take it, in the network's order.
    std::vector<std::vector<std::string>> members;
};

/// The layout of λ over weights named `weightNames` (in the network's order). Scope shared: one
/// λ named "shared". Per-layer: one λ per group of `hyperparameters.groups` (the weights whose
/// whole name matches its glob pattern) and one per weight no group matches, each entry placed
/// at its first weight, so that λ runs from input to output.
/// @throws core::InputError under "hyperparameters.groups[i].match" for a pattern that matches
///         no weight (the message lists the weights), and under "hyperparameters.groups" for a
///         weight that two groups claim
LambdaLayout lambdaLayout(const std::vector<std::string>& weightNames,
                          const config::HyperparameterConfig& hyperparameters);

/// The λ entry that weight tensor `weight` takes, for a λ of `lambdaSize` entries:
/// `lambdaOf[weight]` when a layout is given (LambdaLayout::lambdaOf); without one, entry 0 for
/// a λ of one entry and entry `weight` otherwise (one λ per weight).
/// @throws std::invalid_argument when the entry is not below `lambdaSize`
std::size_t lambdaEntryOf(std::span<const std::size_t> lambdaOf, std::size_t weight,
                          std::size_t lambdaSize);

/// Whether `name` matches the glob `pattern` as a whole (`*` any run of characters, dots
/// included; `?` one character; `[...]` a set), the rule of `hyperparameters.groups`.
bool matchesPattern(const std::string& pattern, const std::string& name);

/// The λ dimension of a run (ARCHITECTURE.md, "Run configuration keys"): 1 for scope shared,
/// else the number of entries of lambdaLayout over the built-in network's weights; 0 for
/// torchscript, or for groups the network does not fit (the run reports either).
int lambdaDimension(const config::ModelConfig& model,
                    const config::HyperparameterConfig& hyperparameters);

} // namespace bt::models
