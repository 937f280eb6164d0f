#include <QtTest>

#include <cmath>

#include "engine/methods/phi_surrogate.h"
#include "engine/methods/surrogate_grid.h"

using bt::methods::Box;
using bt::methods::PhiSurrogate;
using bt::methods::SurrogateGridRequest;

namespace {

// φ over d dimensions: positive, spanning a few orders of magnitude across the box.
double phi(const std::vector<double>& lambda) {
    double s = 0.0;
    for (std::size_t i = 0; i < lambda.size(); ++i) {
        s += (0.5 + 0.2 * static_cast<double>(i)) * (lambda[i] + 10.0);
    }
    return 0.01 * std::exp(0.6 * s / static_cast<double>(lambda.size()));
}

struct Samples {
    std::vector<std::vector<double>> x;
    std::vector<double> y;
};

Samples samplesOf(const Box& box, int perDim) {
    Samples s;
    const std::size_t d = box.dimension();
    std::vector<int> index(d, 0);
    while (true) {
        std::vector<double> lambda(d);
        for (std::size_t i = 0; i < d; ++i) {
            lambda[i] = box.lower[i] + (box.upper[i] - box.lower[i]) * index[i] / (perDim - 1);
        }
        s.x.push_back(lambda);
        s.y.push_back(phi(lambda));
        std::size_t k = 0;
        while (k < d && ++index[k] == perDim) {
            index[k++] = 0;
        }
        if (k == d) {
            return s;
        }
    }
}

// The method's surrogate, fitted as the method fits it, and the hyperparameters its refit
// event carries.
PhiSurrogate fittedSurrogate(const Box& box, const Samples& s, bool logScale,
                             bt::gp::GpHyperparameters& hyper) {
    PhiSurrogate surrogate(box, 5, 7, logScale);
    const auto fit = surrogate.fit(s.x, s.y);
    if (!fit.ok) {
        qFatal("fit failed: %s", fit.message.c_str());
    }
    hyper = {fit.lengthScales, fit.signalVariance, fit.noiseVariance};
    return surrogate;
}

// A request for the grid of `samples` in `box`.
SurrogateGridRequest requestOf(const Box& box, const Samples& samples, bool logScale) {
    SurrogateGridRequest request;
    request.box = box;
    request.x = samples.x;
    request.y = samples.y;
    request.logScale = logScale;
    return request;
}

bool close(double a, double b) {
    return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b));
}

} // namespace

