#pragma once

#include <string>

#include <torch/types.h>

namespace bt::train {

/// Resolves a device setting once per run: "cpu", "cuda", "cuda:N" or "auto" (the first CUDA
/// device when one is available, else the CPU). Throws core::InputError naming `key` when the
/// text is not one of these or names a CUDA device this process does not have.
torch::Device resolveDevice(const std::string& setting, const std::string& key = "training.device");

/// The device setting of MPI rank `rank` in a distributed run with `cudaCount` CUDA devices on
/// its machine: "cuda" (and "auto" when there are devices) becomes "cuda:(rank mod count)", so
/// the ranks of a machine share its GPUs out; any other setting ("cpu", a pinned "cuda:N") is
/// kept.
std::string deviceForRank(const std::string& setting, int rank, int cudaCount);

/// deviceForRank with the CUDA devices this process sees.
std::string deviceForRank(const std::string& setting, int rank);

/// Gives the loaded OpenBLAS (when it is OpenBLAS) `threads` threads of its own. OpenBLAS starts
/// one thread per core whatever LibTorch's thread count, and on a busy machine its spinning
/// threads made a one-thread training 2-3 times slower. Returns whether OpenBLAS was found.
bool limitBlasThreads(int threads);

} // namespace bt::train
