#pragma once

#include <utility>

#include <Eigen/Core>

#include "engine/gp/gp_options.h"
#include "engine/gp/gp_results.h"
#include "engine/gp/jittered_cholesky.h"
#include "engine/gp/kernel.h"

namespace bt::gp {

/// Exact Gaussian-process regression (Rasmussen & Williams 2006, ch. 2 and 5): an ARD Matérn-5/2
/// or RBF kernel with signal variance, a noise variance with a floor, and a constant prior mean
/// equal to the targets' mean (zero mean on standardised targets, undone on prediction).
///
/// Lifecycle: fit() chooses hyperparameters by maximising the log marginal likelihood and
/// conditions on the data; condition() conditions with given hyperparameters; append() adds one
/// sample in O(n²) without refitting. Nothing refits implicitly: the bilevel method calls fit()
/// when its sample set changes and only predicts inside its inner loop.
///
/// Every solve goes through the Cholesky factor of K_y = K + σn² I (JitteredCholesky: jitter is
/// added and reported when the factor fails). Predictions are of the latent function (noise
/// excluded), in the units of the targets.
///
/// Threading: the const members (predictions) may run concurrently from several threads; they
/// use per-thread scratch buffers. fit(), condition() and append() must not overlap with anything
/// else on the same object.
class GaussianProcess {
public:
    explicit GaussianProcess(GpOptions options = {});

    const GpOptions& options() const noexcept { return m_options; }
    /// New settings, used by the next fit() (the current posterior is unchanged).
    void setOptions(GpOptions options) { m_options = std::move(options); }

    /// Fit the hyperparameters and condition on (x, y).
    /// Maximises log p(y | X, θ) (R&W eq. 2.30) over θ = (log ℓ, log σf², log σn²) of the
    /// standardised targets with L-BFGS-B and the analytic gradient (eq. 5.9), from
    /// options().restarts starts (seeded); bounds: ℓ_i ∈ [minLengthScale, maxLengthScale]·width_i
    /// of the box, σf² and σn² within their bounds (fractions of the target variance).
    /// Cost: O(n³) per likelihood evaluation.
    /// @param x  n × d inputs, one sample per row (n ≥ 1, d ≥ 1)
    /// @param y  n targets
    /// @throws std::invalid_argument when y.size() != x.rows() or x is empty
    /// @throws bt::core::InputError when options() are invalid for dimension d
    /// Post: on ok the model is conditioned on (x, y) with the fitted hyperparameters; when not
    /// ok (non-finite data, no finite likelihood) the previous model is left unchanged.
    FitReport fit(const Eigen::MatrixXd& x, const Eigen::VectorXd& y);

    /// Condition on (x, y) with fixed hyperparameters (data units; no noise floor is applied).
    /// Cost O(n³). Same preconditions and failure behaviour as fit(); also throws
    /// std::invalid_argument when hyper.lengthScales.size() != d.
    FitReport condition(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                        const GpHyperparameters& hyper);

    /// Add one sample, keeping the hyperparameters: extends the Cholesky factor in O(n²) and
    /// recomputes α (the prior mean follows the targets' mean, so the posterior equals that of
    /// condition() on all samples). When the new pivot is not positive (a duplicate with tiny
    /// noise) it refactors from scratch with jitter, O(n³), and says so in the report.
    /// Pre: isReady(), x.size() == dimension() (else std::logic_error / std::invalid_argument).
    /// A non-finite sample is refused (report not ok, model unchanged).
    FitReport append(const Eigen::Ref<const Eigen::VectorXd>& x, double y);

    bool isReady() const noexcept { return m_ready; }
    int sampleCount() const noexcept { return m_n; }
    int dimension() const noexcept { return m_dim; }
    /// Current hyperparameters in data units.
    const GpHyperparameters& hyperparameters() const noexcept { return m_hyper; }
    /// log p(y | X, θ) of the current data and hyperparameters, data units.
    double logMarginalLikelihood() const noexcept { return m_logLikelihood; }
    /// Jitter in the current factor (target units²).
    double jitter() const noexcept { return m_cholesky.jitter() * m_scale * m_scale; }
    /// Smallest target conditioned on (the incumbent for expected improvement).
    double bestTarget() const;
    /// Inputs as n × d and targets (copies).
    Eigen::MatrixXd inputs() const;
    Eigen::VectorXd targets() const;

    /// Posterior mean μ(x) = m + k*ᵀ α (R&W eq. 2.25), O(n d). Pre: isReady(), x.size() == d.
    double mean(const Eigen::Ref<const Eigen::VectorXd>& x) const;

    /// μ(x) and ∂μ/∂x = Σ_i α_i ∂k(x, x_i)/∂x in one pass over the data, O(n d), without heap
    /// allocation: the call the bilevel inner loop makes for ∇φ̂(λ).
    /// Pre: isReady(), x.size() == gradient.size() == d.
    double meanAndGradient(const Eigen::Ref<const Eigen::VectorXd>& x,
                           Eigen::Ref<Eigen::VectorXd> gradient) const;

    /// Mean and variance σ²(x) = k(x, x) − vᵀv, v = L⁻¹k* (R&W eq. 2.26, Algorithm 2.1), and
    /// when asked their gradients: ∂σ²/∂x = −2 (∂k*/∂x)ᵀ K_y⁻¹ k*. O(n² + n d).
    /// Pre: isReady(), x.size() == d.
    Prediction predict(const Eigen::Ref<const Eigen::VectorXd>& x, bool withGradient = false) const;

    /// Posterior at the rows of x (m × d). Without gradients the cross-covariances are formed a
    /// block of points at a time and solved together (O(n² m)); with gradients it is predict()
    /// per point. Pre: isReady(), x.cols() == d.
    BatchPrediction predictBatch(const Eigen::MatrixXd& x, bool withGradient = false) const;

private:
    struct Standardisation {
        double mean = 0.0;
        double scale = 1.0;
    };
    static Standardisation standardise(const Eigen::VectorXd& y);
    void checkPoint(Eigen::Index size) const;
    /// Condition on stored-layout data with standardised hyperparameters; commits only on
    /// success (the previous model survives a failure).
    FitReport conditionStandardised(Eigen::MatrixXd points, const Eigen::VectorXd& y,
                                    Standardisation standardisation,
                                    const Eigen::VectorXd& lengthScales, double signal,
                                    double noise);
    void updateWeights();
    /// k* and the kernel's radial factor γ for every sample at x (standardised units).
    void crossCovariance(const double* x, double* kstar, double* gamma) const;

    GpOptions m_options;
    KernelKind m_kind = KernelKind::Matern52;
    bool m_ready = false;
    int m_dim = 0;
    int m_n = 0;
    Eigen::MatrixXd m_points;  // d × capacity, one sample per column (first m_n used)
    Eigen::VectorXd m_targets; // capacity, data units (first m_n used)
    double m_offset = 0.0;     // prior mean: the targets' mean
    double m_scale = 1.0;      // target scale; kept by append() so the hyperparameters stand
    Eigen::VectorXd m_lengthScales;
    Eigen::VectorXd m_inverseSquaredLengthScales;
    double m_signal = 1.0; // σf², standardised units
    double m_noise = 1.0;  // σn², standardised units
    JitteredCholesky m_cholesky;
    Eigen::VectorXd m_alpha; // K_y⁻¹ (y − m)/scale
    GpHyperparameters m_hyper;
    double m_logLikelihood = 0.0;
};

} // namespace bt::gp
