#include "engine/methods/design.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

#include <boost/random/sobol.hpp>

namespace bt::methods {

namespace {

// Uniform double in [0, 1) from 53 random bits: the same on every platform, unlike
// std::uniform_real_distribution.
double unit(std::mt19937_64& rng) {
    return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

std::vector<double> scale(const Box& box, const std::vector<double>& u) {
    std::vector<double> x(u.size());
    for (std::size_t i = 0; i < u.size(); ++i) {
        x[i] = box.lower[i] + u[i] * (box.upper[i] - box.lower[i]);
    }
    return x;
}

} // namespace

void Box::project(std::vector<double>& x) const {
    for (std::size_t i = 0; i < x.size() && i < lower.size(); ++i) {
        x[i] = std::clamp(x[i], lower[i], upper[i]);
    }
}

std::vector<double> linspace(double lo, double hi, int m) {
    if (m < 1) {
        throw std::invalid_argument("linspace needs at least one point");
    }
    if (m == 1) {
        return {0.5 * (lo + hi)};
    }
    std::vector<double> v(static_cast<std::size_t>(m));
    for (int i = 0; i < m; ++i) {
        v[static_cast<std::size_t>(i)] = lo + (hi - lo) * i / (m - 1);
    }
    v.back() = hi; // exact bound despite rounding
    return v;
}

std::vector<std::vector<double>> gridDesign(const Box& box, int m) {
    const std::size_t d = box.dimension();
    std::vector<std::vector<double>> axes;
    for (std::size_t i = 0; i < d; ++i) {
        axes.push_back(linspace(box.lower[i], box.upper[i], m));
    }
    std::vector<std::vector<double>> points;
    std::vector<std::size_t> index(d, 0);
    while (true) {
        std::vector<double> p(d);
        for (std::size_t i = 0; i < d; ++i) {
            p[i] = axes[i][index[i]];
        }
        points.push_back(std::move(p));
        // Odometer increment, last dimension fastest.
        std::size_t i = d;
        while (i > 0) {
            --i;
            if (++index[i] < static_cast<std::size_t>(m)) {
                break;
            }
            index[i] = 0;
            if (i == 0) {
                return points;
            }
        }
        if (d == 0) {
            return points;
        }
    }
}

std::vector<std::vector<double>> sobolDesign(const Box& box, int n, uint64_t seed) {
    const std::size_t d = box.dimension();
    // Boost's Sobol engine yields 64-bit integers, one coordinate per call, point after point.
    boost::random::sobol engine(d);
    std::mt19937_64 rng(seed);
    std::vector<double> shift(d);
    for (auto& s : shift) {
        s = unit(rng);
    }
    std::vector<std::vector<double>> points;
    for (int k = 0; k < n; ++k) {
        std::vector<double> u(d);
        for (std::size_t i = 0; i < d; ++i) {
            // Boost starts after the sequence's first point, the origin: put it back, so that the
            // first 2^m points form a complete net.
            const double raw = k == 0 ? 0.0 : std::ldexp(static_cast<double>(engine()), -64);
            const double v = raw + shift[i];
            u[i] = v - std::floor(v);
        }
        points.push_back(scale(box, u));
    }
    return points;
}

std::vector<std::vector<double>> latinHypercubeDesign(const Box& box, int n, uint64_t seed) {
    const std::size_t d = box.dimension();
    std::mt19937_64 rng(seed);
    std::vector<std::vector<double>> u(static_cast<std::size_t>(n), std::vector<double>(d));
    std::vector<int> strata(static_cast<std::size_t>(n));
    for (std::size_t i = 0; i < d; ++i) {
        for (int k = 0; k < n; ++k) {
            strata[static_cast<std::size_t>(k)] = k;
        }
        // Fisher–Yates with our own draws: reproducible across standard libraries.
        for (int k = n - 1; k > 0; --k) {
            const auto j = static_cast<int>(rng() % static_cast<uint64_t>(k + 1));
            std::swap(strata[static_cast<std::size_t>(k)], strata[static_cast<std::size_t>(j)]);
        }
        for (int k = 0; k < n; ++k) {
            u[static_cast<std::size_t>(k)][i] =
                (strata[static_cast<std::size_t>(k)] + unit(rng)) / n;
        }
    }
    std::vector<std::vector<double>> points;
    for (const auto& p : u) {
        points.push_back(scale(box, p));
    }
    return points;
}

std::vector<std::vector<double>> uniformDesign(const Box& box, int n, uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::vector<std::vector<double>> points;
    for (int k = 0; k < n; ++k) {
        std::vector<double> u(box.dimension());
        for (auto& v : u) {
            v = unit(rng);
        }
        points.push_back(scale(box, u));
    }
    return points;
}

int automaticDesignCount(int dimension) {
    return dimension <= 1 ? 10 : std::max(10, 2 * dimension);
}

std::vector<std::vector<double>> initialDesign(const Box& box, int count,
                                               config::InitialDesign kind, uint64_t seed) {
    const auto d = static_cast<int>(box.dimension());
    const int n = initialDesignPoints(count, d);
    if (d == 1) {
        return gridDesign(box, n);
    }
    return kind == config::InitialDesign::Sobol ? sobolDesign(box, n, seed)
                                                : latinHypercubeDesign(box, n, seed);
}

int initialDesignPoints(int count, int dimension) {
    return count > 0 ? count : automaticDesignCount(dimension);
}

} // namespace bt::methods
