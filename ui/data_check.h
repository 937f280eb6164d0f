#pragma once

#include <filesystem>
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

} // namespace bt::ui
