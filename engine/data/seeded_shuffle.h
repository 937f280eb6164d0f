#pragma once

#include <cstdint>
#include <random>
#include <vector>

namespace bt::data {

/// A uniformly distributed integer in [0, bound) drawn from `rng`, by rejection sampling so that
/// no value is favoured (Lemire's threshold form of the classic "discard the short last bucket").
/// Spelled out here rather than using std::uniform_int_distribution, whose algorithm the C++
/// standard leaves to the library: splits and the MNIST conversion must be the same everywhere.
/// @pre bound > 0
std::uint64_t uniformBelow(std::mt19937_64& rng, std::uint64_t bound);

/// Shuffles `values` in place by Fisher–Yates (Knuth, TAOCP vol. 2, Algorithm 3.4.2 P) driven by
/// std::mt19937_64 seeded with `seed`. The result depends only on the input order and the seed,
/// on every platform and standard library.
void seededShuffle(std::vector<std::int64_t>& values, std::uint64_t seed);

/// The permutation 0, 1, ..., n-1 shuffled by seededShuffle with `seed`.
/// @pre n >= 0
std::vector<std::int64_t> seededPermutation(std::int64_t n, std::uint64_t seed);

} // namespace bt::data
