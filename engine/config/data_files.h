#pragma once

#include <filesystem>
#include <vector>

#include "engine/config/config_problem.h"
#include "engine/config/run_config.h"

namespace bt::config {

/// Where a dataset path of a run configuration points: an absolute path as it is, a relative one
/// under `dataDir` (the per-user data folder, so that shipped configurations work from any
/// working folder), an empty one stays empty.
std::filesystem::path resolveDataPath(const std::filesystem::path& path,
                                      const std::filesystem::path& dataDir);

/// The problems of the dataset's paths that the file system tells before any file is read, each
/// naming its key and the resolved file: a csv file (dataset.path, train_path, validation_path,
/// test_path) that does not exist, is a folder or cannot be opened for reading; an image
/// dataset's dataset.path that does not exist or is not a folder. Paths left empty are not
/// checked (an image dataset's standard folder is the data layer's to find). Empty when every
/// given path is usable.
///
/// The rest needs the data itself and is the data layer's (data::loadDataset): files missing
/// inside an image folder, malformed files, and split sizes larger than their pool, each a
/// core::InputError naming the file or the split's key (dataset.train) and the pool's files.
/// @pre validate(config) is empty for the configuration `dataset` belongs to
std::vector<ConfigProblem> checkDataFiles(const DatasetConfig& dataset,
                                          const std::filesystem::path& dataDir);

/// The problems of every file a run configuration names: checkDataFiles, and for model.kind
/// torchscript the module's file (model.path: exists, is a file, can be opened). Whether the
/// file holds a usable module is the model's to tell (models::Network).
/// @pre validate(config) is empty
std::vector<ConfigProblem> checkInputFiles(const RunConfig& config,
                                           const std::filesystem::path& dataDir);

} // namespace bt::config
