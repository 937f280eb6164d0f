#pragma once

#include <cmath>
#include <string_view>

#include <Eigen/Core>

namespace bt::gp {

/// Covariance function family. Both are stationary with one length-scale per input dimension
/// (automatic relevance determination, Rasmussen & Williams 2006, §5.1).
enum class KernelKind {
    Matern52, ///< Matérn ν = 5/2, R&W eq. 4.17: twice differentiable sample paths (the default).
    Rbf,      ///< Squared exponential, R&W eq. 4.9: infinitely differentiable sample paths.
};

/// Lower-case name of a kernel kind ("matern52", "rbf"), for logs and reports.
std::string_view kernelName(KernelKind kind) noexcept;

/// An ARD stationary kernel k(x, x') = σf² · κ(r²) with the scaled squared distance
/// r² = Σ_i (x_i − x'_i)² / ℓ_i².
///
/// Every derivative the GP needs follows from one radial factor γ(r²) (see shape()):
///   ∂k/∂x_i          = −σf² γ(r²) (x_i − x'_i) / ℓ_i²     (gradient of the posterior, R&W §9.4)
///   ∂k/∂log ℓ_i      =  σf² γ(r²) (x_i − x'_i)² / ℓ_i²    (likelihood gradient, R&W eq. 5.9)
///   ∂k/∂log σf²      =  k
/// so one pass over the data gives k and every derivative; for the Matérn kernel this also avoids
/// the 1/r of dk/dr at r = 0.
class Kernel {
public:
    /// @param kind            the covariance family
    /// @param lengthScales    ℓ_i > 0, one per input dimension (input units)
    /// @param signalVariance  σf² > 0 (target units²)
    Kernel(KernelKind kind, const Eigen::VectorXd& lengthScales, double signalVariance);

    /// κ(r²) and γ(r²) for a unit signal variance, at the scaled squared distance r² ≥ 0.
    ///   Matérn 5/2 (s = √5 r): κ = (1 + s + s²/3) e^{−s},  γ = (5/3)(1 + s) e^{−s}
    ///   RBF:                   κ = e^{−r²/2},              γ = κ
    /// γ = −2 dκ/d(r²), so ∂κ/∂x_i = −γ (x_i − x'_i)/ℓ_i². Inline: it is the predict hot path.
    static void shape(KernelKind kind, double r2, double& kappa, double& gamma) noexcept {
        if (kind == KernelKind::Rbf) {
            kappa = std::exp(-0.5 * r2);
            gamma = kappa;
            return;
        }
        const double s = kSqrt5 * std::sqrt(r2);
        const double e = std::exp(-s);
        kappa = (1.0 + s + s * s / 3.0) * e;
        gamma = (5.0 / 3.0) * (1.0 + s) * e;
    }

    /// k(a, b). Pre: a.size() == b.size() == dimension().
    double operator()(const Eigen::Ref<const Eigen::VectorXd>& a,
                      const Eigen::Ref<const Eigen::VectorXd>& b) const;

    /// ∂k(a, b)/∂a, written to `gradient` (size dimension()). Returns k(a, b).
    double gradient(const Eigen::Ref<const Eigen::VectorXd>& a,
                    const Eigen::Ref<const Eigen::VectorXd>& b,
                    Eigen::Ref<Eigen::VectorXd> gradient) const;

    /// The n × n Gram matrix of the columns of `points` (d × n, one point per column), without
    /// noise. Post: `out` is symmetric with σf² on the diagonal.
    void gram(const Eigen::Ref<const Eigen::MatrixXd>& points, Eigen::MatrixXd& out) const;

    KernelKind kind() const noexcept { return m_kind; }
    int dimension() const noexcept { return static_cast<int>(m_inverseSquaredLengthScales.size()); }
    double signalVariance() const noexcept { return m_signalVariance; }
    /// 1/ℓ_i², the weights of the scaled distance.
    const Eigen::VectorXd& inverseSquaredLengthScales() const noexcept {
        return m_inverseSquaredLengthScales;
    }

    /// Scaled squared distance r² between a and b.
    double scaledSquaredDistance(const Eigen::Ref<const Eigen::VectorXd>& a,
                                 const Eigen::Ref<const Eigen::VectorXd>& b) const;

    static constexpr double kSqrt5 = 2.23606797749978969641;

private:
    KernelKind m_kind;
    Eigen::VectorXd m_inverseSquaredLengthScales;
    double m_signalVariance;
};

} // namespace bt::gp
