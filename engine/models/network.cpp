#include "engine/models/network.h"

#include <cmath>
#include <stdexcept>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/script.h>
#include <torch/torch.h>

#include "engine/models/penalty_term.h"
#include "engine/models/script_module.h"

namespace bt::models {

namespace {

// How a built-in layer starts (config::WeightInit, model.init), drawn from one generator so that
// a seed fixes the whole network. Pytorch: PyTorch's default for Linear and Conv2d
// (kaiming_uniform with a = √5, which reduces to U(±1/√fan_in) for the weights; the same bound
// for the biases). He: weights N(0, 2/fan_in), biases 0 (He et al. 2015, eq. 10), which keeps
// the variance of the pre-activations through ReLU layers; PyTorch's default shrinks it about
// sixfold a layer, so a ten-layer MLP starts with an output that ignores its input.
void initialiseLayer(torch::Tensor& weight, torch::Tensor& bias, int64_t fanIn, WeightInit init,
                     at::Generator& generator) {
    torch::NoGradGuard noGrad;
    if (init == WeightInit::He) {
        weight.normal_(0.0, std::sqrt(2.0 / static_cast<double>(fanIn)), generator);
        bias.zero_();
        return;
    }
    const double bound = 1.0 / std::sqrt(static_cast<double>(fanIn));
    weight.uniform_(-bound, bound, generator);
    bias.uniform_(-bound, bound, generator);
}

int64_t product(const std::vector<int64_t>& shape) {
    int64_t n = 1;
    for (auto s : shape) {
        n *= s;
    }
    return n;
}

/// A TorchScript name ("features.0.weight") as a name this module can register: nn::Module
/// names hold no dots.
std::string registeredName(const std::string& name) {
    std::string out = name;
    for (auto& c : out) {
        if (c == '.') {
            c = '_';
        }
    }
    return "script_" + out;
}

} // namespace

bool takesShapedInput(ModelKind kind) {
    return kind == ModelKind::Lenet5 || kind == ModelKind::Torchscript;
}

void NetworkImpl::adoptScript() {
    m_script = std::make_shared<ScriptedModule>(ScriptedModule{loadScript(m_spec.scriptPath)});
    // The same tensors, registered here: the optimiser, to(device) (which changes a tensor's
    // data in place), checkpoints and copies see the module's own parameters.
    for (const auto& p : m_script->module.named_parameters(true)) {
        // Trained, whatever the file says (a module saved from C++ may not ask for gradients).
        register_parameter(registeredName(p.name), p.value, /*requires_grad=*/true);
        if (carriesLambda(p.value.dim())) {
            m_weights.push_back(p.value);
            m_layerNames.push_back(p.name);
        } else {
            m_biases.push_back(p.value);
        }
    }
    for (const auto& b : m_script->module.named_buffers(true)) {
        register_buffer(registeredName(b.name), b.value);
    }
    if (m_weights.empty()) {
        throw std::invalid_argument(m_spec.scriptPath.string() +
                                    ": the module has no parameter of two or more dimensions "
                                    "(no linear or convolution weight) to regularise");
    }
}

NetworkImpl::NetworkImpl(const ModelSpec& spec, uint64_t seed) : m_spec(spec) {
    if (spec.kind == ModelKind::Torchscript) {
        adoptScript();
        return;
    }
    m_layers = register_module("layers", torch::nn::ModuleList());
    auto generator = at::detail::createCPUGenerator(seed);

    auto addLinear = [&](int64_t in, int64_t out) {
        torch::nn::Linear layer(torch::nn::LinearOptions(in, out));
        initialiseLayer(layer->weight, layer->bias, in, spec.init, generator);
        m_layers->push_back(layer);
        m_weights.push_back(layer->weight);
        m_biases.push_back(layer->bias);
    };
    auto addConv = [&](int64_t in, int64_t out, int64_t padding) {
        torch::nn::Conv2d layer(torch::nn::Conv2dOptions(in, out, 5).padding(padding));
        initialiseLayer(layer->weight, layer->bias, in * 25, spec.init, generator);
        m_layers->push_back(layer);
        m_weights.push_back(layer->weight);
        m_biases.push_back(layer->bias);
    };

    const int64_t inputs = product(spec.inputShape);
    switch (spec.kind) {
    case ModelKind::Linear:
        addLinear(inputs, spec.outputs);
        break;
    case ModelKind::Mlp: {
        int64_t width = inputs;
        for (std::size_t i = 0; i < spec.hidden.size(); ++i) {
            addLinear(width, spec.hidden[i]);
            width = spec.hidden[i];
        }
        addLinear(width, spec.outputs);
        break;
    }
    case ModelKind::Torchscript:
        break; // adoptScript
    case ModelKind::Lenet5: {
        if (spec.inputShape.size() != 3 || spec.inputShape[1] != spec.inputShape[2] ||
            (spec.inputShape[1] != 28 && spec.inputShape[1] != 32)) {
            throw std::invalid_argument("LeNet-5 needs C×28×28 or C×32×32 input");
        }
        // 28×28 input is padded by 2 so that both sizes reach 16×5×5 before the dense layers.
        const int64_t padding = spec.inputShape[1] == 28 ? 2 : 0;
        addConv(spec.inputShape[0], 6, padding);
        addConv(6, 16, 0);
        addLinear(16 * 5 * 5, 120);
        addLinear(120, 84);
        addLinear(84, spec.outputs);
        break;
    }
    }
    m_layerNames = builtInWeightNames(spec.kind, spec.hidden.size());
}

void NetworkImpl::train(bool on) {
    torch::nn::Module::train(on);
    if (m_script) {
        m_script->module.train(on);
    }
}

torch::Tensor NetworkImpl::forward(torch::Tensor x) {
    if (m_script) {
        auto output = m_script->module.forward({std::move(x)});
        if (!output.isTensor()) {
            throw std::invalid_argument(m_spec.scriptPath.string() + ": forward returns " +
                                        output.tagKind() + ", not one tensor");
        }
        return output.toTensor();
    }
    const auto count = m_layers->size();
    if (m_spec.kind == ModelKind::Lenet5) {
        x = torch::max_pool2d(torch::relu(m_layers[0]->as<torch::nn::Conv2d>()->forward(x)), 2);
        x = torch::max_pool2d(torch::relu(m_layers[1]->as<torch::nn::Conv2d>()->forward(x)), 2);
        x = x.flatten(1);
        for (std::size_t i = 2; i < count; ++i) {
            x = m_layers[i]->as<torch::nn::Linear>()->forward(x);
            if (i + 1 < count) {
                x = torch::relu(x);
            }
        }
        return x;
    }
    x = x.flatten(1);
    for (std::size_t i = 0; i < count; ++i) {
        x = m_layers[i]->as<torch::nn::Linear>()->forward(x);
        if (i + 1 < count) {
            x = torch::relu(x);
        }
    }
    return x;
}

int weightLayerCount(const ModelSpec& spec) {
    if (spec.kind == ModelKind::Torchscript) {
        return static_cast<int>(NetworkImpl(spec, 0).weights().size());
    }
    return weightLayerCount(spec.kind, spec.hidden.size());
}

torch::Tensor l2Penalty(const std::vector<torch::Tensor>& weights, const torch::Tensor& lambda,
                        std::span<const std::size_t> lambdaOf) {
    const auto size = static_cast<std::size_t>(lambda.numel());
    if (lambdaOf.empty() && size != 1 && size != weights.size()) {
        throw std::invalid_argument("l2Penalty: λ has " + std::to_string(size) + " entries for " +
                                    std::to_string(weights.size()) + " weight layers");
    }
    const auto coefficients = torch::exp(lambda);
    torch::Tensor total;
    for (std::size_t l = 0; l < weights.size(); ++l) {
        const auto entry = static_cast<int64_t>(lambdaEntryOf(lambdaOf, l, size));
        auto term = penaltyTerm(coefficients[entry], weights[l].pow(2).sum());
        total = total.defined() ? total + term : term;
    }
    return total;
}

torch::Tensor meanLoss(LossKind loss, const torch::Tensor& output, const torch::Tensor& target) {
    if (loss == LossKind::CrossEntropy) {
        return torch::nn::functional::cross_entropy(output, target);
    }
    return torch::mse_loss(output.view({-1}), target.view({-1}));
}

Network cloneNetwork(const Network& network) {
    Network copy(network->spec(), 0);
    const auto source = network->parameters();
    if (!source.empty()) {
        copy->to(source.front().device());
    }
    copyParameters(network, copy);
    return copy;
}

void copyParameters(const Network& from, Network& to) {
    torch::NoGradGuard noGrad;
    const auto source = from->parameters();
    auto target = to->parameters();
    for (std::size_t i = 0; i < source.size(); ++i) {
        target[i].copy_(source[i]);
    }
    const auto sourceBuffers = from->buffers();
    auto targetBuffers = to->buffers();
    for (std::size_t i = 0; i < sourceBuffers.size(); ++i) {
        targetBuffers[i].copy_(sourceBuffers[i]);
    }
}

} // namespace bt::models
