#include "engine/gp/jittered_cholesky.h"

#include <algorithm>
#include <cmath>

#include <Eigen/Cholesky>

namespace bt::gp {

namespace {

/// Below this size the recursions switch to plain triangular solves and products.
constexpr Eigen::Index kRecursionBlock = 64;

/// t ← t⁻¹ for the lower-triangular t (strictly upper part ignored and kept). With
/// t = [[A, 0], [B, C]]: t⁻¹ = [[A⁻¹, 0], [−C⁻¹BA⁻¹, C⁻¹]] (LAPACK dtrtri, recursive form).
void invertLowerInPlace(Eigen::Ref<Eigen::MatrixXd> t) {
    const Eigen::Index n = t.rows();
    if (n <= kRecursionBlock) {
        Eigen::MatrixXd inverse = Eigen::MatrixXd::Identity(n, n);
        t.triangularView<Eigen::Lower>().solveInPlace(inverse);
        t.triangularView<Eigen::Lower>() = inverse;
        return;
    }
    const Eigen::Index h = n / 2;
    auto a = t.topLeftCorner(h, h);
    auto b = t.bottomLeftCorner(n - h, h);
    auto c = t.bottomRightCorner(n - h, n - h);
    invertLowerInPlace(a);
    invertLowerInPlace(c);
    const Eigen::MatrixXd cb = c.triangularView<Eigen::Lower>() * b;
    b.noalias() = -(cb * a.triangularView<Eigen::Lower>());
}

/// t ← lower triangle of tᵀt for the lower-triangular t. With t = [[A, 0], [B, C]]:
/// tᵀt = [[AᵀA + BᵀB, ·], [CᵀB, CᵀC]] (LAPACK dlauum, recursive form).
void lowerGramInPlace(Eigen::Ref<Eigen::MatrixXd> t) {
    const Eigen::Index n = t.rows();
    if (n <= kRecursionBlock) {
        const Eigen::MatrixXd l = t.triangularView<Eigen::Lower>();
        const Eigen::MatrixXd gram = l.transpose().triangularView<Eigen::Upper>() * l;
        t.triangularView<Eigen::Lower>() = gram;
        return;
    }
    const Eigen::Index h = n / 2;
    auto a = t.topLeftCorner(h, h);
    auto b = t.bottomLeftCorner(n - h, h);
    auto c = t.bottomRightCorner(n - h, n - h);
    // Order matters: AᵀA + BᵀB needs the old B, CᵀB the old C.
    lowerGramInPlace(a);
    a.selfadjointView<Eigen::Lower>().rankUpdate(b.transpose());
    const Eigen::MatrixXd ctb = c.triangularView<Eigen::Lower>().transpose() * b;
    b = ctb;
    lowerGramInPlace(c);
}

} // namespace

void JitteredCholesky::reserve(int capacity) {
    if (capacity <= m_storage.rows()) {
        return;
    }
    // Geometric growth: an append is O(n²) amortised instead of copying the factor every time.
    const int grown = std::max(capacity, static_cast<int>(m_storage.rows()) * 3 / 2 + 8);
    Eigen::MatrixXd bigger(grown, grown);
    bigger.topLeftCorner(m_size, m_size) = m_storage.topLeftCorner(m_size, m_size);
    m_storage.swap(bigger);
}

bool JitteredCholesky::tryFactor(const Eigen::Ref<const Eigen::MatrixXd>& a, double jitter,
                                 double minPivot) {
    const Eigen::Index n = a.rows();
    auto block = m_storage.topLeftCorner(n, n);
    block.triangularView<Eigen::Lower>() = a.triangularView<Eigen::Lower>();
    block.diagonal().array() += jitter;
    // In-place factorisation of the storage block: no n × n temporary per attempt.
    Eigen::Ref<Eigen::MatrixXd> view(block);
    const Eigen::LLT<Eigen::Ref<Eigen::MatrixXd>, Eigen::Lower> llt(view);
    if (llt.info() != Eigen::Success) {
        return false;
    }
    const double minDiagonal = block.diagonal().minCoeff();
    // NaN fails this test too (comparisons with NaN are false).
    return std::isfinite(block.diagonal().sum()) && minDiagonal * minDiagonal >= minPivot;
}

bool JitteredCholesky::compute(const Eigen::Ref<const Eigen::MatrixXd>& a) {
    const int n = static_cast<int>(a.rows());
    m_size = 0;
    m_jitter = 0.0;
    if (n == 0 || a.cols() != n) {
        return n == 0 && a.cols() == 0;
    }
    const double meanDiagonal = a.diagonal().mean();
    if (!std::isfinite(meanDiagonal) || !(meanDiagonal > 0.0)) {
        return false;
    }
    reserve(n);
    m_minPivot = kMinRelativePivot * meanDiagonal;
    // Attempt 0 adds nothing; attempt k ≥ 1 adds kFirstRelativeJitter · 10^(k−1) · mean diagonal.
    const int attempts =
        1 + static_cast<int>(std::lround(std::log10(kLastRelativeJitter / kFirstRelativeJitter))) +
        1;
    double relative = 0.0;
    for (int attempt = 0; attempt < attempts; ++attempt) {
        const double jitter = relative * meanDiagonal;
        if (tryFactor(a, jitter, m_minPivot)) {
            m_size = n;
            m_jitter = jitter;
            return true;
        }
        relative = attempt == 0 ? kFirstRelativeJitter : relative * 10.0;
    }
    return false;
}

bool JitteredCholesky::append(const Eigen::Ref<const Eigen::VectorXd>& column, double diagonal) {
    const int n = m_size;
    if (column.size() != n) {
        return false;
    }
    reserve(n + 1);
    // Bordered update: [[L, 0], [lᵀ, p]] with L l = c and p² = diagonal + jitter − lᵀl.
    auto row = m_storage.row(n).head(n);
    Eigen::Ref<Eigen::VectorXd> l(m_storage.col(n).head(n));
    l = column;
    solveLowerInPlace(l);
    const double pivot2 = diagonal + m_jitter - l.squaredNorm();
    const double threshold = n == 0 ? 0.0 : m_minPivot;
    if (!std::isfinite(pivot2) || !(pivot2 > 0.0) || pivot2 < threshold) {
        return false;
    }
    row = l.transpose();
    m_storage(n, n) = std::sqrt(pivot2);
    if (n == 0) {
        m_minPivot = kMinRelativePivot * diagonal;
    }
    m_size = n + 1;
    return true;
}

void JitteredCholesky::solveLowerInPlace(Eigen::Ref<Eigen::VectorXd> b) const {
    matrixL().triangularView<Eigen::Lower>().solveInPlace(b);
}

void JitteredCholesky::solveUpperInPlace(Eigen::Ref<Eigen::VectorXd> b) const {
    matrixL().transpose().triangularView<Eigen::Upper>().solveInPlace(b);
}

void JitteredCholesky::solveLowerColumnsInPlace(Eigen::Ref<Eigen::MatrixXd> b) const {
    matrixL().triangularView<Eigen::Lower>().solveInPlace(b);
}

void JitteredCholesky::solveInPlace(Eigen::Ref<Eigen::VectorXd> b) const {
    matrixL().triangularView<Eigen::Lower>().solveInPlace(b);
    matrixL().transpose().triangularView<Eigen::Upper>().solveInPlace(b);
}

void JitteredCholesky::solveColumnsInPlace(Eigen::Ref<Eigen::MatrixXd> b) const {
    matrixL().triangularView<Eigen::Lower>().solveInPlace(b);
    matrixL().transpose().triangularView<Eigen::Upper>().solveInPlace(b);
}

void JitteredCholesky::inverse(Eigen::MatrixXd& out) const {
    out = matrixL();
    invertLowerInPlace(out);
    lowerGramInPlace(out);
    out.triangularView<Eigen::StrictlyUpper>() = out.transpose();
}

double JitteredCholesky::logDeterminant() const {
    return 2.0 * matrixL().diagonal().array().log().sum();
}

} // namespace bt::gp
