#include "engine/methods/expected_improvement_proposer.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <numeric>
#include <utility>

#include <Eigen/Core>
#include <LBFGSB.h>

#include "engine/gp/expected_improvement.h"
#include "engine/gp/gaussian_process.h"

namespace bt::methods {

namespace {

// Uniform double in [0, 1) from 53 random bits, the same on every platform.
double unit(std::mt19937_64& rng) {
    return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

} // namespace

ExpectedImprovementProposer::ExpectedImprovementProposer(Box box, AcquisitionOptions options,
                                                         uint64_t seed)
    : m_box(std::move(box)), m_options(options), m_surrogate(m_box, options.gpRestarts, seed),
      m_rng(seed ^ 0xA5A5A5A5DEADBEEFULL), m_incumbent(std::numeric_limits<double>::infinity()) {}

std::vector<double> ExpectedImprovementProposer::uniformPoint() {
    std::vector<double> x(m_box.dimension());
    for (std::size_t j = 0; j < x.size(); ++j) {
        x[j] = m_box.lower[j] + unit(m_rng) * (m_box.upper[j] - m_box.lower[j]);
    }
    return x;
}

SurrogateFit ExpectedImprovementProposer::fit(const std::vector<std::vector<double>>& x,
                                              const std::vector<double>& y) {
    double worst = -std::numeric_limits<double>::infinity();
    double best = std::numeric_limits<double>::infinity();
    for (const double v : y) {
        if (std::isfinite(v)) {
            worst = std::max(worst, v);
            best = std::min(best, v);
        }
    }
    if (!std::isfinite(best)) {
        SurrogateFit none;
        none.message = "no finite observation to fit";
        return none;
    }
    std::vector<double> targets(y);
    for (auto& v : targets) {
        if (!std::isfinite(v)) {
            v = worst;
        }
    }
    m_incumbent = best;
    return m_surrogate.fit(x, targets);
}

Proposal ExpectedImprovementProposer::propose(std::stop_token stop) {
    Proposal proposal;
    if (!m_surrogate.ready()) {
        proposal.lambda = uniformPoint();
        return proposal;
    }
    const auto& gp = m_surrogate.process();
    const auto d = static_cast<Eigen::Index>(m_box.dimension());
    Eigen::VectorXd lower(d);
    Eigen::VectorXd width(d);
    for (Eigen::Index j = 0; j < d; ++j) {
        const auto uj = static_cast<std::size_t>(j);
        lower[j] = m_box.lower[uj];
        width[j] = m_box.upper[uj] - m_box.lower[uj];
    }

    // EI at seeded uniform candidates (one batched posterior), to choose where to start.
    const int count = std::max(1, m_options.candidates);
    Eigen::MatrixXd unitCandidates(count, d);
    for (int i = 0; i < count; ++i) {
        for (Eigen::Index j = 0; j < d; ++j) {
            unitCandidates(i, j) = unit(m_rng);
        }
    }
    Eigen::MatrixXd candidates =
        (unitCandidates.array().rowwise() * width.transpose().array()).rowwise() +
        lower.transpose().array();
    const auto batch = gp.predictBatch(candidates, false);
    std::vector<double> ei(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        gp::Prediction p;
        p.mean = batch.mean[static_cast<std::size_t>(i)];
        p.variance = batch.variance[static_cast<std::size_t>(i)];
        ei[static_cast<std::size_t>(i)] =
            gp::expectedImprovement(p, m_incumbent, m_options.xi).value;
    }
    std::vector<int> order(static_cast<std::size_t>(count));
    std::iota(order.begin(), order.end(), 0);
    const int starts = std::clamp(m_options.starts, 1, count);
    std::partial_sort(order.begin(), order.begin() + starts, order.end(), [&](int a, int b) {
        return ei[static_cast<std::size_t>(a)] > ei[static_cast<std::size_t>(b)];
    });

    Eigen::VectorXd bestUnit = unitCandidates.row(order.front()).transpose();
    double bestValue = ei[static_cast<std::size_t>(order.front())];
    // EI may underflow to 0 far from the data; with no scale to climb, the best candidate stands.
    const double scale = bestValue;
    if (scale > 0.0 && std::isfinite(scale)) {
        // L-BFGS-B minimises −EI/scale over the unit cube (x = lower + u ∘ width).
        auto objective = [&](const Eigen::VectorXd& u, Eigen::VectorXd& gradient) {
            const Eigen::VectorXd x = lower + u.cwiseProduct(width);
            const auto e = gp::expectedImprovement(gp, x, m_incumbent, m_options.xi, true);
            if (!std::isfinite(e.value)) {
                gradient.setZero(d);
                return 0.0;
            }
            if (e.value > bestValue) {
                bestValue = e.value;
                bestUnit = u;
            }
            for (Eigen::Index j = 0; j < d; ++j) {
                gradient[j] = -e.gradient[static_cast<std::size_t>(j)] * width[j] / scale;
            }
            return -e.value / scale;
        };
        LBFGSpp::LBFGSBParam<double> param;
        param.epsilon = 1e-8;
        param.epsilon_rel = 1e-8;
        param.max_iterations = m_options.maxIterations;
        LBFGSpp::LBFGSBSolver<double> solver(param);
        const Eigen::VectorXd zero = Eigen::VectorXd::Zero(d);
        const Eigen::VectorXd one = Eigen::VectorXd::Ones(d);
        for (int k = 0; k < starts && !stop.stop_requested(); ++k) {
            Eigen::VectorXd u = unitCandidates.row(order[static_cast<std::size_t>(k)]).transpose();
            double value = 0.0;
            try {
                solver.minimize(objective, u, value, zero, one);
            } catch (const std::exception&) {
                // LBFGS++ reports line-search trouble by throwing; the best point seen stands.
            }
        }
    }
    proposal.lambda.resize(static_cast<std::size_t>(d));
    for (Eigen::Index j = 0; j < d; ++j) {
        proposal.lambda[static_cast<std::size_t>(j)] =
            lower[j] + std::clamp(bestUnit[j], 0.0, 1.0) * width[j];
    }
    m_box.project(proposal.lambda);
    proposal.expectedImprovement = bestValue;
    proposal.fromModel = true;
    return proposal;
}

} // namespace bt::methods
