#pragma once

// Data for the command-line tests: a small three-class table the CLI reads as CSV.

#include <filesystem>
#include <fstream>
#include <random>

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

} // namespace bt::testing
