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

/// Lower and upper bounds of θ = (log ℓ, log σf², log σn²).
struct SearchBox {
    Eigen::VectorXd lower;
    Eigen::VectorXd upper;
};

/// What the restarts of the likelihood maximisation found: the best θ of every evaluation.
struct LikelihoodSearch {
    Eigen::VectorXd best;
    double bestValue = -std::numeric_limits<double>::infinity();
    int restartsRun = 0;
    int restartsFailed = 0;
    std::string lastFailure; ///< the error of the last restart ended by a line-search failure
};

void requireFitShape(const Eigen::MatrixXd& x, const Eigen::VectorXd& y) {
    if (x.rows() == 0 || x.cols() == 0 || y.size() != x.rows()) {
        throw std::invalid_argument("GaussianProcess::fit: need n ≥ 1 rows of x and n targets, "
                                    "got x " +
                                    std::to_string(x.rows()) + "×" + std::to_string(x.cols()) +
                                    " and " + std::to_string(y.size()) + " targets");
    }
}

void requireValidOptions(const GpOptions& options, Eigen::Index d) {
    if (const auto problems = options.validate(static_cast<int>(d)); !problems.empty()) {
        std::string all;
        for (const auto& p : problems) {
            all += (all.empty() ? "" : "; ") + p;
        }
        throw core::InputError("gp options", all);
    }
}

/// Box widths set the length-scale bounds: from the options, else the data's range.
Eigen::VectorXd boxWidths(const GpOptions& options, const Eigen::MatrixXd& points) {
    const Eigen::Index d = points.rows();
    Eigen::VectorXd width(d);
    for (Eigen::Index i = 0; i < d; ++i) {
        const double w = options.lower.empty() ? points.row(i).maxCoeff() - points.row(i).minCoeff()
                                               : options.upper[static_cast<std::size_t>(i)] -
                                                     options.lower[static_cast<std::size_t>(i)];
        width[i] = w > 0.0 ? w : 1.0;
    }
    return width;
}

SearchBox searchBox(const GpOptions& options, const Eigen::VectorXd& width) {
    const Eigen::Index d = width.size();
    const Eigen::Index p = d + 2;
    SearchBox box{Eigen::VectorXd(p), Eigen::VectorXd(p)};
    box.lower.head(d) = (width * options.minLengthScale).array().log();
    box.upper.head(d) = (width * options.maxLengthScale).array().log();
    box.lower[d] = std::log(options.minSignalVariance);
    box.upper[d] = std::log(options.maxSignalVariance);
    box.lower[d + 1] = std::log(options.noiseFloor);
    box.upper[d + 1] = std::log(options.noiseCeiling);
    return box;
}

/// The first restart's start without a previous fit.
Eigen::VectorXd defaultStart(const Eigen::VectorXd& width) {
    const Eigen::Index d = width.size();
    Eigen::VectorXd theta(d + 2);
    for (Eigen::Index i = 0; i < d; ++i) {
        theta[i] = std::log(kStartLengthScale * width[i]);
    }
    theta[d] = std::log(kStartSignalVariance);
    theta[d + 1] = std::log(kStartNoiseVariance);
    return theta;
}

/// The first restart's start from the previous fit (warm start); `s2` is the square of the new
/// targets' scale.
Eigen::VectorXd previousFitStart(const Eigen::VectorXd& lengthScales,
                                 const GpHyperparameters& hyper, double s2) {
    const Eigen::Index d = lengthScales.size();
    Eigen::VectorXd theta(d + 2);
    for (Eigen::Index i = 0; i < d; ++i) {
        theta[i] = std::log(lengthScales[i]);
    }
    theta[d] = std::log(hyper.signalVariance / s2);
    theta[d + 1] = std::log(hyper.noiseVariance / s2);
    return theta;
}

/// A random restart's start, log-uniform in the restart ranges.
Eigen::VectorXd randomStart(std::mt19937_64& rng, const Eigen::VectorXd& width) {
    const Eigen::Index d = width.size();
    Eigen::VectorXd theta(d + 2);
    for (Eigen::Index i = 0; i < d; ++i) {
        theta[i] =
            logUniform(rng, kRestartMinLengthScale * width[i], kRestartMaxLengthScale * width[i]);
    }
    theta[d] = logUniform(rng, kRestartMinSignalVariance, kRestartMaxSignalVariance);
    theta[d + 1] = logUniform(rng, kRestartMinNoiseVariance, kRestartMaxNoiseVariance);
    return theta;
}

