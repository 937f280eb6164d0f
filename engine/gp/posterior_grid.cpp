#include "engine/gp/posterior_grid.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace bt::gp {

namespace {

std::vector<double> linspace(double lower, double upper, int points) {
    std::vector<double> out(static_cast<std::size_t>(points));
    for (int i = 0; i < points; ++i) {
        // Exact end points; no accumulated rounding.
        const double t = static_cast<double>(i) / static_cast<double>(points - 1);
        out[static_cast<std::size_t>(i)] = i == points - 1 ? upper : lower + t * (upper - lower);
    }
    return out;
}

void checkRange(double lower, double upper, int points, const char* what) {
    if (points < 2 || !std::isfinite(lower) || !std::isfinite(upper) || !(lower < upper)) {
        throw std::invalid_argument(std::string(what) +
                                    ": need at least 2 points and finite lower < upper");
    }
}

void checkThrough(const GaussianProcess& gp, const std::vector<double>& through, int dimension,
                  const char* what) {
    if (!gp.isReady()) {
        throw std::logic_error(std::string(what) + ": the GP has no model yet");
    }
    if (through.size() != static_cast<std::size_t>(gp.dimension())) {
        throw std::invalid_argument(std::string(what) + ": the point has " +
                                    std::to_string(through.size()) + " entries, the GP has " +
                                    std::to_string(gp.dimension()) + " dimensions");
    }
    if (dimension < 0 || dimension >= gp.dimension()) {
        throw std::invalid_argument(std::string(what) + ": dimension " + std::to_string(dimension) +
                                    " is out of range");
    }
}

} // namespace

PosteriorCurve posteriorSlice(const GaussianProcess& gp, const std::vector<double>& through,
                              int dimension, double lower, double upper, int points) {
    checkThrough(gp, through, dimension, "posteriorSlice");
    checkRange(lower, upper, points, "posteriorSlice");
    PosteriorCurve curve;
    curve.dimension = dimension;
    curve.x = linspace(lower, upper, points);
    const Eigen::Index d = gp.dimension();
    Eigen::MatrixXd inputs(points, d);
    for (Eigen::Index r = 0; r < points; ++r) {
        for (Eigen::Index j = 0; j < d; ++j) {
            inputs(r, j) = through[static_cast<std::size_t>(j)];
        }
        inputs(r, dimension) = curve.x[static_cast<std::size_t>(r)];
    }
    const BatchPrediction p = gp.predictBatch(inputs);
    curve.mean = p.mean;
    curve.stddev.resize(p.variance.size());
    curve.lower.resize(p.variance.size());
    curve.upper.resize(p.variance.size());
    for (std::size_t i = 0; i < p.variance.size(); ++i) {
        curve.stddev[i] = std::sqrt(p.variance[i]);
        curve.lower[i] = p.mean[i] - 2.0 * curve.stddev[i];
        curve.upper[i] = p.mean[i] + 2.0 * curve.stddev[i];
    }
    return curve;
}

PosteriorCurve posteriorCurve(const GaussianProcess& gp, double lower, double upper, int points) {
    if (gp.isReady() && gp.dimension() != 1) {
        throw std::invalid_argument("posteriorCurve: the GP has dimension " +
                                    std::to_string(gp.dimension()) +
                                    "; use posteriorSlice for d > 1");
    }
    return posteriorSlice(gp, {0.0}, 0, lower, upper, points);
}

PosteriorSurface posteriorSlicePair(const GaussianProcess& gp, const std::vector<double>& through,
                                    int dimensionX, int dimensionY, double lowerX, double upperX,
                                    double lowerY, double upperY, int m) {
    checkThrough(gp, through, dimensionX, "posteriorSlicePair");
    checkThrough(gp, through, dimensionY, "posteriorSlicePair");
    if (dimensionX == dimensionY) {
        throw std::invalid_argument("posteriorSlicePair: the two dimensions must differ");
    }
    checkRange(lowerX, upperX, m, "posteriorSlicePair (x)");
    checkRange(lowerY, upperY, m, "posteriorSlicePair (y)");
    PosteriorSurface surface;
    surface.dimensionX = dimensionX;
    surface.dimensionY = dimensionY;
    surface.size = m;
    surface.x = linspace(lowerX, upperX, m);
    surface.y = linspace(lowerY, upperY, m);
    const Eigen::Index d = gp.dimension();
    Eigen::MatrixXd inputs(static_cast<Eigen::Index>(m) * m, d);
    for (int iy = 0; iy < m; ++iy) {
        for (int ix = 0; ix < m; ++ix) {
            const Eigen::Index r = static_cast<Eigen::Index>(iy) * m + ix;
            for (Eigen::Index j = 0; j < d; ++j) {
                inputs(r, j) = through[static_cast<std::size_t>(j)];
            }
            inputs(r, dimensionX) = surface.x[static_cast<std::size_t>(ix)];
            inputs(r, dimensionY) = surface.y[static_cast<std::size_t>(iy)];
        }
    }
    const BatchPrediction p = gp.predictBatch(inputs);
    surface.mean = p.mean;
    surface.stddev.resize(p.variance.size());
    for (std::size_t i = 0; i < p.variance.size(); ++i) {
        surface.stddev[i] = std::sqrt(p.variance[i]);
    }
    return surface;
}

PosteriorSurface posteriorSurface(const GaussianProcess& gp, const std::vector<double>& lower,
                                  const std::vector<double>& upper, int m) {
    if (gp.isReady() && gp.dimension() != 2) {
        throw std::invalid_argument("posteriorSurface: the GP has dimension " +
                                    std::to_string(gp.dimension()) +
                                    "; use posteriorSlicePair for d > 2");
    }
    if (lower.size() != 2 || upper.size() != 2) {
        throw std::invalid_argument("posteriorSurface: lower and upper need 2 entries each");
    }
    return posteriorSlicePair(gp, {0.0, 0.0}, 0, 1, lower[0], upper[0], lower[1], upper[1], m);
}

} // namespace bt::gp
