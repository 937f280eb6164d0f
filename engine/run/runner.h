#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>

#include "engine/config/run_config.h"
#include "engine/core/journal.h"
#include "engine/events/events.h"
#include "engine/models/weight_layers.h"
#include "engine/report/result_json.h"

namespace bt::train {
struct Problem;
class Trainer;
} // namespace bt::train

namespace bt::eval {
class Evaluator;
}

namespace bt::run {

/// A run's data and model, prepared once: the dataset loaded, split, normalised and moved to the
/// device, the network's spec and the λ box. Shared read-only by every method of the run.
struct PreparedRun {
    std::shared_ptr<const train::Problem> problem;
    std::vector<double> lower; ///< λ box
    std::vector<double> upper;
    /// How the network's weights share λ's entries (their names, hyperparameters.groups).
    models::LambdaLayout lambdas;
    /// How a raw sample becomes the network's input (the kept models' sidecar, "input"): the
    /// sample shape, the pixel scaling of image data and the training split's normalisation.
    nlohmann::json input;
    /// Each split's fingerprint, as result.json's "data" holds them (data::SplitFingerprint).
    nlohmann::json data;
    std::string dataDescription;
    std::string device;
};

/// Loads and prepares what `config` describes. Sets LibTorch's thread count when configured.
/// @throws core::InputError for bad data, an unavailable device or an invalid config.
PreparedRun prepareRun(const config::RunConfig& config);

/// Whether the network `config` describes takes its data, as prepareRun checks it before a run:
/// the data are read (relative paths resolved against `dataDir`) and the network gets a batch of
/// two training samples on the CPU. The form runs it before a run is started.
/// @pre validate(config) and config::checkInputFiles(config, dataDir) are empty
/// @throws core::InputError under "model.path" (a TorchScript network whose input or output
///         shape does not fit the data, with both shapes named) or "model.kind" (LeNet-5 on data
///         that are not images), or under the dataset's key for data that cannot be read
void checkNetworkTakesData(const config::RunConfig& config, const std::filesystem::path& dataDir);

/// Whether the network of `config` may not take its data, so that checkNetworkTakesData is worth
/// its cost before a run: a TorchScript network, or LeNet-5 on data whose sample shape only the
/// files tell (csv, numpy). The built-in networks fit any other data by construction.
bool mayNotTakeData(const config::RunConfig& config);

/// The lower-level trainer's options of `config`: every process of a distributed run builds its
/// trainer from these, so that each gives the same training for the same request.
config::TrainingConfig trainerOptions(const config::RunConfig& config);

/// Makes the evaluator that runs a run's lower-level trainings, given the run's trainer (the
/// MPI executor's, for one); an empty factory runs them in this process.
using EvaluatorFactory = std::function<std::unique_ptr<eval::Evaluator>(const train::Trainer&)>;

/// Executes a run on the calling thread (the engine thread): every configured method in order,
/// sending events to `sink`. Ends with exactly one FinishedEvent, whatever happens; a cancelled
/// run returns status "cancelled" with the methods that finished. Deterministic for a seed and a
/// thread count.
/// With a `journal`, every completed unit of work (training, inner solve, refit) is committed
/// before the next starts, and a journal that already holds records resumes the run: the records
/// are replayed (their events emitted again) and the run continues where they end, with the
/// result an uninterrupted run would have had (same seed and thread count).
/// With `makeEvaluator`, the trainings go to the evaluator it makes (bilevel inner solves and
/// refits stay in this process); the result is the same.
/// A journal record that is malformed, does not match the run or lost its checkpoint ends the
/// run as "failed" with a message naming it; nothing in the journal is changed. The journal's
/// first record ("data") holds the data's fingerprints: a resumption over data that changed
/// since throws core::InputError naming the splits, before any event.
/// @throws core::InputError before any event when the config or the data are bad.
report::RunResult executeRun(const config::RunConfig& config, const std::string& runId,
                             events::EventSink& sink, std::stop_token stop,
                             core::Journal* journal = nullptr,
                             const EvaluatorFactory& makeEvaluator = {});

/// A run id: UTC time and a random suffix, e.g. "20261126-194501-3fa2".
std::string newRunId();

} // namespace bt::run
