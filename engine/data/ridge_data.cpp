#include "engine/data/ridge_data.h"

#include <random>

#include <Eigen/Dense>

#include "engine/core/atomic_file.h"
#include "engine/core/error.h"

namespace bt::data {

RidgeData makeRidgeData(std::uint64_t seed, const RidgeRecipe& recipe) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal(0.0, 1.0);
    const int p = recipe.features;
    Eigen::VectorXd beta = Eigen::VectorXd::Zero(p);
    for (int j = 0; j < recipe.nonzero; ++j) {
        const double value = normal(rng); // the value first, then its index
        beta(static_cast<Eigen::Index>(rng() % static_cast<std::uint64_t>(p))) = value;
    }
    // Eigen's product, column-major as the tests' fixture had it, so that the targets keep the
    // very bits the tests were written against (a plain loop sums in another order).
    const auto draw = [&](int rows) {
        Eigen::MatrixXd x(rows, p);
        for (int i = 0; i < rows; ++i) {
            for (int j = 0; j < p; ++j) {
                x(i, j) = normal(rng);
            }
        }
        Eigen::VectorXd y = x * beta;
        for (int i = 0; i < rows; ++i) {
            y(i) += recipe.noise * normal(rng);
        }
        RidgeSplit split;
        split.rows = rows;
        split.features = p;
        split.x.resize(static_cast<std::size_t>(x.size()));
        Eigen::Map<Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
            split.x.data(), rows, p) = x;
        split.y.assign(y.data(), y.data() + rows);
        return split;
    };
    RidgeData data;
    data.train = draw(recipe.train);
    data.validation = draw(recipe.validation);
    data.test = draw(recipe.test);
    return data;
}

void writeSplitCsv(const std::filesystem::path& path, const RidgeSplit& split) {
    core::writeFileAtomically(path, "the CSV file", [&split](std::ostream& out) {
        for (int j = 0; j < split.features; ++j) {
            out << 'x' << j << ',';
        }
        out << "y\n";
        out.precision(17);
        for (int i = 0; i < split.rows; ++i) {
            for (int j = 0; j < split.features; ++j) {
                out << split.x[static_cast<std::size_t>(i) *
                                   static_cast<std::size_t>(split.features) +
                               static_cast<std::size_t>(j)]
                    << ',';
            }
            out << split.y[static_cast<std::size_t>(i)] << '\n';
        }
    });
}

void writeRidgeCsv(const RidgeData& data, const std::filesystem::path& folder, bool replace) {
    if (!replace) {
        for (const char* name : kRidgeFiles) {
            std::error_code ec;
            if (std::filesystem::exists(folder / name, ec)) {
                throw core::InputError((folder / name).string(),
                                       "the file exists already; nothing was written (--force "
                                       "replaces the three files)");
            }
        }
    }
    const RidgeSplit* splits[] = {&data.train, &data.validation, &data.test};
    for (std::size_t i = 0; i < kRidgeFiles.size(); ++i) {
        writeSplitCsv(folder / kRidgeFiles[i], *splits[i]);
    }
}

} // namespace bt::data
