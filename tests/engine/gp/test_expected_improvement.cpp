#include <QtTest>

#include <cmath>

#include "engine/gp/expected_improvement.h"
#include "engine/gp/gaussian_process.h"
#include "gp_test_support.h"

using bt::gp::ExpectedImprovement;
using bt::gp::GaussianProcess;
using bt::gp::KernelKind;
using bt::gp::Prediction;

class TestExpectedImprovement : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void closedFormValues() {
        // μ = 0, σ = 1, best = 0: z = 0, EI = σ φ(0) = 1/√(2π) = 0.3989422804014327.
        Prediction p;
        p.mean = 0.0;
        p.variance = 1.0;
        QVERIFY(std::abs(bt::gp::expectedImprovement(p, 0.0).value - 0.3989422804014327) < 1e-15);
        // μ = 1, σ = 2, best = 0: z = −0.5, Φ(−0.5) = 0.3085375387259869,
        // φ(−0.5) = 0.3520653267642995; EI = −1·Φ + 2·φ = 0.39559311480261217.
        p.mean = 1.0;
        p.variance = 4.0;
        QVERIFY(std::abs(bt::gp::expectedImprovement(p, 0.0).value - 0.39559311480261217) < 1e-15);
        // ξ shifts the incumbent: best − ξ = 0 with best = 0.25, ξ = 0.25 gives the same value.
        QVERIFY(std::abs(bt::gp::expectedImprovement(p, 0.25, 0.25).value - 0.39559311480261217) <
                1e-15);
        // No gradient requested: none returned.
        QVERIFY(bt::gp::expectedImprovement(p, 0.0).gradient.empty());
    }

    void deterministicLimit() {
        // σ = 0: EI = max(0, best − μ), gradient −∇μ where it improves, 0 where it does not.
        Prediction p;
        p.mean = 1.0;
        p.variance = 0.0;
        p.meanGradient = {2.0, -1.0};
        p.varianceGradient = {0.0, 0.0};
        const ExpectedImprovement better = bt::gp::expectedImprovement(p, 1.5);
        QCOMPARE(better.value, 0.5);
        QCOMPARE(better.gradient, (std::vector<double>{-2.0, 1.0}));
        const ExpectedImprovement worse = bt::gp::expectedImprovement(p, 0.5);
        QCOMPARE(worse.value, 0.0);
        QCOMPARE(worse.gradient, (std::vector<double>{0.0, 0.0}));
    }

    void gradientMatchesFiniteDifferences_data() {
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("dimension");
        QTest::newRow("matern52 d=1") << int(KernelKind::Matern52) << 1;
        QTest::newRow("matern52 d=4") << int(KernelKind::Matern52) << 4;
        QTest::newRow("rbf d=2") << int(KernelKind::Rbf) << 2;
    }

    void gradientMatchesFiniteDifferences() {
        QFETCH(int, kind);
        QFETCH(int, dimension);
        bt::gp::test::Random random(31 + static_cast<std::uint64_t>(dimension));
        const Eigen::MatrixXd x = random.uniformMatrix(20, dimension, 0.0, 1.0);
        Eigen::VectorXd y(20);
        for (Eigen::Index i = 0; i < 20; ++i) {
            y[i] = (x.row(i).array() - 0.4).square().sum() + 0.01 * random.normal();
        }
        bt::gp::GpOptions options;
        options.kernel = static_cast<KernelKind>(kind);
        options.lower.assign(static_cast<std::size_t>(dimension), 0.0);
        options.upper.assign(static_cast<std::size_t>(dimension), 1.0);
        GaussianProcess gp(options);
        QVERIFY(gp.fit(x, y).ok);
        for (int trial = 0; trial < 6; ++trial) {
            const Eigen::VectorXd point = random.uniformMatrix(dimension, 1, 0.0, 1.0);
            // An incumbent a little below or above the mean here keeps z in [−1, 1]: EI is well
            // away from both its zero tail and its linear regime.
            const Prediction here = gp.predict(point);
            const double best = here.mean + random.uniform(-1.0, 1.0) * std::sqrt(here.variance);
            const ExpectedImprovement ei = bt::gp::expectedImprovement(gp, point, best, 0.0);
            QVERIFY(ei.value > 0.0);
            const Eigen::VectorXd numeric = bt::gp::test::centralDifference(
                [&](const Eigen::VectorXd& z) {
                    return bt::gp::expectedImprovement(gp, z, best, 0.0, false).value;
                },
                point);
            const Eigen::Map<const Eigen::VectorXd> analytic(ei.gradient.data(), dimension);
            const double error = bt::gp::test::relativeError(numeric, analytic);
            QVERIFY2(error < 1e-5, qPrintable(QString("trial %1: relative error %2 (EI %3)")
                                                  .arg(trial)
                                                  .arg(error)
                                                  .arg(ei.value)));
        }
    }
};

QTEST_GUILESS_MAIN(TestExpectedImprovement)
#include "test_expected_improvement.moc"
