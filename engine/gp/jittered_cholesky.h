#pragma once

#include <Eigen/Core>

namespace bt::gp {

/// Cholesky factor L Lᵀ = A + jitter·I of a symmetric positive semi-definite matrix that may be
/// numerically singular (duplicate inputs, long length-scales, tiny noise).
///
/// compute() first tries jitter = 0 and then adds a jitter that grows tenfold per attempt, from
/// kFirstRelativeJitter to kLastRelativeJitter times the mean of A's diagonal, until the factor
/// exists and its smallest pivot is a meaningful fraction of the diagonal; the jitter used is
/// reported, never hidden. append() extends the factor by one row in O(n²) (the bordered
/// Cholesky update) and keeps the jitter. Storage grows geometrically so that appending does not
/// copy the factor each time.
///
/// Failure is a value: compute() and append() return false and leave a usable previous state
/// (append) or an empty factor (compute); they never throw for numerical reasons.
class JitteredCholesky {
public:
    /// First non-zero jitter, relative to the mean diagonal of A.
    static constexpr double kFirstRelativeJitter = 1e-10;
    /// Largest jitter tried, relative to the mean diagonal of A; beyond it the matrix is treated
    /// as broken (non-finite entries, negative diagonal).
    static constexpr double kLastRelativeJitter = 1e-1;
    /// Smallest accepted squared pivot, relative to the mean diagonal of A: below it the factor
    /// exists in floating point but its solves amplify rounding by more than 1e12.
    static constexpr double kMinRelativePivot = 1e-12;

    /// Factor A (n × n, symmetric; only the lower triangle is read).
    /// Post (on true): size() == n, jitter() is the jitter added to the diagonal.
    /// On false (no jitter up to kLastRelativeJitter worked, or A is not finite): size() == 0.
    bool compute(const Eigen::Ref<const Eigen::MatrixXd>& a);

    /// Extend the factor of A to the factor of [[A, c], [cᵀ, diagonal]] + jitter·I, with the
    /// jitter of the current factor, in O(n²): solve L l = c, pivot² = diagonal + jitter − lᵀl.
    /// Pre: column.size() == size(). Returns false (and leaves the factor unchanged) when the
    /// pivot is not positive enough; the caller then refactors from scratch with compute().
    bool append(const Eigen::Ref<const Eigen::VectorXd>& column, double diagonal);

    /// Number of rows of the factor (0 when empty or after a failed compute()).
    int size() const noexcept { return m_size; }
    /// Jitter added to the diagonal of A (same units as A); 0 when none was needed.
    double jitter() const noexcept { return m_jitter; }

    /// The lower-triangular factor L (a view into the storage, valid until the next append or
    /// compute).
    Eigen::Block<const Eigen::MatrixXd> matrixL() const {
        return m_storage.topLeftCorner(m_size, m_size);
    }

    /// b ← L⁻¹ b (forward substitution, O(n²), no allocation). Pre: b.size() == size().
    void solveLowerInPlace(Eigen::Ref<Eigen::VectorXd> b) const;
    /// b ← L⁻ᵀ b (back substitution). Pre: b.size() == size().
    void solveUpperInPlace(Eigen::Ref<Eigen::VectorXd> b) const;
    /// B ← L⁻¹ B for a matrix of right-hand sides (one per column).
    void solveLowerColumnsInPlace(Eigen::Ref<Eigen::MatrixXd> b) const;
    /// b ← (A + jitter·I)⁻¹ b through the factor (two triangular solves, O(n²)).
    void solveInPlace(Eigen::Ref<Eigen::VectorXd> b) const;
    /// B ← (A + jitter·I)⁻¹ B for a matrix of right-hand sides, O(n² m).
    void solveColumnsInPlace(Eigen::Ref<Eigen::MatrixXd> b) const;
    /// out ← (A + jitter·I)⁻¹ = L⁻ᵀL⁻¹, symmetric, in (2/3)n³ flops: L⁻¹ by recursive blocked
    /// triangular inversion, then the lower triangle of L⁻ᵀL⁻¹ by the recursive product of
    /// LAPACK's dpotri (dtrtri + dlauum). Two triangular solves against the identity cost 2n³.
    /// Only for quantities that need the inverse itself (the trace terms of the likelihood
    /// gradient, R&W eq. 5.9); solve linear systems with solveInPlace().
    void inverse(Eigen::MatrixXd& out) const;
    /// log det(A + jitter·I) = 2 Σ log L_ii.
    double logDeterminant() const;

private:
    bool tryFactor(const Eigen::Ref<const Eigen::MatrixXd>& a, double jitter, double minPivot);
    void reserve(int capacity);

    Eigen::MatrixXd m_storage; // capacity × capacity; the factor is its top-left size × size block
    int m_size = 0;
    double m_jitter = 0.0;
    double m_minPivot = 0.0; // absolute squared-pivot threshold of the last compute()
};

} // namespace bt::gp
