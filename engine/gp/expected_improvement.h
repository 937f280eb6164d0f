#pragma once

#include <vector>

#include <Eigen/Core>

#include "engine/gp/gp_results.h"

namespace bt::gp {

class GaussianProcess;

/// Expected improvement at one input, for minimisation. A plain value.
struct ExpectedImprovement {
    double value = 0.0;           ///< EI(x) ≥ 0, target units
    std::vector<double> gradient; ///< ∂EI/∂x, one entry per dimension (empty if not asked)
};

/// Posterior standard deviation below which EI is treated as deterministic improvement.
inline constexpr double kMinExpectedImprovementStddev = 1e-12;

/// Expected improvement over `best` for minimisation (Jones, Schonlau & Welch 1998, eq. 15):
///   EI = (best − ξ − μ) Φ(z) + σ φ(z),  z = (best − ξ − μ)/σ,
/// and, when the prediction carries gradients, ∇EI = −Φ(z) ∇μ + φ(z) ∇σ with ∇σ = ∇σ²/(2σ)
/// (the terms in ∂z cancel). Where σ < kMinExpectedImprovementStddev, EI = max(0, best − ξ − μ).
/// @param prediction  posterior at x (GaussianProcess::predict), gradients optional
/// @param best        incumbent: the smallest observed target, target units
/// @param xi          exploration margin ξ ≥ 0, target units
ExpectedImprovement expectedImprovement(const Prediction& prediction, double best, double xi = 0.0);

/// Expected improvement of `gp` at x: predict(x, withGradient) then the function above.
/// Pre: gp.isReady(), x.size() == gp.dimension().
ExpectedImprovement expectedImprovement(const GaussianProcess& gp,
                                        const Eigen::Ref<const Eigen::VectorXd>& x, double best,
                                        double xi = 0.0, bool withGradient = true);

} // namespace bt::gp
