#pragma once

// Data for the command-line tests: a small three-class table the CLI reads as CSV.

#include <filesystem>
#include <fstream>
#include <random>

#include <nlohmann/json.hpp>

#include "tests/support/csv_dataset.h"

namespace bt::testing {

/// `n` rows of six features and a label c0..c2; the class shifts every third feature, so a small
/// MLP learns it. Seeded: the same file for the same seed.
inline void writeClasses(const std::filesystem::path& file, int n, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::ofstream out(file);
    out << "x0,x1,x2,x3,x4,x5,label\n";
    for (int i = 0; i < n; ++i) {
        const int c = static_cast<int>(rng() % 3);
        for (int j = 0; j < 6; ++j) {
            out << (j % 3 == c ? 0.8 : 0.0) + normal(rng) << ",";
        }
        out << "c" << c << "\n";
    }
}

/// train.csv, validation.csv and test.csv of 240 rows each in `folder` (seeds 1, 2 and 3).
inline void writeClassSplits(const std::filesystem::path& folder) {
    writeClasses(folder / "train.csv", 240, 1);
    writeClasses(folder / "validation.csv", 240, 2);
    writeClasses(folder / "test.csv", 240, 3);
}

/// A run configuration on the files writeClassSplits put in `folder`: a 16-unit MLP with a λ per
/// layer in [-8, 0] trained for `epochs` epochs; bilevel with 2 initial samples and 3 outer
/// iterations of 40 inner steps, Hyperband up to 9 epochs. The test adds the methods to run and
/// the other methods' budgets.
inline nlohmann::json classSplitsConfig(const std::filesystem::path& folder, int epochs) {
    return {{"dataset", csvSplitsDataset(folder.string(), "label")},
            {"model", {{"kind", "mlp"}, {"hidden", {16}}}},
            {"hyperparameters", {{"scope", "per-layer"}, {"lower", -8.0}, {"upper", 0.0}}},
            {"training", {{"epochs", epochs}, {"batch_size", 32}, {"seed", 5}, {"threads", 1}}},
            {"bilevel", {{"initial_samples", 2}, {"outer_iterations", 3}, {"inner_steps", 40}}},
            {"hyperband", {{"max_epochs", 9}, {"eta", 3}}}};
}

} // namespace bt::testing
