#pragma once

// Whether LibTorch's CPU kernels on the calling thread keep a denormal float: false once the
// thread flushes denormals to zero (train::flushDenormals). The check of the tests that the
// setting reaches the threads that train.

#include <torch/torch.h>

namespace bt::testing {

inline bool keepsDenormals() {
    constexpr float kDenormal = 1e-39F; // below the smallest normal float, 1.18e-38
    const auto halved = torch::full({16}, kDenormal) * 0.5F;
    return halved.abs().max().item<float>() > 0.0F;
}

} // namespace bt::testing
