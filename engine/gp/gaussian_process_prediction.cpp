// GaussianProcess's predictions: the posterior mean, variance and their gradients at given inputs.

#include <algorithm>
#include <cstddef>
#include <stdexcept>

#include "engine/gp/gaussian_process.h"

namespace bt::gp {

namespace {

/// Points per block in predictBatch(): bounds the n × block cross-covariance workspace.
constexpr Eigen::Index kBatchBlock = 256;

/// κ(r²) and γ(r²) of the kernel (Kernel::shape) between two points.
struct RadialShape {
    double kappa = 0.0;
    double gamma = 0.0;
};

/// Kernel::shape at the scaled squared distance r² = Σ_j (x_j − x_ij)² w_j of x and x_i, where
/// w = 1/ℓ² (d entries each).
RadialShape radialShape(KernelKind kind, const double* x, const double* xi, const double* w,
                        Eigen::Index d) {
    double r2 = 0.0;
    for (Eigen::Index j = 0; j < d; ++j) {
        const double delta = x[j] - xi[j];
        r2 += delta * delta * w[j];
    }
    RadialShape shape;
    Kernel::shape(kind, r2, shape.kappa, shape.gamma);
    return shape;
}

} // namespace

void GaussianProcess::crossCovariance(const double* x, double* kstar, double* gamma) const {
    const Eigen::Index d = m_dim;
    const double* w = m_inverseSquaredLengthScales.data();
    for (Eigen::Index i = 0; i < m_n; ++i) {
        const RadialShape shape = radialShape(m_kind, x, m_points.col(i).data(), w, d);
        kstar[i] = m_signal * shape.kappa;
        gamma[i] = m_signal * shape.gamma;
    }
}

double GaussianProcess::mean(const Eigen::Ref<const Eigen::VectorXd>& x) const {
    checkPoint(x.size());
    const Eigen::Index d = m_dim;
    const double* w = m_inverseSquaredLengthScales.data();
    const double* xp = x.data();
    double sum = 0.0;
    for (Eigen::Index i = 0; i < m_n; ++i) {
        sum += m_alpha[i] * radialShape(m_kind, xp, m_points.col(i).data(), w, d).kappa;
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
        const RadialShape shape = radialShape(m_kind, xp, xi, w, d);
        sum += m_alpha[i] * shape.kappa;
        const double c = m_alpha[i] * shape.gamma;
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
