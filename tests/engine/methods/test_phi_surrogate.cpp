#include <QtTest>

#include <cmath>

#include "engine/methods/phi_surrogate.h"

using bt::methods::Box;
using bt::methods::PhiSurrogate;

// The φ surrogate on φ's own scale (the paper's) and on log φ (bilevel.log_surrogate): a φ that
// spans orders of magnitude, like a training loss from weak to strong regularisation.
namespace {

double phi(double lambda) {
    return 0.003 * std::exp(0.8 * (lambda + 10.0)); // 0.003 at λ = -10, about 9 at λ = 0
}

PhiSurrogate fitted(bool logScale) {
    const Box box{{-10.0}, {0.0}};
    PhiSurrogate surrogate(box, 5, 3, logScale);
    std::vector<std::vector<double>> x;
    std::vector<double> y;
    for (int i = 0; i <= 10; ++i) {
        const double lambda = -10.0 + i;
        x.push_back({lambda});
        y.push_back(phi(lambda));
    }
    const auto fit = surrogate.fit(x, y);
    if (!fit.ok) {
        qFatal("fit failed: %s", fit.message.c_str());
    }
    return surrogate;
}

} // namespace

class TestPhiSurrogate : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void logScaleFitsSmallValuesRelatively() {
        // Between the samples where φ is small, the log-scale GP is within a few per cent; on
        // φ's own scale the large values dominate and the relative error is far larger.
        const auto raw = fitted(false);
        const auto log = fitted(true);
        double worstRaw = 0.0;
        double worstLog = 0.0;
        for (const double lambda : {-9.5, -8.5, -7.5, -6.5}) {
            const double truth = phi(lambda);
            worstRaw =
                std::max(worstRaw, std::abs(raw.valueAndGradient({lambda}).first - truth) / truth);
            worstLog =
                std::max(worstLog, std::abs(log.valueAndGradient({lambda}).first - truth) / truth);
        }
        qInfo("worst relative error at small φ: raw %.3g, log %.3g", worstRaw, worstLog);
        QVERIFY2(worstLog < 0.05, qPrintable(QString::number(worstLog)));
        QVERIFY(worstLog < worstRaw / 5);
        QVERIFY(log.logScale());
        QVERIFY(!raw.logScale());
    }

    void logScaleGradientIsTheValuesDerivative() {
        const auto log = fitted(true);
        for (const double lambda : {-8.7, -4.2, -0.6}) {
            const double h = 1e-5;
            const double numeric = (log.valueAndGradient({lambda + h}).first -
                                    log.valueAndGradient({lambda - h}).first) /
                                   (2 * h);
            const auto [value, gradient] = log.valueAndGradient({lambda});
            QVERIFY(value > 0.0);
            QVERIFY2(std::abs(gradient[0] - numeric) <= 1e-5 * std::max(1.0, std::abs(numeric)),
                     qPrintable(QString("%1 vs %2").arg(gradient[0]).arg(numeric)));
            // meanAndStddev gives the same value on φ's scale.
            QVERIFY(std::abs(log.meanAndStddev({lambda}).first - value) <= 1e-9 * value);
        }
    }

    void zeroSamplesStayFinite() {
        const Box box{{-10.0}, {0.0}};
        PhiSurrogate surrogate(box, 2, 1, true);
        QVERIFY(surrogate.fit({{-10.0}, {-5.0}, {0.0}}, {0.0, 0.5, 1.0}).ok);
        QVERIFY(std::isfinite(surrogate.valueAndGradient({-7.0}).first));
    }
};

QTEST_GUILESS_MAIN(TestPhiSurrogate)
#include "test_phi_surrogate.moc"
