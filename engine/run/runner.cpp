#include "engine/run/runner.h"

#include <chrono>
#include <ctime>
#include <random>

#include <torch/torch.h>

#include "engine/config/config_error.h"
#include "engine/config/data_files.h"
#include "engine/config/run_config_json.h"
#include "engine/config/validate.h"
#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/core/paths.h"
#include "engine/data/load_dataset.h"
#include "engine/eval/evaluator.h"
#include "engine/eval/journaling_evaluator.h"
#include "engine/methods/bayesian_optimization.h"
#include "engine/methods/bilevel.h"
#include "engine/methods/grid_search.h"
#include "engine/methods/hyperband.h"
#include "engine/methods/metrics_conversion.h"
#include "engine/methods/random_search.h"
#include "engine/train/device.h"
#include "engine/train/environment.h"
#include "engine/train/tensor_dataset.h"
#include "engine/train/trainer.h"

namespace bt::run {

namespace {

data::SplitPart toSplitPart(const config::SplitSize& size) {
    if (const auto* count = std::get_if<std::int64_t>(&size)) {
        return data::SplitPart{*count, std::nullopt};
    }
    const auto& range = std::get<config::IndexRange>(size);
    return data::SplitPart{range.end - range.begin, range.begin};
}

// Relative dataset paths are taken relative to the per-user data folder, so that shipped example
// configurations work wherever they are run from; absolute paths are used as they are.
std::filesystem::path resolveDataPath(const std::filesystem::path& path) {
    return config::resolveDataPath(path, core::dataDir());
}

data::DatasetSpec toDatasetSpec(const config::DatasetConfig& d) {
    data::DatasetSpec spec;
    spec.kind = std::string(config::toString(*d.kind));
    spec.path = resolveDataPath(d.path);
    spec.trainPath = resolveDataPath(d.trainPath);
    spec.validationPath = resolveDataPath(d.validationPath);
    spec.testPath = resolveDataPath(d.testPath);
    spec.train = toSplitPart(d.train);
    spec.validation = toSplitPart(d.validation);
    spec.test = toSplitPart(d.test);
    spec.seed = d.seed;
    spec.target = d.target;
    spec.task = d.task;
    spec.standardize = d.standardize;
    return spec;
}

nlohmann::json environmentJson(const train::Environment& env, const PreparedRun& prepared) {
    return {{"app_version", env.appVersion},     {"torch_version", env.torchVersion},
            {"blas_compiled", env.compiledBlas}, {"blas_loaded", env.loadedBlas},
            {"openblas", env.openBlas},          {"threads", env.threads},
            {"cuda_devices", env.cudaDevices},   {"cpu", env.cpu},
            {"cpu_cores", env.cpuCores},         {"os", env.os},
            {"device", prepared.device},         {"data", prepared.dataDescription}};
}

// A training of a method's λ* from the fixed initialisation outside the method's cost (the
// refit, bilevel's retraining), replayed from the journal on resume, else trained and committed.
train::TrainingResult trainFromInitOrReplay(const train::Trainer& trainer,
                                            const std::vector<double>& lambda,
                                            eval::Journal* journal, const std::string& key,
                                            std::stop_token stop) {
    if (journal != nullptr) {
        if (const auto record = journal->find(key)) {
            return eval::trainingResultFromJournal(record->data.at("result"), key);
        }
    }
    auto refit = trainer.trainFromInit(lambda, stop);
    if (journal != nullptr && refit.status != train::TrainStatus::Cancelled) {
        journal->append(key, {{{"lambda", lambda}, {"result", eval::toJournalJson(refit)}}, ""});
    }
    return refit;
}

} // namespace

PreparedRun prepareRun(const config::RunConfig& config) {
    auto problems = config::validate(config);
    if (problems.empty()) {
        // Missing data files named by their key, all at once, before anything is read.
        problems = config::checkDataFiles(config.dataset, core::dataDir());
    }
    if (!problems.empty()) {
        throw config::ConfigError("run configuration", problems);
    }
    if (config.training.threads > 0) {
        torch::set_num_threads(config.training.threads);
    }
    // BLAS gets no more threads than LibTorch: OpenBLAS's own pool, one thread per core, made
    // single-thread runs on a busy machine 2-3 times slower (bench/compare measured it).
    train::limitBlasThreads(torch::get_num_threads());
    const auto device = train::resolveDevice(config.training.device);

    const auto split = data::loadDataset(toDatasetSpec(config.dataset));
    const bool images = config.model.kind == config::ModelKind::Lenet5;
    auto problem = std::make_shared<train::Problem>();
    auto upload = [&](const data::Dataset& d) {
        auto t = train::toTensors(d, !images);
        return train::TensorDataset{t.inputs.to(device), t.targets.to(device)};
    };
    problem->train = upload(split.train);
    problem->validation = upload(split.validation);
    problem->test = upload(split.test);
    problem->device = device;
    problem->initSeed = config.training.seed;

    auto& spec = problem->model;
    spec.kind = config.model.kind;
    spec.inputShape =
        images ? split.train.sampleShape : std::vector<int64_t>{split.train.featureCount()};
    if (images && spec.inputShape.size() != 3) {
        throw core::InputError("model.kind", "lenet5 needs image data (C×H×W); the dataset has " +
                                                 std::to_string(spec.inputShape.size()) +
                                                 "-dimensional samples");
    }
    spec.hidden.assign(config.model.hidden.begin(), config.model.hidden.end());
    const bool regression = split.train.task == data::Task::Regression;
    spec.outputs = regression ? 1 : split.train.numClasses;
    spec.loss = regression ? models::LossKind::MeanSquaredError : models::LossKind::CrossEntropy;
    if (images) {
        // Fails early, with the model key named, on a size LeNet-5 cannot take.
        try {
            models::Network probe(spec, 0);
        } catch (const std::invalid_argument& e) {
            throw core::InputError("model.kind", e.what());
        }
    }

    PreparedRun prepared;
    prepared.problem = problem;
    prepared.dataDescription = split.description;
    prepared.device = device.str();
    const bool shared = config.hyperparameters.scope == config::LambdaScope::Shared;
    const int d = shared ? 1 : models::weightLayerCount(spec);
    prepared.lower.assign(static_cast<std::size_t>(d), config.hyperparameters.lower);
    prepared.upper.assign(static_cast<std::size_t>(d), config.hyperparameters.upper);
    if (shared) {
        prepared.lambdaNames = {"shared"};
    } else {
        prepared.lambdaNames = models::Network(spec, 0)->layerNames();
    }
    return prepared;
}

config::TrainingConfig trainerOptions(const config::RunConfig& config) {
    return config.training;
}

report::RunResult executeRun(const config::RunConfig& config, const std::string& runId,
                             events::EventSink& sink, std::stop_token stop, eval::Journal* journal,
                             const EvaluatorFactory& makeEvaluator) {
    const auto prepared = prepareRun(config);
    const auto log = core::engineLogger();
    log->info("run {}: {} on {}", runId, prepared.dataDescription, prepared.device);

    report::RunResult result;
    result.runId = runId;
    result.config = config::toJson(config);
    result.environment = environmentJson(train::describeEnvironment(), prepared);

    const auto options = trainerOptions(config);
    const train::Trainer trainer(prepared.problem, options);
    std::unique_ptr<eval::Evaluator> executor;
    if (makeEvaluator) {
        executor = makeEvaluator(trainer);
    } else {
        executor = std::make_unique<eval::InProcessEvaluator>(trainer);
    }
    const methods::Box box{prepared.lower, prepared.upper};

    std::string status = "completed";
    std::string message;
    try {
        for (const auto method : config.methods) {
            if (stop.stop_requested()) {
                status = "cancelled";
                break;
            }
            methods::MethodResult methodResult;
            // Every method's evaluations are journaled under its name, so a resumed run
            // replays what was done and continues.
            const std::string methodName(config::toString(method));
            eval::JournalingEvaluator evaluator(*executor, trainer, journal, methodName);
            switch (method) {
            case config::Method::Bilevel: {
                methods::BilevelMethod bilevel(trainer, evaluator, box, config.bilevel,
                                               {.seed = config.training.seed}, sink, journal);
                methodResult = bilevel.run(stop);
                break;
            }
            case config::Method::Grid: {
                methods::GridSearch grid(trainer, evaluator, box, {config.grid.pointsPerDim}, sink);
                methodResult = grid.run(stop);
                break;
            }
            case config::Method::Random: {
                methods::RandomSearch random(trainer, evaluator, box,
                                             {config.random.trials, config.training.seed}, sink);
                methodResult = random.run(stop);
                break;
            }
            case config::Method::Bayesian: {
                methods::BayesianOptions o;
                o.trials = config.bayesian.trials;
                o.initial = config.bayesian.initial;
                o.seed = config.training.seed;
                methods::BayesianOptimization bayesian(trainer, evaluator, box, o, sink);
                methodResult = bayesian.run(stop);
                break;
            }
            case config::Method::Hyperband: {
                methods::HyperbandOptions o;
                o.maxEpochs = config.hyperband.maxEpochs;
                o.eta = config.hyperband.eta;
                o.seed = config.training.seed;
                methods::Hyperband hyperband(trainer, evaluator, box, o, sink);
                methodResult = hyperband.run(stop);
                break;
            }
            }
            // Bilevel's λ* trained from the fixed initialisation on the training split
            // (ARCHITECTURE.md, result.json "retrained_metrics"), where its own φ sample at λ*
            // continued other weights (bilevel.sample_warm_start) and so is not that training.
            // A stop during the retraining or the refit cancels the run, so that `resume`
            // trains what is missing; a method without them is not a completed one.
            bool cutShort = false;
            if (methodName == "bilevel" && methodResult.status == "completed" &&
                !methodResult.lambda.empty() && !methodResult.retrainedMetrics) {
                const auto retrain = trainFromInitOrReplay(trainer, methodResult.lambda, journal,
                                                           methodName + "/retrain", stop);
                if (retrain.status == train::TrainStatus::Ok) {
                    methodResult.retrainedMetrics = methods::toMetrics(retrain.evaluation);
                }
                cutShort = retrain.status == train::TrainStatus::Cancelled;
                std::string text = methodResult.method +
                                   ": λ* retrained from the fixed initialisation on the training "
                                   "split " +
                                   train::toString(retrain.status) +
                                   " (not counted in the method's cost)";
                sink.onEvent(events::LogEvent{retrain.status == train::TrainStatus::Ok
                                                  ? events::LogLevel::Info
                                                  : events::LogLevel::Warning,
                                              text});
                log->info("run {}: {}", runId, text);
            }
            // Refit for a fair comparison (ARCHITECTURE.md, result.json "refit_metrics"): the
            // selected λ retrained from the fixed initialisation, with the same trainer options,
            // on training ∪ validation, and evaluated on test (validation is reported as it is,
            // though now seen in training). Its cost is logged, not added to the method's.
            if (!cutShort && methodResult.status == "completed" && !methodResult.lambda.empty()) {
                const auto refitStarted = std::chrono::steady_clock::now();
                auto combined = std::make_shared<train::Problem>(*prepared.problem);
                combined->train.inputs = torch::cat(
                    {prepared.problem->train.inputs, prepared.problem->validation.inputs});
                combined->train.targets = torch::cat(
                    {prepared.problem->train.targets, prepared.problem->validation.targets});
                const train::Trainer refitTrainer(combined, options);
                const auto refit = trainFromInitOrReplay(refitTrainer, methodResult.lambda, journal,
                                                         methodName + "/refit", stop);
                const double refitSeconds =
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - refitStarted)
                        .count();
                const double refitEpochs =
                    static_cast<double>(refit.samplesProcessed) /
                    static_cast<double>(prepared.problem->train.inputs.size(0));
                if (refit.status == train::TrainStatus::Ok) {
                    methodResult.refitMetrics = methods::toMetrics(refit.evaluation);
                }
                cutShort = refit.status == train::TrainStatus::Cancelled;
                const auto level = refit.status == train::TrainStatus::Diverged
                                       ? events::LogLevel::Warning
                                       : events::LogLevel::Info;
                char cost[160];
                std::snprintf(cost, sizeof cost,
                              " (%.1f epochs in training-split units, %.1f s; not counted in the "
                              "method's cost)",
                              refitEpochs, refitSeconds);
                std::string text = methodResult.method + ": refit at λ* on training ∪ validation " +
                                   train::toString(refit.status) + cost;
                if (!refit.message.empty()) {
                    text += ": " + refit.message;
                }
                sink.onEvent(events::LogEvent{level, text});
                log->info("run {}: {}", runId, text);
            }
            sink.onEvent(events::MethodFinishedEvent{methodResult.method, methodResult.lambda,
                                                     methodResult.metrics, methodResult.cost});
            result.methods.push_back(methodResult);
            if (methodResult.status == "cancelled" || cutShort) {
                status = "cancelled";
                break;
            }
            if (methodResult.status == "failed") {
                status = "failed";
                message = methodResult.message;
            }
        }
    } catch (const std::exception& e) {
        status = "failed";
        message = e.what();
        log->error("run {} failed: {}", runId, message);
    }
    result.status = status;
    result.message = message;
    sink.onEvent(events::FinishedEvent{status, message});
    return result;
}

std::string newRunId() {
    const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc{};
    gmtime_r(&now, &utc);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &utc);
    std::random_device random;
    char suffix[8];
    std::snprintf(suffix, sizeof suffix, "%04x", random() & 0xffffu);
    return std::string(stamp) + "-" + suffix;
}

} // namespace bt::run
