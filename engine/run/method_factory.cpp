#include "engine/run/method_factory.h"

#include <stdexcept>
#include <utility>

#include "engine/methods/bayesian_optimization.h"
#include "engine/methods/bilevel.h"
#include "engine/methods/grid_search.h"
#include "engine/methods/hyperband.h"
#include "engine/methods/random_search.h"

namespace bt::run {

namespace {

/// A method class (BilevelMethod, GridSearch, ...) behind the TuningMethod interface.
template <class Method>
class Adapted final : public TuningMethod {
public:
    template <class... Args>
    explicit Adapted(Args&&... args) : m_method(std::forward<Args>(args)...) {}
    methods::MethodResult run(std::stop_token stop) override { return m_method.run(stop); }
    const methods::TrainingAtOptimum* trainingAtOptimum() const override {
        if constexpr (requires(const Method& m) { m.trainingAtOptimum(); }) {
            return m_method.trainingAtOptimum();
        } else {
            return nullptr;
        }
    }

private:
    Method m_method;
};

template <class Method, class... Args>
std::unique_ptr<TuningMethod> make(Args&&... args) {
    return std::make_unique<Adapted<Method>>(std::forward<Args>(args)...);
}

} // namespace

std::unique_ptr<TuningMethod> makeMethod(config::Method kind, const MethodContext& c) {
    const auto seed = c.config.training.seed;
    switch (kind) {
    case config::Method::Bilevel:
        return make<methods::BilevelMethod>(
            c.trainer, c.evaluator, c.box, c.config.bilevel,
            methods::BilevelRuntime{.seed = seed, .budgetEpochs = c.config.baselineEpochs()},
            c.sink, c.journal);
    case config::Method::Grid:
        return make<methods::GridSearch>(c.trainer, c.evaluator, c.box,
                                         methods::GridOptions{c.config.grid.pointsPerDim}, c.sink);
    case config::Method::Random:
        return make<methods::RandomSearch>(c.trainer, c.evaluator, c.box,
                                           methods::RandomOptions{c.config.random.trials, seed},
                                           c.sink);
    case config::Method::Bayesian:
        return make<methods::BayesianOptimization>(
            c.trainer, c.evaluator, c.box,
            methods::BayesianOptions{.trials = c.config.bayesian.trials,
                                     .initial = c.config.bayesian.initial,
                                     .acquisition = {},
                                     .seed = seed},
            c.sink);
    case config::Method::Hyperband:
        return make<methods::Hyperband>(
            c.trainer, c.evaluator, c.box,
            methods::HyperbandOptions{.maxEpochs = c.config.hyperband.maxEpochs,
                                      .eta = c.config.hyperband.eta,
                                      .seed = seed},
            c.sink);
    }
    throw std::invalid_argument("makeMethod: unknown method kind");
}

} // namespace bt::run
