#pragma once

#include <cstdint>
#include <random>
#include <stop_token>
#include <vector>

#include "engine/methods/design.h"
#include "engine/methods/phi_surrogate.h"

namespace bt::methods {

/// Settings of the expected-improvement acquisition and its maximisation.
struct AcquisitionOptions {
    int gpRestarts = 5;     ///< marginal-likelihood restarts of each GP fit
    int candidates = 1000;  ///< uniform points where EI is evaluated to choose the starts
    int starts = 5;         ///< L-BFGS-B runs, from the candidates with the largest EI
    int maxIterations = 50; ///< L-BFGS-B iterations per start
    double xi = 0.0;        ///< exploration margin ξ ≥ 0, in the objective's units
};

/// The next point proposed by Bayesian optimisation.
struct Proposal {
    std::vector<double> lambda;
    double expectedImprovement = 0.0; ///< EI at `lambda`, objective units (0 for a uniform draw)
    bool fromModel = false;           ///< false: no usable GP, `lambda` is a uniform draw
};

/// The proposal step of Bayesian optimisation (Jones, Schonlau & Welch, "Efficient Global
/// Optimization of Expensive Black-Box Functions", J. Global Optim. 13, 1998; ALGORITHM.md §5),
/// separate from any trainer so it can be tested on analytic functions: fit the project's GP
/// (PhiSurrogate: Matérn-5/2 ARD, learned noise, seeded restarts) to the observations, then
/// maximise expected improvement over the incumbent in the box by multi-start L-BFGS-B
/// (LBFGS++) with EI's analytic gradient, started from the best of `candidates` seeded uniform
/// points. The search runs in the unit cube and on EI divided by the largest candidate EI, so
/// that the solver's tolerances mean the same for every box and every scale of the objective.
class ExpectedImprovementProposer {
public:
    ExpectedImprovementProposer(Box box, AcquisitionOptions options, uint64_t seed);

    /// Refits the GP to (x_i, y_i) for minimisation. A non-finite y (a diverged training) is
    /// replaced by the worst finite one [ours], so the GP learns to avoid its region; with no
    /// finite y there is nothing to fit (not ok). A failed fit keeps the previous one in force.
    SurrogateFit fit(const std::vector<std::vector<double>>& x, const std::vector<double>& y);

    /// The maximiser of EI in the box; a uniform draw while no fit has succeeded. Checks `stop`
    /// between starts (a stopped search returns its best so far).
    Proposal propose(std::stop_token stop = {});

    /// The incumbent: the smallest finite y of the last fit (+∞ before any).
    double incumbent() const { return m_incumbent; }

    const PhiSurrogate& surrogate() const { return m_surrogate; }

private:
    std::vector<double> uniformPoint();

    Box m_box;
    AcquisitionOptions m_options;
    PhiSurrogate m_surrogate;
    std::mt19937_64 m_rng;
    double m_incumbent;
};

} // namespace bt::methods
