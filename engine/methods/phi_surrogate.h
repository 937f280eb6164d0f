#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "engine/events/events.h"
#include "engine/gp/gp_results.h"
#include "engine/methods/design.h"

namespace bt::gp {
class GaussianProcess;
}

namespace bt::methods {

/// Summary of one surrogate fit, for events and reports.
struct SurrogateFit {
    std::vector<double> lengthScales;
    double signalVariance = 0.0;
    double noiseVariance = 0.0;
    double logMarginalLikelihood = 0.0;
    double jitter = 0.0;
    double seconds = 0.0;
    bool ok = false;     ///< the GP is usable; when not, the previous fit stays in force
    std::string message; ///< what the fit reported
};

/// The GpRefitEvent of `method` for a successful `fit` to `samples` points.
events::GpRefitEvent gpRefitEvent(const std::string& method, int samples, const SurrogateFit& fit);

/// The GP surrogate φ̂ of the lower-level value function (ALGORITHM.md §2): fitted to the φ
/// samples when they change, queried for φ̂(λ) and ∇φ̂(λ) inside the inner loop (never refitted
/// there). Also used by Bayesian optimisation on validation loss.
class PhiSurrogate {
public:
    /// With `logScale` the GP models log y (y > 0: φ is a loss plus a penalty) and the
    /// surrogate's value is exp of its posterior mean, its gradient exp(m)·∇m; meanAndStddev
    /// then gives exp(m) and the delta-method exp(m)·σ.
    PhiSurrogate(const Box& box, int restarts, uint64_t seed, bool logScale = false);
    ~PhiSurrogate();
    PhiSurrogate(PhiSurrogate&&) noexcept;
    PhiSurrogate& operator=(PhiSurrogate&&) noexcept;

    /// Refits the hyperparameters (seeded restarts) and conditions on (x_i, y_i).
    SurrogateFit fit(const std::vector<std::vector<double>>& x, const std::vector<double>& y);

    /// Conditions on (x_i, y_i) with given hyperparameters (of the scale the GP models: log y
    /// when logScale()), such as a fit reported; no restarts. Throws as
    /// gp::GaussianProcess::condition.
    SurrogateFit condition(const std::vector<std::vector<double>>& x, const std::vector<double>& y,
                           const gp::GpHyperparameters& hyper);

    /// Posterior mean and its gradient at λ. Precondition: fit() was called.
    std::pair<double, std::vector<double>>
    valueAndGradient(const std::vector<double>& lambda) const;

    /// Posterior mean and standard deviation at λ.
    std::pair<double, double> meanAndStddev(const std::vector<double>& lambda) const;

    /// A fit has succeeded: the surrogate can be queried.
    bool ready() const;

    /// The GP itself, on the scale it models (log y when logScale()).
    const gp::GaussianProcess& process() const { return *m_gp; }
    bool logScale() const { return m_logScale; }

private:
    // The samples as the GP takes them: y on the scale it models.
    std::pair<Eigen::MatrixXd, Eigen::VectorXd> inputs(const std::vector<std::vector<double>>& x,
                                                       const std::vector<double>& y) const;

    std::unique_ptr<gp::GaussianProcess> m_gp;
    Box m_box;
    uint64_t m_seed;
    bool m_logScale = false;
    int m_fits = 0;
};

} // namespace bt::methods
