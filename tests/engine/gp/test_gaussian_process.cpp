#include <QtTest>

#include <cmath>
#include <limits>

#include <Eigen/Cholesky>

#include "engine/core/error.h"
#include "engine/gp/gaussian_process.h"
#include "engine/gp/kernel.h"
#include "gp_test_support.h"

using bt::gp::FitReport;
using bt::gp::GaussianProcess;
using bt::gp::GpHyperparameters;
using bt::gp::GpOptions;
using bt::gp::KernelKind;
using bt::gp::Prediction;

namespace {

GpOptions optionsFor(KernelKind kind, double lower, double upper, int dimension) {
    GpOptions options;
    options.kernel = kind;
    options.lower.assign(static_cast<std::size_t>(dimension), lower);
    options.upper.assign(static_cast<std::size_t>(dimension), upper);
    return options;
}

/// n × d inputs uniform in [0, 1]^d and a smooth, anisotropic target with a little noise.
void smoothData(Eigen::Index n, Eigen::Index d, std::uint64_t seed, Eigen::MatrixXd& x,
                Eigen::VectorXd& y) {
    bt::gp::test::Random random(seed);
    x = random.uniformMatrix(n, d, 0.0, 1.0);
    y.resize(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        double s = 0.0;
        for (Eigen::Index j = 0; j < d; ++j) {
            s += std::sin((2.0 + static_cast<double>(j)) * x(i, j));
        }
        y[i] = 3.0 + 2.0 * s + 0.01 * random.normal();
    }
}

/// The φ-shaped curve of the tests: ≈ 0.002 below λ = −9, rising to 0.44 at λ = −1 (a logistic
/// in λ, like the training loss against log L2 coefficient in the paper's Fig. 1), box [−10, 0].
double phiCurve(double lambda) {
    return 0.002 + 0.489 / (1.0 + std::exp(-(lambda + 2.5) / 0.7));
}

/// A harder, non-stationary variant: exponential in λ (linear in the L2 coefficient e^λ), 0.002 at
/// λ = −10 and 0.44 at λ = −1, still rising steeply to 1.19 at λ = 0.
double phiExponential(double lambda) {
    return 0.002 +
           0.438 * (std::exp(lambda) - std::exp(-10.0)) / (std::exp(-1.0) - std::exp(-10.0));
}

/// A draw from a zero-mean GP with the given kernel at the rows of x, plus N(0, noise) noise.
Eigen::VectorXd drawFromGp(const Eigen::MatrixXd& x, const bt::gp::Kernel& kernel, double noise,
                           bt::gp::test::Random& random) {
    Eigen::MatrixXd gram;
    kernel.gram(x.transpose(), gram);
    gram.diagonal().array() += 1e-10;
    const Eigen::MatrixXd l = gram.llt().matrixL();
    Eigen::VectorXd z(x.rows());
    Eigen::VectorXd e(x.rows());
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
        z[i] = random.normal();
        e[i] = std::sqrt(noise) * random.normal();
    }
    return l * z + e;
}

bool finitePrediction(const Prediction& p) {
    bool ok = std::isfinite(p.mean) && std::isfinite(p.variance) && p.variance >= 0.0;
    for (const double g : p.meanGradient) {
        ok = ok && std::isfinite(g);
    }
    for (const double g : p.varianceGradient) {
        ok = ok && std::isfinite(g);
    }
    return ok;
}

Eigen::VectorXd asVector(const std::vector<double>& v) {
    return Eigen::Map<const Eigen::VectorXd>(v.data(), static_cast<Eigen::Index>(v.size()));
}

} // namespace

