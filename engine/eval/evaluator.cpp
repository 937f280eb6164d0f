#include "engine/eval/evaluator.h"

namespace bt::eval {

std::vector<EvaluationOutcome>
InProcessEvaluator::evaluate(const std::vector<EvaluationRequest>& requests, std::stop_token stop,
                             const Completion& onCompleted) {
    std::vector<EvaluationOutcome> outcomes;
    outcomes.reserve(requests.size());
    for (std::size_t i = 0; i < requests.size(); ++i) {
        if (stop.stop_requested()) {
            break;
        }
        const auto& request = requests[i];
        EvaluationOutcome outcome;
        outcome.lambda = request.lambda;
        auto state = request.resume;
        int epochs = request.epochs;
        if (!state) {
            state = std::make_shared<train::TrainingState>(
                m_trainer.startState(request.lambda, m_trainer.initialNetwork()));
            epochs = request.epochs > 0 ? request.epochs : m_trainer.options().epochs;
        }
        outcome.result = m_trainer.train(*state, epochs, stop);
        if (outcome.result.status == train::TrainStatus::Cancelled) {
            break;
        }
        if (request.keepWeights) {
            outcome.network = state->network;
        }
        if (request.keepState) {
            outcome.state = std::move(state);
        }
        outcomes.push_back(std::move(outcome));
        if (onCompleted) {
            onCompleted(i, outcomes.back());
        }
    }
    return outcomes;
}

} // namespace bt::eval
