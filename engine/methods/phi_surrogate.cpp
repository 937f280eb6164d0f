#include "engine/methods/phi_surrogate.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

#include <Eigen/Core>

#include "engine/gp/gaussian_process.h"

namespace bt::methods {

namespace {

constexpr double kSmallestPhi = 1e-12;

// The paper approximates the lower-level optimal value function φ by Gaussian-process regression
// (arXiv 2208.12118); kernel, bounds and restarts are ours (ALGORITHM.md §2.3).
gp::GpOptions surrogateOptions(const Box& box, int restarts, uint64_t seed) {
    gp::GpOptions options;
    options.kernel = gp::KernelKind::Matern52;
    options.restarts = restarts;
    options.seed = seed;
    options.lower = box.lower;
    options.upper = box.upper;
    return options;
}

SurrogateFit summary(const gp::FitReport& report) {
    SurrogateFit fit;
    fit.lengthScales = report.hyper.lengthScales;
    fit.signalVariance = report.hyper.signalVariance;
    fit.noiseVariance = report.hyper.noiseVariance;
    fit.logMarginalLikelihood = report.logMarginalLikelihood;
    fit.jitter = report.jitter;
    fit.seconds = report.seconds;
    fit.ok = report.ok;
    fit.message = report.message;
    return fit;
}

} // namespace

events::GpRefitEvent gpRefitEvent(const std::string& method, int samples, const SurrogateFit& fit) {
    events::GpRefitEvent event;
    event.method = method;
    event.samples = samples;
    event.lengthScales = fit.lengthScales;
    event.signalVariance = fit.signalVariance;
    event.noiseVariance = fit.noiseVariance;
    event.logMarginalLikelihood = fit.logMarginalLikelihood;
    event.jitter = fit.jitter;
    event.seconds = fit.seconds;
    return event;
}

PhiSurrogate::PhiSurrogate(const Box& box, int restarts, uint64_t seed, bool logScale)
    : m_gp(std::make_unique<gp::GaussianProcess>(surrogateOptions(box, restarts, seed))),
      m_box(box), m_seed(seed), m_logScale(logScale) {}

PhiSurrogate::~PhiSurrogate() = default;
PhiSurrogate::PhiSurrogate(PhiSurrogate&&) noexcept = default;
PhiSurrogate& PhiSurrogate::operator=(PhiSurrogate&&) noexcept = default;

std::pair<Eigen::MatrixXd, Eigen::VectorXd>
PhiSurrogate::inputs(const std::vector<std::vector<double>>& x,
                     const std::vector<double>& y) const {
    const auto n = static_cast<Eigen::Index>(x.size());
    const auto d = static_cast<Eigen::Index>(m_box.dimension());
    Eigen::MatrixXd points(n, d);
    Eigen::VectorXd targets(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        for (Eigen::Index j = 0; j < d; ++j) {
            points(i, j) = x[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
        }
        const double value = y[static_cast<std::size_t>(i)];
        // bilevel.log_surrogate [ours] (ALGORITHM.md §2.4). A φ of exactly 0 (a perfectly fitted
        // regression without penalty) stays finite.
        targets(i) = m_logScale ? std::log(std::max(value, kSmallestPhi)) : value;
    }
    return {std::move(points), std::move(targets)};
}

SurrogateFit PhiSurrogate::fit(const std::vector<std::vector<double>>& x,
                               const std::vector<double>& y) {
    const auto [points, targets] = inputs(x, y);
    // Each refit draws fresh restarts, reproducibly: the seed advances with the fit count.
    auto options = m_gp->options();
    options.seed = m_seed + static_cast<uint64_t>(m_fits++);
    m_gp->setOptions(options);
    return summary(m_gp->fit(points, targets));
}

SurrogateFit PhiSurrogate::condition(const std::vector<std::vector<double>>& x,
                                     const std::vector<double>& y,
                                     const gp::GpHyperparameters& hyper) {
    const auto [points, targets] = inputs(x, y);
    return summary(m_gp->condition(points, targets, hyper));
}

bool PhiSurrogate::ready() const {
    return m_gp->isReady();
}

std::pair<double, std::vector<double>>
PhiSurrogate::valueAndGradient(const std::vector<double>& lambda) const {
    // φ̂(λ) and ∇φ̂(λ), the analytic gradient that ∇_λ L_A needs (ALGORITHM.md §2.3, §3.1).
    if (!m_gp->isReady()) {
        throw std::logic_error("PhiSurrogate queried before a successful fit");
    }
    const Eigen::Map<const Eigen::VectorXd> x(lambda.data(),
                                              static_cast<Eigen::Index>(lambda.size()));
    std::vector<double> gradient(lambda.size());
    Eigen::Map<Eigen::VectorXd> g(gradient.data(), static_cast<Eigen::Index>(gradient.size()));
    const double mean = m_gp->meanAndGradient(x, g);
    if (!m_logScale) {
        return {mean, gradient};
    }
    const double value = std::exp(mean);
    g *= value;
    return {value, gradient};
}

std::pair<double, double> PhiSurrogate::meanAndStddev(const std::vector<double>& lambda) const {
    const Eigen::Map<const Eigen::VectorXd> x(lambda.data(),
                                              static_cast<Eigen::Index>(lambda.size()));
    const auto p = m_gp->predict(x, false);
    const double stddev = std::sqrt(std::max(p.variance, 0.0));
    if (!m_logScale) {
        return {p.mean, stddev};
    }
    const double value = std::exp(p.mean);
    return {value, value * stddev};
}

} // namespace bt::methods
