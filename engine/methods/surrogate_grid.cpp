#include "engine/methods/surrogate_grid.h"

#include <cmath>
#include <exception>

#include "engine/gp/gaussian_process.h"
#include "engine/methods/phi_surrogate.h"

namespace bt::methods {

namespace {

std::vector<double> throughPoint(const SurrogateGridRequest& request) {
    const std::size_t d = request.box.dimension();
    if (request.through.size() == d) {
        return request.through;
    }
    std::vector<double> centre(d);
    for (std::size_t i = 0; i < d; ++i) {
        centre[i] = 0.5 * (request.box.lower[i] + request.box.upper[i]);
    }
    return centre;
}

gp::PosteriorCurve curveOf(const gp::GaussianProcess& gp, const SurrogateGridRequest& request) {
    const auto k = static_cast<std::size_t>(request.curveDimension);
    const double lo = request.box.lower[k];
    const double hi = request.box.upper[k];
    auto curve = request.box.dimension() == 1
                     ? gp::posteriorCurve(gp, lo, hi, request.curvePoints)
                     : gp::posteriorSlice(gp, throughPoint(request), request.curveDimension, lo, hi,
                                          request.curvePoints);
    if (request.logScale) {
        for (std::size_t i = 0; i < curve.mean.size(); ++i) {
            curve.mean[i] = std::exp(curve.mean[i]);
            curve.stddev[i] *= curve.mean[i];
            curve.lower[i] = std::exp(curve.lower[i]);
            curve.upper[i] = std::exp(curve.upper[i]);
        }
    }
    return curve;
}

gp::PosteriorSurface surfaceOf(const gp::GaussianProcess& gp, const SurrogateGridRequest& request) {
    const auto& box = request.box;
    const int dx = request.surfaceX;
    const int dy = request.surfaceY;
    gp::PosteriorSurface surface;
    if (box.dimension() == 2 && dx == 0 && dy == 1) {
        surface = gp::posteriorSurface(gp, box.lower, box.upper, request.surfaceSize);
    } else {
        const auto kx = static_cast<std::size_t>(dx);
        const auto ky = static_cast<std::size_t>(dy);
        surface =
            gp::posteriorSlicePair(gp, throughPoint(request), dx, dy, box.lower[kx], box.upper[kx],
                                   box.lower[ky], box.upper[ky], request.surfaceSize);
    }
    if (request.logScale) {
        for (std::size_t i = 0; i < surface.mean.size(); ++i) {
            surface.mean[i] = std::exp(surface.mean[i]);
            if (i < surface.stddev.size()) {
                surface.stddev[i] *= surface.mean[i];
            }
        }
    }
    return surface;
}

bool validDimension(int k, std::size_t d) {
    return k >= 0 && static_cast<std::size_t>(k) < d;
}

} // namespace

SurrogateGrid surrogateGrid(const SurrogateGridRequest& request) {
    SurrogateGrid grid;
    const std::size_t d = request.box.dimension();
    if (request.x.empty() || d == 0) {
        grid.message = "no φ samples";
        return grid;
    }
    try {
        PhiSurrogate surrogate(request.box, request.restarts, request.seed, request.logScale);
        const auto fit = request.hyperparameters
                             ? surrogate.condition(request.x, request.y, *request.hyperparameters)
                             : surrogate.fit(request.x, request.y);
        grid.message = fit.message;
        if (!fit.ok) {
            return grid;
        }
        const auto& gp = surrogate.process();
        grid.samples = gp.sampleCount();
        if (validDimension(request.curveDimension, d)) {
            grid.curve = curveOf(gp, request);
        }
        if (validDimension(request.surfaceX, d) && validDimension(request.surfaceY, d) &&
            request.surfaceX != request.surfaceY) {
            grid.surface = surfaceOf(gp, request);
        }
        grid.ok = true;
    } catch (const std::exception& e) {
        // Sizes that do not match the box, or options the GP refuses: the view says why.
        grid.ok = false;
        grid.message = e.what();
        grid.curve.reset();
        grid.surface.reset();
    }
    return grid;
}

} // namespace bt::methods
