#include "engine/gp/marginal_likelihood.h"

#include <cmath>
#include <limits>
#include <numbers>
#include <utility>

namespace bt::gp {

MarginalLikelihood::MarginalLikelihood(KernelKind kind, Eigen::MatrixXd points,
                                       Eigen::VectorXd targets)
    : m_kind(kind), m_points(std::move(points)), m_targets(std::move(targets)) {}

double MarginalLikelihood::evaluate(const Eigen::VectorXd& theta, Eigen::VectorXd* gradient) {
    ++m_evaluations;
    const Eigen::Index d = m_points.rows();
    const Eigen::Index n = m_points.cols();
    const double signal = std::exp(theta[d]);
    const double noise = std::exp(theta[d + 1]);
    const bool withGradient = gradient != nullptr;

    m_scaled = m_points.array().colwise() * (-theta.head(d).array()).exp();
    m_kernel.resize(n, n);
    if (withGradient) {
        m_slope.resize(n, n);
    }
    for (Eigen::Index b = 0; b < n; ++b) {
        m_kernel(b, b) = signal + noise;
        const double* pb = m_scaled.col(b).data();
        for (Eigen::Index a = b + 1; a < n; ++a) {
            const double* pa = m_scaled.col(a).data();
            double r2 = 0.0;
            for (Eigen::Index i = 0; i < d; ++i) {
                const double delta = pa[i] - pb[i];
                r2 += delta * delta;
            }
            double kappa = 0.0;
            double gamma = 0.0;
            Kernel::shape(m_kind, r2, kappa, gamma);
            m_kernel(a, b) = signal * kappa;
            if (withGradient) {
                m_slope(a, b) = signal * gamma;
            }
        }
    }
    if (!m_cholesky.compute(m_kernel)) {
        return std::numeric_limits<double>::quiet_NaN();
    }
    m_alpha = m_targets;
    m_cholesky.solveInPlace(m_alpha);
    const double logLikelihood = -0.5 * m_targets.dot(m_alpha) - 0.5 * m_cholesky.logDeterminant() -
                                 0.5 * static_cast<double>(n) * std::log(2.0 * std::numbers::pi);
    if (!withGradient) {
        return logLikelihood;
    }

    // W = ααᵀ − K_y⁻¹ (R&W Algorithm 5.1). The trace terms of eq. 5.9 need K_y⁻¹ itself; it is
    // formed from the factor (JitteredCholesky::inverse, (2/3)n³ flops), once per evaluation.
    m_cholesky.inverse(m_inverse);
    gradient->setZero(d + 2);
    double signalTrace = 0.0;
    double noiseTrace = 0.0;
    for (Eigen::Index b = 0; b < n; ++b) {
        const double wbb = m_alpha[b] * m_alpha[b] - m_inverse(b, b);
        // Diagonal: ∂K_bb/∂log σf² = σf², ∂K_bb/∂log σn² = σn², ∂K_bb/∂log ℓ_i = 0.
        signalTrace += 0.5 * wbb * signal;
        noiseTrace += 0.5 * wbb * noise;
        const double* pb = m_scaled.col(b).data();
        for (Eigen::Index a = b + 1; a < n; ++a) {
            // Off-diagonal pairs appear twice in the trace, cancelling the ½ of eq. 5.9.
            const double wab = m_alpha[a] * m_alpha[b] - m_inverse(a, b);
            signalTrace += wab * m_kernel(a, b);
            const double weight = wab * m_slope(a, b);
            const double* pa = m_scaled.col(a).data();
            for (Eigen::Index i = 0; i < d; ++i) {
                const double delta = pa[i] - pb[i];
                (*gradient)[i] += weight * delta * delta;
            }
        }
    }
    (*gradient)[d] = signalTrace;
    (*gradient)[d + 1] = noiseTrace;
    return logLikelihood;
}

} // namespace bt::gp
