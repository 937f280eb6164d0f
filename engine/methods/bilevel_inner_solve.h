#pragma once

#include <cstdint>
#include <limits>
#include <stop_token>
#include <string>
#include <vector>

#include "engine/config/run_config.h"
#include "engine/events/events.h"
#include "engine/methods/bilevel.h"
#include "engine/methods/cost_meter.h"
#include "engine/methods/design.h"
#include "engine/methods/phi_surrogate.h"
#include "engine/models/network.h"
#include "engine/train/trainer.h"

namespace bt::methods {

/// An iterate of the bilevel inner solve together with its terms at the last check.
struct BilevelIterate {
    models::Network network{nullptr};
    std::vector<double> lambda;
    double augmentedLagrangian = std::numeric_limits<double>::infinity();
    double upper = 0.0;
    double lower = 0.0;
    double phiHat = 0.0;
    int64_t innerSamples = 0; ///< samples the inner solve processed (both minibatches)
    int innerSteps = 0;       ///< steps it took (fewer than the budget when it stopped early)
    double innerSeconds = 0.0;
};

/// What the inner solve's checks read of `split`: the split itself when it has at most `count`
/// examples, else the first `count` of a permutation drawn from `seed` (a fixed subset, the
/// same at every check of a run).
train::TensorDataset checkSubset(const train::TensorDataset& split, int64_t count, uint64_t seed);

/// Sends a log line of the bilevel method to `sink` and the engine logger.
void logBilevel(events::EventSink& sink, events::LogLevel level, const std::string& message);

/// The inner solve of the bilevel method (ALGORITHM.md §3.1): SGD on L_A(·; μ, r) jointly over
/// (w, λ), λ projected on the box after each step, checked every BilevelRuntime::checkEvery
/// steps on at most BilevelRuntime::checkExamples examples of each split. Reads the surrogate as it
/// stands (never refits it), adds the samples it processes to `cost`, and emits InnerProgressEvents
/// to `sink`.
class BilevelInnerSolver {
public:
    BilevelInnerSolver(const train::Trainer& trainer, const Box& box,
                       const config::BilevelConfig& options, const BilevelRuntime& runtime,
                       const PhiSurrogate& surrogate, CostMeter& cost, events::EventSink& sink);

    /// Approximately minimises L_A(·; μ, r) jointly over (w, λ) from `start`, in outer
    /// iteration `outer` (which seeds the minibatch order). Returns the iterate with the lowest
    /// L_A at the checks (`start` included), with the samples and seconds the solve took.
    BilevelIterate solve(const BilevelIterate& start, double mu, double r, int outer,
                         std::stop_token stop) const;

private:
    struct Variables;

    void evaluate(BilevelIterate& it, double mu, double r) const;
    void emitProgress(int outer, int step, const torch::Tensor& lambda,
                      const AugmentedLagrangianTerms& terms) const;
    bool checkIterate(Variables& variables, double mu, double r, BilevelIterate& best,
                      double& previous) const;

    const train::Trainer& m_trainer;
    const Box& m_box;
    const config::BilevelConfig& m_options;
    const BilevelRuntime& m_runtime;
    const PhiSurrogate& m_surrogate;
    CostMeter& m_cost;
    events::EventSink& m_sink;
    train::TensorDataset m_checkTrain;      ///< what the checks read of the training split
    train::TensorDataset m_checkValidation; ///< and of the validation split
};

} // namespace bt::methods
