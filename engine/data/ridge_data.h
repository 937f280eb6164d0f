#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <vector>

namespace bt::data {

/// The sizes of the ridge task's synthetic data (docs/design/BENCHMARK.md, task `ridge`).
struct RidgeRecipe {
    int train = 120;
    int validation = 200;
    int test = 1000;
    int features = 60;
    int nonzero = 10;   ///< draws of a non-zero coefficient (a repeated index keeps the last)
    double noise = 1.0; ///< σ of the target's noise
};

/// One split: `rows` × `features` features, row-major, and a target per row.
struct RidgeSplit {
    int rows = 0;
    int features = 0;
    std::vector<double> x;
    std::vector<double> y;
};

struct RidgeData {
    RidgeSplit train, validation, test;
};

/// Linear data with a known structure: standard normal features, y = Xβ + σε, with `nonzero`
/// coefficients of β drawn standard normal (each value, then its index, uniform), the rest zero.
/// One
/// std::mt19937_64 seeded with `seed` draws β, then the training, validation and test splits in
/// that order (each row's features, then the split's noise), so a seed gives the same data on
/// every run of the same build.
RidgeData makeRidgeData(std::uint64_t seed, const RidgeRecipe& recipe = {});

/// The folder under the data folder that resources/configs/ridge.json reads its files from
/// ("ridge/train.csv", ...), where `data make-ridge` and the app's form write them.
inline constexpr const char* kRidgeFolder = "ridge";

/// The files writeRidgeCsv writes, in the order it writes them (test.csv last: its presence says
/// the data are there). What resources/configs/ridge.json reads under the data folder's `ridge`.
inline constexpr std::array<const char*, 3> kRidgeFiles{"train.csv", "validation.csv", "test.csv"};

/// Writes `split` as CSV: a header x0,…,x{p−1},y, then a row per sample with 17 significant
/// digits (doubles read back exactly). Atomic (core::writeFileAtomically).
/// @throws core::InputError naming the file when it cannot be written
void writeSplitCsv(const std::filesystem::path& path, const RidgeSplit& split);

/// Writes `data` as FOLDER/train.csv, validation.csv and test.csv (kRidgeFiles), creating the
/// folder. Unless `replace`, refuses before writing anything when one of the three exists, so a
/// user's files are never overwritten by accident.
/// @throws core::InputError naming the existing file (and --force) or the file that could not
///         be written
void writeRidgeCsv(const RidgeData& data, const std::filesystem::path& folder, bool replace);

} // namespace bt::data
