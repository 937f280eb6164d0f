#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engine/config/run_config.h"

namespace bt::ui {

/// A dataset the run cannot find, with what fetches it.
struct DataProblem {
    std::string key;     ///< the config key that points at the data ("dataset.path", ...)
    std::string message; ///< what is missing and where it was looked for
    std::string command; ///< a shell command that fetches or makes it; empty when none exists
    /// The ridge task's synthetic files under the data folder's `ridge`, which the form can write
    /// itself (data::writeRidgeCsv, as `command` does).
    bool ridge = false;
};

/// The problems the file system tells about `config`'s data before a run reads it: the engine's
/// config::checkDataFiles (csv files, given folders) and, for image datasets, the files the data
/// layer will read (data::imageDataFiles: its standard location when no path is given), each
/// with a command that fetches what is missing.
/// @pre validate(config) has no problem under `dataset` or `model` (the form checks the data as
///      soon as those sections are right)
std::vector<DataProblem> checkData(const config::RunConfig& config,
                                   const std::filesystem::path& dataDir);

/// The network's λ as the form shows it before a run.
struct NetworkCheck {
    /// "2 λ (per-layer scope), 3 free parameters (biases, norm scales):" and a line per entry
    /// of λ: "• body.0.weight 16×6", or a group's "• backbone: features.0.weight 6×1×5×5,
    /// features.3.weight 16×6×5×5"; empty when there is a problem.
    std::string description;
    /// The entries of λ (the lines of the description); 0 when there is a problem.
    int dimension = 0;
    /// Under "model.path": why the file is not a usable module (not TorchScript, truncated, no
    /// forward, no parameters, no weight of two or more dimensions); under
    /// "hyperparameters.groups...": a pattern that matches nothing, a weight two groups claim.
    std::optional<DataProblem> problem;
};

/// The weights of the network `config` describes (a TorchScript file named by model.path is
/// loaded, resolved like the dataset's paths) and how they share λ (models::lambdaLayout), or
/// why they cannot. Whether the network takes the data is checked when the run starts (it needs
/// the data loaded).
/// @pre checkData(config, dataDir) is empty and validate(config) has no problem under `model` or
///      `hyperparameters`
NetworkCheck checkNetwork(const config::RunConfig& config, const std::filesystem::path& dataDir);

} // namespace bt::ui
