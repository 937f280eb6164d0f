#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/pimpl.h>

#include "engine/config/config_enums.h"
#include "engine/models/weight_layers.h"

namespace bt::models {

/// model.kind: the network to build (the enum of the run configuration).
using ModelKind = config::ModelKind;
/// model.init: how a built-in network's weights start.
using WeightInit = config::WeightInit;

/// Output head and loss of a model: cross-entropy over classes, or mean squared error.
enum class LossKind { CrossEntropy, MeanSquaredError };

/// What to build. `inputShape` is one sample's shape without the batch dimension: {F} for
/// linear/MLP (images are flattened), {C, 28, 28} or {C, 32, 32} for LeNet-5, the dataset's own
/// sample shape for a TorchScript module.
struct ModelSpec {
    ModelKind kind = ModelKind::Mlp;
    std::vector<int64_t> inputShape;
    int64_t outputs = 10;                  ///< classes, or 1 for regression
    std::vector<int64_t> hidden{300, 100}; ///< MLP hidden widths
    LossKind loss = LossKind::CrossEntropy;
    std::filesystem::path scriptPath{};    ///< kind torchscript: the module's file (resolved)
    WeightInit init = WeightInit::Pytorch; ///< built-in kinds: how the weights start
    /// The λ entry of each weight tensor, in weights() order (LambdaLayout::lambdaOf); empty:
    /// one λ per weight, or one for all when λ has one entry (lambdaEntryOf).
    std::vector<std::size_t> lambdaOf{};
};

/// Whether `kind` takes samples in the dataset's own shape (N × C × H × W for images) rather
/// than flattened to N × F.
bool takesShapedInput(ModelKind kind);

struct ScriptedModule; // a loaded TorchScript module (network.cpp)

/// A network whose weight-bearing tensors are listed in order, so that each can carry its own
/// L2 coefficient exp(λ_l) (ALGORITHM.md §1).
///
/// Built in: a feed-forward network whose weights are those of its linear and convolution
/// layers; biases are never penalised. Activations are ReLU; LeNet-5 uses 5×5 convolutions
/// (padding 2 for 28×28 input), 2×2 max pooling and fully connected layers 120-84-outputs.
///
/// TorchScript (kind torchscript): the user's module, loaded with torch::jit::load. Its
/// weights are its parameters of two or more dimensions, named as in the module
/// ("features.0.weight"); every other parameter (biases, norm scales) is free. Parameters and
/// buffers are registered in this module too, so that the optimiser, to(device), checkpoints
/// and copies treat both kinds alike.
class NetworkImpl : public torch::nn::Module {
public:
    /// Builds the layers and initialises them deterministically from `seed` (PyTorch's default
    /// rule: weights and biases uniform in ±1/sqrt(fan_in)), on the CPU; move with to(). A
    /// TorchScript module keeps the weights saved in its file (`seed` is not used).
    /// @throws std::invalid_argument naming the file for a module that cannot be loaded, has no
    ///         forward method or no parameters; for LeNet-5 on an input size it cannot take
    NetworkImpl(const ModelSpec& spec, uint64_t seed);

    /// @param x  batch × inputShape (linear/MLP inputs may also come as N×C×H×W: flattened here)
    /// @return   logits (N × classes) or predictions (N × 1)
    /// @throws c10::Error when a TorchScript module rejects `x`; std::invalid_argument when it
    ///         returns something other than one tensor
    torch::Tensor forward(torch::Tensor x);

    /// Training or evaluation mode, for a TorchScript module's own submodules too (dropout,
    /// batch norm).
    void train(bool on = true) override;

    /// Weight tensors of the weight-bearing layers, in order from input to output.
    const std::vector<torch::Tensor>& weights() const { return m_weights; }
    /// Bias tensors, in the same order.
    const std::vector<torch::Tensor>& biases() const { return m_biases; }
    /// Layer names for reports ("fc1", "conv2", ...; a TorchScript module's parameter names),
    /// in the same order.
    const std::vector<std::string>& layerNames() const { return m_layerNames; }
    const ModelSpec& spec() const { return m_spec; }
    /// The TorchScript module of kind torchscript (its parameters are this network's); null for
    /// the built-in networks.
    const std::shared_ptr<ScriptedModule>& script() const { return m_script; }

private:
    void adoptScript();

    ModelSpec m_spec;
    std::shared_ptr<ScriptedModule> m_script;
    torch::nn::ModuleList m_layers{nullptr};
    std::vector<torch::Tensor> m_weights;
    std::vector<torch::Tensor> m_biases;
    std::vector<std::string> m_layerNames;
};
TORCH_MODULE(Network);

/// Number of weight-bearing layers `spec` builds (weightLayerCount of its kind and hidden
/// layers; a TorchScript module's weight tensors, read from its file): the λ dimension for
/// scope per-layer.
int weightLayerCount(const ModelSpec& spec);

/// Σ_l exp(λ_{g(l)}) · ½‖W_l‖² (ALGORITHM.md §1), with g(l) = lambdaEntryOf(lambdaOf, l): the
/// entry of `lambda` (a 1-D tensor on the weights' device) that weight l takes; differentiable
/// in both arguments.
/// @throws std::invalid_argument when λ's size does not fit the weights (lambdaEntryOf)
torch::Tensor l2Penalty(const std::vector<torch::Tensor>& weights, const torch::Tensor& lambda,
                        std::span<const std::size_t> lambdaOf = {});

/// Mean loss of `output` against `target` for the spec's loss kind (reduction: mean).
torch::Tensor meanLoss(LossKind loss, const torch::Tensor& output, const torch::Tensor& target);

/// A deep copy of `network` (parameters and buffers), on the same device.
Network cloneNetwork(const Network& network);

/// Copies every parameter and buffer of `from` into `to` (same spec; devices may differ).
void copyParameters(const Network& from, Network& to);

} // namespace bt::models
