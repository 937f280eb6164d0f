#pragma once

#include <Eigen/Core>

#include "engine/gp/jittered_cholesky.h"
#include "engine/gp/kernel.h"

namespace bt::gp {

/// Log marginal likelihood of a zero-mean GP and its analytic gradient with respect to the
/// log-hyperparameters, for a fixed data set (Rasmussen & Williams 2006, §5.4.1).
///
/// Parameter vector θ (size d + 2): θ_i = log ℓ_i (i < d), θ_d = log σf², θ_{d+1} = log σn².
/// Log space makes every hyperparameter positive and the optimisation better scaled.
///
/// Holds its n × n workspaces between evaluations so that the fit's L-BFGS loop does not
/// allocate; not thread-safe (one instance per fit).
class MarginalLikelihood {
public:
    /// @param kind     covariance family
    /// @param points   d × n inputs, one point per column
    /// @param targets  n targets (the GP passes standardised ones: zero mean, unit variance)
    MarginalLikelihood(KernelKind kind, Eigen::MatrixXd points, Eigen::VectorXd targets);

    /// log p(y | X, θ) = −½ yᵀα − Σ_i log L_ii − (n/2) log 2π with α = K_y⁻¹ y and
    /// K_y = L Lᵀ = K + σn² I (+ jitter) (R&W eq. 2.30, Algorithm 2.1).
    /// When `gradient` is not null it receives ∂ log p/∂θ_j = ½ tr((ααᵀ − K_y⁻¹) ∂K_y/∂θ_j)
    /// (R&W eq. 5.9), computed with one O(n³) K_y⁻¹ (through the factor, R&W Algorithm 5.1) and
    /// O(n² d) for the d + 2 traces, using
    ///   ∂K_ab/∂log ℓ_i = σf² γ(r²_ab)(x_ai − x_bi)²/ℓ_i²,  ∂K/∂log σf² = K − σn² I,
    ///   ∂K_y/∂log σn² = σn² I   (γ: Kernel::shape()).
    /// The jitter, when one is needed, is treated as a constant.
    /// Pre: theta.size() == parameterCount(). Returns NaN (gradient untouched) when the kernel
    /// matrix cannot be factored even with jitter.
    double evaluate(const Eigen::VectorXd& theta, Eigen::VectorXd* gradient);

    int parameterCount() const noexcept { return static_cast<int>(m_points.rows()) + 2; }
    int sampleCount() const noexcept { return static_cast<int>(m_points.cols()); }
    /// Jitter added in the last evaluation (units of the targets², i.e. of K).
    double jitter() const noexcept { return m_cholesky.jitter(); }
    /// Evaluations so far.
    int evaluations() const noexcept { return m_evaluations; }

private:
    KernelKind m_kind;
    Eigen::MatrixXd m_points; // d × n
    Eigen::VectorXd m_targets;
    Eigen::MatrixXd m_scaled;  // d × n, inputs divided by the length-scales
    Eigen::MatrixXd m_kernel;  // K_y (lower triangle used)
    Eigen::MatrixXd m_slope;   // σf² γ(r²) (strictly lower triangle used)
    Eigen::MatrixXd m_inverse; // K_y⁻¹, then W = ααᵀ − K_y⁻¹
    Eigen::VectorXd m_alpha;
    JitteredCholesky m_cholesky;
    int m_evaluations = 0;
};

} // namespace bt::gp
