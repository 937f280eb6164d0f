// Offline screen (docs/measurements/2026-12-05-posterior-mean.md): for each run folder given, each
// method's trainings from the initialisation (every sample but the outer iterations' warm-started
// φ samples) with their validation losses, a diverged one as the worst finite loss; the project's
// GP (Matérn-5/2 ARD, 5 restarts, the λ box) fitted to them; then the candidate with the lowest
// observed validation loss (the rule λ* follows) and the one with the lowest posterior mean, each
// printed as: index, test loss, test accuracy of its training.
//
// Built from the repository root against a build folder (one command line):
//   g++ -std=c++20 -O2 -I. -isystem /usr/include/eigen3 -DSPDLOG_COMPILED_LIB
//       -DSPDLOG_FMT_EXTERNAL -DSPDLOG_SHARED_LIB -DFMT_SHARED PATH/pm.cpp
//       build/engine/gp/libengine_gp.a build/engine/core/libengine_core.a -lspdlog -lfmt -o pm
// then: pm RUN_FOLDER... (each holding a result.json)

#include "engine/gp/gaussian_process.h"
#include <cmath>
#include <fstream>
#include <iostream>
#include <limits>
#include <nlohmann/json.hpp>
using namespace bt;
int main(int argc, char** argv) {
    for (int a = 1; a < argc; ++a) {
        std::ifstream in(std::string(argv[a]) + "/result.json");
        if (!in)
            continue;
        nlohmann::json r;
        in >> r;
        const auto& hp = r["config"]["hyperparameters"];
        for (auto& [name, m] : r["methods"].items()) {
            std::vector<std::vector<double>> x;
            std::vector<double> y;
            std::vector<nlohmann::json> met;
            for (const auto& s : m["samples"]) {
                std::string ph = s["phase"];
                if (ph == "outer-iteration")
                    continue;
                x.push_back(s["lambda"].get<std::vector<double>>());
                double v = s["status"] == "ok" && s["metrics"].contains("val_loss") &&
                                   s["metrics"]["val_loss"].is_number()
                               ? s["metrics"]["val_loss"].get<double>()
                               : NAN;
                y.push_back(v);
                met.push_back(s["metrics"]);
            }
            double worst = -1e300;
            for (double v : y)
                if (std::isfinite(v))
                    worst = std::max(worst, v);
            const auto n = (Eigen::Index)x.size();
            const auto d = (Eigen::Index)x[0].size();
            Eigen::MatrixXd X(n, d);
            Eigen::VectorXd Y(n);
            for (Eigen::Index i = 0; i < n; ++i) {
                for (Eigen::Index j = 0; j < d; ++j)
                    X(i, j) = x[i][j];
                Y[i] = std::isfinite(y[i]) ? y[i] : worst;
            }
            gp::GpOptions o;
            o.restarts = 5;
            o.seed = 7;
            o.lower.assign(d, hp["lower"].get<double>());
            o.upper.assign(d, hp["upper"].get<double>());
            gp::GaussianProcess g(o);
            g.fit(X, Y);
            int best = -1, pmBest = -1;
            double bv = 1e300, pv = 1e300;
            for (Eigen::Index i = 0; i < n; ++i) {
                if (!std::isfinite(y[i]))
                    continue;
                if (y[i] < bv) {
                    bv = y[i];
                    best = (int)i;
                }
                const double mu = g.mean(X.row(i).transpose());
                if (mu < pv) {
                    pv = mu;
                    pmBest = (int)i;
                }
            }
            auto f = [&](int i) {
                return std::to_string(met[i]["test_loss"].get<double>()) + " " +
                       std::to_string(met[i].value("test_accuracy", 0.0));
            };
            std::cout << argv[a] << " " << name << " " << n << " obs " << best << " " << f(best)
                      << " pm " << pmBest << " " << f(pmBest) << "\n";
        }
    }
}
