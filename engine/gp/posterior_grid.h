#pragma once

#include <vector>

#include "engine/gp/gaussian_process.h"

namespace bt::gp {

/// The posterior along one input dimension, for a line plot with a ±2σ band. A plain value of
/// std::vector<double> (it crosses threads to the UI).
struct PosteriorCurve {
    int dimension = 0;          ///< the input dimension varied
    std::vector<double> x;      ///< the points along that dimension, evenly spaced, ascending
    std::vector<double> mean;   ///< μ at each point
    std::vector<double> stddev; ///< σ at each point (latent function, noise excluded)
    std::vector<double> lower;  ///< μ − 2σ
    std::vector<double> upper;  ///< μ + 2σ
};

/// The posterior over two input dimensions on an m × m grid, for a heat map. Values are
/// row-major by y: entry [iy·m + ix] belongs to (x[ix], y[iy]).
struct PosteriorSurface {
    int dimensionX = 0;
    int dimensionY = 1;
    int size = 0;               ///< m
    std::vector<double> x;      ///< m points along dimensionX
    std::vector<double> y;      ///< m points along dimensionY
    std::vector<double> mean;   ///< m·m values of μ
    std::vector<double> stddev; ///< m·m values of σ
};

/// d = 1: mean ± 2σ at `points` evenly spaced inputs in [lower, upper].
/// Pre: gp.isReady(), gp.dimension() == 1, points ≥ 2, lower < upper
/// (std::invalid_argument otherwise).
PosteriorCurve posteriorCurve(const GaussianProcess& gp, double lower, double upper, int points);

/// d = 2: mean and σ on an m × m grid over [lower[0], upper[0]] × [lower[1], upper[1]].
/// Pre: gp.isReady(), gp.dimension() == 2, m ≥ 2, lower[i] < upper[i].
PosteriorSurface posteriorSurface(const GaussianProcess& gp, const std::vector<double>& lower,
                                  const std::vector<double>& upper, int m);

/// Any d: the slice through `through` (a point with gp.dimension() entries) along `dimension`,
/// which takes `points` evenly spaced values in [lower, upper]; the other coordinates stay.
PosteriorCurve posteriorSlice(const GaussianProcess& gp, const std::vector<double>& through,
                              int dimension, double lower, double upper, int points);

/// Any d ≥ 2: the slice through `through` over the pair (dimensionX, dimensionY) on an m × m
/// grid over [lowerX, upperX] × [lowerY, upperY]; the other coordinates stay.
PosteriorSurface posteriorSlicePair(const GaussianProcess& gp, const std::vector<double>& through,
                                    int dimensionX, int dimensionY, double lowerX, double upperX,
                                    double lowerY, double upperY, int m);

} // namespace bt::gp
