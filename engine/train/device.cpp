#include "engine/train/device.h"

#include <charconv>

#include <dlfcn.h>

#include <ATen/Context.h>
#include <torch/cuda.h>

#include "engine/core/error.h"

namespace bt::train {

torch::Device resolveDevice(const std::string& setting, const std::string& key) {
    const bool cuda = torch::cuda::is_available();
    const auto count = cuda ? static_cast<int>(torch::cuda::device_count()) : 0;
    if (setting == "cpu") {
        return torch::kCPU;
    }
    if (setting == "auto") {
        return cuda ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
    }
    int index = -1;
    if (setting == "cuda") {
        index = 0;
    } else if (setting.rfind("cuda:", 0) == 0) {
        const char* first = setting.data() + 5;
        const char* last = setting.data() + setting.size();
        const auto [ptr, ec] = std::from_chars(first, last, index);
        if (ec != std::errc() || ptr != last || first == last || index < 0) {
            throw core::InputError(key,
                                   "expected cpu, cuda, cuda:N or auto, found '" + setting + "'");
        }
    } else {
        throw core::InputError(key, "expected cpu, cuda, cuda:N or auto, found '" + setting + "'");
    }
    if (!cuda) {
        throw core::InputError(key, "'" + setting +
                                        "' asks for CUDA, but this LibTorch sees no CUDA device "
                                        "(use cpu or auto)");
    }
    if (index >= count) {
        throw core::InputError(key, "'" + setting + "' names CUDA device " + std::to_string(index) +
                                        ", but only " + std::to_string(count) +
                                        (count == 1 ? " device exists" : " devices exist"));
    }
    return {torch::kCUDA, static_cast<torch::DeviceIndex>(index)};
}

std::string deviceForRank(const std::string& setting, int rank, int cudaCount) {
    if (cudaCount <= 0 || rank < 0 || (setting != "cuda" && setting != "auto")) {
        return setting;
    }
    return "cuda:" + std::to_string(rank % cudaCount);
}

std::string deviceForRank(const std::string& setting, int rank) {
    const int count =
        torch::cuda::is_available() ? static_cast<int>(torch::cuda::device_count()) : 0;
    return deviceForRank(setting, rank, count);
}

bool limitBlasThreads(int threads) {
    using SetThreads = void (*)(int);
    // Looked up at run time: LibTorch may be linked against another BLAS.
    auto* set = reinterpret_cast<SetThreads>(::dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
    if (set == nullptr || threads < 1) {
        return false;
    }
    set(threads);
    return true;
}

bool flushDenormals() {
    return at::globalContext().setFlushDenormal(true);
}

} // namespace bt::train
