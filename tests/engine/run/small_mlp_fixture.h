#pragma once

// A small classification task for run-level tests: 3 overlapping classes in 8 dimensions written
// as CSV files, and a small MLP run configuration on them.

#include <QString>

#include <fstream>
#include <random>

#include <nlohmann/json.hpp>

#include "tests/support/csv_dataset.h"

namespace bt::testing {

// A small 3-class problem in 8 dimensions with overlapping classes, so that regularisation
// matters: class means at ±0.8 along the axes, unit noise.
inline void writeClassificationCsv(const QString& path, int n, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::ofstream out(path.toStdString());
    for (int j = 0; j < 8; ++j) {
        out << "x" << j << ",";
    }
    out << "label\n";
    const char* names[] = {"ant", "bee", "cat"};
    for (int i = 0; i < n; ++i) {
        const int c = static_cast<int>(rng() % 3);
        for (int j = 0; j < 8; ++j) {
            const double mean = (j % 3 == c) ? 0.8 : 0.0;
            out << mean + normal(rng) << ",";
        }
        out << names[c] << "\n";
    }
}

inline nlohmann::json smallMlpConfig(const QString& dir) {
    return {{"dataset", csvSplitsDataset(dir.toStdString(), "label")},
            {"model", {{"kind", "mlp"}, {"hidden", {32}}}},
            {"hyperparameters", {{"scope", "per-layer"}, {"lower", -10.0}, {"upper", 0.0}}},
            {"training",
             {{"epochs", 60},
              {"batch_size", 32},
              {"learning_rate", 0.05},
              {"seed", 3},
              {"threads", 1}}},
            {"bilevel",
             {{"initial_samples", 9},
              {"outer_iterations", 4},
              {"inner_steps", 150},
              {"inner_lr_w", 0.05}}}};
}

} // namespace bt::testing
