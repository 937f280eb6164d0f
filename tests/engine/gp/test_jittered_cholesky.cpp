#include <QtTest>

#include <cmath>
#include <limits>

#include <Eigen/LU>

#include "engine/gp/jittered_cholesky.h"
#include "gp_test_support.h"

using bt::gp::JitteredCholesky;

namespace {
/// A random symmetric positive-definite n × n matrix: B Bᵀ + n·I.
Eigen::MatrixXd randomSpd(Eigen::Index n, std::uint64_t seed) {
    bt::gp::test::Random random(seed);
    const Eigen::MatrixXd b = random.uniformMatrix(n, n, -1.0, 1.0);
    return b * b.transpose() + static_cast<double>(n) * Eigen::MatrixXd::Identity(n, n);
}
} // namespace

class TestJitteredCholesky : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void wellConditionedMatrixNeedsNoJitter() {
        const Eigen::MatrixXd a = randomSpd(7, 1);
        JitteredCholesky cholesky;
        QVERIFY(cholesky.compute(a));
        QCOMPARE(cholesky.size(), 7);
        QCOMPARE(cholesky.jitter(), 0.0);
        const Eigen::MatrixXd l = cholesky.matrixL().triangularView<Eigen::Lower>();
        QVERIFY((l * l.transpose() - a).norm() < 1e-12 * a.norm());
        // Solves through the factor agree with a direct solve.
        const Eigen::VectorXd b = Eigen::VectorXd::LinSpaced(7, -1.0, 2.0);
        Eigen::VectorXd x = b;
        cholesky.solveInPlace(x);
        QVERIFY((a * x - b).norm() < 1e-12 * b.norm());
        Eigen::MatrixXd many = Eigen::MatrixXd::Identity(7, 3);
        cholesky.solveColumnsInPlace(many);
        QVERIFY((a * many - Eigen::MatrixXd::Identity(7, 3)).norm() < 1e-12);
        QVERIFY(std::abs(cholesky.logDeterminant() - std::log(a.determinant())) < 1e-10);
    }

    void inverseMatchesLu_data() {
        QTest::addColumn<int>("size");
        QTest::newRow("n=1") << 1;
        QTest::newRow("n=40 (direct)") << 40;
        QTest::newRow("n=150 (two levels of recursion)") << 150;
        QTest::newRow("n=301 (odd splits)") << 301;
    }

    void inverseMatchesLu() {
        QFETCH(int, size);
        const Eigen::MatrixXd a = randomSpd(size, 6);
        JitteredCholesky cholesky;
        QVERIFY(cholesky.compute(a));
        Eigen::MatrixXd inverse;
        cholesky.inverse(inverse);
        const Eigen::MatrixXd reference = a.inverse();
        QVERIFY2(
            (inverse - reference).norm() < 1e-12 * reference.norm(),
            qPrintable(QString("error %1").arg((inverse - reference).norm() / reference.norm())));
        QVERIFY((inverse - inverse.transpose()).norm() == 0.0);
    }

    void singularMatrixIsFactoredWithReportedJitter() {
        // Rank one: v vᵀ with v = (1, 2, 3, 4, 5); mean diagonal 11.
        const Eigen::VectorXd v = Eigen::VectorXd::LinSpaced(5, 1.0, 5.0);
        const Eigen::MatrixXd a = v * v.transpose();
        JitteredCholesky cholesky;
        QVERIFY(cholesky.compute(a));
        QVERIFY(cholesky.jitter() > 0.0);
        QVERIFY(cholesky.jitter() <= JitteredCholesky::kLastRelativeJitter * 11.0 * 1.0001);
        QVERIFY(cholesky.matrixL().diagonal().allFinite());
        const Eigen::MatrixXd l = cholesky.matrixL().triangularView<Eigen::Lower>();
        const Eigen::MatrixXd jittered = a + cholesky.jitter() * Eigen::MatrixXd::Identity(5, 5);
        QVERIFY((l * l.transpose() - jittered).norm() < 1e-10 * a.norm());
    }

    void nonFiniteMatrixFailsAsAValue() {
        Eigen::MatrixXd a = randomSpd(4, 2);
        a(2, 1) = std::numeric_limits<double>::quiet_NaN();
        a(1, 2) = a(2, 1);
        JitteredCholesky cholesky;
        QVERIFY(!cholesky.compute(a));
        QCOMPARE(cholesky.size(), 0);
        const Eigen::MatrixXd negative = -Eigen::MatrixXd::Identity(3, 3);
        QVERIFY(!cholesky.compute(negative));
    }

    void appendMatchesFullFactorisation() {
        const Eigen::MatrixXd a = randomSpd(12, 3);
        JitteredCholesky grown;
        QVERIFY(grown.compute(a.topLeftCorner(4, 4)));
        for (Eigen::Index k = 4; k < 12; ++k) {
            QVERIFY(grown.append(a.col(k).head(k), a(k, k)));
        }
        JitteredCholesky full;
        QVERIFY(full.compute(a));
        QCOMPARE(grown.size(), 12);
        const Eigen::MatrixXd lg = grown.matrixL().triangularView<Eigen::Lower>();
        const Eigen::MatrixXd lf = full.matrixL().triangularView<Eigen::Lower>();
        QVERIFY((lg - lf).norm() < 1e-12 * lf.norm());
    }

    void appendStartsFromEmpty() {
        const Eigen::MatrixXd a = randomSpd(3, 4);
        JitteredCholesky cholesky;
        QVERIFY(cholesky.append(Eigen::VectorXd(0), a(0, 0)));
        QVERIFY(cholesky.append(a.col(1).head(1), a(1, 1)));
        QVERIFY(cholesky.append(a.col(2).head(2), a(2, 2)));
        const Eigen::MatrixXd l = cholesky.matrixL().triangularView<Eigen::Lower>();
        QVERIFY((l * l.transpose() - a).norm() < 1e-12 * a.norm());
    }

    void appendRefusesAVanishingPivot() {
        // Appending a copy of the first row/column of a matrix without noise: the Schur
        // complement is exactly zero, so the bordered update must refuse and keep the factor.
        const Eigen::MatrixXd a = randomSpd(3, 5);
        JitteredCholesky cholesky;
        QVERIFY(cholesky.compute(a));
        QVERIFY(!cholesky.append(a.col(0), a(0, 0)));
        QCOMPARE(cholesky.size(), 3);
        const Eigen::MatrixXd l = cholesky.matrixL().triangularView<Eigen::Lower>();
        QVERIFY((l * l.transpose() - a).norm() < 1e-12 * a.norm());
    }
};

QTEST_GUILESS_MAIN(TestJitteredCholesky)
#include "test_jittered_cholesky.moc"
