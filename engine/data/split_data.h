#pragma once

#include <string>
#include <vector>

#include "engine/data/dataset.h"

namespace bt::data {

/// The statistics the features were normalised with, computed on the training split only and
/// applied to all three splits: x' = (x - mean) / stddev. Images: one entry per channel, in units
/// of pixel / 255 (x is the pixel scaled to [0, 1]). CSV: one entry per feature column, in the
/// file's units. Empty when nothing was normalised (standardize false). stddev is the population
/// standard deviation (divisor n); a constant channel or column gets stddev 1 so that it maps to
/// zero instead of dividing by zero.
struct Normalization {
    std::vector<float> mean, stddev;
};

/// The three splits of one load, disjoint, with how they were normalised and a one-line
/// description (source, sizes, normalisation) for logs and reports.
struct SplitData {
    Dataset train, validation, test;
    Normalization normalization;
    std::string description;
};

} // namespace bt::data
