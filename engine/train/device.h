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

/// Makes the calling thread's CPU treat denormal floats as zero, on input and output (x86's
/// DAZ and FTZ, through ATen's Context::setFlushDenormal). Strong regularisation shrinks weights
/// into the denormal range, where every multiply takes a slow path: one training of
/// mnist-mlp-5k-per-layer at λ = (−0.7, −6.56) took 14.2 s instead of 1.2 s, with the same
/// losses to every printed digit (docs/measurements/2026-12-06-denormals.md). Threads started
/// afterwards by this thread inherit the setting. Returns false where the CPU cannot.
bool flushDenormals();

} // namespace bt::train
