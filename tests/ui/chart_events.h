#pragma once

// Events and configurations for the chart tests (test_ui_charts, test_ui_comparison): what a run
// would send, with the figures a test names.

#include <QChart>
#include <QChartView>
#include <QString>
#include <QXYSeries>

#include <string>
#include <utility>
#include <vector>

#include "engine/config/run_config.h"
#include "engine/events/events.h"

namespace bt::test {

inline config::RunConfig configOf(std::vector<config::Method> methods, config::LambdaScope scope) {
    config::RunConfig c;
    c.dataset.kind = config::DatasetKind::Csv;
    c.model.kind = config::ModelKind::Mlp;
    c.model.hidden = {8};
    c.hyperparameters = {scope, -10.0, 3.0};
    c.bilevel.outerIterations = 2;
    c.bilevel.mu0 = 2.0;
    c.bilevel.r0 = 2.0;
    c.methods = std::move(methods);
    return c;
}

inline events::SampleEvent sample(const std::string& method, const std::string& phase, int index,
                                  std::vector<double> lambda, double phi, double valLoss,
                                  double epochs, double testAccuracy = 0.5) {
    events::SampleEvent s;
    s.method = method;
    s.phase = phase;
    s.index = index;
    s.total = 3;
    s.lambda = std::move(lambda);
    s.status = "ok";
    s.metrics.objective = phi;
    s.metrics.valLoss = valLoss;
    s.metrics.testLoss = valLoss + 0.1;
    s.metrics.testAccuracy = testAccuracy;
    s.cost.epochs = epochs;
    s.cost.wallSeconds = epochs / 10.0;
    s.cost.lowerLevelTrainings = index + 1;
    return s;
}

inline events::InnerProgressEvent inner(int outer, int step, double lambda, double violation) {
    events::InnerProgressEvent e;
    e.outerIteration = outer;
    e.step = step;
    e.totalSteps = 100;
    e.lambda = {lambda};
    e.upperLoss = 1.0;
    e.lowerObjective = 2.0;
    e.phiHat = 1.5;
    e.violation = violation;
    return e;
}

inline events::OuterIterationEvent outer(int k, double lambda, double hSampled, double hSurrogate,
                                         double mu, double r, double upper) {
    events::OuterIterationEvent e;
    e.iteration = k;
    e.total = 2;
    e.lambda = {lambda};
    e.violationSampled = hSampled;
    e.violationSurrogate = hSurrogate;
    e.mu = mu;
    e.r = r;
    e.upperLoss = upper;
    e.lowerObjective = upper + 1.0;
    e.phiSampled = upper + 0.5;
    e.phiHat = upper + 0.4;
    e.metrics.valLoss = upper;
    e.metrics.testAccuracy = 0.9;
    e.cost.epochs = 100.0 + k;
    return e;
}

// The bilevel method's GP refit on its first `samples` φ samples.
inline events::GpRefitEvent bilevelRefit(int samples, std::vector<double> lengthScales,
                                         double noise) {
    events::GpRefitEvent refit;
    refit.method = "bilevel";
    refit.samples = samples;
    refit.lengthScales = std::move(lengthScales);
    refit.signalVariance = 1.0;
    refit.noiseVariance = noise;
    return refit;
}

// φ(λ) of a smooth 1-D test function, sampled at the design.
inline double phiOf(double lambda) {
    return 1.0 + 0.05 * (lambda + 3.0) * (lambda + 3.0);
}

// The series of `view`'s chart named `name` (the last of that name), as an XY series; nullptr
// when there is none.
inline QXYSeries* seriesNamed(const QChartView* view, const QString& name) {
    QXYSeries* found = nullptr;
    for (auto* series : view->chart()->series()) {
        if (series->name() == name) {
            found = qobject_cast<QXYSeries*>(series);
        }
    }
    return found;
}

} // namespace bt::test
