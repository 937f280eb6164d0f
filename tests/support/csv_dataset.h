#pragma once

// The "dataset" section of the run configurations the run-level and command-line tests write for
// their three CSV files.

#include <string>

#include <nlohmann/json.hpp>

namespace bt::testing {

/// Reads train.csv, validation.csv and test.csv in `folder`, every row of each, with the target
/// in the column `target`.
inline nlohmann::json csvSplitsDataset(const std::string& folder, const std::string& target) {
    return {{"kind", "csv"},
            {"train_path", folder + "/train.csv"},
            {"validation_path", folder + "/validation.csv"},
            {"test_path", folder + "/test.csv"},
            {"train", -1},
            {"validation", -1},
            {"test", -1},
            {"target", target}};
}

} // namespace bt::testing
