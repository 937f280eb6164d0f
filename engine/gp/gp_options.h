#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/gp/kernel.h"

namespace bt::gp {

/// Settings of the Gaussian-process surrogate. A plain value: copy it freely.
///
/// Units: the GP standardises its targets before fitting (zero mean, unit variance), so the
/// noise floor and the variance bounds below are fractions of the targets' variance; length-scale
/// bounds are fractions of the box width in each dimension.
struct GpOptions {
    KernelKind kernel = KernelKind::Matern52;
    /// L-BFGS-B runs of the marginal-likelihood maximisation: the first from a default (or the
    /// previous fit, see warmStart), the others from seeded random starts.
    int restarts = 5;
    /// Seed of the random restarts; the same seed and data give the same fit.
    std::uint64_t seed = 0;
    /// Smallest noise variance, as a fraction of the target variance: φ samples are noisy and a
    /// floor keeps the kernel matrix well conditioned when samples nearly coincide.
    double noiseFloor = 1e-6;
    /// Largest noise variance, as a fraction of the target variance.
    double noiseCeiling = 1.0;
    /// Box of the inputs, one entry per dimension (e.g. [-10, 0]^d for log L2 coefficients). It
    /// sets the length-scale bounds and the restart distribution. Empty: the data's range.
    std::vector<double> lower;
    std::vector<double> upper;
    /// Length-scale bounds, as fractions of the box width in each dimension.
    double minLengthScale = 1e-2;
    double maxLengthScale = 1e1;
    /// Signal-variance bounds, as fractions of the target variance.
    double minSignalVariance = 1e-2;
    double maxSignalVariance = 1e2;
    /// L-BFGS-B iterations per restart; the likelihood is smooth and low-dimensional, so a few
    /// dozen usually converge.
    int maxIterations = 100;
    /// Start the first restart from the previous fit's hyperparameters when the dimension
    /// matches (the bilevel method refits after each new sample: the optimum moves little).
    bool warmStart = true;

    /// Every problem with these settings, in words; empty when they are valid.
    /// @param dimension  input dimension the settings are used with (box sizes are checked
    ///                   against it), or 0 to skip that check.
    std::vector<std::string> validate(int dimension = 0) const;
};

} // namespace bt::gp
