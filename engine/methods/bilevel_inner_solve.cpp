#include "engine/methods/bilevel_inner_solve.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <utility>

#include <torch/torch.h>

#include "engine/core/log.h"

namespace bt::methods {

namespace {

double seconds(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

std::vector<double> toVector(const torch::Tensor& t) {
    const auto cpu = t.detach().to(torch::kCPU, torch::kDouble).contiguous();
    return {cpu.data_ptr<double>(), cpu.data_ptr<double>() + cpu.numel()};
}

uint64_t streamSeed(uint64_t seed, uint64_t stream) {
    return seed * 0x9E3779B97F4A7C15ULL + stream * 0xBF58476D1CE4E5B9ULL + 1;
}

// A training-mode copy of an iterate's weights: the w the inner solve descends on.
models::Network trainingCopy(const models::Network& network) {
    auto copy = models::cloneNetwork(network);
    copy->train();
    return copy;
}

// SGD with bilevel.inner_momentum, Nesterov's when the momentum is positive.
torch::optim::SGDOptions sgdOptions(double learningRate, double momentum) {
    return torch::optim::SGDOptions(learningRate).momentum(momentum).nesterov(momentum > 0.0);
}

// The minibatch order of one inner solve: each split follows its own seeded permutation
// (train::epochPermutation), drawn anew when its next minibatch would run past the split's end.
class InnerBatches {
public:
    InnerBatches(const train::Problem& problem, int64_t batch, uint64_t seed)
        : m_device(problem.device), m_nTrain(problem.train.inputs.size(0)),
          m_nVal(problem.validation.inputs.size(0)), m_trainBatch(std::min(batch, m_nTrain)),
          m_valBatch(std::min(batch, m_nVal)), m_seed(seed), m_trainPos(m_nTrain),
          m_valPos(m_nVal) {}

    // The indices of the next training and validation minibatches.
    std::pair<torch::Tensor, torch::Tensor> next() {
        if (m_trainPos + m_trainBatch > m_nTrain) {
            m_trainOrder = train::epochPermutation(m_nTrain, m_seed, m_trainEpoch++).to(m_device);
            m_trainPos = 0;
        }
        if (m_valPos + m_valBatch > m_nVal) {
            m_valOrder =
                train::epochPermutation(m_nVal, m_seed ^ 0x5555, m_valEpoch++).to(m_device);
            m_valPos = 0;
        }
        auto ti = m_trainOrder.slice(0, m_trainPos, m_trainPos + m_trainBatch);
        auto vi = m_valOrder.slice(0, m_valPos, m_valPos + m_valBatch);
        m_trainPos += m_trainBatch;
        m_valPos += m_valBatch;
        return {std::move(ti), std::move(vi)};
    }

    // Samples one step processes: both minibatches.
    int64_t samplesPerStep() const { return m_trainBatch + m_valBatch; }

private:
    torch::Device m_device;
    int64_t m_nTrain;
    int64_t m_nVal;
    int64_t m_trainBatch;
    int64_t m_valBatch;
    uint64_t m_seed;
    torch::Tensor m_trainOrder;
    torch::Tensor m_valOrder;
    int64_t m_trainPos;
    int64_t m_valPos;
    int m_trainEpoch = 0;
    int m_valEpoch = 0;
};

} // namespace

train::TensorDataset checkSubset(const train::TensorDataset& split, int64_t count, uint64_t seed) {
    const int64_t n = split.inputs.size(0);
    if (n <= count) {
        return split;
    }
    const auto chosen =
        train::epochPermutation(n, seed, 0).slice(0, 0, count).to(split.inputs.device());
    return train::rows(split, chosen);
}

void logBilevel(events::EventSink& sink, events::LogLevel level, const std::string& message) {
    sink.onEvent(events::LogEvent{level, message});
    core::engineLogger()->info("bilevel: {}", message);
}

// The variables (w, λ) of one inner solve, their SGD optimisers and λ's box as tensors.
struct BilevelInnerSolver::Variables {
    models::Network network;
    torch::Tensor lambda;
    torch::optim::SGD optimizerW;
    torch::optim::SGD optimizerLambda;
    torch::Tensor lowerBound;
    torch::Tensor upperBound;

    Variables(const BilevelIterate& start, const config::BilevelConfig& options, const Box& box,
              const torch::Device& device)
        : network(trainingCopy(start.network)),
          lambda(torch::tensor(start.lambda, torch::TensorOptions().dtype(torch::kDouble))
                     .to(device)
                     .requires_grad_(true)),
          optimizerW(network->parameters(), sgdOptions(options.innerLrW, options.innerMomentum)),
          optimizerLambda(std::vector<torch::Tensor>{lambda},
                          sgdOptions(options.innerLrLambda, options.innerMomentum)),
          lowerBound(torch::tensor(box.lower, lambda.options().requires_grad(false))),
          upperBound(torch::tensor(box.upper, lambda.options().requires_grad(false))) {}

