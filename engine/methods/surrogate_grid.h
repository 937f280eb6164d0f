#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/gp/gp_results.h"
#include "engine/gp/posterior_grid.h"
#include "engine/methods/design.h"

namespace bt::methods {

/// Which posterior of the bilevel method's surrogate φ̂ to compute, and from what: the φ samples
/// and, when a refit reported them, its hyperparameters. A plain value (it crosses threads).
struct SurrogateGridRequest {
    Box box;                            ///< the λ box
    std::vector<std::vector<double>> x; ///< λ of the φ samples
    std::vector<double> y;              ///< their φ
    bool logScale = false;              ///< bilevel.log_surrogate: the GP models log φ
    /// A refit's hyperparameters (GpRefitEvent, on the scale the GP models): the GP is
    /// conditioned with them. None: fitted by maximum likelihood, as the method's first fit.
    std::optional<gp::GpHyperparameters> hyperparameters;
    std::uint64_t seed = 0; ///< of the fit's restarts (the method's: training.seed)
    int restarts = 5;       ///< of the fit (the method's: BilevelRuntime::gpRestarts)
    /// Slices pass through this λ (d > 2, or a pair other than the whole 2-D box); empty or of
    /// another size: the box's centre.
    std::vector<double> through;
    int curveDimension = -1; ///< >= 0: the posterior along this dimension (d = 1: the whole box)
    int surfaceX = -1;       ///< >= 0 with surfaceY, different: the posterior over this pair
    int surfaceY = -1;
    int curvePoints = 200; ///< >= 2
    int surfaceSize = 48;  ///< m >= 2: an m × m grid
};

/// The posterior of φ̂ a request asked for, on φ's own scale: with logScale the log-GP's mean m
/// and σ become exp(m) and exp(m)·σ (the delta method, as PhiSurrogate::meanAndStddev) and the
/// curve's band exp(m ± 2σ) (the log-normal's, asymmetric about exp(m)).
struct SurrogateGrid {
    bool ok = false;     ///< the GP could be fitted or conditioned
    std::string message; ///< the fit's report, or why there is nothing
    int samples = 0;     ///< the samples the GP is conditioned on
    std::optional<gp::PosteriorCurve> curve;
    std::optional<gp::PosteriorSurface> surface;
};

/// The bilevel method's surrogate (PhiSurrogate: its kernel, bounds and log transform) on the
/// request's samples, evaluated along a curve and over a surface of λ for the surrogate view.
/// Fitting is O(restarts · n³) per likelihood evaluation; run it off the GUI thread. Numerical
/// failure and bad requests (no samples, sizes that do not match the box) are reported in
/// `ok` and `message`, never thrown.
SurrogateGrid surrogateGrid(const SurrogateGridRequest& request);

} // namespace bt::methods
