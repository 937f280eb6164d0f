#pragma once

#include <string>
#include <vector>

namespace bt::gp {

/// Hyperparameters of the GP, in the units of the data (inputs and targets as given, not
/// standardised), so that they can be logged, compared between refits and passed back to
/// GaussianProcess::condition().
struct GpHyperparameters {
    std::vector<double> lengthScales; ///< ℓ_i, input units, one per dimension
    double signalVariance = 1.0;      ///< σf², target units²
    double noiseVariance = 1e-6;      ///< σn², target units²
};

/// Outcome of GaussianProcess::fit(), condition() or append(). A plain value (it crosses threads
/// to the UI). Numerical failure is reported here, never thrown.
struct FitReport {
    GpHyperparameters hyper;
    /// log p(y | X, θ) of the targets as given (R&W eq. 2.30 on the standardised targets, minus
    /// n·log(target scale) for the change of units); NaN when !ok.
    double logMarginalLikelihood = 0.0;
    /// Jitter added to the kernel matrix's diagonal to factor it (target units²); 0 when none.
    double jitter = 0.0;
    int restartsRun = 0;    ///< L-BFGS-B runs that finished (fit only)
    int restartsFailed = 0; ///< runs stopped by a line-search failure (their best point counts)
    int evaluations = 0;    ///< likelihood-and-gradient evaluations (fit only)
    int samples = 0;        ///< n, the samples the model is conditioned on
    bool ok = false;        ///< the model is usable for prediction
    std::string message;    ///< what happened, in words (why, when !ok)
    double seconds = 0.0;   ///< wall time of the call
};

/// Posterior of the latent function at one input (noise excluded), in target units.
struct Prediction {
    double mean = 0.0;     ///< μ(x)
    double variance = 0.0; ///< σ²(x) ≥ 0
    /// ∂μ/∂x and ∂σ²/∂x, one entry per input dimension; empty unless gradients were requested.
    std::vector<double> meanGradient;
    std::vector<double> varianceGradient;
};

/// Posterior at m inputs. Gradients are row-major m × d (entry [i·d + j] = ∂/∂x_j at point i);
/// empty unless requested.
struct BatchPrediction {
    int count = 0;     ///< m
    int dimension = 0; ///< d
    std::vector<double> mean;
    std::vector<double> variance;
    std::vector<double> meanGradient;
    std::vector<double> varianceGradient;
};

} // namespace bt::gp
