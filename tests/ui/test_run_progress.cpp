#include <QtTest>

#include "ui/session/run_progress.h"
#include "ui/session/run_progress_bar.h"

using namespace bt;

namespace {

config::RunConfig twoMethodConfig() {
    config::RunConfig c;
    c.dataset.kind = config::DatasetKind::FashionMnist;
    c.model.kind = config::ModelKind::Mlp;
    c.model.hidden = {300, 100}; // 3 weight layers: d = 3
    c.training.epochs = 10;
    c.bilevel.initialSamples = 15;
    c.bilevel.outerIterations = 5;
    c.bilevel.refineTrials = 2;
    c.grid.pointsPerDim = 4; // 64 trainings
    c.methods = {config::Method::Bilevel, config::Method::Grid};
    return c;
}

events::SampleEvent sample(const std::string& method, const std::string& phase, int index,
                           int total, double epochs) {
    events::SampleEvent e;
    e.method = method;
    e.phase = phase;
    e.index = index;
    e.total = total;
    e.lambda = {-1.0, -2.0, -3.0};
    e.cost.epochs = epochs;
    return e;
}

// twoMethodConfig()'s task with `method` alone.
config::RunConfig oneMethodConfig(config::Method method) {
    auto c = twoMethodConfig();
    c.methods = {method};
    return c;
}

// twoMethodConfig()'s bilevel plan: 15 design and 2 refinement trainings of 10 epochs, and 5
// outer iterations of a warm-started φ sample (⌈10 / 3⌉ = 4 epochs) and an inner solve (100
// steps of a training and a validation minibatch of 128 over 10,000 samples: 2.56 epochs).
constexpr double kBilevelEpochs = 15.0 * 10 + 2.0 * 10 + 5 * (4 + 100.0 * 2 * 128 / 10000);

} // namespace

