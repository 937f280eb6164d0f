#include "engine/config/run_config.h"

#include "engine/methods/design.h"

namespace bt::config {

int initialDesignPoints(const BilevelConfig& bilevel, int dimension) {
    // The rule of ALGORITHM.md §2 lives with the design itself (methods::initialDesign).
    const int m = bilevel.initialSamples > 0 ? bilevel.initialSamples
                                             : methods::automaticDesignCount(dimension);
    return dimension == 2 ? m * m : m;
}

} // namespace bt::config
