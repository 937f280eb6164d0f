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
        const bool refit = m->refitMetrics.has_value();
        const auto metrics = refit ? m->refitMetrics : trainingOnlyMetrics(*m);
        if (!metrics || !std::isfinite(metrics->testLoss)) {
            continue;
        }
        // A refit model beats any training-only one; among equals, the lower test loss.
        if (!best || (refit && !best->refit) ||
            (refit == best->refit && metrics->testLoss < best->metrics.testLoss)) {
            best = Recommendation{m, i, *metrics, refit};
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

std::string learntNothing(const MethodResult& result, double majorityShare) {
    constexpr double kMargin = 0.005; // half a point: a classifier that learns beats it by more
    int completed = 0;
    double best = 0.0;
    for (const auto& sample : result.samples) {
        if (!sample.ok()) {
            continue;
        }
        if (!sample.metrics.valAccuracy) {
            return {};
        }
        best = completed == 0 ? *sample.metrics.valAccuracy
                              : std::max(best, *sample.metrics.valAccuracy);
        ++completed;
    }
    if (completed < 2 || best > majorityShare + kMargin) {
        return {};
    }
    char text[512];
    std::snprintf(text, sizeof text,
                  "%s: none of its %d trainings learnt anything: the best validation accuracy, "
                  "%.2f %%, is what a constant output reaches (the largest class is %.2f %% of "
                  "the validation split). Check training.learning_rate, training.epochs and the "
                  "network, or lower hyperparameters.upper: strong regularisation collapses a "
                  "network to a constant output.",
                  result.method.c_str(), completed, best * 100.0, majorityShare * 100.0);
    return text;
}

} // namespace bt::report
