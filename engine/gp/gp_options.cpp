#include "engine/gp/gp_options.h"

#include <cmath>
#include <cstddef>

namespace bt::gp {

std::vector<std::string> GpOptions::validate(int dimension) const {
    std::vector<std::string> problems;
    if (restarts < 1) {
        problems.push_back("gp.restarts must be at least 1, got " + std::to_string(restarts));
    }
    if (maxIterations < 1) {
        problems.push_back("gp.maxIterations must be at least 1, got " +
                           std::to_string(maxIterations));
    }
    if (!(noiseFloor > 0.0) || !std::isfinite(noiseFloor)) {
        problems.push_back("gp.noiseFloor must be a positive number, got " +
                           std::to_string(noiseFloor));
    }
    if (!(noiseCeiling >= noiseFloor) || !std::isfinite(noiseCeiling)) {
        problems.push_back("gp.noiseCeiling must be finite and at least gp.noiseFloor");
    }
    if (!(minLengthScale > 0.0) || !(maxLengthScale > minLengthScale) ||
        !std::isfinite(maxLengthScale)) {
        problems.push_back("gp.minLengthScale and gp.maxLengthScale must satisfy "
                           "0 < min < max < inf");
    }
    if (!(minSignalVariance > 0.0) || !(maxSignalVariance > minSignalVariance) ||
        !std::isfinite(maxSignalVariance)) {
        problems.push_back("gp.minSignalVariance and gp.maxSignalVariance must satisfy "
                           "0 < min < max < inf");
    }
    if (lower.size() != upper.size()) {
        problems.push_back("gp.lower and gp.upper must have the same length, got " +
                           std::to_string(lower.size()) + " and " + std::to_string(upper.size()));
    } else {
        if (dimension > 0 && !lower.empty() &&
            lower.size() != static_cast<std::size_t>(dimension)) {
            problems.push_back("gp.lower and gp.upper must have one entry per input dimension (" +
                               std::to_string(dimension) + "), got " +
                               std::to_string(lower.size()));
        }
        for (std::size_t i = 0; i < lower.size(); ++i) {
            if (!std::isfinite(lower[i]) || !std::isfinite(upper[i]) || !(lower[i] < upper[i])) {
                problems.push_back("gp box dimension " + std::to_string(i) +
                                   ": need finite lower < upper, got [" + std::to_string(lower[i]) +
                                   ", " + std::to_string(upper[i]) + "]");
            }
        }
    }
    return problems;
}

} // namespace bt::gp
