#include "engine/gp/kernel.h"

#include <cmath>

namespace bt::gp {

std::string_view kernelName(KernelKind kind) noexcept {
    switch (kind) {
    case KernelKind::Matern52:
        return "matern52";
    case KernelKind::Rbf:
        return "rbf";
    }
    return "unknown";
}

Kernel::Kernel(KernelKind kind, const Eigen::VectorXd& lengthScales, double signalVariance)
    : m_kind(kind), m_inverseSquaredLengthScales(lengthScales.array().square().inverse()),
      m_signalVariance(signalVariance) {}

double Kernel::scaledSquaredDistance(const Eigen::Ref<const Eigen::VectorXd>& a,
                                     const Eigen::Ref<const Eigen::VectorXd>& b) const {
    return ((a - b).array().square() * m_inverseSquaredLengthScales.array()).sum();
}

double Kernel::operator()(const Eigen::Ref<const Eigen::VectorXd>& a,
                          const Eigen::Ref<const Eigen::VectorXd>& b) const {
    double kappa = 0.0;
    double gamma = 0.0;
    shape(m_kind, scaledSquaredDistance(a, b), kappa, gamma);
    return m_signalVariance * kappa;
}

double Kernel::gradient(const Eigen::Ref<const Eigen::VectorXd>& a,
                        const Eigen::Ref<const Eigen::VectorXd>& b,
                        Eigen::Ref<Eigen::VectorXd> gradient) const {
    double kappa = 0.0;
    double gamma = 0.0;
    shape(m_kind, scaledSquaredDistance(a, b), kappa, gamma);
    gradient = -m_signalVariance * gamma *
               ((a - b).array() * m_inverseSquaredLengthScales.array()).matrix();
    return m_signalVariance * kappa;
}

void Kernel::gram(const Eigen::Ref<const Eigen::MatrixXd>& points, Eigen::MatrixXd& out) const {
    const Eigen::Index n = points.cols();
    const Eigen::Index d = points.rows();
    out.resize(n, n);
    for (Eigen::Index j = 0; j < n; ++j) {
        out(j, j) = m_signalVariance;
        for (Eigen::Index i = j + 1; i < n; ++i) {
            double r2 = 0.0;
            for (Eigen::Index k = 0; k < d; ++k) {
                const double delta = points(k, i) - points(k, j);
                r2 += delta * delta * m_inverseSquaredLengthScales[k];
            }
            double kappa = 0.0;
            double gamma = 0.0;
            shape(m_kind, r2, kappa, gamma);
            out(i, j) = m_signalVariance * kappa;
            out(j, i) = out(i, j);
        }
    }
}

} // namespace bt::gp
