#include <QtTest>

#include <cmath>

#include "engine/gp/kernel.h"
#include "gp_test_support.h"

using bt::gp::Kernel;
using bt::gp::KernelKind;

class TestKernel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void shapeMatchesClosedForm() {
        double kappa = 0.0;
        double gamma = 0.0;
        // Matérn 5/2 at r = 1: s = √5, κ = (1 + √5 + 5/3) e^{−√5} = 4.9027347 · 0.1068779
        // = 0.5239941088318203; γ = (5/3)(1 + √5) e^{−√5} = 0.5764757...
        Kernel::shape(KernelKind::Matern52, 1.0, kappa, gamma);
        QVERIFY(std::abs(kappa - 0.5239941088318203) < 1e-14);
        QVERIFY(std::abs(gamma - (5.0 / 3.0) * (1.0 + std::sqrt(5.0)) * std::exp(-std::sqrt(5.0))) <
                1e-14);
        // Matérn at r = 0: κ = 1, γ = 5/3.
        Kernel::shape(KernelKind::Matern52, 0.0, kappa, gamma);
        QCOMPARE(kappa, 1.0);
        QVERIFY(std::abs(gamma - 5.0 / 3.0) < 1e-15);
        // RBF at r² = 1: κ = γ = e^{−1/2} = 0.6065306597126334.
        Kernel::shape(KernelKind::Rbf, 1.0, kappa, gamma);
        QVERIFY(std::abs(kappa - 0.6065306597126334) < 1e-15);
        QCOMPARE(gamma, kappa);
    }

    void gammaIsMinusTwiceTheSlope() {
        // γ = −2 dκ/d(r²), checked by central differences in r² for both kernels.
        for (const KernelKind kind : {KernelKind::Matern52, KernelKind::Rbf}) {
            for (const double r2 : {0.01, 0.3, 1.0, 4.0}) {
                double kp = 0.0;
                double km = 0.0;
                double k0 = 0.0;
                double g = 0.0;
                double unused = 0.0;
                const double h = 1e-6;
                Kernel::shape(kind, r2 + h, kp, unused);
                Kernel::shape(kind, r2 - h, km, unused);
                Kernel::shape(kind, r2, k0, g);
                const double numeric = -2.0 * (kp - km) / (2.0 * h);
                QVERIFY2(std::abs(numeric - g) <= 1e-6 * std::abs(g),
                         qPrintable(QString("r2 %1: %2 vs %3").arg(r2).arg(numeric).arg(g)));
            }
        }
    }

    void inputGradientMatchesFiniteDifferences() {
        bt::gp::test::Random random(11);
        for (const KernelKind kind : {KernelKind::Matern52, KernelKind::Rbf}) {
            const Eigen::VectorXd ls = (Eigen::VectorXd(3) << 0.5, 1.3, 2.0).finished();
            const Kernel kernel(kind, ls, 1.7);
            for (int trial = 0; trial < 5; ++trial) {
                const Eigen::VectorXd a = random.uniformMatrix(3, 1, -1.0, 1.0);
                const Eigen::VectorXd b = random.uniformMatrix(3, 1, -1.0, 1.0);
                Eigen::VectorXd analytic(3);
                const double value = kernel.gradient(a, b, analytic);
                QVERIFY(std::abs(value - kernel(a, b)) < 1e-15);
                const Eigen::VectorXd numeric = bt::gp::test::centralDifference(
                    [&](const Eigen::VectorXd& p) { return kernel(p, b); }, a);
                const double error = bt::gp::test::relativeError(numeric, analytic);
                QVERIFY2(error < 1e-5, qPrintable(QString("relative error %1").arg(error)));
            }
        }
    }

    void gramIsSymmetricWithSignalVarianceOnTheDiagonal() {
        bt::gp::test::Random random(3);
        const Eigen::MatrixXd points = random.uniformMatrix(2, 6, 0.0, 1.0);
        const Kernel kernel(KernelKind::Matern52, Eigen::Vector2d(0.3, 0.7), 2.5);
        Eigen::MatrixXd gram;
        kernel.gram(points, gram);
        QCOMPARE(gram.rows(), Eigen::Index(6));
        QVERIFY((gram - gram.transpose()).norm() == 0.0);
        QVERIFY((gram.diagonal().array() == 2.5).all());
        QVERIFY(std::abs(gram(4, 1) - kernel(points.col(4), points.col(1))) < 1e-15);
    }
};

QTEST_GUILESS_MAIN(TestKernel)
#include "test_kernel.moc"
