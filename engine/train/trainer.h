#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include <torch/optim/optimizer.h>
#include <torch/serialize/archive.h>
#include <torch/types.h>

#include "engine/config/run_config.h"
#include "engine/models/network.h"
#include "engine/train/tensor_dataset.h"

namespace bt::train {

/// The data and model one run trains: the three splits already on the run's device.
struct Problem {
    TensorDataset train;
    TensorDataset validation;
    TensorDataset test;
    models::ModelSpec model;
    torch::Device device = torch::kCPU;
    uint64_t initSeed = 0; ///< seed of the fixed initialisation every lower-level training uses
    /// What the three splits hold, in words (report::dataFingerprintText of the run's "data"):
    /// MPI ranks, which each read the data themselves, compare it before they train.
    std::string data;
};

/// The lower level's settings: the run configuration's `training` section (epochs, batch size,
/// optimiser, learning rate and its schedule, momentum, seed). `seed` also seeds the batch
/// order: epoch e uses a permutation drawn from (seed, e) alone, so every λ sees the same
/// batches (a smoother φ) and a training continued from a checkpoint after k epochs equals one
/// run straight through.
using TrainerOptions = config::TrainingConfig;

enum class TrainStatus { Ok, Diverged, Cancelled };

std::string toString(TrainStatus status);

/// Loss and accuracy of one split. Accuracy is absent for regression.
struct SplitMetrics {
    double loss = 0.0;
    std::optional<double> accuracy;
};

/// Full-data metrics of a set of weights at a λ.
struct Evaluation {
    double objective = 0.0; ///< f(w, λ): mean training loss + Σ exp(λ_l)·½‖W_l‖²
    double penalty = 0.0;   ///< the regulariser term of `objective`
    SplitMetrics train;
    SplitMetrics validation;
    SplitMetrics test;
};

/// A network in training together with its optimiser state, so training can be continued
/// (Hyperband promotions) or checkpointed.
struct TrainingState {
    models::Network network{nullptr};
    std::unique_ptr<torch::optim::Optimizer> optimizer;
    std::vector<double> lambda; ///< the λ the optimiser's weight decays encode
    int epochsDone = 0;
    /// The length the learning-rate schedule spans, in epochs: the training's planned length
    /// (training.epochs; Hyperband's R; a warm φ sample's epochs).
    int horizonEpochs = 1;
};

/// Outcome of one (possibly continued) lower-level training.
struct TrainingResult {
    TrainStatus status = TrainStatus::Ok;
    std::string message;   ///< why it diverged or was cancelled
    Evaluation evaluation; ///< only meaningful when status is Ok
    int64_t samplesProcessed = 0;
    double seconds = 0.0;      ///< wall time, evaluation included
    double trainSeconds = 0.0; ///< wall time of the minibatch steps alone
};

/// The lower-level trainer: minibatch SGD with (Nesterov) momentum, or Adam, on
/// f(w, λ) = mean training loss + Σ_l exp(λ_l)·½‖W_l‖², weights only (ALGORITHM.md §1–2), with
/// the learning rate of training.schedule. The penalty enters as per-layer weight decay
/// exp(λ_l) added to the gradient (both optimisers' L2 form), whose gradient exp(λ_l)·W_l is
/// exactly that of the penalty and costs no extra autograd nodes. Not thread-safe: one trainer
/// per thread; the Problem may be shared read-only.
class Trainer {
public:
    Trainer(std::shared_ptr<const Problem> problem, TrainerOptions options);

    const Problem& problem() const { return *m_problem; }
    const TrainerOptions& options() const { return m_options; }

    /// A fresh copy of the fixed, seeded initialisation, on the problem's device.
    models::Network initialNetwork() const;

    /// A training state at λ starting from a copy of `start` with an empty optimiser state,
    /// whose schedule spans `horizonEpochs` (0: options().epochs).
    TrainingState startState(const std::vector<double>& lambda, const models::Network& start,
                             int horizonEpochs = 0) const;

    /// Trains `state` for `epochs` more epochs at its λ. Checks `stop` at every minibatch.
    /// A non-finite loss ends the training with status Diverged. The evaluation on all three
    /// splits is filled only when the training completed.
    TrainingResult train(TrainingState& state, int epochs, std::stop_token stop) const;

    /// Convenience: a full training of options().epochs from the fixed initialisation.
    TrainingResult trainFromInit(const std::vector<double>& lambda, std::stop_token stop,
                                 models::Network* trainedOut = nullptr) const;

    /// Full-data metrics of `network` at λ, under no-grad, in chunks (bounded memory).
    Evaluation evaluate(models::Network& network, const std::vector<double>& lambda) const;
    /// As evaluate, without the test split (left empty): the objective f and validation loss F
    /// that an optimiser compares, at a fraction of the cost when the test split is large.
    Evaluation evaluateObjectives(models::Network& network,
                                  const std::vector<double>& lambda) const;
    /// As evaluateObjectives, with the mean training and validation losses taken on `train`
    /// and `validation` (subsets of the problem's splits, for cheaper comparisons).
    Evaluation evaluateObjectives(models::Network& network, const std::vector<double>& lambda,
                                  const TensorDataset& train,
                                  const TensorDataset& validation) const;

    /// Mean loss (and accuracy for classification) of `network` on one split.
    SplitMetrics evaluateSplit(models::Network& network, const TensorDataset& split) const;

    /// Writes `state` (weights, optimiser state with its momentum buffers, λ, epochs done) to
    /// `path`: a temporary file then a rename, so a crash never leaves a half-written
    /// checkpoint under the final name. Throws core::InputError naming the path on failure.
    void saveCheckpoint(const TrainingState& state, const std::filesystem::path& path) const;

    /// Reads a checkpoint written by saveCheckpoint for this problem's model. Training it on
    /// gives the same weights as never having stopped. Throws core::InputError naming the path
    /// when the file is missing, unreadable, corrupt or of another model.
    TrainingState loadCheckpoint(const std::filesystem::path& path) const;

    /// The same content as a checkpoint, in memory: for shipping a state to another process
    /// (the MPI executor). `what` names the state in the error of deserializeState.
    std::string serializeState(const TrainingState& state) const;
    TrainingState deserializeState(const std::string& bytes, const std::string& what) const;

    /// λ as a 1-D double-precision tensor on the problem's device.
    torch::Tensor lambdaTensor(const std::vector<double>& lambda) const;

private:
    void writeState(const TrainingState& state, torch::serialize::OutputArchive& root) const;
    TrainingState readState(torch::serialize::InputArchive& root, const std::string& what) const;

    std::shared_ptr<const Problem> m_problem;
    TrainerOptions m_options;
    models::Network m_initial{nullptr};
};

/// The permutation of `n` samples used in epoch `epoch` for `seed` (on the CPU).
torch::Tensor epochPermutation(int64_t n, uint64_t seed, int epoch);

} // namespace bt::train
