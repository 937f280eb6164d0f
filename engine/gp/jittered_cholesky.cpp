#include "engine/gp/jittered_cholesky.h"

#include <algorithm>
#include <cmath>

#include <Eigen/Cholesky>

namespace bt::gp {

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

double JitteredCholesky::logDeterminant() const {
    return 2.0 * matrixL().diagonal().array().log().sum();
}

} // namespace bt::gp
