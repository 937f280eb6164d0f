#include "engine/data/seeded_shuffle.h"

#include <numeric>
#include <utility>

namespace bt::data {

std::uint64_t uniformBelow(std::mt19937_64& rng, std::uint64_t bound) {
    // 2^64 mod bound values at the bottom of the range would make small results more likely;
    // they are rejected. (-bound) % bound is that count, computed in 64-bit unsigned arithmetic.
    const std::uint64_t threshold = (0 - bound) % bound;
    for (;;) {
        const std::uint64_t r = rng();
        if (r >= threshold) {
            return r % bound;
        }
    }
}

void seededShuffle(std::vector<std::int64_t>& values, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    for (std::size_t i = values.size(); i > 1; --i) {
        const auto j = static_cast<std::size_t>(uniformBelow(rng, i));
        std::swap(values[i - 1], values[j]);
    }
}

std::vector<std::int64_t> seededPermutation(std::int64_t n, std::uint64_t seed) {
    std::vector<std::int64_t> values(static_cast<std::size_t>(n));
    std::iota(values.begin(), values.end(), std::int64_t{0});
    seededShuffle(values, seed);
    return values;
}

} // namespace bt::data
