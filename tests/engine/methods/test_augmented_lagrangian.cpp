#include <QtTest>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "engine/methods/bilevel.h"

using bt::methods::ConstraintForm;

namespace {

// A smooth surrogate with a known gradient: φ̂(λ) = 0.3 + Σ 0.01·(λ_i + 4)².
std::pair<double, std::vector<double>> quadraticSurrogate(const std::vector<double>& x) {
    double v = 0.3;
    std::vector<double> g(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
        v += 0.01 * (x[i] + 4.0) * (x[i] + 4.0);
        g[i] = 0.02 * (x[i] + 4.0);
    }
    return {v, g};
}

} // namespace

class TestAugmentedLagrangian : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { torch::set_num_threads(1); }

    void constraintTermsMatchTheirFormulas() {
        const auto h = torch::tensor(0.25, torch::kDouble);
        // Inequality (PHR): (max(0, 2 + 4·0.25)² − 2²) / (2·4) = (9 − 4)/8 = 0.625.
        QCOMPARE(
            bt::methods::constraintTerm(h, 2.0, 4.0, ConstraintForm::Inequality).item<double>(),
            0.625);
        // Inactive: μ + r·h < 0 → (0 − μ²)/(2r) = −4/8.
        QCOMPARE(bt::methods::constraintTerm(torch::tensor(-1.0, torch::kDouble), 2.0, 4.0,
                                             ConstraintForm::Inequality)
                     .item<double>(),
                 -0.5);
        // Equality: μh + (r/2)h² = 0.5 + 2·0.0625 = 0.625.
        QCOMPARE(bt::methods::constraintTerm(h, 2.0, 4.0, ConstraintForm::Equality).item<double>(),
                 0.625);
        QCOMPARE(bt::methods::updateMultiplier(2.0, 4.0, -1.0, ConstraintForm::Inequality), 0.0);
        QCOMPARE(bt::methods::updateMultiplier(2.0, 4.0, -1.0, ConstraintForm::Equality), -2.0);
        QCOMPARE(bt::methods::updateMultiplier(2.0, 4.0, 0.5, ConstraintForm::Inequality), 4.0);
    }

    void lambdaGradientMatchesFiniteDifferences() {
        for (auto form : {ConstraintForm::Inequality, ConstraintForm::Equality}) {
            const bt::models::ModelSpec spec{bt::models::ModelKind::Mlp, {5}, 3, {7}};
            bt::models::Network net(spec, 3);
            net->to(torch::kDouble);
            auto gen = at::detail::createCPUGenerator(1);
            const auto xt = torch::randn({16, 5}, gen, torch::kDouble);
            const auto yt = torch::randint(0, 3, {16}, gen, torch::kLong);
            const auto xv = torch::randn({12, 5}, gen, torch::kDouble);
            const auto yv = torch::randint(0, 3, {12}, gen, torch::kLong);
            const std::vector<double> at{-1.5, -0.7};
            auto lambda = torch::tensor(at, torch::kDouble).requires_grad_(true);
            auto terms = bt::methods::augmentedLagrangian(net, lambda, xt, yt, xv, yv,
                                                          quadraticSurrogate, 2.0, 3.0, 0.01, form);
            terms.value.backward();
            const auto analytic = lambda.grad().clone();
            for (int i = 0; i < 2; ++i) {
                const double step = 1e-5;
                auto plus = at;
                auto minus = at;
                plus[static_cast<std::size_t>(i)] += step;
                minus[static_cast<std::size_t>(i)] -= step;
                auto value = [&](const std::vector<double>& l) {
                    torch::NoGradGuard noGrad;
                    return bt::methods::augmentedLagrangian(net, torch::tensor(l, torch::kDouble),
                                                            xt, yt, xv, yv, quadraticSurrogate, 2.0,
                                                            3.0, 0.01, form)
                        .value.item<double>();
                };
                const double numeric = (value(plus) - value(minus)) / (2 * step);
                const double exact = analytic[i].item<double>();
                const double relative = std::abs(numeric - exact) / std::max(std::abs(exact), 1e-8);
                QVERIFY2(
                    relative < 1e-6,
                    qPrintable(
                        QString("dλ_%1: analytic %2 numeric %3").arg(i).arg(exact).arg(numeric)));
            }
            // The violation subtracts φ̂ and ε: h = f − φ̂(λ) − ε.
            QVERIFY(std::abs(terms.violation.item<double>() -
                             (terms.lower.item<double>() - quadraticSurrogate(at).first - 0.01)) <
                    1e-12);
        }
    }
};

QTEST_GUILESS_MAIN(TestAugmentedLagrangian)
#include "test_augmented_lagrangian.moc"