class TestGaussianProcess : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void twoPointClosedFormRbf() {
        // RBF, ℓ = 1, σf² = 1, σn² = 0.01; X = {0, 1}, y = (−1, 1): mean 0, so the prior mean is
        // 0 and R&W eq. 2.25–2.26 apply directly. K_y = [[a, b], [b, a]], a = 1.01,
        // b = e^{−1/2} = 0.6065306597126334. α = K_y⁻¹y = (−t, t), t = 1/(a − b)
        // = 2.4785030735861144. At x* = 0: k* = (1, b).
        //   μ = −t + t·b = −t(1 − b) = −0.9752149692641388
        //   σ² = 1 − k*ᵀK_y⁻¹k* = 1 − (a(1 + b²) − 2b²)/(a² − b²) = 1 − 0.9901548555908471
        //      = 0.00984514440915285
        //   ∂μ/∂x = Σ α_i ∂k_i/∂x, ∂k_i/∂x = −k_i (x − x_i): (0, b) → t·b = 1.5032881043219757
        //   log p = −½·yᵀα − ½ log(a² − b²) − log 2π = −4.102693893071708
        GaussianProcess gp;
        const Eigen::MatrixXd x = (Eigen::MatrixXd(2, 1) << 0.0, 1.0).finished();
        const Eigen::VectorXd y = Eigen::Vector2d(-1.0, 1.0);
        GpHyperparameters hyper{{1.0}, 1.0, 0.01};
        bt::gp::GpOptions options;
        options.kernel = KernelKind::Rbf;
        gp.setOptions(options);
        const FitReport report = gp.condition(x, y, hyper);
        QVERIFY2(report.ok, qPrintable(QString::fromStdString(report.message)));
        QCOMPARE(report.jitter, 0.0);
        QVERIFY(std::abs(report.logMarginalLikelihood - (-4.102693893071708)) < 1e-12);
        const Prediction p = gp.predict(Eigen::VectorXd::Zero(1), true);
        QVERIFY(std::abs(p.mean - (-0.9752149692641388)) < 1e-12);
        QVERIFY(std::abs(p.variance - 0.00984514440915285) < 1e-12);
        QVERIFY(std::abs(p.meanGradient[0] - 1.5032881043219757) < 1e-12);
        // Far from the data the posterior returns to the prior: mean 0, variance σf².
        const Prediction far = gp.predict(Eigen::VectorXd::Constant(1, 50.0));
        QVERIFY(std::abs(far.mean) < 1e-12);
        QVERIFY(std::abs(far.variance - 1.0) < 1e-12);
    }

    void threePointClosedFormMatern() {
        // Matérn 5/2, ℓ = 1, σf² = 1, σn² = 0; X = {0, 1, 2}, y = (1, 2, 3): prior mean 2, the
        // centred targets (−1, 0, 1) are antisymmetric about x = 1.
        // k(1) = A = 0.5239941088318203, k(2) = B = 0.13866021913850426,
        // k(0.5) = p = 0.8286491424181255, k(1.5) = q = 0.2831632713397992.
        // K = [[1, A, B], [A, 1, A], [B, A, 1]]; α = K⁻¹(−1, 0, 1) = (−t, 0, t), t = 1/(1 − B)
        //   = 1.160982021519799. At x* = 0.5, k* = (p, p, q):
        //   μ = 2 + t(q − p) = 1.3667007106849962.
        // K⁻¹k*: split k* into an antisymmetric part c(1, 0, −1), c = (p − q)/2, solved by
        // c/(1 − B), and a symmetric part (u, p, u), u = (p + q)/2, solved by (s1, s2, s1) with
        //   (1 + B)s1 + A s2 = u, 2A s1 + s2 = p → s1 = 0.20643713686087226, s2 =
        //   0.612305455299715,
        // so K⁻¹k* = (0.5230867815183742, 0.612305455299715, −0.11021250779662964) and
        //   σ² = 1 − k*ᵀK⁻¹k* = 1 − 0.90963366909725 = 0.09036633090275004.
        // det K = 1 − 2A² + 2A²B − B² = 0.5077775159566015;
        //   log p = −½·2t − ½ log det K − (3/2) log 2π = −3.5789416771079114.
        GaussianProcess gp;
        const Eigen::MatrixXd x = (Eigen::MatrixXd(3, 1) << 0.0, 1.0, 2.0).finished();
        const Eigen::VectorXd y = Eigen::Vector3d(1.0, 2.0, 3.0);
        const FitReport report = gp.condition(x, y, GpHyperparameters{{1.0}, 1.0, 0.0});
        QVERIFY2(report.ok, qPrintable(QString::fromStdString(report.message)));
        QVERIFY(std::abs(report.logMarginalLikelihood - (-3.5789416771079114)) < 1e-11);
        const Prediction p = gp.predict(Eigen::VectorXd::Constant(1, 0.5));
        QVERIFY2(std::abs(p.mean - 1.3667007106849962) < 1e-12,
                 qPrintable(QString::number(p.mean, 'g', 17)));
        QVERIFY2(std::abs(p.variance - 0.09036633090275004) < 1e-12,
                 qPrintable(QString::number(p.variance, 'g', 17)));
        QVERIFY(std::abs(gp.mean(Eigen::VectorXd::Constant(1, 0.5)) - p.mean) < 1e-14);
        // Noise-free interpolation: the mean passes through the data, the variance vanishes.
        const Prediction atSample = gp.predict(Eigen::VectorXd::Constant(1, 1.0));
        QVERIFY(std::abs(atSample.mean - 2.0) < 1e-12);
        QVERIFY(atSample.variance < 1e-12);
    }

    void posteriorGradientsMatchFiniteDifferences_data() {
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("dimension");
        QTest::newRow("matern52 d=1") << int(KernelKind::Matern52) << 1;
        QTest::newRow("matern52 d=3") << int(KernelKind::Matern52) << 3;
        QTest::newRow("rbf d=2") << int(KernelKind::Rbf) << 2;
        QTest::newRow("rbf d=5") << int(KernelKind::Rbf) << 5;
    }

    void posteriorGradientsMatchFiniteDifferences() {
        QFETCH(int, kind);
        QFETCH(int, dimension);
        Eigen::MatrixXd x;
        Eigen::VectorXd y;
        smoothData(25, dimension, 7, x, y);
        GaussianProcess gp(optionsFor(static_cast<KernelKind>(kind), 0.0, 1.0, dimension));
        QVERIFY(gp.fit(x, y).ok);
        bt::gp::test::Random random(99);
        for (int trial = 0; trial < 6; ++trial) {
            const Eigen::VectorXd point = random.uniformMatrix(dimension, 1, 0.0, 1.0);
            const Prediction p = gp.predict(point, true);
            const auto meanError = bt::gp::test::relativeError(
                bt::gp::test::centralDifference(
                    [&](const Eigen::VectorXd& z) { return gp.predict(z).mean; }, point),
                asVector(p.meanGradient));
            const auto varianceError = bt::gp::test::relativeError(
                bt::gp::test::centralDifference(
                    [&](const Eigen::VectorXd& z) { return gp.predict(z).variance; }, point),
                asVector(p.varianceGradient));
            QVERIFY2(meanError < 1e-5, qPrintable(QString("mean: %1").arg(meanError)));
            QVERIFY2(varianceError < 1e-5, qPrintable(QString("variance: %1").arg(varianceError)));
            // The allocation-free path agrees with predict().
            Eigen::VectorXd gradient(dimension);
            const double mean = gp.meanAndGradient(point, gradient);
            QVERIFY(std::abs(mean - p.mean) <= 1e-12 * std::max(1.0, std::abs(mean)));
            QVERIFY((gradient - asVector(p.meanGradient)).norm() <=
                    1e-12 * (1.0 + gradient.norm()));
            QVERIFY(std::abs(gp.mean(point) - p.mean) <= 1e-12 * std::max(1.0, std::abs(mean)));
        }
    }

    void batchMatchesSinglePredictions() {
        Eigen::MatrixXd x;
        Eigen::VectorXd y;
        smoothData(30, 2, 8, x, y);
        GaussianProcess gp(optionsFor(KernelKind::Matern52, 0.0, 1.0, 2));
        QVERIFY(gp.fit(x, y).ok);
        bt::gp::test::Random random(5);
        // 300 points: more than one block of the batch path.
        const Eigen::MatrixXd points = random.uniformMatrix(300, 2, -0.2, 1.2);
        const auto plain = gp.predictBatch(points);
        const auto withGradient = gp.predictBatch(points, true);
        QCOMPARE(plain.count, 300);
        QCOMPARE(plain.dimension, 2);
        QVERIFY(plain.meanGradient.empty());
        QCOMPARE(withGradient.meanGradient.size(), std::size_t(600));
        for (Eigen::Index r = 0; r < points.rows(); ++r) {
            const Prediction p = gp.predict(points.row(r).transpose(), true);
            const auto i = static_cast<std::size_t>(r);
            QVERIFY(std::abs(plain.mean[i] - p.mean) < 1e-10);
            QVERIFY(std::abs(plain.variance[i] - p.variance) < 1e-10);
            QVERIFY(std::abs(withGradient.mean[i] - p.mean) < 1e-12);
            for (std::size_t j = 0; j < 2; ++j) {
                QCOMPARE(withGradient.meanGradient[2 * i + j], p.meanGradient[j]);
                QCOMPARE(withGradient.varianceGradient[2 * i + j], p.varianceGradient[j]);
            }
        }
    }

    void fitReportsConsistentValues() {
        Eigen::MatrixXd x;
        Eigen::VectorXd y;
        smoothData(20, 2, 9, x, y);
        GpOptions options = optionsFor(KernelKind::Matern52, 0.0, 1.0, 2);
        GaussianProcess gp(options);
        const FitReport report = gp.fit(x, y);
        QVERIFY2(report.ok, qPrintable(QString::fromStdString(report.message)));
        QCOMPARE(report.restartsRun, 5);
        QCOMPARE(report.samples, 20);
        QVERIFY(report.evaluations >= 5);
        QVERIFY(report.seconds >= 0.0);
        QCOMPARE(report.hyper.lengthScales.size(), std::size_t(2));
        for (const double l : report.hyper.lengthScales) {
            QVERIFY(l >= options.minLengthScale * (1.0 - 1e-12));
            QVERIFY(l <= options.maxLengthScale * (1.0 + 1e-12));
        }
        // The noise floor holds in data units: floor × target variance.
        const double targetVariance = (y.array() - y.mean()).square().mean();
        QVERIFY(report.hyper.noiseVariance >= options.noiseFloor * targetVariance * (1 - 1e-9));
        QCOMPARE(gp.hyperparameters().signalVariance, report.hyper.signalVariance);
        // Conditioning on the reported hyperparameters reproduces the reported likelihood.
        GaussianProcess again(options);
        const FitReport conditioned = again.condition(x, y, report.hyper);
        QVERIFY(std::abs(conditioned.logMarginalLikelihood - report.logMarginalLikelihood) < 1e-9);
        // Same seed, same data: the same fit.
        GaussianProcess twin(options);
        const FitReport repeat = twin.fit(x, y);
        QCOMPARE(repeat.logMarginalLikelihood, report.logMarginalLikelihood);
        QCOMPARE(repeat.hyper.lengthScales, report.hyper.lengthScales);
        // The fitted optimum beats the default start and a perturbed point.
        GpHyperparameters worse = report.hyper;
        worse.lengthScales[0] *= 1.5;
        QVERIFY(again.condition(x, y, worse).logMarginalLikelihood < report.logMarginalLikelihood);
    }

    void recoversLengthScale_data() {
        QTest::addColumn<int>("kind");
        QTest::addColumn<double>("lengthScale0");
        QTest::addColumn<double>("lengthScale1");
        QTest::newRow("matern52 1-d ℓ=0.2") << int(KernelKind::Matern52) << 0.2 << 0.0;
        QTest::newRow("rbf 1-d ℓ=0.1") << int(KernelKind::Rbf) << 0.1 << 0.0;
        QTest::newRow("matern52 2-d ℓ=(0.15, 0.6)") << int(KernelKind::Matern52) << 0.15 << 0.6;
    }

    void recoversLengthScale() {
        QFETCH(int, kind);
        QFETCH(double, lengthScale0);
        QFETCH(double, lengthScale1);
        const int d = lengthScale1 > 0.0 ? 2 : 1;
        const Eigen::Index n = d == 1 ? 50 : 120;
        Eigen::VectorXd truth(d);
        truth[0] = lengthScale0;
        if (d == 2) {
            truth[1] = lengthScale1;
        }
        bt::gp::test::Random random(2024);
        const Eigen::MatrixXd x = random.uniformMatrix(n, d, 0.0, 1.0);
        const bt::gp::Kernel kernel(static_cast<KernelKind>(kind), truth, 1.0);
        const Eigen::VectorXd y = drawFromGp(x, kernel, 1e-4, random);
        GaussianProcess gp(optionsFor(static_cast<KernelKind>(kind), 0.0, 1.0, d));
        const FitReport report = gp.fit(x, y);
        QVERIFY(report.ok);
        for (int i = 0; i < d; ++i) {
            const double fitted = report.hyper.lengthScales[static_cast<std::size_t>(i)];
            QVERIFY2(
                fitted > truth[i] / 2.0 && fitted < truth[i] * 2.0,
                qPrintable(
                    QString("dimension %1: fitted %2, true %3").arg(i).arg(fitted).arg(truth[i])));
        }
    }

    void fitsPhiShapedCurve_data() {
        QTest::addColumn<bool>("exponential");
        QTest::newRow("logistic") << false;
        QTest::newRow("exponential") << true;
    }

    void fitsPhiShapedCurve() {
        // 10 evenly spaced samples of a φ-shaped curve on [−10, 0]; held-out RMSE on 201
        // points must be under 5 % of the curve's range.
        QFETCH(bool, exponential);
        const auto phiCurve = exponential ? phiExponential : ::phiCurve;
        const int n = 10;
        Eigen::MatrixXd x(n, 1);
        Eigen::VectorXd y(n);
        for (int i = 0; i < n; ++i) {
            x(i, 0) = -10.0 + 10.0 * i / (n - 1);
            y[i] = phiCurve(x(i, 0));
        }
        GaussianProcess gp(optionsFor(KernelKind::Matern52, -10.0, 0.0, 1));
        const FitReport report = gp.fit(x, y);
        QVERIFY2(report.ok, qPrintable(QString::fromStdString(report.message)));
        double squared = 0.0;
        double lo = std::numeric_limits<double>::infinity();
        double hi = -lo;
        const int m = 201;
        for (int i = 0; i < m; ++i) {
            const double lambda = -10.0 + 10.0 * i / (m - 1);
            const double truth = phiCurve(lambda);
            lo = std::min(lo, truth);
            hi = std::max(hi, truth);
            const double error = gp.mean(Eigen::VectorXd::Constant(1, lambda)) - truth;
            squared += error * error;
        }
        const double rmse = std::sqrt(squared / m);
        QVERIFY2(rmse < 0.05 * (hi - lo),
                 qPrintable(QString("RMSE %1, range %2 (%3)")
                                .arg(rmse)
                                .arg(hi - lo)
                                .arg(QString::fromStdString(report.message))));
        // The curve's ends: flat near 0.002 at λ = −10, ≈ 0.44 at λ = −1.
        QVERIFY(std::abs(gp.mean(Eigen::VectorXd::Constant(1, -9.5)) - phiCurve(-9.5)) < 0.02);
        QVERIFY(std::abs(gp.mean(Eigen::VectorXd::Constant(1, -1.0)) - 0.44) < 0.03);
    }

    void duplicateInputsStayFinite() {
        // The same λ sampled three times with different φ (stochastic training), plus others.
        Eigen::MatrixXd x(6, 1);
        x << -5.0, -5.0, -5.0, -2.0, -8.0, -1.0;
        const Eigen::VectorXd y =
            (Eigen::VectorXd(6) << 0.10, 0.11, 0.09, 0.3, 0.01, 0.4).finished();
        GaussianProcess gp(optionsFor(KernelKind::Matern52, -10.0, 0.0, 1));
        const FitReport report = gp.fit(x, y);
        QVERIFY2(report.ok, qPrintable(QString::fromStdString(report.message)));
        QVERIFY(std::isfinite(report.logMarginalLikelihood));
        QVERIFY(finitePrediction(gp.predict(Eigen::VectorXd::Constant(1, -5.0), true)));
        QVERIFY(std::abs(gp.mean(Eigen::VectorXd::Constant(1, -5.0)) - 0.1) < 0.02);
        // Exact duplicates with zero noise: singular K, factored with reported jitter.
        GaussianProcess exact;
        const FitReport conditioned = exact.condition(x, y, GpHyperparameters{{1.0}, 0.02, 0.0});
        QVERIFY2(conditioned.ok, qPrintable(QString::fromStdString(conditioned.message)));
        QVERIFY(conditioned.jitter > 0.0);
        QCOMPARE(exact.jitter(), conditioned.jitter);
        QVERIFY(std::isfinite(conditioned.logMarginalLikelihood));
        QVERIFY(finitePrediction(exact.predict(Eigen::VectorXd::Constant(1, -4.0), true)));
    }

    void constantTargetStaysFinite() {
        Eigen::MatrixXd x(5, 2);
        x << 0.1, 0.2, 0.4, 0.9, 0.5, 0.5, 0.7, 0.3, 0.95, 0.8;
        const Eigen::VectorXd y = Eigen::VectorXd::Constant(5, 0.44);
        GaussianProcess gp(optionsFor(KernelKind::Matern52, 0.0, 1.0, 2));
        const FitReport report = gp.fit(x, y);
        QVERIFY2(report.ok, qPrintable(QString::fromStdString(report.message)));
        QVERIFY(std::isfinite(report.logMarginalLikelihood));
        const Prediction p = gp.predict(Eigen::Vector2d(0.3, 0.6), true);
        QVERIFY(finitePrediction(p));
        QVERIFY(std::abs(p.mean - 0.44) < 1e-9);
    }

    void singleSampleStaysFinite() {
        Eigen::MatrixXd x(1, 3);
        x << -3.0, -4.0, -5.0;
        const Eigen::VectorXd y = Eigen::VectorXd::Constant(1, 0.2);
        GaussianProcess gp(optionsFor(KernelKind::Matern52, -10.0, 0.0, 3));
        const FitReport report = gp.fit(x, y);
        QVERIFY2(report.ok, qPrintable(QString::fromStdString(report.message)));
        QVERIFY(std::isfinite(report.logMarginalLikelihood));
        const Prediction p = gp.predict(Eigen::Vector3d(-3.5, -4.0, -6.0), true);
        QVERIFY(finitePrediction(p));
        QVERIFY(std::abs(gp.mean(x.row(0).transpose()) - 0.2) < 1e-6);
        // Without a box the data's range is empty: the GP still fits (unit widths).
        GaussianProcess noBox;
        QVERIFY(noBox.fit(x, y).ok);
        QVERIFY(finitePrediction(noBox.predict(Eigen::Vector3d(0.0, 0.0, 0.0), true)));
    }

    void nearSingularKernelStaysFinite() {
        // 30 points in [0, 1] with a length-scale of 100 and no noise: K is numerically rank one.
        Eigen::MatrixXd x(30, 1);
        Eigen::VectorXd y(30);
        for (int i = 0; i < 30; ++i) {
            x(i, 0) = i / 29.0;
            y[i] = std::sin(3.0 * x(i, 0));
        }
        GaussianProcess gp;
        const FitReport report = gp.condition(x, y, GpHyperparameters{{100.0}, 1.0, 0.0});
        QVERIFY2(report.ok, qPrintable(QString::fromStdString(report.message)));
        QVERIFY(report.jitter > 0.0);
        QVERIFY(std::isfinite(report.logMarginalLikelihood));
        for (const double at : {-0.5, 0.13, 0.5, 2.0}) {
            QVERIFY(finitePrediction(gp.predict(Eigen::VectorXd::Constant(1, at), true)));
        }
        // The fit with a tiny noise floor must also end finite.
        GpOptions options = optionsFor(KernelKind::Rbf, 0.0, 1.0, 1);
        options.noiseFloor = 1e-12;
        GaussianProcess fitted(options);
        const FitReport fit = fitted.fit(x, y);
        QVERIFY2(fit.ok, qPrintable(QString::fromStdString(fit.message)));
        QVERIFY(finitePrediction(fitted.predict(Eigen::VectorXd::Constant(1, 0.4), true)));
    }

    void appendMatchesFactorisationFromScratch() {
        Eigen::MatrixXd x;
        Eigen::VectorXd y;
        smoothData(14, 3, 21, x, y);
        GaussianProcess grown(optionsFor(KernelKind::Matern52, 0.0, 1.0, 3));
        QVERIFY(grown.fit(x.topRows(8), y.head(8)).ok);
        const GpHyperparameters hyper = grown.hyperparameters();
        FitReport last;
        for (Eigen::Index i = 8; i < 14; ++i) {
            last = grown.append(x.row(i).transpose(), y[i]);
            QVERIFY2(last.ok, qPrintable(QString::fromStdString(last.message)));
        }
        QCOMPARE(grown.sampleCount(), 14);
        GaussianProcess scratch;
        const FitReport full = scratch.condition(x, y, hyper);
        QVERIFY(full.ok);
        QVERIFY(std::abs(last.logMarginalLikelihood - full.logMarginalLikelihood) <
                1e-9 * std::abs(full.logMarginalLikelihood));
        bt::gp::test::Random random(4);
        for (int trial = 0; trial < 10; ++trial) {
            const Eigen::VectorXd point = random.uniformMatrix(3, 1, 0.0, 1.0);
            const Prediction a = grown.predict(point, true);
            const Prediction b = scratch.predict(point, true);
            QVERIFY(std::abs(a.mean - b.mean) < 1e-9);
            QVERIFY(std::abs(a.variance - b.variance) < 1e-9);
            QVERIFY((asVector(a.meanGradient) - asVector(b.meanGradient)).norm() < 1e-8);
            QVERIFY((asVector(a.varianceGradient) - asVector(b.varianceGradient)).norm() < 1e-8);
        }
        QCOMPARE(grown.inputs(), x);
        QCOMPARE(grown.targets(), y);
        QCOMPARE(grown.bestTarget(), y.minCoeff());
    }

    void appendDuplicateRefactorsWithJitter() {
        const Eigen::MatrixXd x = (Eigen::MatrixXd(3, 1) << 0.0, 0.5, 1.0).finished();
        const Eigen::VectorXd y = Eigen::Vector3d(0.0, 1.0, 0.5);
        GaussianProcess gp;
        QVERIFY(gp.condition(x, y, GpHyperparameters{{0.3}, 1.0, 0.0}).ok);
        QCOMPARE(gp.jitter(), 0.0);
        const FitReport report = gp.append(Eigen::VectorXd::Constant(1, 0.5), 1.2);
        QVERIFY2(report.ok, qPrintable(QString::fromStdString(report.message)));
        QVERIFY(report.jitter > 0.0);
        QVERIFY(report.message.find("jitter") != std::string::npos);
        QCOMPARE(gp.sampleCount(), 4);
        const Prediction p = gp.predict(Eigen::VectorXd::Constant(1, 0.5), true);
        QVERIFY(finitePrediction(p));
        QVERIFY(std::abs(p.mean - 1.1) < 0.05); // between the two duplicate targets
    }

    void invalidDataIsRefusedAsAValue() {
        Eigen::MatrixXd x;
        Eigen::VectorXd y;
        smoothData(6, 1, 1, x, y);
        GaussianProcess gp(optionsFor(KernelKind::Matern52, 0.0, 1.0, 1));
        QVERIFY(gp.fit(x, y).ok);
        const double before = gp.mean(Eigen::VectorXd::Constant(1, 0.3));
        Eigen::VectorXd bad = y;
        bad[2] = std::numeric_limits<double>::quiet_NaN();
        const FitReport report = gp.fit(x, bad);
        QVERIFY(!report.ok);
        QVERIFY(!report.message.empty());
        QVERIFY(gp.isReady());
        QCOMPARE(gp.mean(Eigen::VectorXd::Constant(1, 0.3)), before);
        QVERIFY(
            !gp.append(Eigen::VectorXd::Constant(1, 0.2), std::numeric_limits<double>::infinity())
                 .ok);
        QCOMPARE(gp.sampleCount(), 6);
    }

    void misuseThrows() {
        GaussianProcess gp;
        QVERIFY_THROWS_EXCEPTION(std::logic_error, gp.predict(Eigen::VectorXd::Zero(1)));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 gp.fit(Eigen::MatrixXd::Zero(3, 1), Eigen::VectorXd::Zero(2)));
        GpOptions options;
        options.restarts = 0;
        options.lower = {0.0};
        options.upper = {-1.0};
        GaussianProcess badOptions(options);
        try {
            badOptions.fit(Eigen::MatrixXd::Zero(3, 1), Eigen::VectorXd::Zero(3));
            QFAIL("expected an InputError");
        } catch (const bt::core::InputError& e) {
            const QString what = e.what();
            QVERIFY(what.contains("restarts"));
            QVERIFY(what.contains("lower < upper"));
        }
        QCOMPARE(options.validate(2).size(), std::size_t(3)); // restarts, box size, box order
        QVERIFY(GpOptions{}.validate(4).empty());
    }
};

QTEST_GUILESS_MAIN(TestGaussianProcess)
#include "test_gaussian_process.moc"
