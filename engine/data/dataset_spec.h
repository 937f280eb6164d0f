#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "engine/data/dataset.h"

namespace bt::data {

/// How one split is taken from its pool (the file or files it comes from).
///
/// - Without `begin`: `count` samples drawn at random (by DatasetSpec::seed) from the rows of the
///   pool that no explicit range claims; count -1 means "all that remain" after the pool's other
///   splits. At most one split per pool may ask for the rest.
/// - With `begin`: exactly the rows [begin, begin + count) of the pool, in file order; count -1
///   means up to the end of the pool. Ranges of one pool may not overlap.
struct SplitPart {
    std::int64_t count = -1;
    std::optional<std::int64_t> begin = std::nullopt;
};

/// What to load and how to split it; the `dataset` section of a run configuration.
///
/// Pools by kind:
/// - `fashion-mnist`: `path` or /usr/share/datasets/fashion-mnist (Debian's package) or
///   <dataDir>/fashion-mnist. Training pool train-images/labels (60,000), test pool t10k (10,000);
///   train and validation come from the training pool, test from the test pool.
/// - `mnist`: `path` or <dataDir>/mnist. The official train/t10k IDX files when present (two pools
///   as above), else the converted digits-images/labels files (one pool of 10,000, see
///   convertMnistNpmPackage) from which all three splits are drawn, disjoint.
/// - `cifar10`: `path` or <dataDir>/cifar10 (or its cifar-10-batches-bin subfolder): training pool
///   data_batch_1..5.bin (50,000), test pool test_batch.bin (10,000).
/// - `csv`: `path` alone is one pool for all three splits; else `trainPath` is the training pool
///   and `validationPath` / `testPath`, where given, are the pools of those splits (a split with
///   no file of its own is drawn from the training pool; a file named twice is one pool). All
///   files need the header of the training file. Classification classes are those of the
///   training file (all of it, also when one file holds every split; see ClassMapping).
/// - `numpy`: files as for csv, each an .npz holding x and y or a PREFIX_x.npy / PREFIX_y.npy
///   pair (numpy_reader.h). All files need the training file's sample shape; classes are the
///   training file's distinct integer labels in increasing order.
struct DatasetSpec {
    std::string kind; ///< fashion-mnist | mnist | cifar10 | csv | numpy
    std::filesystem::path path;
    std::filesystem::path trainPath, validationPath, testPath; ///< csv and numpy only
    SplitPart train, validation, test;
    std::uint64_t seed = 0;           ///< drives every random draw of the splits
    std::string target;               ///< csv: name of the target column; empty = the last column
    Task task = Task::Classification; ///< csv and numpy; image datasets are classification
    /// Images: normalise each channel by the training split's mean and standard deviation (else
    /// only scale pixels to [0, 1]). CSV: standardise each feature column the same way; targets
    /// are never standardised.
    bool standardize = true;
};

} // namespace bt::data
