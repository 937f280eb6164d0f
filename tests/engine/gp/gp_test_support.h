#pragma once

// Helpers shared by the GP test suites: portable seeded random numbers and central-difference
// gradient checks.

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>

#include <Eigen/Core>

namespace bt::gp::test {

/// Seeded uniform and normal numbers, the same on every platform (the std distributions are
/// implementation-defined).
class Random {
public:
    explicit Random(std::uint64_t seed) : m_engine(seed) {}
    double uniform() { return static_cast<double>(m_engine() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    /// Box–Muller.
    double normal() {
        const double u = 1.0 - uniform(); // (0, 1]
        const double v = uniform();
        return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * std::numbers::pi * v);
    }
    Eigen::MatrixXd uniformMatrix(Eigen::Index rows, Eigen::Index cols, double lo, double hi) {
        Eigen::MatrixXd m(rows, cols);
        for (Eigen::Index j = 0; j < cols; ++j) {
            for (Eigen::Index i = 0; i < rows; ++i) {
                m(i, j) = uniform(lo, hi);
            }
        }
        return m;
    }

private:
    std::mt19937_64 m_engine;
};

/// Central-difference gradient of f at x with step h·max(1, |x_j|) per coordinate: truncation
/// error O(h²), rounding error O(ε/h); h = 1e-5 balances them near 1e-10 relative.
template <typename F>
Eigen::VectorXd centralDifference(F&& f, const Eigen::VectorXd& x, double h = 1e-5) {
    Eigen::VectorXd g(x.size());
    for (Eigen::Index j = 0; j < x.size(); ++j) {
        const double step = h * std::max(1.0, std::abs(x[j]));
        Eigen::VectorXd plus = x;
        Eigen::VectorXd minus = x;
        plus[j] += step;
        minus[j] -= step;
        g[j] = (f(plus) - f(minus)) / (plus[j] - minus[j]);
    }
    return g;
}

/// ‖a − b‖ / ‖b‖ (b the analytic gradient), with ‖b‖ floored to avoid dividing by zero.
inline double relativeError(const Eigen::VectorXd& numeric, const Eigen::VectorXd& analytic) {
    return (numeric - analytic).norm() / std::max(analytic.norm(), 1e-12);
}

} // namespace bt::gp::test
