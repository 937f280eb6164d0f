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
};

/// The problems the file system tells about `config`'s data before a run reads it: the engine's
/// config::checkDataFiles (csv files, given folders) and, for image datasets, the files the data
/// layer will read (data::imageDataFiles: its standard location when no path is given), each
/// with a command that fetches what is missing.
/// @pre validate(config) is empty
std::vector<DataProblem> checkData(const config::RunConfig& config,
                                   const std::filesystem::path& dataDir);

/// The network of model.kind torchscript as the form shows it before a run.
struct NetworkCheck {
    /// "2 λ (per-layer scope), 3 free parameters (biases, norm scales):" and a line
    /// "• body.0.weight 16×6" per λ-carrying weight; empty for the built-in networks and for a
    /// file with a problem.
    std::string description;
    /// Under "model.path": why the file is not a usable module (not TorchScript, truncated, no
    /// forward, no parameters, no weight of two or more dimensions).
    std::optional<DataProblem> problem;
};

/// Loads the TorchScript file `config` names (model.path, resolved like the dataset's paths)
/// and lists its parameters, or tells why it cannot be used. Whether the network takes the
/// data is checked when the run starts (it needs the data loaded).
/// @pre checkData(config, dataDir) is empty
NetworkCheck checkNetwork(const config::RunConfig& config, const std::filesystem::path& dataDir);

} // namespace bt::ui
