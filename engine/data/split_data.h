#pragma once

#include <array>
#include <cstdint>
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

/// What one split holds, as read: its row count and a CRC-32 (zlib) over its rows' values before
/// any normalisation (an image's bytes, a file's numbers), row after row, then their class
/// indices or targets and the class names. Two loads with equal fingerprints saw the same rows
/// in the same order with a probability of collision of about 2^-32; normalisation plays no
/// part, so dataset.standardize does not change it (ARCHITECTURE.md, "result.json": "data").
struct SplitFingerprint {
    std::int64_t rows = 0;
    std::uint32_t crc32 = 0;
    friend bool operator==(const SplitFingerprint&, const SplitFingerprint&) = default;
};

/// The three splits of one load, disjoint, with how they were normalised and a one-line
/// description (source, sizes, normalisation) for logs and reports.
struct SplitData {
    Dataset train, validation, test;
    Normalization normalization;
    std::string description;
    /// Training, validation, test (core::kSplitNames).
    std::array<SplitFingerprint, 3> fingerprints;
};

} // namespace bt::data
