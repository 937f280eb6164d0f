#include "engine/methods/run_plan.h"

#include <cmath>
#include <cstdint>

#include "engine/methods/design.h"
#include "engine/methods/hyperband_schedule.h"

namespace bt::methods {

namespace {

// The epochs of one outer iteration of the bilevel method (ALGORITHM.md §3.3, §3.4): its φ
// sample (warm-started: warmSampleEpochs(), else a full training) and its inner solve, whose
// inner_steps steps each read a training and a validation minibatch, counted in epochs of the
// training split (§4) where the configuration gives that split's size; else one training.
double outerIterationEpochs(const config::RunConfig& config) {
    const double epochs = config.training.epochs;
    const double sample = config.bilevel.sampleWarmStart
                              ? config::warmSampleEpochs(config.bilevel, config.training.epochs)
                              : epochs;
    const std::int64_t rows = config::splitRows(config::splitSizes(config.dataset)[0]);
    const double inner = rows > 0 ? config.bilevel.innerSteps * 2.0 * config.training.batchSize /
                                        static_cast<double>(rows)
                                  : epochs;
    return sample + inner;
}

MethodPlan planMethod(const config::RunConfig& config, config::Method method, int dimension) {
    const double epochs = config.training.epochs;
    MethodPlan plan;
    plan.method = method;
    switch (method) {
    case config::Method::Bilevel: {
        const int points = initialDesignPoints(config.bilevel.initialSamples, dimension);
        const int outer = config.bilevel.outerIterationCount();
        // Refinement trainings are trainings from the initialisation, counted after the
        // design and the outer iterations as estimated here.
        const double before = points * epochs + outer * outerIterationEpochs(config);
        const int refine = config.bilevel.refinementTrainings(config.baselineEpochs(), before,
                                                              config.training.epochs, 0);
        plan.trainings = points + outer + refine;
        plan.epochs = before + refine * epochs;
        plan.retrainings = config.bilevel.variant == config::BilevelVariant::Paper &&
                                   config.bilevel.sampleWarmStart
                               ? 1
                               : 0;
        break;
    }
    case config::Method::Grid: {
        const double points = std::pow(config.grid.pointsPerDim, dimension);
        plan.trainings = static_cast<std::int64_t>(points);
        plan.epochs = points * epochs;
        break;
    }
    case config::Method::Random:
        plan.trainings = config.random.trials;
        plan.epochs = config.random.trials * epochs;
        break;
    case config::Method::Bayesian:
        plan.trainings = config.bayesian.trials;
        plan.epochs = config.bayesian.trials * epochs;
        break;
    case config::Method::Hyperband:
        if (config.hyperband.maxEpochs >= 1 && config.hyperband.eta >= 2) {
            const auto schedule =
                hyperbandSchedule(config.hyperband.maxEpochs, config.hyperband.eta);
            plan.trainings = scheduledConfigurations(schedule);
            plan.epochs = static_cast<double>(scheduledEpochs(schedule));
        }
        break;
    }
    return plan;
}

} // namespace

std::vector<MethodPlan> planRun(const config::RunConfig& config, int dimension) {
    std::vector<MethodPlan> plans;
    plans.reserve(config.methods.size());
    for (const auto method : config.methods) {
        plans.push_back(planMethod(config, method, dimension));
    }
    return plans;
}

} // namespace bt::methods
