#pragma once

// A small, separable three-class problem for the trainer's tests: class c has its mean at 2·e_c
// in 6 dimensions; the same tensors for the same seed.

#include <memory>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "engine/train/trainer.h"

namespace bt::testing {

/// `n` training, `held` validation and `held` test samples drawn from `seed`, for `model` (6
/// inputs, 3 classes) initialised from `initSeed`.
inline std::shared_ptr<train::Problem> threeClassProblem(const models::ModelSpec& model,
                                                         std::uint64_t seed, int64_t n,
                                                         int64_t held, std::uint64_t initSeed) {
    auto generator = at::detail::createCPUGenerator(seed);
    auto make = [&](int64_t count) {
        auto labels = torch::randint(0, 3, {count}, generator, torch::kLong);
        auto x = torch::randn({count, 6}, generator);
        x.index_put_({torch::arange(count), labels}, x.index({torch::arange(count), labels}) + 2.0);
        return train::TensorDataset{x, labels};
    };
    auto problem = std::make_shared<train::Problem>();
    problem->train = make(n);
    problem->validation = make(held);
    problem->test = make(held);
    problem->model = model;
    problem->initSeed = initSeed;
    return problem;
}

} // namespace bt::testing
