#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <vector>

#include "engine/models/network.h"
#include "engine/train/trainer.h"

namespace bt::eval {

/// One lower-level training asked of an evaluator: train from the fixed initialisation at λ, or
/// continue a training state (a Hyperband promotion).
struct EvaluationRequest {
    std::vector<double> lambda;
    int epochs = 0;           ///< 0: the trainer's configured epochs (a continuation: exactly)
    bool keepWeights = false; ///< return the trained network (the caller needs it)
    /// With keepWeights: a run journal keeps the weights too (a checkpoint), so that a resumed
    /// run's replay returns them. false: a replayed outcome has no network and the caller does
    /// without (the weights are a convenience, not needed to continue the run exactly).
    bool journalWeights = true;
    /// When set, continue this state (weights, optimiser state, λ and epochs done) for `epochs`
    /// more epochs instead of starting from the fixed initialisation; it is advanced in place,
    /// so training it in several requests equals one training straight through. A distributed
    /// evaluator ships it as a checkpoint (Trainer::saveCheckpoint) and reads it back.
    std::shared_ptr<train::TrainingState> resume{};
    bool keepState = false; ///< return the training state, to continue it in a later request
    /// A new training's schedule length (training.schedule), in epochs; 0: the epochs it trains.
    /// A continued state keeps its own.
    int horizonEpochs = 0;
};

/// What came back: the training's result and, when asked, its weights and state.
struct EvaluationOutcome {
    std::vector<double> lambda;
    train::TrainingResult result;
    models::Network network{nullptr};
    std::shared_ptr<train::TrainingState> state{}; ///< when the request asked keepState
    /// Replayed from a run journal (a resumed run): `result.seconds` were spent by the
    /// interrupted process, not this one.
    bool replayed = false;
};

/// Runs independent lower-level trainings: the initial design, a grid, random draws, a rung.
/// The one seam where a distributed executor (MPI ranks, other machines) plugs in: every
/// evaluation is seeded by what it evaluates, never by when or where it runs, so any order of
/// completion gives the same outcomes.
class Evaluator {
public:
    virtual ~Evaluator() = default;

    /// Called once per completed evaluation on the caller's thread, with its index in the
    /// request; lets the caller emit events and commit to the store before going on. In-process
    /// evaluators and JournalingEvaluator (which every method is given) call it in request
    /// order; a parallel evaluator (MpiEvaluator) calls it as evaluations complete, in any
    /// order, so that a journal commits each one at once.
    using Completion = std::function<void(std::size_t index, const EvaluationOutcome&)>;

    /// Evaluates `requests`; stops early when `stop` is requested: the returned vector holds
    /// the outcomes of the first requests that completed without a gap, in request order (it
    /// is shorter). Never throws for a diverged training: that is a status in the outcome.
    virtual std::vector<EvaluationOutcome> evaluate(const std::vector<EvaluationRequest>& requests,
                                                    std::stop_token stop,
                                                    const Completion& onCompleted) = 0;
};

/// Puts a trained `state` that was computed elsewhere (another process, a journal checkpoint)
/// into `outcome` as `request` asks: a continued state is advanced in place, as a live
/// evaluation in this process advances it; the weights and the state are kept when asked.
void adoptTrainedState(const EvaluationRequest& request, train::TrainingState state,
                       EvaluationOutcome& outcome);

/// Runs one request with `trainer` in this process: from the fixed initialisation, or continuing
/// request.resume in place. Empty when `stop` cancelled the training.
std::optional<EvaluationOutcome>
evaluateOne(const train::Trainer& trainer, const EvaluationRequest& request, std::stop_token stop);

/// Evaluates one request after the other in this process, with the given trainer.
class InProcessEvaluator final : public Evaluator {
public:
    explicit InProcessEvaluator(const train::Trainer& trainer) : m_trainer(trainer) {}

    std::vector<EvaluationOutcome> evaluate(const std::vector<EvaluationRequest>& requests,
                                            std::stop_token stop,
                                            const Completion& onCompleted) override;

private:
    const train::Trainer& m_trainer;
};

} // namespace bt::eval