    // One step along the gradients already taken (each parameter's and λ's clipped to norm
    // `clip`), then λ projected on the box.
    void descend(double clip) {
        for (auto& p : network->parameters()) {
            torch::nn::utils::clip_grad_norm_(p, clip);
        }
        torch::nn::utils::clip_grad_norm_(lambda, clip);
        optimizerW.step();
        optimizerLambda.step();
        {
            torch::NoGradGuard noGrad;
            lambda.copy_(torch::max(torch::min(lambda, upperBound), lowerBound));
        }
    }
};

BilevelInnerSolver::BilevelInnerSolver(const train::Trainer& trainer, const Box& box,
                                       const config::BilevelConfig& options,
                                       const BilevelRuntime& runtime, const PhiSurrogate& surrogate,
                                       CostMeter& cost, events::EventSink& sink)
    : m_trainer(trainer), m_box(box), m_options(options), m_runtime(runtime),
      m_surrogate(surrogate), m_cost(cost), m_sink(sink),
      m_checkTrain(checkSubset(trainer.problem().train, runtime.checkExamples,
                               streamSeed(runtime.seed, 0x636865636BULL))),
      m_checkValidation(checkSubset(trainer.problem().validation, runtime.checkExamples,
                                    streamSeed(runtime.seed, 0x636865636CULL))) {}

// The terms of L_A at an iterate (no grad) on the checks' subsets of the training and
// validation splits. The test split plays no part in L_A, and evaluating it at every check
// cost more than the training and validation splits together on the MNIST tasks (9,000 test
// digits against 1,000); the subsets bound a check's cost where the splits are large (15,000
// images on the Fashion-MNIST tasks, whose checks cost about as much as the 50 steps between
// them).
void BilevelInnerSolver::evaluate(BilevelIterate& it, double mu, double r) const {
    const auto evaluation =
        m_trainer.evaluateObjectives(it.network, it.lambda, m_checkTrain, m_checkValidation);
    it.upper = evaluation.validation.loss;
    it.lower = evaluation.objective;
    it.phiHat = m_surrogate.valueAndGradient(it.lambda).first;
    const double h = it.lower - it.phiHat - m_options.epsilon;
    it.augmentedLagrangian = it.upper + constraintTerm(h, mu, r, m_options.constraint);
}

void BilevelInnerSolver::emitProgress(int outer, int step, const torch::Tensor& lambda,
                                      const AugmentedLagrangianTerms& terms) const {
    events::InnerProgressEvent event;
    event.outerIteration = outer;
    event.step = step;
    event.totalSteps = m_options.innerSteps;
    event.lambda = toVector(lambda);
    event.augmentedLagrangian = terms.value;
    event.upperLoss = terms.upper;
    event.lowerObjective = terms.lower;
    event.phiHat = terms.phiHat;
    event.violation = terms.violation;
    event.cost = m_cost.snapshot();
    m_sink.onEvent(event);
}

// A check: the current (w, λ) replaces `best` when its L_A is lower. Returns
// true when L_A changed by less than bilevel.inner_tolerance (relative) since the `previous`
// check, which it updates.
bool BilevelInnerSolver::checkIterate(Variables& variables, double mu, double r,
                                      BilevelIterate& best, double& previous) const {
    BilevelIterate current;
    current.network = variables.network;
    current.lambda = toVector(variables.lambda);
    evaluate(current, mu, r);
    if (current.augmentedLagrangian < best.augmentedLagrangian) {
        best = current;
        best.network = models::cloneNetwork(variables.network);
    }
    const double change =
        std::abs(current.augmentedLagrangian - previous) / std::max(std::abs(previous), 1e-12);
    previous = current.augmentedLagrangian;
    return change < m_options.innerTolerance;
}

// Approximately minimises L_A(·; μ, r) jointly over (w, λ) from `start` (ALGORITHM.md §3.1).
BilevelIterate BilevelInnerSolver::solve(const BilevelIterate& start, double mu, double r,
                                         int outer, std::stop_token stop) const {
    const auto& problem = m_trainer.problem();
    Variables variables(start, m_options, m_box, problem.device);
    const SurrogateFn phi = [this](const std::vector<double>& x) {
        return m_surrogate.valueAndGradient(x);
    };
    InnerBatches batches(problem, m_trainer.options().batchSize,
                         streamSeed(m_runtime.seed, static_cast<uint64_t>(outer)));

    BilevelIterate best = start;
    best.network = models::cloneNetwork(start.network);
    evaluate(best, mu, r);
    double previous = best.augmentedLagrangian;
    const auto started = std::chrono::steady_clock::now();
    auto lastProgress = started;
    int64_t processed = 0;

    for (int step = 1; step <= m_options.innerSteps; ++step) {
        if (stop.stop_requested()) {
            break;
        }
        const auto [ti, vi] = batches.next();
        variables.optimizerW.zero_grad();
        variables.optimizerLambda.zero_grad();
        const auto trainBatch = train::rows(problem.train, ti);
        const auto validationBatch = train::rows(problem.validation, vi);
        const auto terms = augmentedLagrangianStep(
            variables.network, variables.lambda,
            MinibatchPair{trainBatch.inputs, trainBatch.targets, validationBatch.inputs,
                          validationBatch.targets},
            phi, ConstraintSettings{mu, r, m_options.epsilon, m_options.constraint});
        if (!std::isfinite(terms.value)) {
            logBilevel(m_sink, events::LogLevel::Warning,
                       "inner solve of outer iteration " + std::to_string(outer) +
                           " reached a non-finite L_A at step " + std::to_string(step) +
                           "; keeping the best iterate so far");
            break;
        }
        variables.descend(m_options.clip);
        // Both minibatches are processed: each counts towards the epochs (ALGORITHM.md §4).
        m_cost.addSamples(batches.samplesPerStep());
        processed += batches.samplesPerStep();

        if (seconds(lastProgress) >= m_runtime.progressInterval) {
            lastProgress = std::chrono::steady_clock::now();
            emitProgress(outer, step, variables.lambda, terms);
        }
        if ((step % m_runtime.checkEvery == 0 || step == m_options.innerSteps) &&
            checkIterate(variables, mu, r, best, previous)) {
            break;
        }
    }
    best.innerSamples = processed;
    best.innerSteps = static_cast<int>(processed / batches.samplesPerStep());
    best.innerSeconds = seconds(started);
    return best;
}

} // namespace bt::methods
