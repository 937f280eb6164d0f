#include <QtTest>

#include <set>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "engine/methods/bilevel.h"
#include "engine/methods/bilevel_inner_solve.h"

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

// A small double-precision MLP (two weight layers) and two minibatches.
struct Fixture {
    bt::models::Network net{bt::models::ModelSpec{bt::models::ModelKind::Mlp, {5}, 3, {7}}, 3};
    torch::Tensor xt, yt, xv, yv;
    double mu = 2.0;
    double r = 3.0;

    Fixture() {
        net->to(torch::kDouble);
        auto gen = at::detail::createCPUGenerator(1);
        xt = torch::randn({16, 5}, gen, torch::kDouble);
        yt = torch::randint(0, 3, {16}, gen, torch::kLong);
        xv = torch::randn({12, 5}, gen, torch::kDouble);
        yv = torch::randint(0, 3, {12}, gen, torch::kLong);
    }

    bt::methods::AugmentedLagrangianTerms step(torch::Tensor& lambda, ConstraintForm form) {
        return bt::methods::augmentedLagrangianStep(net, lambda, {xt, yt, xv, yv},
                                                    quadraticSurrogate, {mu, r, 0.01, form});
    }
};

} // namespace

class TestAugmentedLagrangian : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { torch::set_num_threads(1); }

    void constraintTermsMatchTheirFormulas() {
        using bt::methods::constraintSlope;
        using bt::methods::constraintTerm;
        // Inequality (PHR): (max(0, 2 + 4·0.25)² − 2²) / (2·4) = (9 − 4)/8 = 0.625.
        QCOMPARE(constraintTerm(0.25, 2.0, 4.0, ConstraintForm::Inequality), 0.625);
        QCOMPARE(constraintSlope(0.25, 2.0, 4.0, ConstraintForm::Inequality), 3.0);
        // Inactive: μ + r·h < 0 → (0 − μ²)/(2r) = −4/8, slope 0.
        QCOMPARE(constraintTerm(-1.0, 2.0, 4.0, ConstraintForm::Inequality), -0.5);
        QCOMPARE(constraintSlope(-1.0, 2.0, 4.0, ConstraintForm::Inequality), 0.0);
        // Equality: μh + (r/2)h² = 0.5 + 2·0.0625 = 0.625; slope μ + r·h = 3.
        QCOMPARE(constraintTerm(0.25, 2.0, 4.0, ConstraintForm::Equality), 0.625);
        QCOMPARE(constraintSlope(0.25, 2.0, 4.0, ConstraintForm::Equality), 3.0);
        QCOMPARE(bt::methods::updateMultiplier(2.0, 4.0, -1.0, ConstraintForm::Inequality), 0.0);
        QCOMPARE(bt::methods::updateMultiplier(2.0, 4.0, -1.0, ConstraintForm::Equality), -2.0);
        QCOMPARE(bt::methods::updateMultiplier(2.0, 4.0, 0.5, ConstraintForm::Inequality), 4.0);
    }

    // The λ-gradient the step leaves equals central differences of its L_A, in both forms and
    // with λ shared by two layers or one per layer.
    void lambdaGradientMatchesFiniteDifferences() {
        for (auto form : {ConstraintForm::Inequality, ConstraintForm::Equality}) {
            for (const auto& at : {std::vector<double>{-1.5, -0.7}, std::vector<double>{-1.1}}) {
                Fixture fx;
                auto lambda = torch::tensor(at, torch::kDouble).requires_grad_(true);
                const auto terms = fx.step(lambda, form);
                const auto analytic = lambda.grad().clone();
                for (std::size_t i = 0; i < at.size(); ++i) {
                    const double step = 1e-5;
                    auto plus = at;
                    auto minus = at;
                    plus[i] += step;
                    minus[i] -= step;
                    auto value = [&](const std::vector<double>& l) {
                        auto t = torch::tensor(l, torch::kDouble).requires_grad_(true);
                        return fx.step(t, form).value;
                    };
                    const double numeric = (value(plus) - value(minus)) / (2 * step);
                    const double exact = analytic[static_cast<int64_t>(i)].item<double>();
                    const double relative =
                        std::abs(numeric - exact) / std::max(std::abs(exact), 1e-8);
                    QVERIFY2(relative < 1e-6, qPrintable(QString("dλ_%1: analytic %2 numeric %3")
                                                             .arg(i)
                                                             .arg(exact)
                                                             .arg(numeric)));
                }
                // The violation subtracts φ̂ and ε: h = f − φ̂(λ) − ε.
                QVERIFY(std::abs(terms.violation -
                                 (terms.lower - quadraticSurrogate(at).first - 0.01)) < 1e-12);
            }
        }
    }

    // The weights' gradient (losses through autograd, the penalty's term added in place) equals
    // autograd through the whole of L_A = F + c(f − φ̂ − ε), f with models::l2Penalty, for an
    // active and an inactive inequality and for the equality form.
    void weightGradientMatchesAutogradThroughTheWholeOfLA() {
        struct Case {
            ConstraintForm form;
            double mu;
        };
        for (const auto c :
             {Case{ConstraintForm::Inequality, 2.0}, Case{ConstraintForm::Inequality, -50.0},
              Case{ConstraintForm::Equality, 2.0}}) {
            Fixture fx;
            fx.mu = c.mu;
            const std::vector<double> at{-1.5, -0.7};
            auto lambda = torch::tensor(at, torch::kDouble).requires_grad_(true);
            const auto terms = fx.step(lambda, c.form);

            Fixture same; // the same weights and batches, for autograd through all of L_A
            auto& reference = same.net;
            const auto l = torch::tensor(at, torch::kDouble);
            const auto loss = reference->spec().loss;
            const auto upper = bt::models::meanLoss(loss, reference->forward(fx.xv), fx.yv);
            const auto lower = bt::models::meanLoss(loss, reference->forward(fx.xt), fx.yt) +
                               bt::models::l2Penalty(reference->weights(), l);
            const auto h = lower - quadraticSurrogate(at).first - 0.01;
            const auto value =
                c.form == ConstraintForm::Equality
                    ? upper + fx.mu * h + 0.5 * fx.r * h * h
                    : upper + (torch::clamp_min(fx.mu + fx.r * h, 0.0).pow(2) - fx.mu * fx.mu) /
                                  (2.0 * fx.r);
            QVERIFY(std::abs(value.item<double>() - terms.value) < 1e-12);
            value.backward();
            const auto mine = fx.net->parameters();
            const auto theirs = reference->parameters();
            QCOMPARE(mine.size(), theirs.size());
            for (std::size_t i = 0; i < mine.size(); ++i) {
                const double difference =
                    (mine[i].grad() - theirs[i].grad()).abs().max().item<double>();
                const double scale = theirs[i].grad().abs().max().item<double>();
                QVERIFY2(difference <= 1e-10 * std::max(scale, 1.0),
                         qPrintable(QString("parameter %1: max difference %2 (scale %3)")
                                        .arg(i)
                                        .arg(difference)
                                        .arg(scale)));
            }
        }
    }

    // The inner solve's checks read a split whole up to the cap, else a fixed seeded subset of
    // distinct examples with their own targets.
    void checkSubsetIsTheSplitOrAFixedSubsetOfIt() {
        const auto inputs = torch::arange(40, torch::kFloat).reshape({20, 2});
        const auto targets = torch::arange(20, torch::kLong);
        const bt::train::TensorDataset split{inputs, targets};

        const auto whole = bt::methods::checkSubset(split, 20, 7);
        QCOMPARE(whole.inputs.data_ptr(), inputs.data_ptr());

        const auto a = bt::methods::checkSubset(split, 6, 7);
        QCOMPARE(a.inputs.size(0), int64_t{6});
        QCOMPARE(a.targets.size(0), int64_t{6});
        QVERIFY(torch::equal(a.inputs, bt::methods::checkSubset(split, 6, 7).inputs));
        std::set<int64_t> rows;
        for (int64_t i = 0; i < 6; ++i) {
            const int64_t row = a.targets[i].item<int64_t>();
            rows.insert(row);
            QVERIFY(torch::equal(a.inputs[i], inputs[row])); // each input with its target
        }
        QCOMPARE(rows.size(), std::size_t{6}); // distinct examples
        const auto b = bt::methods::checkSubset(split, 6, 8);
        QVERIFY(!torch::equal(a.targets, b.targets)); // another seed, another subset
    }
};

QTEST_GUILESS_MAIN(TestAugmentedLagrangian)
#include "test_augmented_lagrangian.moc"
