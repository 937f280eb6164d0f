#include "engine/config/run_config.h"

#include <algorithm>

namespace bt::config {

namespace {
// Automatic sizes of ALGORITHM.md §2: 10 points for d = 1, a 5 × 5 grid for d = 2, and for d > 2
// max(10, 3d) space-filling points [ours] (5d before: the design was two thirds of all epochs).
constexpr int kAutoPointsOneDim = 10;
constexpr int kAutoPointsPerDimTwoDims = 5;
constexpr int kAutoMinPointsManyDims = 10;
constexpr int kAutoPointsPerDimManyDims = 3;
} // namespace

int initialDesignPoints(const BilevelConfig& bilevel, int dimension) {
    const int m = bilevel.initialSamples;
    if (dimension <= 1) {
        return m > 0 ? m : kAutoPointsOneDim;
    }
    if (dimension == 2) {
        const int perDim = m > 0 ? m : kAutoPointsPerDimTwoDims;
        return perDim * perDim;
    }
    return m > 0 ? m : std::max(kAutoMinPointsManyDims, kAutoPointsPerDimManyDims * dimension);
}

} // namespace bt::config
