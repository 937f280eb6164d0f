#pragma once

// Shared by the UI tests: the ridge task's CSV files in a folder, and small run configurations
// on them that finish in well under a second.

#include <filesystem>
#include <string>

#include <QString>

#include <nlohmann/json.hpp>

#include "../engine/run/ridge_fixture.h"
#include "engine/config/run_config.h"
#include "engine/config/run_config_json.h"

namespace bt::testing {

/// Writes train.csv, validation.csv and test.csv of the ridge task (seed 5) into `dir`.
inline void writeRidgeFiles(const QString& dir) {
    const auto data = makeRidgeData(5, 120, 200, 400, 20, 5, 1.0);
    const std::filesystem::path folder = dir.toStdString();
    writeCsv(folder / "train.csv", data.xTrain, data.yTrain);
    writeCsv(folder / "validation.csv", data.xVal, data.yVal);
    writeCsv(folder / "test.csv", data.xTest, data.yTest);
}

/// A tiny ridge run: `methods` on the files in `dir`, `epochs` per training, a 3-point initial
/// design and `outer` outer iterations of 40 inner steps.
inline config::RunConfig tinyRidgeConfig(const QString& dir, const nlohmann::json& methods,
                                         int epochs = 10, int outer = 2) {
    auto json = ridgeRunConfig(dir.toStdString(), "bilevel", 0);
    json["methods"] = methods;
    json["training"]["epochs"] = epochs;
    json["bilevel"] = {{"initial_samples", 3},
                       {"outer_iterations", outer},
                       {"refine_trials", 0},
                       {"inner_steps", 40}};
    json["grid"] = {{"points_per_dim", 3}};
    json["random"] = {{"trials", 3}};
    json["bayesian"] = {{"trials", 4}, {"initial", 2}};
    json["hyperband"] = {{"max_epochs", 9}, {"eta", 3}};
    return config::parseRunConfig(json, "the test configuration");
}

} // namespace bt::testing
