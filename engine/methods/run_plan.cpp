#include "engine/methods/run_plan.h"

#include <cmath>

#include "engine/methods/design.h"
#include "engine/methods/hyperband_schedule.h"

namespace bt::methods {

namespace {

MethodPlan planMethod(const config::RunConfig& config, config::Method method, int dimension) {
    const double epochs = config.training.epochs;
    MethodPlan plan;
    plan.method = method;
    switch (method) {
    case config::Method::Bilevel: {
        const int points = initialDesignPoints(config.bilevel.initialSamples, dimension);
        // Refinement trainings are trainings from the initialisation.
        const int refine = config.bilevel.refinementTrainings();
        plan.trainings = points + config.bilevel.outerIterationCount() + refine;
        plan.epochs =
            (points + refine) * epochs + 2.0 * config.bilevel.outerIterationCount() * epochs;
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
