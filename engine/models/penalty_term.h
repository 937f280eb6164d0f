#pragma once

namespace bt::models {

/// Weight layer l's term of the lower level's penalty Σ_l exp(λ_g(l))·½‖W_l‖² (ALGORITHM.md §1),
/// from its coefficient exp(λ_g(l)) (g: lambdaEntryOf) and its squared norm ‖W_l‖². The one
/// place the term is written: models::l2Penalty takes it on tensors, inside autograd; the
/// augmented-Lagrangian step (methods::augmentedLagrangianStep) on the host, from norms it
/// reads back in one copy. The term is also its own derivative in λ_g(l).
template <class Coefficient, class SquaredNorm>
auto penaltyTerm(const Coefficient& coefficient, const SquaredNorm& squaredNorm) {
    return 0.5 * coefficient * squaredNorm;
}

} // namespace bt::models
