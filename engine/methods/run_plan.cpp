#include "engine/methods/run_plan.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "engine/config/format_number.h"
#include "engine/methods/design.h"
#include "engine/methods/hyperband_schedule.h"

namespace bt::methods {

namespace {

// The bilevel method's planned epochs by part (ALGORITHM.md §3.3, §3.4, §3.6; planRun's
// comment): its initial design, each outer iteration's φ sample (warm-started:
// warmSampleEpochs(), else a full training) and inner solve, whose inner_steps steps each read
// a training and a validation minibatch, counted in epochs of the training split (§4) where the
// configuration gives that split's size (else one training), and its refinement.
struct BilevelParts {
    int designPoints = 0;
    double designEpochs = 0.0;
    int outer = 0;
    double sampleEpochs = 0.0;
    double innerEpochs = 0.0;
    std::int64_t trainingRows = 0; ///< the training split's size; 0 where the config does not say
    int refine = 0;
    double refineEpochs = 0.0;

    double total() const {
        return designEpochs + outer * (sampleEpochs + innerEpochs) + refineEpochs;
    }
};

BilevelParts bilevelParts(const config::RunConfig& config, int dimension,
                          std::int64_t trainingRows = 0) {
    const double epochs = config.training.epochs;
    BilevelParts parts;
    parts.designPoints = initialDesignPoints(config.bilevel.initialSamples, dimension);
    parts.designEpochs = parts.designPoints * epochs;
    parts.outer = config.bilevel.outerIterationCount();
    parts.sampleEpochs = config.bilevel.sampleWarmStart
                             ? config::warmSampleEpochs(config.bilevel, config.training.epochs)
                             : epochs;
    parts.trainingRows =
        trainingRows > 0 ? trainingRows : config::splitRows(config::splitSizes(config.dataset)[0]);
    parts.innerEpochs = parts.trainingRows > 0
                            ? config.bilevel.innerSteps * 2.0 * config.training.batchSize /
                                  static_cast<double>(parts.trainingRows)
                            : epochs;
    // Refinement trainings are trainings from the initialisation, counted after the design
    // and the outer iterations as estimated here.
    const double before = parts.total();
    parts.refine = config.bilevel.refinementTrainings(config.baselineEpochs(), before,
                                                      config.training.epochs, 0);
    parts.refineEpochs = parts.refine * epochs;
    return parts;
}

MethodPlan planMethod(const config::RunConfig& config, config::Method method, int dimension) {
    const double epochs = config.training.epochs;
    MethodPlan plan;
    plan.method = method;
    switch (method) {
    case config::Method::Bilevel: {
        const auto parts = bilevelParts(config, dimension);
        plan.trainings = parts.designPoints + parts.outer + parts.refine;
        plan.epochs = parts.total();
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

std::string bilevelOverBudget(const config::RunConfig& config, int dimension,
                              std::int64_t trainingRows) {
    const bool runsBilevel = std::find(config.methods.begin(), config.methods.end(),
                                       config::Method::Bilevel) != config.methods.end();
    const double budget = config.baselineEpochs();
    if (!runsBilevel || !(budget > 0.0)) {
        return {};
    }
    const auto parts = bilevelParts(config, dimension, trainingRows);
    if (parts.trainingRows <= 0) {
        return {}; // the inner solves' epochs are not known before the data are read
    }
    const double total = parts.total();
    // Within rounding of epochs counted as samples ÷ training-set size, as the refinement's
    // own count (BilevelConfig::refinementTrainings).
    if (total <= budget * (1.0 + 1e-9)) {
        return {};
    }
    using config::formatNumber;
    auto rounded = [](double epochs) { return formatNumber(std::round(epochs * 10.0) / 10.0); };
    const auto plural = [](int n, const char* what) {
        return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
    };
    std::string text = "The bilevel method plans about " + rounded(total) + " epochs, " +
                       formatNumber(std::round(total / budget * 100.0) / 100.0) +
                       "× random search's " + rounded(budget) + ": initial design " +
                       rounded(parts.designEpochs) + ", " + plural(parts.outer, "outer iteration") +
                       " of " + rounded(parts.sampleEpochs + parts.innerEpochs) + " (φ sample " +
                       rounded(parts.sampleEpochs) + ", inner solve " + rounded(parts.innerEpochs) +
                       ": " + plural(config.bilevel.innerSteps, "step") + " × 2 batches of " +
                       std::to_string(config.training.batchSize) + " ÷ " +
                       std::to_string(parts.trainingRows) + " training rows)";
    if (parts.refine > 0) {
        text += ", refinement " + rounded(parts.refineEpochs);
    } else if (config.bilevel.variant == config::BilevelVariant::Select &&
               config.bilevel.sampleWarmStart && parts.outer > 0) {
        // With no refinement planned, a confirmation (ALGORITHM.md §3.5) is a training beyond
        // the plan: it is trained whatever the budget, so the outer iterations' λ can win.
        text += ", and " + rounded(config.training.epochs) +
                " more if a φ sample's λ is confirmed from the initialisation";
    }
    text += ". Fewer bilevel.inner_steps, outer_iterations or initial_samples bring it down.";
    // Where the automatic design (max(10, 2d) points, ALGORITHM.md §2.2) is what overflows, as
    // with ten λ and 20 trials, name the count that keeps it to half the budget: measured there
    // as good as the automatic count and within the budget
    // (docs/measurements/2026-12-07-ten-lambda.md).
    const int half = config.random.trials / 2;
    if (config.bilevel.initialSamples == 0 && half >= 2 && parts.designPoints > half) {
        text += " The automatic initial design alone is " +
                formatNumber(std::round(parts.designEpochs / budget * 100.0)) +
                " % of random search's epochs: bilevel.initial_samples " + std::to_string(half) +
                " (half of random.trials) keeps it to half.";
    }
    return text;
}

} // namespace bt::methods
