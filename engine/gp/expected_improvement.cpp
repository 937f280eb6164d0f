#include "engine/gp/expected_improvement.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "engine/gp/gaussian_process.h"

namespace bt::gp {

ExpectedImprovement expectedImprovement(const Prediction& prediction, double best, double xi) {
    ExpectedImprovement out;
    const double improvement = best - xi - prediction.mean;
    const double sigma = std::sqrt(std::max(0.0, prediction.variance));
    const bool withGradient = !prediction.meanGradient.empty();
    const std::size_t d = prediction.meanGradient.size();
    if (sigma < kMinExpectedImprovementStddev) {
        out.value = std::max(0.0, improvement);
        if (withGradient) {
            out.gradient.assign(d, 0.0);
            if (improvement > 0.0) {
                for (std::size_t j = 0; j < d; ++j) {
                    out.gradient[j] = -prediction.meanGradient[j];
                }
            }
        }
        return out;
    }
    const double z = improvement / sigma;
    const double cdf = 0.5 * std::erfc(-z / std::numbers::sqrt2);
    const double pdf = std::exp(-0.5 * z * z) / std::sqrt(2.0 * std::numbers::pi);
    out.value = std::max(0.0, improvement * cdf + sigma * pdf);
    if (withGradient) {
        out.gradient.assign(d, 0.0);
        const bool hasVarianceGradient = prediction.varianceGradient.size() == d;
        for (std::size_t j = 0; j < d; ++j) {
            const double sigmaGradient =
                hasVarianceGradient ? prediction.varianceGradient[j] / (2.0 * sigma) : 0.0;
            out.gradient[j] = -cdf * prediction.meanGradient[j] + pdf * sigmaGradient;
        }
    }
    return out;
}

ExpectedImprovement expectedImprovement(const GaussianProcess& gp,
                                        const Eigen::Ref<const Eigen::VectorXd>& x, double best,
                                        double xi, bool withGradient) {
    return expectedImprovement(gp.predict(x, withGradient), best, xi);
}

} // namespace bt::gp