LBFGSpp::LBFGSBParam<double> solverParameters(int maxIterations) {
    LBFGSpp::LBFGSBParam<double> param;
    param.epsilon = kGradientTolerance;
    param.epsilon_rel = kGradientTolerance;
    param.past = 1;
    param.delta = kRelativeChangeTolerance;
    param.max_iterations = maxIterations;
    return param;
}

/// Maximises the likelihood over `box` with L-BFGS-B from options.restarts starts: `firstStart`,
/// then seeded random ones.
LikelihoodSearch maximiseLikelihood(MarginalLikelihood& likelihood, const GpOptions& options,
                                    const SearchBox& box, const Eigen::VectorXd& width,
                                    const Eigen::VectorXd& firstStart) {
    const Eigen::Index p = box.lower.size();
    LikelihoodSearch search;
    search.best = Eigen::VectorXd(p);
    // L-BFGS-B minimises −log p. The best point of every evaluation is kept, so a restart that
    // ends in a line-search failure still contributes what it found.
    auto objective = [&](const Eigen::VectorXd& theta, Eigen::VectorXd& gradient) {
        const double value = likelihood.evaluate(theta, &gradient);
        if (!std::isfinite(value) || !gradient.allFinite()) {
            gradient.setZero(p);
            return kFailedObjective;
        }
        if (value > search.bestValue) {
            search.bestValue = value;
            search.best = theta;
        }
        gradient = -gradient;
        return -value;
    };
    // The solver keeps a reference to its parameters.
    const LBFGSpp::LBFGSBParam<double> param = solverParameters(options.maxIterations);
    LBFGSpp::LBFGSBSolver<double> solver(param);
    std::mt19937_64 rng(options.seed);
    for (int restart = 0; restart < options.restarts; ++restart) {
        Eigen::VectorXd theta = restart == 0 ? firstStart : randomStart(rng, width);
        theta = theta.cwiseMax(box.lower).cwiseMin(box.upper);
        if (!theta.allFinite()) {
            theta = 0.5 * (box.lower + box.upper);
        }
        double value = 0.0;
        try {
            solver.minimize(objective, theta, value, box.lower, box.upper);
        } catch (const std::exception& e) {
            // LBFGS++ reports line-search trouble by throwing; the best point so far stands.
            ++search.restartsFailed;
            search.lastFailure = e.what();
        }
        ++search.restartsRun;
    }
    return search;
}

/// The report's message after a fit that conditioned the model.
std::string fittedMessage(KernelKind kernel, Eigen::Index n, const FitReport& report,
                          const std::string& lastFailure) {
    std::ostringstream msg;
    msg.precision(6);
    msg << "fitted " << kernelName(kernel) << " GP on " << n
        << " samples: " << describe(report.hyper) << ", log marginal likelihood "
        << report.logMarginalLikelihood << ", jitter " << report.jitter << " ("
        << report.restartsRun << " restarts, " << report.evaluations << " evaluations";
    if (report.restartsFailed > 0) {
        msg << ", " << report.restartsFailed << " ended by a line-search failure: " << lastFailure;
    }
    msg << ")";
    return msg.str();
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
    requireFitShape(x, y);
    const Eigen::Index n = x.rows();
    const Eigen::Index d = x.cols();
    requireValidOptions(m_options, d);
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
    const Eigen::VectorXd width = boxWidths(m_options, points);
    const SearchBox box = searchBox(m_options, width);
    const bool warm = m_options.warmStart && m_ready && m_dim == d;
    const Eigen::VectorXd firstStart =
        warm ? previousFitStart(m_lengthScales, m_hyper, st.scale * st.scale) : defaultStart(width);
    MarginalLikelihood likelihood(m_options.kernel, points, standardised);
    const LikelihoodSearch search =
        maximiseLikelihood(likelihood, m_options, box, width, firstStart);
    report.restartsRun = search.restartsRun;
    report.restartsFailed = search.restartsFailed;
    report.evaluations = likelihood.evaluations();

    if (!std::isfinite(search.bestValue)) {
        report.message = "fit failed: the likelihood was not finite at any point tried; previous "
                         "model kept";
        report.seconds = seconds(start);
        return report;
    }
    const int evaluations = report.evaluations;
    report = conditionStandardised(std::move(points), y, st, search.best.head(d).array().exp(),
                                   std::exp(search.best[d]), std::exp(search.best[d + 1]));
    report.restartsRun = search.restartsRun;
    report.restartsFailed = search.restartsFailed;
    report.evaluations = evaluations;
    report.seconds = seconds(start);
    if (report.ok) {
        report.message = fittedMessage(m_options.kernel, n, report, search.lastFailure);
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

} // namespace bt::gp
