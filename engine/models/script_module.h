#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <torch/csrc/jit/api/module.h>

#include "engine/models/network.h"
#include "engine/models/script_summary.h"

namespace bt::models {

/// A loaded TorchScript module held by a Network of kind torchscript.
struct ScriptedModule {
    torch::jit::Module module;
};

/// A fresh, independent copy of the TorchScript module in `file` (its own parameters and
/// buffers). The file is read once per process while its size and modification time stay the
/// same; later calls deep-copy that module.
/// @throws std::invalid_argument naming `file`: not a TorchScript archive (or truncated), no
///         `forward` method, no parameters
torch::jit::Module loadScript(const std::filesystem::path& file);

/// `network` as a TorchScript module that Python's torch.jit.load opens and calls like the
/// network itself: the same parameters (copied, on the CPU), and a forward that computes what
/// NetworkImpl::forward computes. Built-in networks are written as TorchScript source over
/// their weights (parameters "fc1_weight", "fc1_bias", ...); a TorchScript network is its own
/// module with the trained parameters.
torch::jit::Module toScriptModule(const NetworkImpl& network);

/// Writes `module` to `file` through a temporary file renamed into place, so that a failed
/// write leaves no partial archive.
/// @throws core::InputError naming `file` and the reason (a folder that cannot be written, a
///         full disk): core::writeFileAtomically
void saveScript(const torch::jit::Module& module, const std::filesystem::path& file);

} // namespace bt::models
