// The measured speed of a configuration's training here, and the run time it implies.
#include "engine/run/run_speed.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <memory>

#include <torch/torch.h>

#include "engine/methods/run_plan.h"
#include "engine/run/runner.h"
#include "engine/train/trainer.h"

namespace bt::run {

namespace {

constexpr std::int64_t kTimedSamples = 2048;

train::TensorDataset firstSamples(const train::TensorDataset& split, std::int64_t n) {
    const auto count = std::min<std::int64_t>(n, split.inputs.size(0));
    return {split.inputs.slice(0, 0, count), split.targets.slice(0, 0, count)};
}

} // namespace

RunSpeed measureSpeed(const config::RunConfig& config) {
    const auto prepared = prepareRun(config);
    const auto& full = *prepared.problem;
    auto part = std::make_shared<train::Problem>(full);
    part->train = firstSamples(full.train, kTimedSamples);
    part->validation = firstSamples(full.validation, kTimedSamples / 4);
    part->test = firstSamples(full.test, kTimedSamples / 4);
    auto options = trainerOptions(config);
    options.epochs = 1;
    const train::Trainer trainer(part, options);
    const std::int64_t evaluated =
        part->train.inputs.size(0) + part->validation.inputs.size(0) + part->test.inputs.size(0);

    RunSpeed speed;
    speed.trainSecondsPerSample = std::numeric_limits<double>::infinity();
    speed.evalSecondsPerSample = std::numeric_limits<double>::infinity();
    for (int round = 0; round < 2; ++round) {
        auto state = trainer.startState(prepared.lower, trainer.initialNetwork());
        const auto trained = trainer.train(state, 1, {});
        if (trained.samplesProcessed > 0) {
            speed.trainSecondsPerSample =
                std::min(speed.trainSecondsPerSample,
                         trained.trainSeconds / static_cast<double>(trained.samplesProcessed));
        }
        const auto started = std::chrono::steady_clock::now();
        trainer.evaluate(state.network, prepared.lower);
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        speed.evalSecondsPerSample =
            std::min(speed.evalSecondsPerSample, seconds / static_cast<double>(evaluated));
    }
    speed.trainSamples = full.train.inputs.size(0);
    speed.validationSamples = full.validation.inputs.size(0);
    speed.testSamples = full.test.inputs.size(0);
    speed.lambdaDimension = static_cast<int>(prepared.lambdas.names.size());
    return speed;
}

double expectedSeconds(const config::RunConfig& config, const RunSpeed& speed) {
    const double trainEpoch = static_cast<double>(speed.trainSamples) * speed.trainSecondsPerSample;
    const double evaluation =
        static_cast<double>(speed.trainSamples + speed.validationSamples + speed.testSamples) *
        speed.evalSecondsPerSample;
    // A refit trains on training ∪ validation: its epochs are that much longer.
    const double refitEpoch = static_cast<double>(speed.trainSamples + speed.validationSamples) *
                              speed.trainSecondsPerSample;
    const double epochs = static_cast<double>(config.training.epochs);
    double seconds = 0.0;
    for (const auto& plan : methods::planRun(config, speed.lambdaDimension)) {
        seconds += plan.epochs * trainEpoch + static_cast<double>(plan.trainings) * evaluation;
        seconds += epochs * refitEpoch + evaluation;
        seconds += plan.retrainings * (epochs * trainEpoch + evaluation);
    }
    return seconds;
}

} // namespace bt::run
