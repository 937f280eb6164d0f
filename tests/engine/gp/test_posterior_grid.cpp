#include <QtTest>

#include <cmath>

#include "engine/gp/gaussian_process.h"
#include "engine/gp/posterior_grid.h"
#include "gp_test_support.h"

using bt::gp::GaussianProcess;
using bt::gp::GpHyperparameters;

namespace {
/// A GP on d dimensions conditioned on 12 random samples of Σ sin(x_j), fixed hyperparameters.
GaussianProcess makeGp(int d) {
    bt::gp::test::Random random(static_cast<std::uint64_t>(d));
    const Eigen::MatrixXd x = random.uniformMatrix(12, d, -2.0, 2.0);
    const Eigen::VectorXd y = x.array().sin().rowwise().sum();
    GaussianProcess gp;
    gp.condition(
        x, y, GpHyperparameters{std::vector<double>(static_cast<std::size_t>(d), 1.0), 1.0, 1e-4});
    return gp;
}
} // namespace

class TestPosteriorGrid : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void curveInOneDimension() {
        const GaussianProcess gp = makeGp(1);
        const bt::gp::PosteriorCurve curve = bt::gp::posteriorCurve(gp, -3.0, 3.0, 61);
        QCOMPARE(curve.x.size(), std::size_t(61));
        QCOMPARE(curve.x.front(), -3.0);
        QCOMPARE(curve.x.back(), 3.0);
        QVERIFY(std::abs(curve.x[30]) < 1e-15);
        for (std::size_t i = 0; i < curve.x.size(); ++i) {
            const auto p = gp.predict(Eigen::VectorXd::Constant(1, curve.x[i]));
            QVERIFY(std::abs(curve.mean[i] - p.mean) < 1e-12);
            QVERIFY(std::abs(curve.stddev[i] - std::sqrt(p.variance)) < 1e-9);
            QVERIFY(std::abs(curve.lower[i] - (curve.mean[i] - 2.0 * curve.stddev[i])) < 1e-15);
            QVERIFY(std::abs(curve.upper[i] - (curve.mean[i] + 2.0 * curve.stddev[i])) < 1e-15);
        }
    }

    void surfaceInTwoDimensionsIsRowMajorByY() {
        const GaussianProcess gp = makeGp(2);
        const int m = 7;
        const bt::gp::PosteriorSurface s =
            bt::gp::posteriorSurface(gp, {-2.0, -1.0}, {2.0, 1.0}, m);
        QCOMPARE(s.size, m);
        QCOMPARE(s.mean.size(), std::size_t(m * m));
        QCOMPARE(s.y.front(), -1.0);
        QCOMPARE(s.y.back(), 1.0);
        // Entry [iy·m + ix] is the posterior at (x[ix], y[iy]).
        for (const auto& [ix, iy] : {std::pair{0, 0}, std::pair{6, 0}, std::pair{2, 5}}) {
            const auto p = gp.predict(Eigen::Vector2d(s.x[std::size_t(ix)], s.y[std::size_t(iy)]));
            const std::size_t k = static_cast<std::size_t>(iy * m + ix);
            QVERIFY(std::abs(s.mean[k] - p.mean) < 1e-12);
            QVERIFY(std::abs(s.stddev[k] - std::sqrt(p.variance)) < 1e-9);
        }
    }

    void slicesInHigherDimensions() {
        const GaussianProcess gp = makeGp(4);
        const std::vector<double> through{0.5, -0.5, 1.0, 0.0};
        const bt::gp::PosteriorCurve curve = bt::gp::posteriorSlice(gp, through, 2, -2.0, 2.0, 9);
        QCOMPARE(curve.dimension, 2);
        for (std::size_t i = 0; i < curve.x.size(); ++i) {
            const auto p = gp.predict(Eigen::Vector4d(0.5, -0.5, curve.x[i], 0.0));
            QVERIFY(std::abs(curve.mean[i] - p.mean) < 1e-12);
        }
        const bt::gp::PosteriorSurface s =
            bt::gp::posteriorSlicePair(gp, through, 3, 0, -1.0, 1.0, -2.0, 2.0, 5);
        QCOMPARE(s.dimensionX, 3);
        QCOMPARE(s.dimensionY, 0);
        const auto p = gp.predict(Eigen::Vector4d(s.y[4], -0.5, 1.0, s.x[1]));
        QVERIFY(std::abs(s.mean[4 * 5 + 1] - p.mean) < 1e-12);
    }

    void badArgumentsThrow() {
        const GaussianProcess gp = makeGp(3);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, bt::gp::posteriorCurve(gp, 0.0, 1.0, 10));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 bt::gp::posteriorSlice(gp, {0.0, 0.0}, 0, 0.0, 1.0, 10));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 bt::gp::posteriorSlice(gp, {0.0, 0.0, 0.0}, 3, 0.0, 1.0, 10));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 bt::gp::posteriorSlice(gp, {0.0, 0.0, 0.0}, 0, 1.0, 0.0, 10));
        QVERIFY_THROWS_EXCEPTION(
            std::invalid_argument,
            bt::gp::posteriorSlicePair(gp, {0.0, 0.0, 0.0}, 1, 1, 0.0, 1.0, 0.0, 1.0, 4));
        const GaussianProcess empty;
        QVERIFY_THROWS_EXCEPTION(std::logic_error, bt::gp::posteriorCurve(empty, 0.0, 1.0, 10));
    }
};

QTEST_GUILESS_MAIN(TestPosteriorGrid)
#include "test_posterior_grid.moc"
