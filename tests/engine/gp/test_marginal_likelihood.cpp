#include <QtTest>

#include <cmath>

#include "engine/gp/marginal_likelihood.h"
#include "gp_test_support.h"

using bt::gp::KernelKind;
using bt::gp::MarginalLikelihood;

class TestMarginalLikelihood : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void twoPointClosedForm() {
        // RBF, ℓ = 1, σf² = 1, σn² = 0.01, X = {0, 1}, y = (−1, 1).
        // K_y = [[a, b], [b, a]] with a = 1.01, b = e^{−1/2} = 0.6065306597126334.
        // y is antisymmetric, so α = K_y⁻¹y = y/(a − b) = ±2.4785030735861144 and
        // yᵀα = 2/(a − b) = 4.957006147172229; det K_y = a² − b² = 0.6522205588285577.
        // log p = −½·4.957006147172229 − ½·log 0.6522205588285577 − log 2π
        //       = −4.102693893071708 (R&W eq. 2.30).
        MarginalLikelihood likelihood(KernelKind::Rbf,
                                      (Eigen::MatrixXd(1, 2) << 0.0, 1.0).finished(),
                                      Eigen::Vector2d(-1.0, 1.0));
        const Eigen::Vector3d theta(0.0, 0.0, std::log(0.01));
        QCOMPARE(likelihood.parameterCount(), 3);
        const double value = likelihood.evaluate(theta, nullptr);
        QVERIFY2(std::abs(value - (-4.102693893071708)) < 1e-12,
                 qPrintable(QString::number(value, 'g', 17)));
        QCOMPARE(likelihood.jitter(), 0.0);
    }

    void gradientMatchesFiniteDifferences_data() {
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("dimension");
        QTest::newRow("matern52 d=1") << int(KernelKind::Matern52) << 1;
        QTest::newRow("matern52 d=3") << int(KernelKind::Matern52) << 3;
        QTest::newRow("rbf d=2") << int(KernelKind::Rbf) << 2;
        QTest::newRow("rbf d=4") << int(KernelKind::Rbf) << 4;
    }

    void gradientMatchesFiniteDifferences() {
        QFETCH(int, kind);
        QFETCH(int, dimension);
        bt::gp::test::Random random(100 + static_cast<std::uint64_t>(dimension));
        const Eigen::Index n = 15;
        const Eigen::MatrixXd points = random.uniformMatrix(dimension, n, 0.0, 1.0);
        Eigen::VectorXd targets(n);
        for (Eigen::Index i = 0; i < n; ++i) {
            targets[i] = std::sin(3.0 * points.col(i).sum()) + 0.1 * random.normal();
        }
        MarginalLikelihood likelihood(static_cast<KernelKind>(kind), points, targets);
        // Several random log-hyperparameters: length-scales 0.1..2, σf² 0.3..3, σn² 1e-3..0.3.
        for (int trial = 0; trial < 4; ++trial) {
            Eigen::VectorXd theta(dimension + 2);
            for (int i = 0; i < dimension; ++i) {
                theta[i] = std::log(random.uniform(0.1, 2.0));
            }
            theta[dimension] = std::log(random.uniform(0.3, 3.0));
            theta[dimension + 1] = std::log(random.uniform(1e-3, 0.3));
            Eigen::VectorXd analytic;
            const double value = likelihood.evaluate(theta, &analytic);
            QVERIFY(std::isfinite(value));
            QVERIFY(std::abs(value - likelihood.evaluate(theta, nullptr)) < 1e-12);
            const Eigen::VectorXd numeric = bt::gp::test::centralDifference(
                [&](const Eigen::VectorXd& t) { return likelihood.evaluate(t, nullptr); }, theta);
            const double error = bt::gp::test::relativeError(numeric, analytic);
            QVERIFY2(error < 1e-5,
                     qPrintable(QString("trial %1: relative error %2").arg(trial).arg(error)));
        }
    }
};

QTEST_GUILESS_MAIN(TestMarginalLikelihood)
#include "test_marginal_likelihood.moc"