/// surrogateGrid: the surrogate view's grid is the method's PhiSurrogate evaluated there.
class TestSurrogateGrid : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void curveIsWhatTheMethodsSurrogatePredicts_data() {
        QTest::addColumn<bool>("logScale");
        QTest::newRow("phi") << false;
        QTest::newRow("log phi") << true;
    }

    void curveIsWhatTheMethodsSurrogatePredicts() {
        QFETCH(bool, logScale);
        const Box box{{-10.0}, {0.0}};
        const auto s = samplesOf(box, 8);
        bt::gp::GpHyperparameters hyper;
        const auto surrogate = fittedSurrogate(box, s, logScale, hyper);
        auto request = requestOf(box, s, logScale);
        request.hyperparameters = hyper;
        request.curveDimension = 0;
        request.curvePoints = 31;
        const auto grid = bt::methods::surrogateGrid(request);
        QVERIFY2(grid.ok, grid.message.c_str());
        QCOMPARE(grid.samples, 8);
        QVERIFY(grid.curve.has_value());
        QVERIFY(!grid.surface.has_value());
        const auto& c = *grid.curve;
        QCOMPARE(c.x.size(), std::size_t{31});
        QCOMPARE(c.x.front(), -10.0);
        QCOMPARE(c.x.back(), 0.0);
        for (std::size_t i = 0; i < c.x.size(); ++i) {
            const auto [mean, stddev] = surrogate.meanAndStddev({c.x[i]});
            QVERIFY2(close(c.mean[i], mean) && close(c.stddev[i], stddev),
                     qPrintable(QStringLiteral("λ = %1: grid %2 ± %3, surrogate %4 ± %5")
                                    .arg(c.x[i])
                                    .arg(c.mean[i])
                                    .arg(c.stddev[i])
                                    .arg(mean)
                                    .arg(stddev)));
            QVERIFY(c.lower[i] <= c.mean[i] && c.mean[i] <= c.upper[i]);
        }
    }

    void surfaceAndSlicesAreWhatTheMethodsSurrogatePredicts() {
        for (const std::size_t d : {std::size_t{2}, std::size_t{3}}) {
            const Box box{std::vector<double>(d, -10.0), std::vector<double>(d, 0.0)};
            const auto s = samplesOf(box, d == 2 ? 5 : 3);
            bt::gp::GpHyperparameters hyper;
            const auto surrogate = fittedSurrogate(box, s, true, hyper);
            auto request = requestOf(box, s, true);
            request.hyperparameters = hyper;
            request.through = std::vector<double>(d, -4.0);
            request.curveDimension = static_cast<int>(d) - 1;
            request.surfaceX = static_cast<int>(d) - 1;
            request.surfaceY = 0;
            request.surfaceSize = 7;
            const auto grid = bt::methods::surrogateGrid(request);
            QVERIFY2(grid.ok, grid.message.c_str());
            QVERIFY(grid.surface.has_value() && grid.curve.has_value());
            const auto& g = *grid.surface;
            QCOMPARE(g.size, 7);
            for (int iy = 0; iy < g.size; ++iy) {
                for (int ix = 0; ix < g.size; ++ix) {
                    auto lambda = request.through;
                    lambda[static_cast<std::size_t>(request.surfaceX)] = g.x[std::size_t(ix)];
                    lambda[0] = g.y[std::size_t(iy)];
                    const auto [mean, stddev] = surrogate.meanAndStddev(lambda);
                    const auto k = static_cast<std::size_t>(iy * g.size + ix);
                    QVERIFY(close(g.mean[k], mean));
                    QVERIFY(close(g.stddev[k], stddev));
                }
            }
            const auto& c = *grid.curve;
            for (std::size_t i = 0; i < c.x.size(); i += 17) {
                auto lambda = request.through;
                lambda.back() = c.x[i];
                QVERIFY(close(c.mean[i], surrogate.meanAndStddev(lambda).first));
            }
        }
    }

    // Without a refit's hyperparameters the grid's GP is fitted as the method's first fit.
    void withoutHyperparametersItFitsAsTheMethod() {
        const Box box{{-10.0}, {0.0}};
        const auto s = samplesOf(box, 6);
        bt::gp::GpHyperparameters hyper;
        const auto surrogate = fittedSurrogate(box, s, false, hyper);
        auto request = requestOf(box, s, false);
        request.seed = 7;
        request.curveDimension = 0;
        request.curvePoints = 11;
        const auto grid = bt::methods::surrogateGrid(request);
        QVERIFY2(grid.ok, grid.message.c_str());
        for (std::size_t i = 0; i < grid.curve->x.size(); ++i) {
            QVERIFY(close(grid.curve->mean[i], surrogate.meanAndStddev({grid.curve->x[i]}).first));
        }
    }

    void badRequestsSayWhy() {
        const Box box{{-10.0, -10.0}, {0.0, 0.0}};
        auto none = requestOf(box, {}, false);
        none.curveDimension = 0;
        const auto empty = bt::methods::surrogateGrid(none);
        QVERIFY(!empty.ok);
        QVERIFY(!empty.message.empty());
        auto wrong = none;
        wrong.x = {{-1.0, -2.0}, {-3.0, -4.0}};
        wrong.y = {1.0, 2.0};
        wrong.hyperparameters = bt::gp::GpHyperparameters{{1.0}, 1.0, 1e-6}; // one ℓ for d = 2
        const auto bad = bt::methods::surrogateGrid(wrong);
        QVERIFY(!bad.ok);
        QVERIFY(!bad.message.empty());
        QVERIFY(!bad.curve.has_value());
    }
};

QTEST_GUILESS_MAIN(TestSurrogateGrid)
#include "test_surrogate_grid.moc"