class TestRunProgress : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void plansEachMethodInEpochs() {
        ui::RunProgress progress;
        progress.start(twoMethodConfig());
        QCOMPARE(progress.dimension(), 3);
        const auto plan = progress.plan();
        QCOMPARE(plan.size(), std::size_t{2});
        QCOMPARE(plan[0].second, kBilevelEpochs);
        QCOMPARE(plan[1].second, 64.0 * 10);
    }

    void phaseTextsAndFraction() {
        ui::RunProgress progress;
        progress.start(twoMethodConfig());
        for (int i = 0; i < 6; ++i) { // the design's first six trainings, 10 epochs a second
            progress.update(sample("bilevel", "initial-design", i, 15, 10.0 * (i + 1)), i + 1.0);
        }
        auto state = progress.update(sample("bilevel", "initial-design", 6, 15, 70.0), 7.0);
        QCOMPARE(state.phase, QStringLiteral("bilevel: initial design 7/15"));
        const double total = kBilevelEpochs + 640.0;
        QVERIFY(qAbs(state.fraction - 70.0 / total) < 1e-12);
        // ETA at the rate so far: 7 s for 70 of the total epochs.
        QVERIFY(qAbs(state.etaSeconds - 7.0 * (total - 70.0) / 70.0) < 1e-9);

        events::InnerProgressEvent inner;
        inner.outerIteration = 3;
        inner.step = 40;
        inner.totalSteps = 300;
        inner.lambda = {-1.0, -2.0, -3.0};
        inner.cost.epochs = 200.0;
        state = progress.update(inner, 20.0);
        QCOMPARE(state.phase, QStringLiteral("bilevel: outer iteration 3/5, inner step 40/300"));

        events::OuterIterationEvent outer;
        outer.iteration = 3;
        outer.total = 5;
        outer.cost.epochs = 210.0;
        state = progress.update(outer, 21.0);
        QCOMPARE(state.phase, QStringLiteral("bilevel: outer iteration 3/5"));
        const double before = state.fraction;

        // The outer iterations' φ samples count their own (not the method's sample index 15,
        // 16), as do the confirmation (ALGORITHM.md §3.5) and the refinement trainings (§3.6).
        state = progress.update(sample("bilevel", "outer-iteration", 15, 5, 230.0), 23.0);
        QCOMPARE(state.phase, QStringLiteral("bilevel: φ sample 1/5"));
        state = progress.update(sample("bilevel", "outer-iteration", 16, 5, 240.0), 24.0);
        QCOMPARE(state.phase, QStringLiteral("bilevel: φ sample 2/5"));
        state = progress.update(sample("bilevel", "confirmation", 17, 1, 250.0), 25.0);
        QCOMPARE(state.phase, QStringLiteral("bilevel: confirmation 1/1"));
        state = progress.update(sample("bilevel", "refinement", 18, 2, 260.0), 26.0);
        QCOMPARE(state.phase, QStringLiteral("bilevel: refinement 1/2"));
        state = progress.update(sample("bilevel", "refinement", 19, 2, 270.0), 27.0);
        QCOMPARE(state.phase, QStringLiteral("bilevel: refinement 2/2"));

        events::MethodFinishedEvent done;
        done.method = "bilevel";
        state = progress.update(done, 30.0);
        QVERIFY(qAbs(state.fraction - kBilevelEpochs / total) < 1e-12);
        QVERIFY(state.fraction >= before);

        state = progress.update(sample("grid", "trial", 0, 64, 120.0), 40.0);
        QCOMPARE(state.phase, QStringLiteral("grid: trial 1/64"));
        QVERIFY(qAbs(state.fraction - (kBilevelEpochs + 120.0) / total) < 1e-12);

        state = progress.update(events::FinishedEvent{bt::events::RunStatus::Completed, ""}, 50.0);
        QCOMPARE(state.fraction, 1.0);
        QVERIFY(state.ended);
        QVERIFY(state.etaSeconds < 0.0); // no ETA once the run ended
    }

    void hyperbandRungsAreCountedPerRung() {
        ui::RunProgress progress;
        progress.start(oneMethodConfig(config::Method::Hyperband));
        progress.update(sample("hyperband", "bracket 2 rung 0", 0, 9, 1.0), 1.0);
        const auto state = progress.update(sample("hyperband", "bracket 2 rung 0", 1, 9, 2.0), 2.0);
        QCOMPARE(state.phase, QStringLiteral("hyperband: bracket 2 rung 0, 2/9"));
    }

    // Bayesian optimisation's proposals count from 1 after its initial design, as their total
    // does (the method's sample index read "6/15" at the first), and their count is a floor of
    // the method's share no higher than its true one.
    void bayesianProposalsCountAfterTheDesign() {
        auto config = oneMethodConfig(config::Method::Bayesian);
        config.bayesian.trials = 20;
        config.bayesian.initial = 5;
        ui::RunProgress progress;
        progress.start(config);
        for (int i = 0; i < 5; ++i) {
            progress.update(sample("bayesian", "initial-design", i, 5, 0.0), 1.0);
        }
        const auto state = progress.update(sample("bayesian", "trial", 5, 15, 0.0), 2.0);
        QCOMPARE(state.phase, QStringLiteral("bayesian: trial 1/15"));
        QVERIFY2(state.fraction <= 6.0 / 20.0, qPrintable(QString::number(state.fraction)));
    }

    // The first λ corrects the dimension estimate (here: shared scope read as d = 1 upfront).
    void dimensionFollowsTheEvents() {
        auto config = twoMethodConfig();
        config.model.kind = config::ModelKind::Linear;
        ui::RunProgress progress;
        progress.start(config);
        QCOMPARE(progress.dimension(), 1);
        progress.update(sample("bilevel", "initial-design", 0, 15, 10.0), 1.0);
        QCOMPARE(progress.dimension(), 3);
        QCOMPARE(progress.plan()[1].second, 64.0 * 10);
    }

    void cancelledRunKeepsItsFraction() {
        ui::RunProgress progress;
        progress.start(twoMethodConfig());
        progress.update(sample("bilevel", "initial-design", 0, 15, 10.0), 1.0);
        const double before = progress.state().fraction;
        const auto state =
            progress.update(events::FinishedEvent{bt::events::RunStatus::Cancelled, ""}, 2.0);
        QCOMPARE(state.fraction, before);
        QCOMPARE(state.phase,
                 QStringLiteral("run cancelled at %1 %").arg(before * 100.0, 0, 'f', 1));
        QVERIFY(state.ended && state.etaSeconds < 0.0);
        // The bar says how long the run took instead of an ETA of 0 s.
        ui::RunProgressBar bar;
        bar.setState(state);
        QCOMPARE(bar.etaText(), QStringLiteral("took 2 s"));
    }

    // A stop during the last method: the engine ends that method (its method-finished event,
    // status cancelled) before the run's end; neither moves the progress on.
    void cancelledMethodIsNotCountedDone() {
        const auto config = oneMethodConfig(config::Method::Random);
        ui::RunProgress progress;
        progress.start(config);
        progress.update(sample("random", "trial", 0, 20, 10.0), 1.0);
        const double before = progress.state().fraction;
        QVERIFY(before > 0.0 && before < 0.5);
        auto state = progress.update(
            events::MethodFinishedEvent{"random", {-2.0}, {}, {}, events::RunStatus::Cancelled},
            2.0);
        QCOMPARE(state.fraction, before);
        QCOMPARE(state.phase, QStringLiteral("random cancelled"));
        state = progress.update(events::FinishedEvent{events::RunStatus::Cancelled, ""}, 2.0);
        QCOMPARE(state.fraction, before);
        QCOMPARE(state.phase,
                 QStringLiteral("run cancelled at %1 %").arg(before * 100.0, 0, 'f', 1));

        // The same method completed is done: 100 % of a one-method run.
        ui::RunProgress completed;
        completed.start(config);
        completed.update(sample("random", "trial", 0, 20, 10.0), 1.0);
        state = completed.update(events::MethodFinishedEvent{"random", {-2.0}, {}, {}}, 2.0);
        QCOMPARE(state.fraction, 1.0);
        QCOMPARE(state.phase, QStringLiteral("random finished"));
    }
};

QTEST_MAIN(TestRunProgress)
#include "test_run_progress.moc"
