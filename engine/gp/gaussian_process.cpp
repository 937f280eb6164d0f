#include "engine/gp/gaussian_process.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numbers>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>

#include <LBFGSB.h>

#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/gp/marginal_likelihood.h"

namespace bt::gp {

namespace {

/// Default start of the first restart: length-scale as a fraction of the box width, signal and
/// noise variances as fractions of the target variance.
constexpr double kStartLengthScale = 0.3;
constexpr double kStartSignalVariance = 1.0;
constexpr double kStartNoiseVariance = 1e-3;
/// Ranges of the random restarts (log-uniform), inside the bounds; narrower than the bounds so
/// that restarts land where optima usually are rather than on the bounds.
constexpr double kRestartMinLengthScale = 0.05;
constexpr double kRestartMaxLengthScale = 2.0;
constexpr double kRestartMinSignalVariance = 0.3;
constexpr double kRestartMaxSignalVariance = 3.0;
constexpr double kRestartMinNoiseVariance = 1e-6;
constexpr double kRestartMaxNoiseVariance = 0.1;
/// Objective returned to L-BFGS-B where the likelihood is not finite: large, so that the line
/// search backs off.
constexpr double kFailedObjective = 1e10;
/// L-BFGS-B stopping: projected-gradient norm and relative change of −log p over one iteration.
constexpr double kGradientTolerance = 1e-5;
constexpr double kRelativeChangeTolerance = 1e-9;
/// Points per block in predictBatch(): bounds the n × block cross-covariance workspace.
constexpr Eigen::Index kBatchBlock = 256;
/// A target spread below this fraction of the mean's magnitude counts as constant.
constexpr double kConstantTargetTolerance = 1e-12;

double seconds(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// Uniform on [0, 1) from the top 53 bits: the same sequence for a seed on every platform
/// (std::uniform_real_distribution is implementation-defined).
double uniform01(std::mt19937_64& rng) {
    return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

double logUniform(std::mt19937_64& rng, double lo, double hi) {
    const double a = std::log(lo);
    const double b = std::log(hi);
    return a + (b - a) * uniform01(rng);
}

std::string describe(const GpHyperparameters& h) {
    std::ostringstream out;
    out.precision(4);
    out << "length-scales [";
    for (std::size_t i = 0; i < h.lengthScales.size(); ++i) {
        out << (i ? ", " : "") << h.lengthScales[i];
    }
    out << "], signal variance " << h.signalVariance << ", noise variance " << h.noiseVariance;
    return out.str();
}

} // namespace

GaussianProcess::GaussianProcess(GpOptions options) : m_options(std::move(options)) {}

GaussianProcess::Standardisation GaussianProcess::standardise(const Eigen::VectorXd& y) {
    Standardisation s;
    s.mean = y.mean();
    const double spread = std::sqrt((y.array() - s.mean).square().mean());
    // A constant target (or n = 1) has no scale: keep the units as they are.
    const bool constant = !(spread > kConstantTargetTolerance * std::abs(s.mean)) || spread == 0.0;
    s.scale = (constant || !std::isfinite(spread)) ? 1.0 : spread;
    return s;
}

void GaussianProcess::checkPoint(Eigen::Index size) const {
    if (!m_ready) {
        throw std::logic_error("GaussianProcess: no model yet; call fit() or condition() first");
    }
    if (size != m_dim) {
        throw std::invalid_argument("GaussianProcess: input has " + std::to_string(size) +
                                    " entries, the model has dimension " + std::to_string(m_dim));
    }
}

FitReport GaussianProcess::conditionStandardised(Eigen::MatrixXd points, const Eigen::VectorXd& y,
                                                 Standardisation standardisation,
                                                 const Eigen::VectorXd& lengthScales, double signal,
                                                 double noise) {
    const Eigen::Index n = points.cols();
    FitReport report;
    report.samples = static_cast<int>(n);
    const double s2 = standardisation.scale * standardisation.scale;
    report.hyper.lengthScales.assign(lengthScales.data(),
                                     lengthScales.data() + lengthScales.size());
    report.hyper.signalVariance = signal * s2;
    report.hyper.noiseVariance = noise * s2;

    const Kernel kernel(m_options.kernel, lengthScales, signal);
    Eigen::MatrixXd gram;
    kernel.gram(points, gram);
    gram.diagonal().array() += noise;
    JitteredCholesky cholesky;
    if (!cholesky.compute(gram)) {
        report.ok = false;
        report.logMarginalLikelihood = std::numeric_limits<double>::quiet_NaN();
        report.message = "the kernel matrix could not be factored even with jitter (" +
                         describe(report.hyper) + "); previous model kept";
        return report;
    }

    // Commit: from here on nothing can fail.
    m_kind = m_options.kernel;
    m_dim = static_cast<int>(points.rows());
    m_n = static_cast<int>(n);
    m_points = std::move(points);
    m_targets = y;
    m_offset = standardisation.mean;
    m_scale = standardisation.scale;
    m_lengthScales = lengthScales;
    m_inverseSquaredLengthScales = lengthScales.array().square().inverse();
    m_signal = signal;
    m_noise = noise;
    m_cholesky = std::move(cholesky);
    m_hyper = report.hyper;
    m_ready = true;
    updateWeights();

    report.ok = true;
    report.logMarginalLikelihood = m_logLikelihood;
    report.jitter = jitter();
    return report;
}

void GaussianProcess::updateWeights() {
    const Eigen::Index n = m_n;
    const Eigen::VectorXd standardised = (m_targets.head(n).array() - m_offset) / m_scale;
    m_alpha = standardised;
    m_cholesky.solveInPlace(m_alpha);
    // R&W eq. 2.30 on the standardised targets, then the change of units y = m + s ỹ.
    m_logLikelihood = -0.5 * standardised.dot(m_alpha) - 0.5 * m_cholesky.logDeterminant() -
                      0.5 * static_cast<double>(n) * std::log(2.0 * std::numbers::pi) -
                      static_cast<double>(n) * std::log(m_scale);
}

FitReport GaussianProcess::condition(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                     const GpHyperparameters& hyper) {
    const auto start = std::chrono::steady_clock::now();
    if (x.rows() == 0 || x.cols() == 0 || y.size() != x.rows()) {
        throw std::invalid_argument("GaussianProcess::condition: need n ≥ 1 rows of x and n "
                                    "targets, got x " +
                                    std::to_string(x.rows()) + "×" + std::to_string(x.cols()) +
                                    " and " + std::to_string(y.size()) + " targets");
    }
    if (hyper.lengthScales.size() != static_cast<std::size_t>(x.cols())) {
        throw std::invalid_argument(
            "GaussianProcess::condition: " + std::to_string(hyper.lengthScales.size()) +
            " length-scales for dimension " + std::to_string(x.cols()));
    }
    FitReport report;
    report.samples = static_cast<int>(x.rows());
    report.hyper = hyper;
    report.logMarginalLikelihood = std::numeric_limits<double>::quiet_NaN();
    const Eigen::Map<const Eigen::VectorXd> ls(
        hyper.lengthScales.data(), static_cast<Eigen::Index>(hyper.lengthScales.size()));
    if (!x.allFinite() || !y.allFinite()) {
        report.message = "condition refused: an input or target is not finite; previous model kept";
        return report;
    }
    if (!(ls.array() > 0.0).all() || !ls.allFinite() || !(hyper.signalVariance > 0.0) ||
        !std::isfinite(hyper.signalVariance) || !(hyper.noiseVariance >= 0.0) ||
        !std::isfinite(hyper.noiseVariance)) {
        report.message = "condition refused: hyperparameters must be finite, length-scales and "
                         "signal variance positive, noise variance non-negative";
        return report;
    }
    const Standardisation st = standardise(y);
    const double s2 = st.scale * st.scale;
    report = conditionStandardised(x.transpose(), y, st, ls, hyper.signalVariance / s2,
                                   hyper.noiseVariance / s2);
    if (report.ok) {
        report.message = "conditioned on " + std::to_string(report.samples) + " samples";
    }
    report.seconds = seconds(start);
    return report;
}

FitReport GaussianProcess::fit(const Eigen::MatrixXd& x, const Eigen::VectorXd& y) {
    const auto start = std::chrono::steady_clock::now();
    if (x.rows() == 0 || x.cols() == 0 || y.size() != x.rows()) {
        throw std::invalid_argument("GaussianProcess::fit: need n ≥ 1 rows of x and n targets, "
                                    "got x " +
                                    std::to_string(x.rows()) + "×" + std::to_string(x.cols()) +
                                    " and " + std::to_string(y.size()) + " targets");
    }
    const Eigen::Index n = x.rows();
    const Eigen::Index d = x.cols();
    if (const auto problems = m_options.validate(static_cast<int>(d)); !problems.empty()) {
        std::string all;
        for (const auto& p : problems) {
            all += (all.empty() ? "" : "; ") + p;
        }
        throw core::InputError("gp options", all);
    }
    FitReport report;
    report.samples = static_cast<int>(n);
    report.logMarginalLikelihood = std::numeric_limits<double>::quiet_NaN();
    if (!x.allFinite() || !y.allFinite()) {
        report.message = "fit refused: an input or target is not finite; previous model kept";
        report.seconds = seconds(start);
        return report;
    }

    const Standardisation st = standardise(y);
    const Eigen::VectorXd standardised = (y.array() - st.mean) / st.scale;
    Eigen::MatrixXd points = x.transpose();

    // Box widths set the length-scale bounds: from the options, else the data's range.
    Eigen::VectorXd width(d);
    for (Eigen::Index i = 0; i < d; ++i) {
        const double w = m_options.lower.empty()
                             ? points.row(i).maxCoeff() - points.row(i).minCoeff()
                             : m_options.upper[static_cast<std::size_t>(i)] -
                                   m_options.lower[static_cast<std::size_t>(i)];
        width[i] = w > 0.0 ? w : 1.0;
    }
    const Eigen::Index p = d + 2;
    Eigen::VectorXd lowerBound(p);
    Eigen::VectorXd upperBound(p);
    lowerBound.head(d) = (width * m_options.minLengthScale).array().log();
    upperBound.head(d) = (width * m_options.maxLengthScale).array().log();
    lowerBound[d] = std::log(m_options.minSignalVariance);
    upperBound[d] = std::log(m_options.maxSignalVariance);
    lowerBound[d + 1] = std::log(m_options.noiseFloor);
    upperBound[d + 1] = std::log(m_options.noiseCeiling);

    MarginalLikelihood likelihood(m_options.kernel, points, standardised);
    Eigen::VectorXd best(p);
    double bestValue = -std::numeric_limits<double>::infinity();
    // L-BFGS-B minimises −log p. The best point of every evaluation is kept, so a restart that
    // ends in a line-search failure still contributes what it found.
    auto objective = [&](const Eigen::VectorXd& theta, Eigen::VectorXd& gradient) {
        const double value = likelihood.evaluate(theta, &gradient);
        if (!std::isfinite(value) || !gradient.allFinite()) {
            gradient.setZero(p);
            return kFailedObjective;
        }
        if (value > bestValue) {
            bestValue = value;
            best = theta;
        }
        gradient = -gradient;
        return -value;
    };

    LBFGSpp::LBFGSBParam<double> param;
    param.epsilon = kGradientTolerance;
    param.epsilon_rel = kGradientTolerance;
    param.past = 1;
    param.delta = kRelativeChangeTolerance;
    param.max_iterations = m_options.maxIterations;
    LBFGSpp::LBFGSBSolver<double> solver(param);

    std::mt19937_64 rng(m_options.seed);
    std::string lastFailure;
    for (int restart = 0; restart < m_options.restarts; ++restart) {
        Eigen::VectorXd theta(p);
        if (restart == 0) {
            const bool warm = m_options.warmStart && m_ready && m_dim == d;
            const double s2 = st.scale * st.scale;
            for (Eigen::Index i = 0; i < d; ++i) {
                theta[i] =
                    warm ? std::log(m_lengthScales[i]) : std::log(kStartLengthScale * width[i]);
            }
            theta[d] =
                warm ? std::log(m_hyper.signalVariance / s2) : std::log(kStartSignalVariance);
            theta[d + 1] =
                warm ? std::log(m_hyper.noiseVariance / s2) : std::log(kStartNoiseVariance);
        } else {
            for (Eigen::Index i = 0; i < d; ++i) {
                theta[i] = logUniform(rng, kRestartMinLengthScale * width[i],
                                      kRestartMaxLengthScale * width[i]);
            }
            theta[d] = logUniform(rng, kRestartMinSignalVariance, kRestartMaxSignalVariance);
            theta[d + 1] = logUniform(rng, kRestartMinNoiseVariance, kRestartMaxNoiseVariance);
        }
        theta = theta.cwiseMax(lowerBound).cwiseMin(upperBound);
        if (!theta.allFinite()) {
            theta = 0.5 * (lowerBound + upperBound);
        }
        double value = 0.0;
        try {
            solver.minimize(objective, theta, value, lowerBound, upperBound);
        } catch (const std::exception& e) {
            // LBFGS++ reports line-search trouble by throwing; the best point so far stands.
            ++report.restartsFailed;
            lastFailure = e.what();
        }
        ++report.restartsRun;
    }
    report.evaluations = likelihood.evaluations();

    if (!std::isfinite(bestValue)) {
        report.message = "fit failed: the likelihood was not finite at any point tried; previous "
                         "model kept";
        report.seconds = seconds(start);
        return report;
    }
    const int restartsRun = report.restartsRun;
    const int restartsFailed = report.restartsFailed;
    const int evaluations = report.evaluations;
    report = conditionStandardised(std::move(points), y, st, best.head(d).array().exp(),
                                   std::exp(best[d]), std::exp(best[d + 1]));
    report.restartsRun = restartsRun;
    report.restartsFailed = restartsFailed;
    report.evaluations = evaluations;
    report.seconds = seconds(start);
    if (report.ok) {
        std::ostringstream msg;
        msg.precision(6);
        msg << "fitted " << kernelName(m_options.kernel) << " GP on " << n
            << " samples: " << describe(report.hyper) << ", log marginal likelihood "
            << report.logMarginalLikelihood << ", jitter " << report.jitter << " (" << restartsRun
            << " restarts, " << evaluations << " evaluations";
        if (restartsFailed > 0) {
            msg << ", " << restartsFailed << " ended by a line-search failure: " << lastFailure;
        }
        msg << ")";
        report.message = msg.str();
    }
    core::engineLogger()->debug("gp: {} ({:.3f} s)", report.message, report.seconds);
    return report;
}

FitReport GaussianProcess::append(const Eigen::Ref<const Eigen::VectorXd>& x, double y) {
    const auto start = std::chrono::steady_clock::now();
    checkPoint(x.size());
    FitReport report;
    report.hyper = m_hyper;
    report.samples = m_n;
    if (!x.allFinite() || !std::isfinite(y)) {
        report.logMarginalLikelihood = std::numeric_limits<double>::quiet_NaN();
        report.message = "append refused: the sample is not finite; model unchanged";
        report.seconds = seconds(start);
        return report;
    }
    const Eigen::Index n = m_n;
    const Eigen::Index d = m_dim;
    Eigen::VectorXd column(n);
    Eigen::VectorXd gamma(n);
    crossCovariance(x.data(), column.data(), gamma.data());

    // Storage grows geometrically, like the factor's.
    if (m_points.cols() <= n) {
        const Eigen::Index capacity = std::max<Eigen::Index>(2 * n, 8);
        m_points.conservativeResize(d, capacity);
        m_targets.conservativeResize(capacity);
    }
    bool refactored = false;
    if (!m_cholesky.append(column, m_signal + m_noise)) {
        // The new pivot vanished (a duplicate with tiny noise): refactor with growing jitter.
        Eigen::MatrixXd all = m_points.leftCols(n + 1);
        all.col(n) = x;
        const Kernel kernel(m_kind, m_lengthScales, m_signal);
        Eigen::MatrixXd gram;
        kernel.gram(all, gram);
        gram.diagonal().array() += m_noise;
        JitteredCholesky fresh;
        if (!fresh.compute(gram)) {
            report.logMarginalLikelihood = std::numeric_limits<double>::quiet_NaN();
            report.message = "append failed: the kernel matrix could not be factored even with "
                             "jitter; model unchanged";
            report.seconds = seconds(start);
            return report;
        }
        m_cholesky = std::move(fresh);
        refactored = true;
    }
    m_points.col(n) = x;
    m_targets[n] = y;
    m_n = static_cast<int>(n + 1);
    m_offset = m_targets.head(n + 1).mean();
    updateWeights();

    report.ok = true;
    report.samples = m_n;
    report.logMarginalLikelihood = m_logLikelihood;
    report.jitter = jitter();
    report.message = refactored ? "appended sample " + std::to_string(m_n) +
                                      " by refactoring with jitter (the bordered update had no "
                                      "positive pivot)"
                                : "appended sample " + std::to_string(m_n);
    report.seconds = seconds(start);
    return report;
}

double GaussianProcess::bestTarget() const {
    return m_n == 0 ? std::numeric_limits<double>::quiet_NaN() : m_targets.head(m_n).minCoeff();
}

Eigen::MatrixXd GaussianProcess::inputs() const {
    return m_points.leftCols(m_n).transpose();
}

Eigen::VectorXd GaussianProcess::targets() const {
    return m_targets.head(m_n);
}

void GaussianProcess::crossCovariance(const double* x, double* kstar, double* gamma) const {
    const Eigen::Index d = m_dim;
    const double* w = m_inverseSquaredLengthScales.data();
    for (Eigen::Index i = 0; i < m_n; ++i) {
        const double* xi = m_points.col(i).data();
        double r2 = 0.0;
        for (Eigen::Index j = 0; j < d; ++j) {
            const double delta = x[j] - xi[j];
            r2 += delta * delta * w[j];
        }
        double kappa = 0.0;
        double g = 0.0;
        Kernel::shape(m_kind, r2, kappa, g);
        kstar[i] = m_signal * kappa;
        gamma[i] = m_signal * g;
    }
}

double GaussianProcess::mean(const Eigen::Ref<const Eigen::VectorXd>& x) const {
    checkPoint(x.size());
    const Eigen::Index d = m_dim;
    const double* w = m_inverseSquaredLengthScales.data();
    const double* xp = x.data();
    double sum = 0.0;
    for (Eigen::Index i = 0; i < m_n; ++i) {
        const double* xi = m_points.col(i).data();
        double r2 = 0.0;
        for (Eigen::Index j = 0; j < d; ++j) {
            const double delta = xp[j] - xi[j];
            r2 += delta * delta * w[j];
        }
        double kappa = 0.0;
        double g = 0.0;
        Kernel::shape(m_kind, r2, kappa, g);
        sum += m_alpha[i] * kappa;
    }
    return m_offset + m_scale * m_signal * sum;
}

double GaussianProcess::meanAndGradient(const Eigen::Ref<const Eigen::VectorXd>& x,
                                        Eigen::Ref<Eigen::VectorXd> gradient) const {
    checkPoint(x.size());
    if (gradient.size() != m_dim) {
        throw std::invalid_argument(
            "GaussianProcess::meanAndGradient: gradient has the wrong size");
    }
    const Eigen::Index d = m_dim;
    const double* w = m_inverseSquaredLengthScales.data();
    const double* xp = x.data();
    double* g = gradient.data();
    std::fill(g, g + d, 0.0);
    double sum = 0.0;
    // One pass: k(x, x_i) and ∂k/∂x = −σf² γ (x − x_i)/ℓ² share the distance and the exponential.
    for (Eigen::Index i = 0; i < m_n; ++i) {
        const double* xi = m_points.col(i).data();
        double r2 = 0.0;
        for (Eigen::Index j = 0; j < d; ++j) {
            const double delta = xp[j] - xi[j];
            r2 += delta * delta * w[j];
        }
        double kappa = 0.0;
        double gamma = 0.0;
        Kernel::shape(m_kind, r2, kappa, gamma);
        sum += m_alpha[i] * kappa;
        const double c = m_alpha[i] * gamma;
        for (Eigen::Index j = 0; j < d; ++j) {
            g[j] -= c * (xp[j] - xi[j]);
        }
    }
    const double factor = m_scale * m_signal;
    for (Eigen::Index j = 0; j < d; ++j) {
        g[j] *= factor * w[j];
    }
    return m_offset + factor * sum;
}

Prediction GaussianProcess::predict(const Eigen::Ref<const Eigen::VectorXd>& x,
                                    bool withGradient) const {
    checkPoint(x.size());
    const Eigen::Index n = m_n;
    const Eigen::Index d = m_dim;
    // Per-thread scratch: predictions are const and may run on several threads at once (multi-
    // start acquisition search); a buffer per thread avoids both allocation and shared state.
    thread_local Eigen::VectorXd kstarBuffer;
    thread_local Eigen::VectorXd gammaBuffer;
    if (kstarBuffer.size() < n) {
        kstarBuffer.resize(n);
        gammaBuffer.resize(n);
    }
    auto kstar = kstarBuffer.head(n);
    auto gamma = gammaBuffer.head(n);
    crossCovariance(x.data(), kstar.data(), gamma.data());

    Prediction out;
    const double s2 = m_scale * m_scale;
    out.mean = m_offset + m_scale * kstar.dot(m_alpha);
    if (withGradient) {
        // ∂μ/∂x_j = Σ_i α_i ∂k_i/∂x_j = −Σ_i α_i σf² γ_i (x_j − x_ij)/ℓ_j².
        out.meanGradient.assign(static_cast<std::size_t>(d), 0.0);
        for (Eigen::Index i = 0; i < n; ++i) {
            const double c = m_alpha[i] * gamma[i];
            for (Eigen::Index j = 0; j < d; ++j) {
                out.meanGradient[static_cast<std::size_t>(j)] -= c * (x[j] - m_points(j, i));
            }
        }
        for (Eigen::Index j = 0; j < d; ++j) {
            out.meanGradient[static_cast<std::size_t>(j)] *=
                m_scale * m_inverseSquaredLengthScales[j];
        }
    }
    // v = L⁻¹k*, σ² = k(x, x) − vᵀv (R&W Algorithm 2.1, lines 5–6).
    Eigen::Ref<Eigen::VectorXd> v(kstar);
    m_cholesky.solveLowerInPlace(v);
    out.variance = s2 * std::max(0.0, m_signal - v.squaredNorm());
    if (withGradient) {
        // β = L⁻ᵀv = K_y⁻¹k*; ∂σ²/∂x_j = −2 Σ_i β_i ∂k_i/∂x_j = 2 Σ_i β_i σf² γ_i (x_j −
        // x_ij)/ℓ_j².
        m_cholesky.solveUpperInPlace(v);
        out.varianceGradient.assign(static_cast<std::size_t>(d), 0.0);
        for (Eigen::Index i = 0; i < n; ++i) {
            const double c = v[i] * gamma[i];
            for (Eigen::Index j = 0; j < d; ++j) {
                out.varianceGradient[static_cast<std::size_t>(j)] += c * (x[j] - m_points(j, i));
            }
        }
        for (Eigen::Index j = 0; j < d; ++j) {
            out.varianceGradient[static_cast<std::size_t>(j)] *=
                2.0 * s2 * m_inverseSquaredLengthScales[j];
        }
    }
    return out;
}

BatchPrediction GaussianProcess::predictBatch(const Eigen::MatrixXd& x, bool withGradient) const {
    checkPoint(x.cols());
    const Eigen::Index m = x.rows();
    const Eigen::Index n = m_n;
    const Eigen::Index d = m_dim;
    BatchPrediction out;
    out.count = static_cast<int>(m);
    out.dimension = static_cast<int>(d);
    out.mean.resize(static_cast<std::size_t>(m));
    out.variance.resize(static_cast<std::size_t>(m));
    if (withGradient) {
        out.meanGradient.resize(static_cast<std::size_t>(m * d));
        out.varianceGradient.resize(static_cast<std::size_t>(m * d));
        for (Eigen::Index r = 0; r < m; ++r) {
            const Eigen::VectorXd point = x.row(r).transpose();
            const Prediction p = predict(point, true);
            const auto row = static_cast<std::size_t>(r);
            out.mean[row] = p.mean;
            out.variance[row] = p.variance;
            std::copy(p.meanGradient.begin(), p.meanGradient.end(),
                      out.meanGradient.begin() + static_cast<std::ptrdiff_t>(row * d));
            std::copy(p.varianceGradient.begin(), p.varianceGradient.end(),
                      out.varianceGradient.begin() + static_cast<std::ptrdiff_t>(row * d));
        }
        return out;
    }
    const double s2 = m_scale * m_scale;
    const Eigen::MatrixXd points = x.transpose(); // d × m, contiguous points
    Eigen::MatrixXd kstar(n, std::min(m, kBatchBlock));
    Eigen::VectorXd gamma(n);
    for (Eigen::Index first = 0; first < m; first += kBatchBlock) {
        const Eigen::Index count = std::min(kBatchBlock, m - first);
        for (Eigen::Index c = 0; c < count; ++c) {
            crossCovariance(points.col(first + c).data(), kstar.col(c).data(), gamma.data());
        }
        auto block = kstar.leftCols(count);
        const Eigen::VectorXd means = block.transpose() * m_alpha;
        m_cholesky.solveLowerColumnsInPlace(block);
        const Eigen::VectorXd quadratic = block.colwise().squaredNorm().transpose();
        for (Eigen::Index c = 0; c < count; ++c) {
            const auto row = static_cast<std::size_t>(first + c);
            out.mean[row] = m_offset + m_scale * means[c];
            out.variance[row] = s2 * std::max(0.0, m_signal - quadratic[c]);
        }
    }
    return out;
}

} // namespace bt::gp
