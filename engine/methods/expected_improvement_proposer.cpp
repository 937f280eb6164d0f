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

// The box as the search sees it: x = lower + u ∘ width for u in the unit cube.
struct UnitCube {
    Eigen::VectorXd lower;
    Eigen::VectorXd width;
};

UnitCube unitCubeOf(const Box& box) {
    const auto d = static_cast<Eigen::Index>(box.dimension());
    UnitCube cube{Eigen::VectorXd(d), Eigen::VectorXd(d)};
    for (Eigen::Index j = 0; j < d; ++j) {
        const auto uj = static_cast<std::size_t>(j);
        cube.lower[j] = box.lower[uj];
        cube.width[j] = box.upper[uj] - box.lower[uj];
    }
    return cube;
}

// `count` uniform points of the d-dimensional unit cube, one a row, drawn row by row.
Eigen::MatrixXd drawUnitPoints(std::mt19937_64& rng, int count, Eigen::Index d) {
    Eigen::MatrixXd points(count, d);
    for (int i = 0; i < count; ++i) {
        for (Eigen::Index j = 0; j < d; ++j) {
            points(i, j) = unit(rng);
        }
    }
    return points;
}

// EI over `incumbent` (margin `xi`) at each row of `unitCandidates`, mapped into the box.
std::vector<double> candidateExpectedImprovements(const gp::GaussianProcess& gp,
                                                  const UnitCube& cube,
                                                  const Eigen::MatrixXd& unitCandidates,
                                                  double incumbent, double xi) {
    const Eigen::MatrixXd candidates =
        (unitCandidates.array().rowwise() * cube.width.transpose().array()).rowwise() +
        cube.lower.transpose().array();
    const auto batch = gp.predictBatch(candidates, false);
    const auto count = static_cast<std::size_t>(unitCandidates.rows());
    std::vector<double> ei(count);
    for (std::size_t i = 0; i < count; ++i) {
        gp::Prediction p;
        p.mean = batch.mean[i];
        p.variance = batch.variance[i];
        ei[i] = gp::expectedImprovement(p, incumbent, xi).value;
    }
    return ei;
}

// The best point of the unit cube the search has seen, and its EI.
struct SearchBest {
    Eigen::VectorXd unit;
    double value = 0.0;
};

// Multi-start L-BFGS-B on −EI/scale over the unit cube from each of `startPoints` in turn,
// checking `stop` before each start; every evaluation with a larger EI becomes `best`.
void climbExpectedImprovement(const gp::GaussianProcess& gp, const UnitCube& cube, double incumbent,
                              const AcquisitionOptions& options, double scale,
                              const std::vector<Eigen::VectorXd>& startPoints, std::stop_token stop,
                              SearchBest& best) {
    const auto d = cube.lower.size();
    // L-BFGS-B minimises −EI/scale over the unit cube (x = lower + u ∘ width).
    auto objective = [&](const Eigen::VectorXd& u, Eigen::VectorXd& gradient) {
        const Eigen::VectorXd x = cube.lower + u.cwiseProduct(cube.width);
        const auto e = gp::expectedImprovement(gp, x, incumbent, options.xi, true);
        if (!std::isfinite(e.value)) {
            gradient.setZero(d);
            return 0.0;
        }
        if (e.value > best.value) {
            best.value = e.value;
            best.unit = u;
        }
        for (Eigen::Index j = 0; j < d; ++j) {
            gradient[j] = -e.gradient[static_cast<std::size_t>(j)] * cube.width[j] / scale;
        }
        return -e.value / scale;
    };
    LBFGSpp::LBFGSBParam<double> param;
    param.epsilon = 1e-8;
    param.epsilon_rel = 1e-8;
    param.max_iterations = options.maxIterations;
    LBFGSpp::LBFGSBSolver<double> solver(param);
    const Eigen::VectorXd zero = Eigen::VectorXd::Zero(d);
    const Eigen::VectorXd one = Eigen::VectorXd::Ones(d);
    for (std::size_t k = 0; k < startPoints.size() && !stop.stop_requested(); ++k) {
        Eigen::VectorXd u = startPoints[k];
        double value = 0.0;
        try {
            solver.minimize(objective, u, value, zero, one);
        } catch (const std::exception&) {
            // LBFGS++ reports line-search trouble by throwing; the best point seen stands.
        }
    }
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
    const auto cube = unitCubeOf(m_box);
    const auto d = cube.lower.size();

    // EI at seeded uniform candidates (one batched posterior), to choose where to start.
    const int count = std::max(1, m_options.candidates);
    const Eigen::MatrixXd unitCandidates = drawUnitPoints(m_rng, count, d);
    const auto ei =
        candidateExpectedImprovements(gp, cube, unitCandidates, m_incumbent, m_options.xi);
    std::vector<int> order(static_cast<std::size_t>(count));
    std::iota(order.begin(), order.end(), 0);
    const int starts = std::clamp(m_options.starts, 1, count);
    std::partial_sort(order.begin(), order.begin() + starts, order.end(), [&](int a, int b) {
        return ei[static_cast<std::size_t>(a)] > ei[static_cast<std::size_t>(b)];
    });

    SearchBest best{unitCandidates.row(order.front()).transpose(),
                    ei[static_cast<std::size_t>(order.front())]};
    // EI may underflow to 0 far from the data; with no scale to climb, the best candidate stands.
    const double scale = best.value;
    if (scale > 0.0 && std::isfinite(scale)) {
        std::vector<Eigen::VectorXd> startPoints;
        for (int k = 0; k < starts; ++k) {
            startPoints.push_back(
                unitCandidates.row(order[static_cast<std::size_t>(k)]).transpose());
        }
        climbExpectedImprovement(gp, cube, m_incumbent, m_options, scale, startPoints, stop, best);
    }
    proposal.lambda.resize(static_cast<std::size_t>(d));
    for (Eigen::Index j = 0; j < d; ++j) {
        proposal.lambda[static_cast<std::size_t>(j)] =
            cube.lower[j] + std::clamp(best.unit[j], 0.0, 1.0) * cube.width[j];
    }
    m_box.project(proposal.lambda);
    proposal.expectedImprovement = best.value;
    proposal.fromModel = true;
    return proposal;
}

} // namespace bt::methods
