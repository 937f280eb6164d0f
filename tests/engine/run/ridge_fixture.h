#pragma once

// Synthetic ridge-regression data (BENCHMARK.md task `ridge`, made by the engine) as Eigen
// matrices and CSV files, and the closed-form ridge solution of the project's lower level, for
// tests with a known optimum.

#include <cmath>
#include <filesystem>
#include <string>

#include <Eigen/Dense>
#include <nlohmann/json.hpp>

#include "engine/data/ridge_data.h"
#include "tests/support/csv_dataset.h"

namespace bt::testing {

struct RidgeData {
    Eigen::MatrixXd xTrain, xVal, xTest;
    Eigen::VectorXd yTrain, yVal, yTest;
};

/// The engine's ridge data (data::makeRidgeData, what `bilevel-tuner-cli data make-ridge`
/// writes) as Eigen matrices.
inline RidgeData makeRidgeData(unsigned seed, int nTrain = 120, int nVal = 200, int nTest = 1000,
                               int p = 60, int nonzero = 10, double noise = 1.0) {
    const auto made = data::makeRidgeData(seed, {nTrain, nVal, nTest, p, nonzero, noise});
    const auto matrices = [](const data::RidgeSplit& split, Eigen::MatrixXd& x,
                             Eigen::VectorXd& y) {
        x = Eigen::Map<
            const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
            split.x.data(), split.rows, split.features);
        y = Eigen::Map<const Eigen::VectorXd>(split.y.data(), split.rows);
    };
    RidgeData d;
    matrices(made.train, d.xTrain, d.yTrain);
    matrices(made.validation, d.xVal, d.yVal);
    matrices(made.test, d.xTest, d.yTest);
    return d;
}

/// Features `x` and target `y` as the engine writes a split's CSV (data::writeSplitCsv).
inline void writeCsv(const std::filesystem::path& path, const Eigen::MatrixXd& x,
                     const Eigen::VectorXd& y) {
    data::RidgeSplit split;
    split.rows = static_cast<int>(x.rows());
    split.features = static_cast<int>(x.cols());
    split.x.resize(static_cast<std::size_t>(x.size()));
    Eigen::Map<Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
        split.x.data(), x.rows(), x.cols()) = x;
    split.y.assign(y.data(), y.data() + y.size());
    data::writeSplitCsv(path, split);
}

/// The minimiser of mean((Xw + b − y)²) + exp(λ)·½‖w‖² (bias free): centre, then
/// ((2/n)XcᵀXc + e^λ I) w = (2/n) Xcᵀ yc and b = ȳ − x̄ᵀw. Returns its mean squared error on
/// (x, y).
inline double ridgeLoss(const RidgeData& d, double lambda, const Eigen::MatrixXd& x,
                        const Eigen::VectorXd& y) {
    const double n = static_cast<double>(d.xTrain.rows());
    const Eigen::RowVectorXd xMean = d.xTrain.colwise().mean();
    const double yMean = d.yTrain.mean();
    const Eigen::MatrixXd xc = d.xTrain.rowwise() - xMean;
    const Eigen::VectorXd yc = d.yTrain.array() - yMean;
    Eigen::MatrixXd a = (2.0 / n) * xc.transpose() * xc;
    a.diagonal().array() += std::exp(lambda);
    const Eigen::VectorXd w = a.llt().solve((2.0 / n) * xc.transpose() * yc);
    const double b = yMean - xMean.dot(w);
    return ((x * w).array() + b - y.array()).square().mean();
}

/// The smallest validation loss of the exact ridge solution over λ in [lower, upper], on a fine
/// grid (the loss is smooth in λ; 0.005 spacing suffices for a 3 % comparison).
inline double optimalValidationLoss(const RidgeData& d, double lower, double upper,
                                    double* argmin = nullptr) {
    double best = INFINITY;
    for (double l = lower; l <= upper + 1e-12; l += 0.005) {
        const double v = ridgeLoss(d, l, d.xVal, d.yVal);
        if (v < best) {
            best = v;
            if (argmin != nullptr) {
                *argmin = l;
            }
        }
    }
    return best;
}

/// A run configuration of the ridge task on the CSV files writeCsv put in `dir`
/// (train.csv, validation.csv, test.csv): linear model, MSE, one shared λ in [-10, 3], features
/// as written (the closed form above compares against them), SGD that converges on 120 samples.
inline nlohmann::json ridgeRunConfig(const std::string& dir, const std::string& method,
                                     unsigned seed) {
    nlohmann::json dataset = csvSplitsDataset(dir, "y");
    dataset["task"] = "regression";
    dataset["standardize"] = false;
    return {
        {"dataset", dataset},
        {"model", {{"kind", "linear"}}},
        {"hyperparameters", {{"scope", "shared"}, {"lower", -10.0}, {"upper", 3.0}}},
        {"training",
         {{"epochs", 100},
          {"batch_size", 40},
          {"learning_rate", 0.02},
          {"momentum", 0.9},
          {"seed", seed},
          {"threads", 1}}},
        {"methods", {method}},
    };
}

} // namespace bt::testing
