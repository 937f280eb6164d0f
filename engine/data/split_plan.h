#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/data/dataset_spec.h"

namespace bt::data {

/// One split's claim on a pool: its name ("train", "validation", "test") and how much it takes.
struct SplitRequest {
    std::string name;
    SplitPart part;
};

/// Chooses the rows of each request from a pool of `poolSize` rows (see SplitPart):
///  1. explicit ranges [begin, begin + count) are taken as they are;
///  2. the remaining rows are shuffled by seededShuffle(seed), and the requests with a count take
///     consecutive runs of that order, in request order; the request with count -1, if any, takes
///     what is left after all the others.
/// So a split's rows depend only on the seed, the pool size, the ranges and the requests before
/// it: the training split stays the same when only the validation size changes.
/// @param poolName  names the pool in messages ("the training files (PATH)")
/// @return for each request, its row indices in increasing order; the lists are disjoint
/// @throws core::InputError naming "dataset.<split>" for a count below -1, a negative begin, a
///         range beyond the pool or overlapping another, two requests for the rest, or counts
///         that exceed what the pool has (naming the split and the samples available).
std::vector<std::vector<std::int64_t>> drawSplits(std::int64_t poolSize,
                                                  const std::vector<SplitRequest>& requests,
                                                  std::uint64_t seed, const std::string& poolName);

} // namespace bt::data
