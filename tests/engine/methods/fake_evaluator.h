#pragma once

// Test doubles for the baselines: a tiny real problem (its trainer supplies the training-set
// size that converts samples to epochs) and an evaluator whose "training" is an analytic loss of
// λ and the epochs trained, so that selection, promotion and cost rules can be checked exactly.

#include <cmath>
#include <functional>
#include <memory>
#include <stop_token>
#include <vector>

#include <torch/torch.h>

#include "engine/eval/evaluator.h"
#include "engine/events/events.h"
#include "engine/train/trainer.h"

namespace bt::testing {

/// A regression problem of `n` training samples with `features` inputs: y = Σ x_j + noise.
/// `hidden` > 0 makes a one-hidden-layer MLP (two weight layers: λ of dimension 2 per layer).
inline std::shared_ptr<train::Problem> tinyProblem(int64_t n = 20, int64_t features = 3,
                                                   int64_t hidden = 0, uint64_t seed = 7) {
    auto problem = std::make_shared<train::Problem>();
    torch::manual_seed(seed);
    auto split = [&](int64_t rows) {
        auto x = torch::randn({rows, features});
        auto y = x.sum(1) + 0.3 * torch::randn({rows});
        return train::TensorDataset{x, y};
    };
    problem->train = split(n);
    problem->validation = split(n);
    problem->test = split(2 * n);
    problem->model.kind = hidden > 0 ? models::ModelKind::Mlp : models::ModelKind::Linear;
    problem->model.inputShape = {features};
    problem->model.hidden = hidden > 0 ? std::vector<int64_t>{hidden} : std::vector<int64_t>{};
    problem->model.outputs = 1;
    problem->model.loss = models::LossKind::MeanSquaredError;
    problem->initSeed = seed;
    return problem;
}

/// An evaluator whose training at λ for e epochs in total "reaches" loss(λ, e): validation loss
/// loss, test loss loss + 1, objective loss; a non-finite loss is a diverged training. Samples
/// processed are epochs × training size, as with the real trainer. Continuations (requests
/// with a state) add to the state's epochs, like Trainer::train.
class FakeEvaluator final : public eval::Evaluator {
public:
    using Loss = std::function<double(const std::vector<double>& lambda, int epochsDone)>;

    FakeEvaluator(int64_t trainingSize, int defaultEpochs, Loss loss)
        : m_trainingSize(trainingSize), m_defaultEpochs(defaultEpochs), m_loss(std::move(loss)) {}

    /// Requests a stop from `source` once `count` evaluations have completed.
    void stopAfter(std::stop_source* source, int count) {
        m_stopSource = source;
        m_stopAfter = count;
    }

    std::vector<eval::EvaluationOutcome>
    evaluate(const std::vector<eval::EvaluationRequest>& requests, std::stop_token stop,
             const Completion& onCompleted) override {
        std::vector<eval::EvaluationOutcome> outcomes;
        for (std::size_t i = 0; i < requests.size(); ++i) {
            if (stop.stop_requested()) {
                break;
            }
            const auto& request = requests[i];
            auto state = request.resume;
            int epochs = request.epochs;
            if (!state) {
                state = std::make_shared<train::TrainingState>();
                state->lambda = request.lambda;
                epochs = request.epochs > 0 ? request.epochs : m_defaultEpochs;
                ++fromScratch;
            } else {
                ++continued;
            }
            state->epochsDone += epochs;
            eval::EvaluationOutcome outcome;
            outcome.lambda = request.lambda;
            outcome.result.samplesProcessed = epochs * m_trainingSize;
            const double loss = m_loss(state->lambda, state->epochsDone);
            if (std::isfinite(loss)) {
                outcome.result.evaluation.objective = loss;
                outcome.result.evaluation.validation.loss = loss;
                outcome.result.evaluation.test.loss = loss + 1.0;
            } else {
                outcome.result.status = train::TrainStatus::Diverged;
                outcome.result.message = "fake divergence";
            }
            if (request.keepState) {
                outcome.state = state;
            }
            outcomes.push_back(std::move(outcome));
            ++completed;
            if (onCompleted) {
                onCompleted(i, outcomes.back());
            }
            if (m_stopSource != nullptr && completed >= m_stopAfter) {
                m_stopSource->request_stop();
            }
        }
        return outcomes;
    }

    int completed = 0;
    int fromScratch = 0;
    int continued = 0;

private:
    int64_t m_trainingSize;
    int m_defaultEpochs;
    Loss m_loss;
    std::stop_source* m_stopSource = nullptr;
    int m_stopAfter = 0;
};

/// Records every event of a run.
class RecordingSink final : public events::EventSink {
public:
    void onEvent(const events::Event& event) override { events.push_back(event); }

    template <class T>
    std::vector<T> all() const {
        std::vector<T> out;
        for (const auto& e : events) {
            if (const auto* t = std::get_if<T>(&e)) {
                out.push_back(*t);
            }
        }
        return out;
    }

    std::vector<events::Event> events;
};

} // namespace bt::testing
