#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

namespace bt::data {

/// Writes an unsigned-byte IDX file (magic 0x0000 08 nn, then each dimension as a big-endian
/// 32-bit integer, then the bytes), gzip-compressed, to `path` directly: callers that must not
/// leave a partial file write to a temporary name and rename it. The data is flushed to disk
/// (fsync) before returning.
/// @pre dims non-empty, 1..255 of them, each < 2^32, and their product == bytes.size()
/// @throws core::InputError naming the file when it cannot be created or written.
void writeIdxGz(const std::filesystem::path& path, const std::vector<std::uint32_t>& dims,
                std::span<const std::uint8_t> bytes);

} // namespace bt::data
