#pragma once

// A run made of known events, for tests of what the UI draws and writes: bilevel (d = 2, a
// 5-sample design, a GP refit, inner steps, 3 outer iterations) and grid (4 trials), then the
// run's end with a result that carries an environment.

#include <cmath>
#include <string>

#include "engine/config/run_config.h"
#include "engine/events/events.h"
#include "engine/report/result_json.h"
#include "ui/charts/live_charts.h"

namespace bt::testing {

inline config::RunConfig syntheticConfig() {
    config::RunConfig c;
    c.dataset.kind = config::DatasetKind::FashionMnist;
    c.model.kind = config::ModelKind::Mlp;
    c.model.hidden = {16};
    c.hyperparameters = {config::LambdaScope::PerLayer, -10.0, 0.0};
    c.bilevel.outerIterations = 3;
    c.methods = {config::Method::Bilevel, config::Method::Grid};
    return c;
}

inline events::Metrics syntheticMetrics(double valLoss) {
    events::Metrics m;
    m.trainLoss = valLoss * 0.8;
    m.objective = valLoss * 0.9;
    m.valLoss = valLoss;
    m.testLoss = valLoss + 0.05;
    m.valAccuracy = 1.0 - valLoss / 2;
    m.testAccuracy = 1.0 - valLoss / 2 - 0.01;
    return m;
}

/// A completed trial of `method` (phase "trial") at `lambda` with validation loss `valLoss`: one
/// more training of 10 epochs and `seconds` on `cost`, whose total it carries.
inline events::SampleEvent syntheticTrial(const std::string& method, int index, int total,
                                          std::vector<double> lambda, double valLoss,
                                          events::Cost& cost, double seconds = 0.0) {
    events::SampleEvent s;
    s.method = method;
    s.phase = "trial";
    s.index = index;
    s.total = total;
    s.lambda = std::move(lambda);
    s.status = "ok";
    s.metrics = syntheticMetrics(valLoss);
    cost.lowerLevelTrainings += 1;
    cost.epochs += 10;
    cost.wallSeconds += seconds;
    s.cost = cost;
    return s;
}

/// Feeds the run to `charts` (startRun, every event, finishRun) and returns its result.
inline report::RunResult feedSyntheticRun(ui::LiveCharts& charts,
                                          const std::string& runId = "20260101-000000-test") {
    const auto config = syntheticConfig();
    charts.startRun(QString::fromStdString(runId), config);
    events::Cost cost;
    int index = 0;
    const double design[5][2] = {{-8, -8}, {-8, -2}, {-2, -8}, {-2, -2}, {-5, -5}};
    for (const auto& point : design) {
        events::SampleEvent s;
        s.method = "bilevel";
        s.phase = "initial-design";
        s.index = index++;
        s.total = 5;
        s.lambda = {point[0], point[1]};
        s.status = "ok";
        s.metrics = syntheticMetrics(0.5 + 0.01 * (point[0] + 5) * (point[0] + 5) +
                                     0.02 * (point[1] + 4) * (point[1] + 4));
        s.metrics.objective = 0.3 + 0.05 * (point[0] + point[1] + 20);
        cost.lowerLevelTrainings += 1;
        cost.epochs += 10;
        cost.wallSeconds += 1.5;
        s.cost = cost;
        charts.addEvent(s);
    }
    events::GpRefitEvent refit;
    refit.method = "bilevel";
    refit.samples = 5;
    refit.lengthScales = {4.0, 4.0};
    refit.signalVariance = 0.5;
    refit.noiseVariance = 1e-4;
    charts.addEvent(refit);
    std::vector<double> lambda{-5.0, -5.0};
    for (int k = 1; k <= 3; ++k) {
        for (int step = 20; step <= 100; step += 20) {
            events::InnerProgressEvent e;
            e.outerIteration = k;
            e.step = step;
            e.totalSteps = 100;
            lambda[0] += 0.1;
            lambda[1] -= 0.05;
            e.lambda = lambda;
            e.upperLoss = 0.5 - 0.01 * k;
            e.lowerObjective = 0.6;
            e.phiHat = 0.55;
            e.violation = 0.1 / (k * step);
            cost.epochs += 0.5;
            e.cost = cost;
            charts.addEvent(e);
        }
        events::SampleEvent s;
        s.method = "bilevel";
        s.phase = "outer-iteration";
        s.index = index++;
        s.total = 3;
        s.lambda = lambda;
        s.status = "ok";
        s.metrics = syntheticMetrics(0.45);
        cost.lowerLevelTrainings += 1;
        cost.epochs += 10;
        s.cost = cost;
        charts.addEvent(s);
        events::OuterIterationEvent o;
        o.iteration = k;
        o.total = 3;
        o.lambda = lambda;
        o.violationSampled = 0.1 / k;
        o.violationSurrogate = 0.05 / k;
        o.mu = 2.0 + 0.1 * k;
        o.r = 2.0 * std::pow(1.5, k);
        o.upperLoss = 0.5 - 0.02 * k;
        o.lowerObjective = 0.6;
        o.phiSampled = 0.58;
        o.phiHat = 0.57;
        o.metrics = syntheticMetrics(0.5 - 0.02 * k);
        o.cost = cost;
        charts.addEvent(o);
    }
    events::MethodFinishedEvent bilevelDone{"bilevel", lambda, syntheticMetrics(0.44), cost};
    charts.addEvent(bilevelDone);

    events::Cost gridCost;
    for (int i = 0; i < 4; ++i) {
        charts.addEvent(syntheticTrial("grid", i, 4,
                                       {i < 2 ? -10.0 : 0.0, i % 2 == 0 ? -10.0 : 0.0},
                                       0.6 - 0.02 * i, gridCost, 1.0));
    }
    events::MethodFinishedEvent gridDone{"grid", {0.0, 0.0}, syntheticMetrics(0.54), gridCost};
    charts.addEvent(gridDone);
    charts.addEvent(events::LogEvent{events::LogLevel::Info, "grid: 2 points per dimension"});
    charts.addEvent(events::FinishedEvent{bt::events::RunStatus::Completed, ""});

    report::RunResult result;
    result.runId = runId;
    result.status = bt::events::RunStatus::Completed;
    result.environment = {{"torch_version", "1.13.1"},
                          {"blas_loaded", {"/lib/libopenblas.so"}},
                          {"device", "cpu"},
                          {"cpu", "Test CPU"}};
    result.data = {{"train", {{"rows", 600}, {"crc32", "0000abcd"}}},
                   {"validation", {{"rows", 400}, {"crc32", "12345678"}}},
                   {"test", {{"rows", 9000}, {"crc32", "ffff0000"}}}};
    for (const auto& [name, done] : {std::pair{"bilevel", bilevelDone}, {"grid", gridDone}}) {
        methods::MethodResult m;
        m.method = name;
        m.lambda = done.lambda;
        m.metrics = done.metrics;
        m.refitMetrics = syntheticMetrics(0.5);
        m.cost = done.cost;
        const auto* trace = charts.data().method(name);
        m.samples = trace->samples;
        m.anytime = trace->anytime;
        if (m.method == "bilevel") {
            m.iterations = charts.data().outerIterations();
        }
        result.methods.push_back(m);
    }
    charts.finishRun(result);
    return result;
}

} // namespace bt::testing
