#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/data/image_pool.h"

namespace bt::data {

/// The contents of an IDX image file (LeCun's MNIST format): magic number 0x00000803 (unsigned
/// bytes, three dimensions), then count, rows and cols as big-endian 32-bit integers, then the
/// pixels image after image, row-major, one byte each.
struct IdxImages {
    std::int64_t count = 0, rows = 0, cols = 0;
    std::vector<std::uint8_t> pixels; ///< count * rows * cols bytes
};

/// Reads an IDX image file, gzip-compressed or not (detected by its first bytes).
/// @param rows, cols  the image size the caller requires; 0 accepts any size.
/// @throws core::InputError naming the file and the byte offset ("uncompressed byte offset" for
///         gzip) for a missing or unreadable file, a wrong magic number, an image size other than
///         the required one, a header that declares more data than the file holds, a truncated
///         file or bytes after the last image.
IdxImages readIdxImages(const std::filesystem::path& path, std::int64_t rows = 0,
                        std::int64_t cols = 0);

/// Reads an IDX label file (magic 0x00000801: unsigned bytes, one dimension), compressed or not.
/// @param numClasses     every label must be below it (at most 256)
/// @param expectedCount  the number of labels required (the image count), or -1 for any
/// @throws core::InputError as readIdxImages, and for a label >= numClasses or a count that is
///         not expectedCount (naming the offset of the offending label or of the count).
std::vector<std::uint8_t> readIdxLabels(const std::filesystem::path& path,
                                        std::int64_t numClasses = 256,
                                        std::int64_t expectedCount = -1);

/// Reads a pair of IDX files (images of rows x cols, and their labels) into one pool of
/// single-channel images with `classNames.size()` classes.
/// @throws core::InputError as readIdxImages and readIdxLabels (counts must agree).
ImagePool readIdxPool(const std::filesystem::path& images, const std::filesystem::path& labels,
                      std::int64_t rows, std::int64_t cols, std::vector<std::string> classNames);

} // namespace bt::data
