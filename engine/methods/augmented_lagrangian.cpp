// The augmented Lagrangian of the bilevel method's single-level problem (ALGORITHM.md §3),
// declared in bilevel.h; the method's outer and inner loops are in bilevel.cpp.
#include <algorithm>

#include <torch/torch.h>

#include "engine/methods/bilevel.h"

namespace bt::methods {

// The constraint's term of the augmented Lagrangian that solves the paper's single-level problem
// (Sinha, Gunwal & Kumar, arXiv 2208.12118; ALGORITHM.md §3). Equality form: the authors' code.
torch::Tensor constraintTerm(const torch::Tensor& h, double mu, double r, ConstraintForm form) {
    if (form == ConstraintForm::Inequality) {
        // PHR: (max(0, μ + r·h)² − μ²) / (2r); its derivative in h is max(0, μ + r·h).
        const auto shifted = torch::clamp_min(mu + r * h, 0.0);
        return (shifted * shifted - mu * mu) / (2.0 * r);
    }
    return mu * h + 0.5 * r * h * h;
}

// ALGORITHM.md §3.3: the first-order multiplier update of the augmented-Lagrangian method.
double updateMultiplier(double mu, double r, double h, ConstraintForm form) {
    return form == ConstraintForm::Inequality ? std::max(0.0, mu + r * h) : mu + r * h;
}

AugmentedLagrangianTerms augmentedLagrangian(models::Network& network, const torch::Tensor& lambda,
                                             const torch::Tensor& trainInputs,
                                             const torch::Tensor& trainTargets,
                                             const torch::Tensor& valInputs,
                                             const torch::Tensor& valTargets,
                                             const SurrogateFn& surrogate, double mu, double r,
                                             double epsilon, ConstraintForm form) {
    const auto loss = network->spec().loss;
    AugmentedLagrangianTerms terms;
    terms.upper =
        models::meanLoss(loss, network->forward(valInputs), valTargets).to(torch::kDouble);
    terms.lower =
        models::meanLoss(loss, network->forward(trainInputs), trainTargets).to(torch::kDouble) +
        models::l2Penalty(network->weights(), lambda, network->spec().lambdaOf).to(torch::kDouble);

    const auto lambdaCpu = lambda.detach().to(torch::kCPU).contiguous();
    const std::vector<double> at(lambdaCpu.data_ptr<double>(),
                                 lambdaCpu.data_ptr<double>() + lambdaCpu.numel());
    // The paper's value-function constraint f(w, λ) − φ(λ) ≤ 0 with the GP's φ̂ in place of φ
    // (arXiv 2208.12118; ALGORITHM.md §1, §3).
    const auto [phiHat, phiGradient] = surrogate(at);
    terms.phiHat = phiHat;
    // φ̂ as a tensor whose value is φ̂(λ) and whose gradient in λ is ∇φ̂(λ): the linear term
    // vanishes in value (λ − λ.detach() = 0) but carries the gradient.
    const auto gradient = torch::tensor(phiGradient, lambda.options().requires_grad(false));
    const auto phiTensor = phiHat + (gradient * (lambda - lambda.detach())).sum();
    terms.violation = terms.lower - phiTensor - epsilon;
    terms.value = terms.upper + constraintTerm(terms.violation, mu, r, form);
    return terms;
}

} // namespace bt::methods
