#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <stop_token>
#include <utility>
#include <vector>

#include <torch/types.h>

#include "engine/config/run_config.h"
#include "engine/core/journal.h"
#include "engine/eval/evaluator.h"
#include "engine/events/events.h"
#include "engine/methods/design.h"
#include "engine/methods/method_result.h"
#include "engine/train/trainer.h"

namespace bt::methods {

/// The form of the lower-level constraint h ≤ 0 in the augmented Lagrangian (ALGORITHM.md §3):
/// bilevel.constraint.
using config::ConstraintForm;

/// Settings of the bilevel method that are not configuration keys; the keys are the method's
/// section of the run configuration, config::BilevelConfig (engine/config/config_schema.h).
struct BilevelRuntime {
    std::uint64_t seed = 0; ///< design, GP restarts and inner batch order
    int checkEvery = 50;    ///< inner steps between evaluations of L_A
    /// Examples of each split those evaluations read: a larger split is read through a fixed,
    /// seeded subset of this size (ALGORITHM.md §3.1)
    int64_t checkExamples = 4096;
    double progressInterval = 0.05; ///< seconds between inner-progress events
    int gpRestarts = 5;             ///< marginal-likelihood restarts of each GP fit
    /// The epochs an automatic `bilevel.refine_trials` fills (RunConfig::baselineEpochs(),
    /// ALGORITHM.md §3.6); 0: no refinement under automatic.
    double budgetEpochs = 0.0;
};

/// φ̂ and ∇φ̂ at a λ (the surrogate's posterior mean and its gradient).
using SurrogateFn =
    std::function<std::pair<double, std::vector<double>>(const std::vector<double>&)>;

/// The terms of the augmented Lagrangian on one pair of minibatches.
struct AugmentedLagrangianTerms {
    double value = 0.0;     ///< L_A
    double upper = 0.0;     ///< F: mean validation loss
    double lower = 0.0;     ///< f: mean training loss + penalty
    double violation = 0.0; ///< h = f − φ̂(λ) − ε
    double phiHat = 0.0;
};

/// One step's minibatches: a training one for f, a validation one for F.
struct MinibatchPair {
    torch::Tensor trainInputs;
    torch::Tensor trainTargets;
    torch::Tensor valInputs;
    torch::Tensor valTargets;
};

/// The multiplier, penalty and slack of the constraint's term c(h) in L_A, and its form.
struct ConstraintSettings {
    double mu = 0.0;
    double r = 0.0;
    double epsilon = 0.0;
    ConstraintForm form = ConstraintForm::Inequality;
};

/// L_A(w, λ; μ, r) = F(w) + c(h), h = f(w, λ) − φ̂(λ) − ε, of ALGORITHM.md §3 on the given
/// batches, and its gradient, left in the network's parameters' and `lambda`'s .grad() (added to
/// what is there, as backward() does). `lambda` is a 1-D double tensor. With c' = c'(h):
///   ∇_w L_A = ∇_w F + c'·∇_w (mean training loss) + c'·exp(λ_l)·W_l on weight l,
///   ∇_λ L_A = c'·(∂f/∂λ − ∇φ̂(λ)), ∂f/∂λ_j = Σ_{l: entry j} exp(λ_j)·½‖W_l‖²,
/// F needing no λ. The losses go through autograd; the penalty's terms are added in place, the
/// way the trainer's weight decay is (through autograd they cost several passes over every
/// weight a step).
AugmentedLagrangianTerms augmentedLagrangianStep(models::Network& network, torch::Tensor& lambda,
                                                 const MinibatchPair& batches,
                                                 const SurrogateFn& surrogate,
                                                 const ConstraintSettings& constraint);

/// The constraint's term c(h) of L_A for a violation h.
double constraintTerm(double h, double mu, double r, ConstraintForm form);

/// Its derivative c'(h), which is also the multiplier's first-order update (updateMultiplier).
double constraintSlope(double h, double mu, double r, ConstraintForm form);

/// The multiplier update after an outer iteration with violation h.
double updateMultiplier(double mu, double r, double h, ConstraintForm form);

/// λ*'s own training from the fixed initialisation on the training split, when the method has
/// one (ALGORITHM.md §3.5: under variant select λ* is such a training; under paper when the
/// returned iterate's φ sample was trained from the initialisation). It is the training a
/// retraining at λ* would repeat, so the run keeps it as the retrained model instead.
struct TrainingAtOptimum {
    std::vector<double> lambda;
    train::TrainingResult result;
    models::Network network{nullptr};
};

/// The gradient-based bilevel method of Sinha, Gunwal and Kumar (arXiv 2208.12118), as
/// ALGORITHM.md §2–4 specifies: initial design, GP surrogate of the value function φ, and an
/// augmented Lagrangian over (w, λ) whose outer iterations each add a new φ sample.
class BilevelMethod {
public:
    /// With a `journal`, each finished inner solve is committed (the iterate's weights as a
    /// checkpoint) and a resumed run replays it; the φ samples are journaled by `evaluator`
    /// (eval::JournalingEvaluator).
    BilevelMethod(const train::Trainer& trainer, eval::Evaluator& evaluator, Box box,
                  const config::BilevelConfig& settings, BilevelRuntime runtime,
                  events::EventSink& sink, core::Journal* journal = nullptr);

    /// Runs the method to the end, or until `stop` is requested (status "cancelled").
    MethodResult run(std::stop_token stop);

    /// After a completed run: λ*'s own training from the fixed initialisation with its weights,
    /// or nullptr when it has none (λ* is a warm-started sample's λ, or the run did not
    /// complete).
    const TrainingAtOptimum* trainingAtOptimum() const {
        return m_atOptimum ? &*m_atOptimum : nullptr;
    }

private:
    struct Impl;
    const train::Trainer& m_trainer;
    eval::Evaluator& m_evaluator;
    Box m_box;
    config::BilevelConfig m_settings;
    BilevelRuntime m_runtime;
    events::EventSink& m_sink;
    core::Journal* m_journal;
    std::optional<TrainingAtOptimum> m_atOptimum;
};

} // namespace bt::methods
