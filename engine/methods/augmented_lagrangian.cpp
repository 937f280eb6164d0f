// The augmented Lagrangian of the bilevel method's single-level problem (ALGORITHM.md §3),
// declared in bilevel.h; the method's outer and inner loops are in bilevel.cpp.
#include <algorithm>
#include <cmath>

#include <torch/torch.h>

#include "engine/methods/bilevel.h"
#include "engine/models/penalty_term.h"

namespace bt::methods {

// The constraint's term of the augmented Lagrangian that solves the paper's single-level problem
// (Sinha, Gunwal & Kumar, arXiv 2208.12118; ALGORITHM.md §3). Equality form: the authors' code.
double constraintTerm(double h, double mu, double r, ConstraintForm form) {
    if (form == ConstraintForm::Inequality) {
        // PHR: (max(0, μ + r·h)² − μ²) / (2r); its derivative in h is max(0, μ + r·h).
        const double shifted = std::max(0.0, mu + r * h);
        return (shifted * shifted - mu * mu) / (2.0 * r);
    }
    return mu * h + 0.5 * r * h * h;
}

double constraintSlope(double h, double mu, double r, ConstraintForm form) {
    return form == ConstraintForm::Inequality ? std::max(0.0, mu + r * h) : mu + r * h;
}

// ALGORITHM.md §3.3: the first-order multiplier update of the augmented-Lagrangian method.
double updateMultiplier(double mu, double r, double h, ConstraintForm form) {
    return constraintSlope(h, mu, r, form);
}

namespace {

// Adds alpha·g to the gradient `parameter` holds, or makes alpha·g its gradient when it holds
// none yet (the step's callers zero the gradients, which may leave them undefined).
void accumulateGradient(torch::Tensor& parameter, const torch::Tensor& g, double alpha) {
    if (parameter.grad().defined()) {
        parameter.mutable_grad().add_(g, alpha);
    } else {
        parameter.mutable_grad() = g * alpha;
    }
}

} // namespace

AugmentedLagrangianTerms augmentedLagrangianStep(models::Network& network, torch::Tensor& lambda,
                                                 const MinibatchPair& batches,
                                                 const SurrogateFn& surrogate,
                                                 const ConstraintSettings& c) {
    const auto loss = network->spec().loss;
    const auto upper =
        models::meanLoss(loss, network->forward(batches.valInputs), batches.valTargets);
    const auto data =
        models::meanLoss(loss, network->forward(batches.trainInputs), batches.trainTargets);

    const auto lambdaCpu = lambda.detach().to(torch::kCPU, torch::kDouble).contiguous();
    const std::vector<double> at(lambdaCpu.data_ptr<double>(),
                                 lambdaCpu.data_ptr<double>() + lambdaCpu.numel());
    const auto& weights = network->weights();
    // F, the mean training loss and every ‖W_l‖², read back in one copy (one device sync a step).
    std::vector<torch::Tensor> scalars{upper.detach(), data.detach()};
    {
        torch::NoGradGuard noGrad;
        for (const auto& weight : weights) {
            const auto flat = weight.reshape({-1});
            scalars.push_back(torch::dot(flat, flat));
        }
    }
    const auto host = torch::stack(scalars).to(torch::kCPU, torch::kDouble).contiguous();
    const double* value = host.data_ptr<double>();

    // The penalty Σ_l exp(λ_g(l))·½‖W_l‖² (ALGORITHM.md §1; models::penaltyTerm, as
    // models::l2Penalty sums it in autograd) and ∂/∂λ_j.
    const auto& lambdaOf = network->spec().lambdaOf;
    std::vector<double> coefficient(weights.size());
    std::vector<double> penaltyGradient(at.size(), 0.0);
    double penalty = 0.0;
    for (std::size_t l = 0; l < weights.size(); ++l) {
        const auto entry = models::lambdaEntryOf(lambdaOf, l, at.size());
        coefficient[l] = std::exp(at[entry]);
        const double term = models::penaltyTerm(coefficient[l], value[2 + l]);
        penalty += term;
        penaltyGradient[entry] += term;
    }

    AugmentedLagrangianTerms terms;
    terms.upper = value[0];
    terms.lower = value[1] + penalty;
    // The paper's value-function constraint f(w, λ) − φ(λ) ≤ 0 with the GP's φ̂ in place of φ
    // (arXiv 2208.12118; ALGORITHM.md §1, §3).
    const auto [phiHat, phiGradient] = surrogate(at);
    terms.phiHat = phiHat;
    terms.violation = terms.lower - phiHat - c.epsilon;
    terms.value = terms.upper + constraintTerm(terms.violation, c.mu, c.r, c.form);
    if (!std::isfinite(terms.value)) {
        return terms; // the caller stops; no gradient to take
    }

    // ∇_w: the losses through autograd (an inactive inequality, c' = 0, leaves F alone), then the
    // penalty's c'·exp(λ)·W in place.
    const double slope = constraintSlope(terms.violation, c.mu, c.r, c.form);
    if (slope != 0.0) {
        (upper + slope * data).backward();
    } else {
        upper.backward();
    }
    {
        torch::NoGradGuard noGrad;
        for (std::size_t l = 0; l < weights.size(); ++l) {
            auto weight = weights[l];
            accumulateGradient(weight, weight, slope * coefficient[l]);
        }
    }
    // ∇_λ = c'·(∂f/∂λ − ∇φ̂).
    std::vector<double> lambdaGradient(at.size());
    for (std::size_t j = 0; j < at.size(); ++j) {
        lambdaGradient[j] = slope * (penaltyGradient[j] - phiGradient[j]);
    }
    accumulateGradient(lambda, torch::tensor(lambdaGradient, lambda.options().requires_grad(false)),
                       1.0);
    return terms;
}

} // namespace bt::methods
