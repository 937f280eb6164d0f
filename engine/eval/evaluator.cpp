#include "engine/eval/evaluator.h"

namespace bt::eval {

void adoptTrainedState(const EvaluationRequest& request, train::TrainingState state,
                       EvaluationOutcome& outcome) {
    std::shared_ptr<train::TrainingState> shared;
    if (request.resume) {
        *request.resume = std::move(state);
        shared = request.resume;
    } else {
        shared = std::make_shared<train::TrainingState>(std::move(state));
    }
    if (request.keepWeights) {
        outcome.network = shared->network;
    }
    if (request.keepState) {
        outcome.state = std::move(shared);
    }
}

std::optional<EvaluationOutcome>
evaluateOne(const train::Trainer& trainer, const EvaluationRequest& request, std::stop_token stop) {
    EvaluationOutcome outcome;
    outcome.lambda = request.lambda;
    auto state = request.resume;
    int epochs = request.epochs;
    if (!state) {
        epochs = request.epochs > 0 ? request.epochs : trainer.options().epochs;
        state = std::make_shared<train::TrainingState>(
            trainer.startState(request.lambda, trainer.initialNetwork(),
                               request.horizonEpochs > 0 ? request.horizonEpochs : epochs));
    }
    outcome.result = trainer.train(*state, epochs, stop);
    if (outcome.result.status == train::TrainStatus::Cancelled) {
        return std::nullopt;
    }
    if (request.keepWeights) {
        outcome.network = state->network;
    }
    if (request.keepState) {
        outcome.state = std::move(state);
    }
    return outcome;
}

std::vector<EvaluationOutcome>
InProcessEvaluator::evaluate(const std::vector<EvaluationRequest>& requests, std::stop_token stop,
                             const Completion& onCompleted) {
    std::vector<EvaluationOutcome> outcomes;
    outcomes.reserve(requests.size());
    for (std::size_t i = 0; i < requests.size(); ++i) {
        if (stop.stop_requested()) {
            break;
        }
        auto outcome = evaluateOne(m_trainer, requests[i], stop);
        if (!outcome) {
            break;
        }
        outcomes.push_back(std::move(*outcome));
        if (onCompleted) {
            onCompleted(i, outcomes.back());
        }
    }
    return outcomes;
}

} // namespace bt::eval
