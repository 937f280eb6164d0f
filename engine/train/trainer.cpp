#include "engine/train/trainer.h"

#include <chrono>
#include <cmath>
#include <optional>
#include <sstream>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "engine/core/atomic_file.h"
#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/events/events.h"
#include "engine/train/schedule.h"

namespace bt::train {

namespace {

// Samples per forward pass of a full-data evaluation. Measured on fmnist-lenet5 (bilevel, five
// one-epoch design trainings and one outer iteration, two runs side by side): 20 s with 256,
// 104 s with 1,024, 126 s with 8,192, most of it system time; a forward pass over a large
// chunk allocates large temporaries afresh each time
// (docs/measurements/2026-12-04-evaluation-chunk.md).
constexpr int64_t kEvaluationChunk = 256;

// SplitMix64: decorrelates (seed, epoch) pairs before they seed a generator.
uint64_t mixSeed(uint64_t seed, uint64_t stream) {
    uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (stream + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

double seconds(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

} // namespace

std::string toString(TrainStatus status) {
    switch (status) {
    case TrainStatus::Ok:
        return events::sample_status::kOk;
    case TrainStatus::Diverged:
        return events::sample_status::kDiverged;
    case TrainStatus::Cancelled:
        return events::sample_status::kCancelled;
    }
    return "unknown";
}

torch::Tensor epochPermutation(int64_t n, uint64_t seed, int epoch) {
    auto generator = at::detail::createCPUGenerator(mixSeed(seed, static_cast<uint64_t>(epoch)));
    return torch::randperm(n, generator, torch::TensorOptions().dtype(torch::kLong));
}

Trainer::Trainer(std::shared_ptr<const Problem> problem, TrainerOptions options)
    : m_problem(std::move(problem)), m_options(options) {
    m_initial = models::Network(m_problem->model, m_problem->initSeed);
    m_initial->to(m_problem->device);
}

models::Network Trainer::initialNetwork() const {
    return models::cloneNetwork(m_initial);
}

torch::Tensor Trainer::lambdaTensor(const std::vector<double>& lambda) const {
    return torch::tensor(lambda, torch::TensorOptions().dtype(torch::kDouble))
        .to(m_problem->device);
}

namespace {

/// The optimiser options of one parameter group: weight decay exp(λ_l) for a weight layer,
/// none (nullopt) for the biases.
std::unique_ptr<torch::optim::OptimizerOptions> groupOptions(const TrainerOptions& o,
                                                             std::optional<double> decay) {
    if (o.optimizer == config::OptimizerKind::Adam) {
        auto options = std::make_unique<torch::optim::AdamOptions>(o.learningRate);
        options->weight_decay(decay.value_or(0.0));
        return options;
    }
    auto options = std::make_unique<torch::optim::SGDOptions>(o.learningRate);
    options->momentum(o.momentum).nesterov(o.nesterov && o.momentum > 0.0);
    if (decay) {
        options->weight_decay(*decay);
    }
    return options;
}

} // namespace

TrainingState Trainer::startState(const std::vector<double>& lambda, const models::Network& start,
                                  int horizonEpochs) const {
    TrainingState state;
    state.network = models::cloneNetwork(start);
    state.lambda = lambda;
    state.horizonEpochs = horizonEpochs > 0 ? horizonEpochs : m_options.epochs;
    const auto& weights = state.network->weights();
    const auto& lambdaOf = state.network->spec().lambdaOf;
    // One parameter group per weight layer with weight decay exp(λ) of its entry; biases
    // undecayed.
    std::vector<torch::optim::OptimizerParamGroup> groups;
    for (std::size_t l = 0; l < weights.size(); ++l) {
        const auto entry = models::lambdaEntryOf(lambdaOf, l, lambda.size());
        groups.emplace_back(std::vector<torch::Tensor>{weights[l]},
                            groupOptions(m_options, std::exp(lambda[entry])));
    }
    groups.emplace_back(state.network->biases(), groupOptions(m_options, std::nullopt));
    if (m_options.optimizer == config::OptimizerKind::Adam) {
        state.optimizer = std::make_unique<torch::optim::Adam>(
            std::move(groups), torch::optim::AdamOptions(m_options.learningRate));
    } else {
        state.optimizer = std::make_unique<torch::optim::SGD>(
            std::move(groups), torch::optim::SGDOptions(m_options.learningRate));
    }
    return state;
}

TrainingResult Trainer::train(TrainingState& state, int epochs, std::stop_token stop) const {
    const auto started = std::chrono::steady_clock::now();
    TrainingResult result;
    const auto& data = m_problem->train;
    const int64_t n = data.inputs.size(0);
    const int64_t batch = std::min<int64_t>(m_options.batchSize, n);
    const int64_t stepsPerEpoch = (n + batch - 1) / batch;
    const bool scheduled =
        m_options.schedule != config::LrSchedule::Constant || m_options.warmupEpochs > 0;
    auto& network = state.network;
    network->train();
    for (int e = 0; e < epochs; ++e) {
        const auto order =
            epochPermutation(n, m_options.seed, state.epochsDone).to(m_problem->device);
        for (int64_t begin = 0; begin < n; begin += batch) {
            if (stop.stop_requested()) {
                result.status = TrainStatus::Cancelled;
                result.message = "cancelled";
                result.seconds = seconds(started);
                return result;
            }
            const auto index = order.slice(0, begin, std::min(begin + batch, n));
            const auto [inputs, targets] = rows(data, index);
            if (scheduled) {
                const double lr =
                    m_options.learningRate *
                    learningRateFactor(m_options, state.horizonEpochs, stepsPerEpoch,
                                       state.epochsDone * stepsPerEpoch + begin / batch);
                for (auto& group : state.optimizer->param_groups()) {
                    group.options().set_lr(lr);
                }
            }
            state.optimizer->zero_grad();
            auto loss = models::meanLoss(m_problem->model.loss, network->forward(inputs), targets);
            const double value = loss.item<double>();
            if (!std::isfinite(value)) {
                result.status = TrainStatus::Diverged;
                result.message = "training loss became " + std::to_string(value) + " in epoch " +
                                 std::to_string(state.epochsDone + 1) + " at sample " +
                                 std::to_string(begin);
                result.samplesProcessed += index.size(0);
                result.seconds = seconds(started);
                core::engineLogger()->debug("training diverged: {}", result.message);
                return result;
            }
            loss.backward();
            state.optimizer->step();
            result.samplesProcessed += index.size(0);
        }
        ++state.epochsDone;
    }
    result.trainSeconds = seconds(started);
    result.evaluation = evaluate(network, state.lambda);
    if (!std::isfinite(result.evaluation.objective)) {
        result.status = TrainStatus::Diverged;
        result.message = "the trained weights give a non-finite objective";
    }
    result.seconds = seconds(started);
    return result;
}

TrainingResult Trainer::trainFromInit(const std::vector<double>& lambda, std::stop_token stop,
                                      models::Network* trainedOut) const {
    auto state = startState(lambda, m_initial);
    auto result = train(state, m_options.epochs, stop);
    if (trainedOut != nullptr) {
        *trainedOut = state.network;
    }
    return result;
}

SplitMetrics Trainer::evaluateSplit(models::Network& network, const TensorDataset& split) const {
    // The guard is created here, on the evaluating thread: grad mode is thread-local.
    torch::NoGradGuard noGrad;
    network->eval();
    const int64_t n = split.inputs.size(0);
    SplitMetrics metrics;
    if (n == 0) {
        return metrics;
    }
    const bool classification = m_problem->model.loss == models::LossKind::CrossEntropy;
    double lossSum = 0.0;
    int64_t correct = 0;
    for (int64_t begin = 0; begin < n; begin += kEvaluationChunk) {
        const auto end = std::min(begin + kEvaluationChunk, n);
        const auto inputs = split.inputs.slice(0, begin, end);
        const auto targets = split.targets.slice(0, begin, end);
        const auto output = network->forward(inputs);
        lossSum += models::meanLoss(m_problem->model.loss, output, targets).item<double>() *
                   static_cast<double>(end - begin);
        if (classification) {
            correct += output.argmax(1).eq(targets).sum().item<int64_t>();
        }
    }
    network->train();
    metrics.loss = lossSum / static_cast<double>(n);
    if (classification) {
        metrics.accuracy = static_cast<double>(correct) / static_cast<double>(n);
    }
    return metrics;
}

void Trainer::writeState(const TrainingState& state, torch::serialize::OutputArchive& root) const {
    torch::serialize::OutputArchive network;
    state.network->save(network);
    root.write("network", network);
    torch::serialize::OutputArchive optimizer;
    state.optimizer->save(optimizer);
    root.write("optimizer", optimizer);
    root.write("lambda", torch::tensor(state.lambda, torch::kDouble));
    root.write("epochs", torch::tensor(static_cast<int64_t>(state.epochsDone)));
    root.write("horizon_epochs", torch::tensor(static_cast<int64_t>(state.horizonEpochs)));
}

TrainingState Trainer::readState(torch::serialize::InputArchive& root,
                                 const std::string& what) const {
    torch::Tensor lambda;
    torch::Tensor epochs;
    root.read("lambda", lambda);
    root.read("epochs", epochs);
    const auto cpu = lambda.to(torch::kCPU, torch::kDouble).contiguous();
    std::vector<double> values(cpu.data_ptr<double>(), cpu.data_ptr<double>() + cpu.numel());
    // Checkpoints written before the schedule existed have no horizon: the configured epochs.
    torch::Tensor horizon;
    const int horizonEpochs =
        root.try_read("horizon_epochs", horizon) ? static_cast<int>(horizon.item<int64_t>()) : 0;
    auto state = startState(values, m_initial, horizonEpochs);
    torch::serialize::InputArchive network;
    root.read("network", network);
    state.network->load(network);
    // Module::load takes tensors of any shape: check them against this problem's model.
    const auto loaded = state.network->parameters();
    const auto expected = m_initial->parameters();
    for (std::size_t i = 0; i < expected.size(); ++i) {
        if (i >= loaded.size() || loaded[i].sizes() != expected[i].sizes()) {
            throw core::InputError(what, "checkpoint of another model: parameter " +
                                             std::to_string(i) + " has shape " +
                                             c10::str(loaded[i].sizes()) + ", expected " +
                                             c10::str(expected[i].sizes()));
        }
    }
    torch::serialize::InputArchive optimizer;
    root.read("optimizer", optimizer);
    state.optimizer->load(optimizer);
    state.epochsDone = static_cast<int>(epochs.item<int64_t>());
    return state;
}

void Trainer::saveCheckpoint(const TrainingState& state, const std::filesystem::path& path) const {
    // Serialised in memory, then written by the atomic writer: LibTorch's own file writer, on a
    // full disk, throws again from its destructor while the first error unwinds (std::terminate).
    core::writeTextAtomically(path, "the checkpoint", serializeState(state));
}

TrainingState Trainer::loadCheckpoint(const std::filesystem::path& path) const {
    if (!std::filesystem::is_regular_file(path)) {
        throw core::InputError(path.string(), "checkpoint file is missing");
    }
    try {
        torch::serialize::InputArchive root;
        root.load_from(path.string(), m_problem->device);
        return readState(root, path.string());
    } catch (const c10::Error& e) {
        throw core::InputError(path.string(), std::string("corrupt checkpoint or one of another "
                                                          "model: ") +
                                                  e.what_without_backtrace());
    }
}

std::string Trainer::serializeState(const TrainingState& state) const {
    torch::serialize::OutputArchive root;
    writeState(state, root);
    std::ostringstream bytes;
    root.save_to(bytes);
    return std::move(bytes).str();
}

TrainingState Trainer::deserializeState(const std::string& bytes, const std::string& what) const {
    try {
        torch::serialize::InputArchive root;
        root.load_from(bytes.data(), bytes.size(), m_problem->device);
        return readState(root, what);
    } catch (const c10::Error& e) {
        throw core::InputError(what, std::string("corrupt training state or one of another "
                                                 "model: ") +
                                         e.what_without_backtrace());
    }
}

Evaluation Trainer::evaluate(models::Network& network, const std::vector<double>& lambda) const {
    Evaluation evaluation = evaluateObjectives(network, lambda);
    evaluation.test = evaluateSplit(network, m_problem->test);
    return evaluation;
}

Evaluation Trainer::evaluateObjectives(models::Network& network,
                                       const std::vector<double>& lambda) const {
    return evaluateObjectives(network, lambda, m_problem->train, m_problem->validation);
}

Evaluation Trainer::evaluateObjectives(models::Network& network, const std::vector<double>& lambda,
                                       const TensorDataset& train,
                                       const TensorDataset& validation) const {
    Evaluation evaluation;
    evaluation.train = evaluateSplit(network, train);
    evaluation.validation = evaluateSplit(network, validation);
    {
        torch::NoGradGuard noGrad;
        std::vector<torch::Tensor> weights;
        for (const auto& w : network->weights()) {
            weights.push_back(w.to(torch::kDouble));
        }
        evaluation.penalty =
            models::l2Penalty(weights, lambdaTensor(lambda), network->spec().lambdaOf)
                .item<double>();
    }
    evaluation.objective = evaluation.train.loss + evaluation.penalty;
    return evaluation;
}

} // namespace bt::train
