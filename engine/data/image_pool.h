#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/data/dataset.h"
#include "engine/data/split_data.h"

namespace bt::data {

/// All images of one source (a training or a test file set) as they are stored on disk: one byte
/// per pixel. Splits are taken from it by row index, and only the selected rows are ever
/// converted to float, so a load never holds a second full-size float copy.
struct ImagePool {
    std::vector<std::int64_t> sampleShape; ///< {C, H, W}
    std::vector<std::uint8_t> pixels;      ///< size() * C*H*W bytes, channel-major per image
    std::vector<std::uint8_t> labels;      ///< class index per image, each < numClasses
    std::int64_t numClasses = 0;
    std::vector<std::string> classNames;

    std::int64_t size() const { return static_cast<std::int64_t>(labels.size()); }
    /// C*H*W: pixels per image.
    std::int64_t sampleSize() const;

    /// Per-channel mean and population standard deviation of the pixels (scaled to [0, 1]) of
    /// the images `rows`, computed exactly from 256-bin histograms. A channel whose pixels are
    /// all equal gets stddev 1.
    /// @pre rows non-empty, each in [0, size())
    Normalization channelStatistics(const std::vector<std::int64_t>& rows) const;

    /// The images `rows`, in that order, as a Dataset: pixel p of channel c becomes
    /// (p / 255 - mean[c]) / stddev[c], or p / 255 when `normalization` is empty.
    /// @pre each row in [0, size()); normalization empty or with C entries in mean and stddev
    Dataset select(const std::vector<std::int64_t>& rows, const Normalization& normalization) const;
};

} // namespace bt::data
