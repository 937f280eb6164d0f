#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "engine/data/image_pool.h"

namespace bt::data {

/// The ten CIFAR-10 class names, in label order (batches.meta.txt of the binary distribution).
const std::vector<std::string>& cifar10ClassNames();

/// Reads CIFAR-10 binary batch files (Krizhevsky 2009, "the binary version"), in the given order,
/// into one pool of 3x32x32 images. Each record is 1 label byte (0-9) then 3072 pixel bytes: the
/// red, green and blue 32x32 planes, row-major. A file may also be gzip-compressed.
/// @throws core::InputError naming the file and byte offset when a file is missing or unreadable,
///         empty, not a whole number of 3073-byte records, or holds a label above 9.
ImagePool readCifarPool(const std::vector<std::filesystem::path>& files);

} // namespace bt::data
