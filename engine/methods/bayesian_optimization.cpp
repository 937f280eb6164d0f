#include "engine/methods/bayesian_optimization.h"

#include <algorithm>
#include <utility>

#include "engine/methods/trial_recorder.h"

namespace bt::methods {

OptimizationTrace runBayesianOptimization(const Box& box, const BayesianOptions& options,
                                          const BatchObjective& objective, const FitObserver& onFit,
                                          std::stop_token stop, OptimizationTrace prior) {
    OptimizationTrace trace = std::move(prior);
    const int trials = std::max(options.trials, 0);
    const int initial = std::clamp(options.initial, 0, trials);
    if (initial > 0) {
        const auto design = sobolDesign(box, initial, options.seed);
        const auto values = objective(design, true);
        for (std::size_t i = 0; i < values.size() && i < design.size(); ++i) {
            trace.points.push_back(design[i]);
            trace.values.push_back(values[i]);
        }
        if (values.size() < design.size() || stop.stop_requested()) {
            trace.stopped = true;
            return trace;
        }
    }
    ExpectedImprovementProposer proposer(box, options.acquisition, options.seed);
    while (static_cast<int>(trace.points.size()) < trials) {
        if (stop.stop_requested()) {
            trace.stopped = true;
            return trace;
        }
        const auto fit = proposer.fit(trace.points, trace.values);
        if (onFit) {
            onFit(fit, static_cast<int>(trace.points.size()));
        }
        const auto proposal = proposer.propose(stop);
        if (stop.stop_requested()) {
            trace.stopped = true;
            return trace;
        }
        const auto values = objective({proposal.lambda}, false);
        if (values.empty()) {
            trace.stopped = true;
            return trace;
        }
        trace.points.push_back(proposal.lambda);
        trace.values.push_back(values.front());
    }
    return trace;
}

OptimizationTrace
minimiseByBayesianOptimization(const Box& box, const BayesianOptions& options,
                               const std::function<double(const std::vector<double>&)>& objective,
                               std::stop_token stop) {
    const BatchObjective batch = [&](const std::vector<std::vector<double>>& points, bool) {
        std::vector<double> values;
        for (const auto& p : points) {
            if (stop.stop_requested()) {
                break;
            }
            values.push_back(objective(p));
        }
        return values;
    };
    return runBayesianOptimization(box, options, batch, {}, stop);
}

MethodResult BayesianOptimization::run(std::stop_token stop) {
    TrialRecorder recorder("bayesian", m_trainer, m_sink);
    const int initial = std::clamp(m_options.initial, 0, m_options.trials);
    recorder.log(events::LogLevel::Info,
                 std::to_string(m_options.trials) + " trials: " + std::to_string(initial) +
                     " of an initial Sobol design, then expected-improvement proposals");
    const BatchObjective objective = [&](const std::vector<std::vector<double>>& points,
                                         bool initialDesign) {
        return initialDesign
                   ? recorder.evaluate(m_evaluator, points, events::phase::kInitialDesign, stop)
                   : recorder.evaluate(m_evaluator, points, events::phase::kTrial, stop,
                                       m_options.trials - initial);
    };
    const FitObserver onFit = [&](const SurrogateFit& fit, int observations) {
        recorder.cost().addGpSeconds(fit.seconds);
        if (!fit.ok) {
            recorder.log(events::LogLevel::Warning,
                         "GP fit on " + std::to_string(observations) + " trials failed (" +
                             fit.message + "); the previous fit, or a uniform draw, proposes");
            return;
        }
        recorder.emit(gpRefitEvent("bayesian", observations, fit));
    };
    const auto trace = runBayesianOptimization(m_box, m_options, objective, onFit, stop);
    if (trace.stopped || stop.stop_requested()) {
        return recorder.finish(events::RunStatus::Cancelled,
                               "cancelled after " + std::to_string(recorder.samples().size()) +
                                   " of " + std::to_string(m_options.trials) + " trials");
    }
    return recorder.finish(events::RunStatus::Completed, "");
}

} // namespace bt::methods
