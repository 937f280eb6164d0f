#include "engine/models/script_module.h"

#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include <torch/script.h>
#include <torch/torch.h>

#include "engine/core/atomic_file.h"

namespace bt::models {

namespace {

namespace fs = std::filesystem;

/// The first line of a LibTorch message: the rest is a C++ backtrace or TorchScript source.
std::string firstLine(const std::string& text) {
    const auto end = text.find('\n');
    return end == std::string::npos ? text : text.substr(0, end);
}

/// What identifies a file's content for the cache: its path, size and modification time.
std::string cacheKey(const fs::path& file) {
    std::error_code ec;
    const auto size = fs::file_size(file, ec);
    const auto time = fs::last_write_time(file, ec).time_since_epoch().count();
    return fs::absolute(file, ec).string() + '\n' + std::to_string(size) + '\n' +
           std::to_string(time);
}

torch::jit::Module readScript(const fs::path& file) {
    if (!fs::is_regular_file(file)) {
        throw std::invalid_argument(file.string() + ": no such file");
    }
    torch::jit::Module module;
    try {
        module = torch::jit::load(file.string(), torch::kCPU);
    } catch (const c10::Error& e) {
        throw std::invalid_argument(
            file.string() +
            ": not a TorchScript archive, or a truncated one (save the network from Python with "
            "torch.jit.script(net).save(path)): " +
            firstLine(e.what_without_backtrace()));
    }
    if (!module.find_method("forward")) {
        throw std::invalid_argument(file.string() + ": the TorchScript module has no forward "
                                                    "method");
    }
    if (module.parameters().size() == 0) {
        throw std::invalid_argument(file.string() + ": the TorchScript module has no parameters "
                                                    "to train");
    }
    // The cached prototype asks for no gradients: a deep copy of a tensor that does is not a
    // leaf, and an optimiser takes leaves only. Each network's copy asks for them again
    // (NetworkImpl registers its parameters as trained).
    for (auto p : module.parameters()) {
        p.set_requires_grad(false);
    }
    return module;
}

/// TorchScript source of `network`'s forward over attributes "<layer>_weight" and "<layer>_bias"
/// (the layers in NetworkImpl's order): the same computation as NetworkImpl::forward.
std::string builtInForward(const NetworkImpl& network) {
    const auto& spec = network.spec();
    const auto& names = network.layerNames();
    const auto linear = [&](std::size_t l) {
        return "torch.linear(x, self." + names[l] + "_weight, self." + names[l] + "_bias)";
    };
    std::ostringstream source;
    source << "def forward(self, x):\n";
    std::size_t first = 0;
    if (spec.kind == ModelKind::Lenet5) {
        const int padding = spec.inputShape.at(1) == 28 ? 2 : 0;
        for (std::size_t l = 0; l < 2; ++l) {
            const int p = l == 0 ? padding : 0;
            source << "    x = torch.max_pool2d(torch.relu(torch.conv2d(x, self." << names[l]
                   << "_weight, self." << names[l] << "_bias, [1, 1], [" << p << ", " << p
                   << "])), [2, 2])\n";
        }
        first = 2;
    }
    source << "    x = x.flatten(1)\n";
    for (std::size_t l = first; l + 1 < names.size(); ++l) {
        source << "    x = torch.relu(" << linear(l) << ")\n";
    }
    source << "    return " << linear(names.size() - 1) << "\n";
    return source.str();
}

} // namespace

namespace {

/// Calls `use` with the cached module read from `file` (read on first use), under the cache's
/// lock: what a caller copies out of it is consistent.
template <class Use>
auto withCachedScript(const fs::path& file, Use&& use) {
    static std::mutex mutex;
    static std::map<std::string, torch::jit::Module> cache;
    const std::lock_guard lock(mutex);
    const auto key = cacheKey(file);
    auto found = cache.find(key);
    if (found == cache.end()) {
        found = cache.emplace(key, readScript(file)).first;
    }
    return use(found->second);
}

} // namespace

torch::jit::Module loadScript(const fs::path& file) {
    return withCachedScript(file, [](const torch::jit::Module& m) { return m.deepcopy(); });
}

std::vector<ScriptParameter> describeScript(const fs::path& file) {
    // From the cached module itself: the form asks at every edit, and a copy would duplicate
    // every parameter each time.
    return withCachedScript(file, [](const torch::jit::Module& m) {
        std::vector<ScriptParameter> out;
        for (const auto& p : m.named_parameters(true)) {
            out.push_back({p.name, p.value.sizes().vec(), carriesLambda(p.value.dim())});
        }
        return out;
    });
}

torch::jit::Module toScriptModule(const NetworkImpl& network) {
    torch::NoGradGuard noGrad;
    if (network.spec().kind == ModelKind::Torchscript) {
        auto copy = network.script()->module.deepcopy();
        copy.to(torch::kCPU);
        copy.eval();
        return copy;
    }
    torch::jit::Module module("__torch__.bilevel_tuner." +
                              std::string(config::toString(network.spec().kind)));
    // As a module scripted in Python has them: a training flag (train() and eval() set it) and
    // parameters that ask for gradients.
    module.register_attribute("training", c10::BoolType::get(), true);
    const auto& names = network.layerNames();
    auto copy = [](const torch::Tensor& t) {
        return t.detach().to(torch::kCPU).clone().set_requires_grad(true);
    };
    for (std::size_t l = 0; l < names.size(); ++l) {
        module.register_parameter(names[l] + "_weight", copy(network.weights()[l]), false);
        module.register_parameter(names[l] + "_bias", copy(network.biases()[l]), false);
    }
    module.define(builtInForward(network));
    module.eval();
    return module;
}

void saveScript(const torch::jit::Module& module, const fs::path& file) {
    // Serialised in memory, then written by the atomic writer: LibTorch's own file writer says
    // only "unexpected pos" for a folder it cannot write, and on a full disk throws again from
    // its destructor while the first error unwinds (std::terminate).
    std::ostringstream bytes;
    module.save(bytes);
    core::writeTextAtomically(file, "the TorchScript module", std::move(bytes).str());
}

} // namespace bt::models
