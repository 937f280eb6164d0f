#pragma once

#include <filesystem>
#include <string>

#include "engine/data/dataset_files.h"
#include "engine/data/dataset_spec.h"
#include "engine/data/split_data.h"

namespace bt::data {

/// The folder a dataset of `spec.kind` is read from: spec.path when set; else the image dataset's
/// standard folder under core::dataDir() (imageDataFiles). Empty for csv.
std::filesystem::path datasetFolder(const DatasetSpec& spec);

/// Loads the dataset `spec` names and splits it into training, validation and test data (see
/// DatasetSpec for where each kind is read from and SplitPart / drawSplits for how splits are
/// drawn). Postconditions:
/// - the three splits are disjoint sets of rows of their pools, the same for the same spec and
///   seed; their sizes are the ones asked for; the training split is not empty;
/// - with spec.standardize, the features of all three splits are normalised with statistics of
///   the training split alone (result.normalization): per channel for images, per feature column
///   for CSV. CSV regression targets are never standardised: they keep the file's units;
/// - without spec.standardize, image pixels are scaled to [0, 1] and CSV features left as read;
/// - all splits share numClasses and classNames (for CSV classification: the classes of the
///   training file, see ClassMapping).
/// Peak memory is about the float features of the three splits plus the raw bytes of the
/// image files (one byte per pixel): no full-size float copy of a pool is ever made.
/// @throws core::InputError for an unknown kind, options that do not apply to the kind, missing
///         folders or files, any malformed file (naming the file and position), and sizes that
///         the pools cannot satisfy (naming the split and the samples available).
SplitData loadDataset(const DatasetSpec& spec);

} // namespace bt::data
