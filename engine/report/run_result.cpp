#include "engine/report/run_result.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace bt::report {

std::optional<Recommendation> recommend(const std::vector<const MethodResult*>& methods) {
    std::optional<Recommendation> best;
    for (std::size_t i = 0; i < methods.size(); ++i) {
        const auto* m = methods[i];
        if (m == nullptr || m->lambda.empty()) {
            continue;
        }
        // Chosen on the validation split, which every method's λ* was chosen on too; the test
        // split only reports the chosen model.
        const auto trainingOnly = trainingOnlyMetrics(*m);
        if (!trainingOnly || !std::isfinite(trainingOnly->valLoss)) {
            continue;
        }
        const bool refit = m->refitMetrics && std::isfinite(m->refitMetrics->testLoss);
        const auto& shown = refit ? *m->refitMetrics : *trainingOnly;
        if (!std::isfinite(shown.testLoss)) {
            continue;
        }
        if (!best || trainingOnly->valLoss < best->valLoss) {
            best = Recommendation{m, i, shown, refit, trainingOnly->valLoss};
        }
    }
    return best;
}

std::optional<Recommendation> recommend(const RunResult& result) {
    std::vector<const MethodResult*> methods;
    methods.reserve(result.methods.size());
    for (const auto& m : result.methods) {
        methods.push_back(&m);
    }
    return recommend(methods);
}

std::string recommendationText(const Recommendation& recommendation, std::string_view name) {
    const auto& m = recommendation.metrics;
    char figures[96];
    if (m.testAccuracy && std::isfinite(*m.testAccuracy)) {
        std::snprintf(figures, sizeof figures, "test loss %.4g, %.2f %%", m.testLoss,
                      *m.testAccuracy * 100.0);
    } else {
        std::snprintf(figures, sizeof figures, "test loss %.4g", m.testLoss);
    }
    std::string method(name);
    if (method.empty() && recommendation.method != nullptr) {
        method = recommendation.method->method;
    }
    return std::string(figures) + " (" + method + (recommendation.refit ? "" : ", retrained") + ")";
}

std::string learntNothing(const MethodResult& result, const ConstantOutput& constant) {
    constexpr double kAccuracyMargin = 0.005; // half a point: a classifier that learns beats it
    constexpr double kLossShare = 0.99;       // a regression that learns explains more than 1 %
    const bool classifier = constant.accuracy.has_value();
    if (!classifier && !constant.loss) {
        return {};
    }
    int completed = 0;
    double best = 0.0; // the highest accuracy, or the lowest loss
    for (const auto& sample : result.samples) {
        if (!sample.ok()) {
            continue;
        }
        if (classifier && !sample.metrics.valAccuracy) {
            return {};
        }
        const double figure = classifier ? *sample.metrics.valAccuracy : sample.metrics.valLoss;
        if (!std::isfinite(figure)) {
            continue; // no evidence either way
        }
        best = completed == 0 ? figure
               : classifier   ? std::max(best, figure)
                              : std::min(best, figure);
        ++completed;
    }
    if (completed < 2 || (classifier ? best > *constant.accuracy + kAccuracyMargin
                                     : best < kLossShare * *constant.loss)) {
        return {};
    }
    char what[160];
    if (classifier) {
        std::snprintf(what, sizeof what,
                      "the best validation accuracy, %.2f %%, is what a constant output reaches "
                      "(the largest class is %.2f %% of the validation split)",
                      best * 100.0, *constant.accuracy * 100.0);
    } else {
        std::snprintf(what, sizeof what,
                      "the best validation loss, %.4g, is within 1 %% of predicting the training "
                      "split's mean (%.4g)",
                      best, *constant.loss);
    }
    char text[512];
    std::snprintf(text, sizeof text,
                  "%s: none of its %d trainings learnt anything: %s. Check "
                  "training.learning_rate, training.epochs and the network, or lower "
                  "hyperparameters.upper: strong regularisation collapses a network to a "
                  "constant output.",
                  result.method.c_str(), completed, what);
    return text;
}

} // namespace bt::report
