#pragma once

#include <string>

#include <torch/types.h>

namespace bt::train {

/// Resolves a device setting once per run: "cpu", "cuda", "cuda:N" or "auto" (the first CUDA
/// device when one is available, else the CPU). Throws core::InputError naming `key` when the
/// text is not one of these or names a CUDA device this process does not have.
torch::Device resolveDevice(const std::string& setting, const std::string& key = "training.device");

/// Gives the loaded OpenBLAS (when it is OpenBLAS) `threads` threads of its own. OpenBLAS starts
/// one thread per core whatever LibTorch's thread count, and on a busy machine its spinning
/// threads made a one-thread training 2-3 times slower. Returns whether OpenBLAS was found.
bool limitBlasThreads(int threads);

} // namespace bt::train
