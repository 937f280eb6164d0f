#pragma once

// Whether two networks hold exactly the same parameters: the check of every test that compares
// a replayed, resumed or copied training with the straight one.

#include <torch/torch.h>

#include "engine/models/network.h"

namespace bt::testing {

inline bool sameWeights(const models::Network& a, const models::Network& b) {
    const auto pa = a->parameters();
    const auto pb = b->parameters();
    if (pa.size() != pb.size()) {
        return false;
    }
    for (std::size_t i = 0; i < pa.size(); ++i) {
        if (!torch::equal(pa[i], pb[i])) {
            return false;
        }
    }
    return true;
}

} // namespace bt::testing
