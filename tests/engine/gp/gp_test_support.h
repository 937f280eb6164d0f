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

/// Central-difference gradient of f at x with Richardson extrapolation (error O(h⁴)):
///   D(h) = (f(x + h e_j) − f(x − h e_j)) / 2h,  ∂f/∂x_j ≈ (4 D(h/2) − D(h)) / 3,
/// with h = step·max(1, |x_j|). The default step keeps truncation near 1e-12 relative and leaves
/// room for the rounding of quantities computed with cancellation (the posterior variance).
template <typename F>
Eigen::VectorXd centralDifference(F&& f, const Eigen::VectorXd& x, double step = 1e-3) {
    Eigen::VectorXd g(x.size());
    auto difference = [&](Eigen::Index j, double h) {
        Eigen::VectorXd plus = x;
        Eigen::VectorXd minus = x;
        plus[j] += h;
        minus[j] -= h;
        return (f(plus) - f(minus)) / (plus[j] - minus[j]);
    };
    for (Eigen::Index j = 0; j < x.size(); ++j) {
        const double h = step * std::max(1.0, std::abs(x[j]));
        g[j] = (4.0 * difference(j, 0.5 * h) - difference(j, h)) / 3.0;
    }
    return g;
}

/// ‖a − b‖ / ‖b‖ (b the analytic gradient), with ‖b‖ floored to avoid dividing by zero.
inline double relativeError(const Eigen::VectorXd& numeric, const Eigen::VectorXd& analytic) {
    return (numeric - analytic).norm() / std::max(analytic.norm(), 1e-12);
}

} // namespace bt::gp::test
