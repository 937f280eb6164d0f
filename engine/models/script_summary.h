#pragma once

// What the setup form tells about a TorchScript network before a run, without LibTorch's
// headers (implemented in script_module.cpp).

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace bt::models {

/// Whether a parameter of `dimensions` dimensions carries a λ: linear and convolution weights
/// (two or more); biases and norm scales (one) are free.
constexpr bool carriesLambda(std::int64_t dimensions) {
    return dimensions >= 2;
}

/// One parameter of a TorchScript module.
struct ScriptParameter {
    std::string name;                ///< the module's own name: "features.0.weight"
    std::vector<std::int64_t> shape; ///< its sizes
    bool carriesLambda = false;      ///< carriesLambda(shape.size())
};

/// The parameters of the module in `file`, in the module's order.
/// @throws std::invalid_argument as loadScript does
std::vector<ScriptParameter> describeScript(const std::filesystem::path& file);

} // namespace bt::models
