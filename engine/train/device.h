#pragma once

#include <string>

#include <torch/types.h>

namespace bt::train {

/// Resolves a device setting once per run: "cpu", "cuda", "cuda:N" or "auto" (the first CUDA
/// device when one is available, else the CPU). Throws core::InputError naming `key` when the
/// text is not one of these or names a CUDA device this process does not have.
torch::Device resolveDevice(const std::string& setting, const std::string& key = "training.device");

} // namespace bt::train
