#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace bt::testing {

/// The lines of a text file, without their line ends; empty when it cannot be read.
inline std::vector<std::string> readLines(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::vector<std::string> lines;
    std::string line;
    while (std::getline(in, line)) {
        lines.push_back(line);
    }
    return lines;
}

} // namespace bt::testing
