#include "engine/run/runner.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <optional>
#include <random>

#include <torch/torch.h>

#include "engine/config/config_error.h"
#include "engine/config/data_files.h"
#include "engine/config/run_config_json.h"
#include "engine/config/validate.h"
#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/core/paths.h"
#include "engine/core/splits.h"
#include "engine/data/load_dataset.h"
#include "engine/eval/evaluator.h"
#include "engine/eval/journaling_evaluator.h"
#include "engine/methods/bilevel.h"
#include "engine/methods/metrics_conversion.h"
#include "engine/methods/run_plan.h"
#include "engine/models/network.h"
#include "engine/report/result_json.h"
#include "engine/report/run_result.h"
#include "engine/run/kept_model.h"
#include "engine/run/method_factory.h"
#include "engine/train/device.h"
#include "engine/train/environment.h"
#include "engine/train/tensor_dataset.h"
#include "engine/train/trainer.h"

namespace bt::run {

namespace {

data::SplitPart toSplitPart(const config::SplitSize& size) {
    const auto* range = std::get_if<config::IndexRange>(&size);
    return data::SplitPart{config::splitRows(size),
                           range ? std::optional<std::int64_t>(range->begin) : std::nullopt};
}

// Relative dataset paths are taken relative to the data folder (the per-user one for a run), so
// that shipped example configurations work wherever they are run from; absolute paths are used as
// they are.
data::DatasetSpec toDatasetSpec(const config::DatasetConfig& d,
                                const std::filesystem::path& dataDir) {
    data::DatasetSpec spec;
    spec.kind = std::string(config::toString(*d.kind));
    spec.path = config::resolveDataPath(d.path, dataDir);
    spec.trainPath = config::resolveDataPath(d.trainPath, dataDir);
    spec.validationPath = config::resolveDataPath(d.validationPath, dataDir);
    spec.testPath = config::resolveDataPath(d.testPath, dataDir);
    const auto [train, validation, test] = config::splitSizes(d);
    spec.train = toSplitPart(train);
    spec.validation = toSplitPart(validation);
    spec.test = toSplitPart(test);
    spec.seed = d.seed;
    spec.target = d.target;
    spec.task = d.task;
    spec.standardize = d.standardize;
    return spec;
}

nlohmann::json environmentJson(const train::Environment& env, const PreparedRun& prepared) {
    auto json = train::toJson(env);
    json["device"] = prepared.device;
    json["data"] = prepared.dataDescription;
    return json;
}

/// What the steps of a run share: its configuration and data, the trainer every training goes
/// through, where its events and records go, and its stop.
struct RunScope {
    const config::RunConfig& config;
    const std::string& runId;
    const PreparedRun& prepared;
    const train::Trainer& trainer;
    events::EventSink& sink;
    core::Journal* journal;
    std::stop_token stop;
};

// A training of a method's λ* from the fixed initialisation outside the method's cost (the
// refit, bilevel's retraining), replayed from the journal on resume, else taken from `done` (the
// method's own training at λ*, which training again would repeat) or trained, and committed.
// A completed training's network is kept in the journal's checkpoint folder (kept_model.h) as
// model `which` of the method before its record is committed, so a replayed record has it.
train::TrainingResult trainFromInitOrReplay(const RunScope& run, const train::Trainer& trainer,
                                            const methods::MethodResult& method,
                                            std::string_view which, const std::string& key,
                                            const methods::TrainingAtOptimum* done = nullptr) {
    if (run.journal != nullptr) {
        if (const auto record = run.journal->find(key)) {
            return eval::trainingResultFromJournal(record->data.at("result"), key);
        }
    }
    models::Network network{nullptr};
    auto trained =
        done != nullptr ? done->result : trainer.trainFromInit(method.lambda, run.stop, &network);
    if (done != nullptr) {
        network = done->network;
    }
    if (run.journal == nullptr || trained.status == train::TrainStatus::Cancelled) {
        return trained;
    }
    core::JournalRecord record{
        {{"lambda", method.lambda}, {"result", eval::toJournalJson(trained)}}, ""};
    if (trained.status == train::TrainStatus::Ok && network) {
        const auto folder = run.journal->checkpointFolder();
        const auto config = config::toJson(run.config);
        keepModel(folder, method.method, which, *network,
                  {{"format", "bilevel-tuner model 1"},
                   {"run_id", run.runId},
                   {"method", method.method},
                   {"model", which},
                   {"lambda", method.lambda},
                   {"lambda_names", run.prepared.lambdas.names},
                   {"lambda_weights", run.prepared.lambdas.members},
                   {"input", run.prepared.input},
                   {"metrics", report::toJson(methods::toMetrics(trained.evaluation))},
                   {"model_config", config.at("model")},
                   {"dataset", config.at("dataset")}});
        record.checkpoint = keptModelFile(folder, method.method, which).filename().string();
    }
    run.journal->append(key, record);
    return trained;
}

/// Sends `text` as a LogEvent of `level` to the run's sink and to the engine's log.
void report(const RunScope& run, events::LogLevel level, const std::string& text) {
    run.sink.onEvent(events::LogEvent{level, text});
    core::engineLogger()->info("run {}: {}", run.runId, text);
}

/// The retraining step: bilevel's λ* trained from the fixed initialisation on the training split
/// (ARCHITECTURE.md, result.json "retrained_metrics"), kept as the model "retrained". When the
/// method has that training itself (`own`, at λ* with its weights: under variant select λ* is
/// one of its trainings from the initialisation) its weights are kept as they are: training again
/// would repeat it. Else (the returned iterate's φ sample continued other weights,
/// bilevel.sample_warm_start) it is trained here, outside the method's cost. Fills
/// `result.retrainedMetrics` when the training succeeds; journaled under "<method>/retrain".
/// @return true when a stop cut the retraining short: the run is then cancelled, so that
///         `resume` trains what is missing (a method without it is not a completed one).
bool retrainAtOptimum(const RunScope& run, methods::MethodResult& result,
                      const methods::TrainingAtOptimum* own) {
    const auto retrain = trainFromInitOrReplay(run, run.trainer, result, kKeptRetrained,
                                               result.method + "/retrain", own);
    if (retrain.status == train::TrainStatus::Ok) {
        result.retrainedMetrics = methods::toMetrics(retrain.evaluation);
    }
    report(run,
           retrain.status == train::TrainStatus::Ok ? events::LogLevel::Info
                                                    : events::LogLevel::Warning,
           result.method + ": λ* retrained from the fixed initialisation on the training split " +
               train::toString(retrain.status) +
               (own != nullptr ? " (the method's own training at λ*, kept: not trained again)"
                               : " (not counted in the method's cost)"));
    return retrain.status == train::TrainStatus::Cancelled;
}

/// The refit step, for a fair comparison (ARCHITECTURE.md, result.json "refit_metrics"): the
/// selected λ* trained from the fixed initialisation, with the same trainer options, on
/// training ∪ validation, and evaluated on test (validation is reported as it is, though now
/// seen in training). Fills `result.refitMetrics` when the training succeeds. Its cost is
/// logged, not added to the method's; journaled under "<method>/refit".
/// @return true when a stop cut the refit short (the run is then cancelled, as for the
///         retraining).
bool refitAtOptimum(const RunScope& run, methods::MethodResult& result) {
    const auto started = std::chrono::steady_clock::now();
    const auto& problem = *run.prepared.problem;
    auto combined = std::make_shared<train::Problem>(problem);
    combined->train.inputs = torch::cat({problem.train.inputs, problem.validation.inputs});
    combined->train.targets = torch::cat({problem.train.targets, problem.validation.targets});
    const train::Trainer refitTrainer(combined, trainerOptions(run.config));
    const auto refit =
        trainFromInitOrReplay(run, refitTrainer, result, kKeptRefit, result.method + "/refit");
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const double epochs = static_cast<double>(refit.samplesProcessed) /
                          static_cast<double>(problem.train.inputs.size(0));
    if (refit.status == train::TrainStatus::Ok) {
        result.refitMetrics = methods::toMetrics(refit.evaluation);
    }
    char cost[160];
    std::snprintf(cost, sizeof cost,
                  " (%.1f epochs in training-split units, %.1f s; not counted in the method's "
                  "cost)",
                  epochs, seconds);
    std::string text = result.method + ": refit at λ* on training ∪ validation " +
                       train::toString(refit.status) + cost;
    if (!refit.message.empty()) {
        text += ": " + refit.message;
    }
    report(run,
           refit.status == train::TrainStatus::Diverged ? events::LogLevel::Warning
                                                        : events::LogLevel::Info,
           text);
    return refit.status == train::TrainStatus::Cancelled;
}

/// Logs report::learntNothing's warning for a network whose every training of `result` did no
/// better on the validation split than a constant output: a classifier's largest class share, a
/// regression's training mean.
void warnIfNothingLearnt(const PreparedRun& prepared, const methods::MethodResult& result) {
    const auto validation = prepared.problem->validation.targets.to(torch::kCPU);
    if (validation.numel() == 0) {
        return;
    }
    report::ConstantOutput constant;
    if (validation.scalar_type() == torch::kLong) {
        constant.accuracy = torch::bincount(validation).max().item<double>() /
                            static_cast<double>(validation.numel());
    } else {
        const auto mean = prepared.problem->train.targets.to(torch::kCPU).to(torch::kDouble).mean();
        constant.loss = (validation.to(torch::kDouble) - mean).square().mean().item<double>();
    }
    if (const auto warning = report::learntNothing(result, constant); !warning.empty()) {
        core::engineLogger()->warn("{}", warning);
    }
}

/// One method of the run: built by makeMethod, run with its evaluations journaled under its
/// name (so a resumed run replays what was done and continues), then retrained and refitted at
/// its λ*, and announced by a MethodFinishedEvent.
/// @return its result, and whether a stop cut the retraining or the refit short.
std::pair<methods::MethodResult, bool> runMethod(const RunScope& run, config::Method kind,
                                                 eval::Evaluator& executor) {
    const std::string name(config::toString(kind));
    eval::JournalingEvaluator evaluator(executor, run.trainer, run.journal, name);
    const methods::Box box{run.prepared.lower, run.prepared.upper};
    const auto method =
        makeMethod(kind, {run.trainer, evaluator, box, run.config, run.sink, run.journal});
    auto result = method->run(run.stop);
    warnIfNothingLearnt(run.prepared, result);
    const bool selected = result.status == events::RunStatus::Completed && !result.lambda.empty();
    bool cutShort = false;
    if (selected && kind == config::Method::Bilevel) {
        cutShort = retrainAtOptimum(run, result, method->trainingAtOptimum());
    }
    if (selected && !cutShort) {
        cutShort = refitAtOptimum(run, result);
    }
    run.sink.onEvent(events::MethodFinishedEvent{result.method, result.lambda, result.metrics,
                                                 result.cost, result.status});
    return {std::move(result), cutShort};
}

/// result.json's "data": each split's fingerprint (data::SplitFingerprint) as
/// {"rows": n, "crc32": "8 hex digits"}, under "train", "validation" and "test".
nlohmann::json dataJson(const data::SplitData& split) {
    nlohmann::json out = nlohmann::json::object();
    for (std::size_t s = 0; s < core::kSplitNames.size(); ++s) {
        char crc[16];
        std::snprintf(crc, sizeof crc, "%08x", static_cast<unsigned>(split.fingerprints[s].crc32));
        out[core::kSplitNames[s]] = {{"rows", split.fingerprints[s].rows}, {"crc32", crc}};
    }
    return out;
}

/// A resumed run continues exactly only on the data it began with: its journal keeps their
/// fingerprints (the first time the run is executed) and a resumption compares them.
/// @throws core::InputError under "dataset" naming each split that changed
void requireSameData(core::Journal& journal, const std::string& runId, const nlohmann::json& data) {
    const auto record = journal.find(core::kDataRecordKey);
    if (!record) {
        // A run's first execution, or one begun by a program that kept no fingerprint.
        journal.append(core::kDataRecordKey, {data, {}});
        return;
    }
    std::string changed;
    for (const auto& [split, now] : data.items()) {
        const auto was = record->data.find(split);
        if (was == record->data.end() || *was == now) {
            continue;
        }
        changed += (changed.empty() ? "" : "; ") + split + " split " +
                   report::splitFingerprintText(now) + ", where it began with " +
                   report::splitFingerprintText(*was);
    }
    if (!changed.empty()) {
        throw core::InputError(
            "dataset", "the data differ from those run " + runId + " began with: " + changed +
                           ". Resuming continues its records exactly only on the same rows; "
                           "restore the files it read, or start a new run");
    }
}

/// How a raw sample of `dataset` becomes the network's input, for the kept models' sidecar.
nlohmann::json inputJson(const config::DatasetConfig& dataset, const data::SplitData& split) {
    // Files the user names (csv, numpy) are read as they are; image datasets' pixels are scaled.
    const bool asRead = config::namesItsFiles(*dataset.kind);
    const char* per = split.train.sampleShape.size() == 1 ? "feature" : "channel";
    nlohmann::json input{{"sample_shape", split.train.sampleShape}};
    input["classes"] = split.train.classNames;
    if (!asRead) {
        input["pixel_scale"] = 1.0 / 255.0;
    }
    if (dataset.standardize) {
        input["normalise_per"] = per;
        input["mean"] = split.normalization.mean;
        input["stddev"] = split.normalization.stddev;
    }
    input["rule"] = std::string(asRead ? "x as read" : "x = pixels * pixel_scale") +
                    (dataset.standardize ? std::string("; x = (x - mean) / stddev, per ") + per
                                         : std::string());
    return input;
}

/// The network's spec for `config` on the data of `split`: the input shape the data gives, the
/// outputs and loss its task needs, a TorchScript file resolved against `dataDir`.
/// @throws core::InputError under "model.kind" for LeNet-5 on data that are not images
models::ModelSpec modelSpecFor(const config::RunConfig& config, const data::SplitData& split,
                               const std::filesystem::path& dataDir) {
    models::ModelSpec spec;
    spec.kind = config.model.kind;
    spec.inputShape = models::takesShapedInput(config.model.kind)
                          ? split.train.sampleShape
                          : std::vector<int64_t>{split.train.featureCount()};
    if (spec.kind == config::ModelKind::Lenet5 && spec.inputShape.size() != 3) {
        throw core::InputError("model.kind", "lenet5 needs image data (C×H×W); the dataset has " +
                                                 std::to_string(spec.inputShape.size()) +
                                                 "-dimensional samples");
    }
    spec.hidden.assign(config.model.hidden.begin(), config.model.hidden.end());
    spec.init = config.model.init;
    spec.scriptPath = config::resolveDataPath(config.model.path, dataDir);
    const bool regression = split.train.task == data::Task::Regression;
    spec.outputs = regression ? 1 : split.train.numClasses;
    spec.loss = regression ? models::LossKind::MeanSquaredError : models::LossKind::CrossEntropy;
    return spec;
}

/// The network of `spec`, built and given two training samples (on the CPU), so that a model
/// that cannot take the data fails before the run with the model's key named: a TorchScript file
/// that cannot be loaded, an input shape the network rejects, an output that does not match the
/// classes or targets.
/// @throws core::InputError under "model.path" (torchscript) or "model.kind"
models::Network probeNetwork(const models::ModelSpec& spec, const train::TensorDataset& train) {
    const std::string key =
        spec.kind == config::ModelKind::Torchscript ? "model.path" : "model.kind";
    std::optional<models::Network> network;
    try {
        network.emplace(spec, 0);
    } catch (const std::invalid_argument& e) {
        throw core::InputError(key, e.what());
    }
    if (spec.kind != config::ModelKind::Torchscript) {
        return *network;
    }
    const auto batch = train.inputs.slice(0, 0, std::min<int64_t>(2, train.inputs.size(0)));
    const auto inputShape = c10::str(batch.sizes());
    torch::Tensor output;
    try {
        torch::NoGradGuard noGrad;
        (*network)->eval();
        output = (*network)->forward(batch.to(torch::kCPU));
    } catch (const std::invalid_argument& e) {
        throw core::InputError(key, e.what());
    } catch (const std::exception& e) {
        // LibTorch's errors and TorchScript's (a traceback whose last "RuntimeError: " line says
        // what went wrong): the line that says it.
        const std::string text = dynamic_cast<const c10::Error*>(&e) != nullptr
                                     ? static_cast<const c10::Error&>(e).what_without_backtrace()
                                     : e.what();
        const auto marker = text.rfind("RuntimeError: ");
        std::string reason = marker == std::string::npos ? text : text.substr(marker + 14);
        reason = reason.substr(0, reason.find('\n'));
        throw core::InputError(key, spec.scriptPath.string() +
                                        ": the network does not take the data's input (a batch "
                                        "of shape " +
                                        inputShape + "): " + reason);
    }
    const int64_t n = batch.size(0);
    const bool regression = spec.loss == models::LossKind::MeanSquaredError;
    const bool fits =
        regression ? output.dim() >= 1 && output.numel() == n && output.size(0) == n
                   : output.dim() == 2 && output.size(0) == n && output.size(1) == spec.outputs;
    if (!fits) {
        const std::string expected =
            regression ? "[" + std::to_string(n) + ", 1] (one prediction a sample)"
                       : "[" + std::to_string(n) + ", " + std::to_string(spec.outputs) +
                             "] (one logit per class)";
        throw core::InputError(key, spec.scriptPath.string() + ": for a batch of shape " +
                                        inputShape + " the network returns shape " +
                                        c10::str(output.sizes()) + "; the data needs " + expected);
    }
    return *network;
}

} // namespace

PreparedRun prepareRun(const config::RunConfig& config) {
    auto problems = config::validate(config);
    if (problems.empty()) {
        // Missing data files named by their key, all at once, before anything is read.
        problems = config::checkInputFiles(config, core::dataDir());
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
    // Before the first training on this thread, so that LibTorch's and OpenMP's threads started
    // from it inherit the setting too.
    if (!train::flushDenormals()) {
        core::engineLogger()->debug("this CPU cannot flush denormal floats to zero; trainings at "
                                    "strong regularisation may run slower");
    }
    const auto device = train::resolveDevice(config.training.device);

    const auto split = data::loadDataset(toDatasetSpec(config.dataset, core::dataDir()));
    const bool shaped = models::takesShapedInput(config.model.kind);
    auto problem = std::make_shared<train::Problem>();
    auto upload = [&](const data::Dataset& d) {
        auto t = train::toTensors(d, !shaped);
        return train::TensorDataset{t.inputs.to(device), t.targets.to(device)};
    };
    problem->train = upload(split.train);
    problem->validation = upload(split.validation);
    problem->test = upload(split.test);
    problem->device = device;
    problem->initSeed = config.training.seed;
    const auto fingerprints = dataJson(split);
    problem->data = report::dataFingerprintText(fingerprints);

    auto& spec = problem->model;
    spec = modelSpecFor(config, split, core::dataDir());
    // Fails early, with the model's key named, on a network that cannot take this data.
    const auto probe = probeNetwork(spec, problem->train);

    PreparedRun prepared;
    prepared.problem = problem;
    prepared.dataDescription = split.description;
    prepared.device = device.str();
    prepared.lambdas = models::lambdaLayout(probe->layerNames(), config.hyperparameters);
    spec.lambdaOf = prepared.lambdas.lambdaOf;
    const auto d = prepared.lambdas.names.size();
    prepared.lower.assign(d, config.hyperparameters.lower);
    prepared.upper.assign(d, config.hyperparameters.upper);
    prepared.input = inputJson(config.dataset, split);
    prepared.data = fingerprints;
    return prepared;
}

void checkNetworkTakesData(const config::RunConfig& config, const std::filesystem::path& dataDir) {
    const auto split = data::loadDataset(toDatasetSpec(config.dataset, dataDir));
    const auto spec = modelSpecFor(config, split, dataDir);
    probeNetwork(spec, train::toTensors(split.train, !models::takesShapedInput(config.model.kind)));
}

bool mayNotTakeData(const config::RunConfig& config) {
    return config.model.kind == config::ModelKind::Torchscript ||
           (config.model.kind == config::ModelKind::Lenet5 && config.dataset.kind &&
            config::namesItsFiles(*config.dataset.kind));
}

config::TrainingConfig trainerOptions(const config::RunConfig& config) {
    return config.training;
}

report::RunResult executeRun(const config::RunConfig& config, const std::string& runId,
                             events::EventSink& sink, std::stop_token stop, core::Journal* journal,
                             const EvaluatorFactory& makeEvaluator) {
    const auto prepared = prepareRun(config);
    if (journal != nullptr) {
        requireSameData(*journal, runId, prepared.data);
    }
    const auto log = core::engineLogger();
    log->info("run {}: {} on {}", runId, prepared.dataDescription, prepared.device);
    if (const auto over =
            methods::bilevelOverBudget(config, static_cast<int>(prepared.lambdas.names.size()),
                                       prepared.problem->train.targets.size(0));
        !over.empty()) {
        log->warn("{}", over);
    }

    report::RunResult result;
    result.runId = runId;
    result.config = config::toJson(config);
    result.environment = environmentJson(train::describeEnvironment(), prepared);
    result.data = prepared.data;
    result.lambdaNames = prepared.lambdas.names;
    sink.onEvent(events::RunStartedEvent{prepared.lambdas.names, prepared.lambdas.members,
                                         prepared.dataDescription, prepared.device});

    const train::Trainer trainer(prepared.problem, trainerOptions(config));
    std::unique_ptr<eval::Evaluator> executor;
    if (makeEvaluator) {
        executor = makeEvaluator(trainer);
    } else {
        executor = std::make_unique<eval::InProcessEvaluator>(trainer);
    }
    const RunScope run{config, runId, prepared, trainer, sink, journal, stop};

    result.status = events::RunStatus::Completed;
    try {
        for (const auto kind : config.methods) {
            if (stop.stop_requested()) {
                result.status = events::RunStatus::Cancelled;
                break;
            }
            auto [method, cutShort] = runMethod(run, kind, *executor);
            result.methods.push_back(method);
            if (method.status == events::RunStatus::Cancelled || cutShort) {
                result.status = events::RunStatus::Cancelled;
                break;
            }
            if (method.status == events::RunStatus::Failed) {
                result.status = events::RunStatus::Failed;
                result.message = method.message;
            }
        }
    } catch (const std::exception& e) {
        result.status = events::RunStatus::Failed;
        result.message = e.what();
        log->error("run {} failed: {}", runId, result.message);
    }
    sink.onEvent(events::FinishedEvent{result.status, result.message});
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
