#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/events/run_status.h"
#include "engine/report/method_result.h"

namespace bt::report {

/// A finished (or ended) run, as result.json describes it (ARCHITECTURE.md).
struct RunResult {
    std::string runId;
    /// Completed, Cancelled or Failed once the run ended (result.json's "status").
    events::RunStatus status = events::RunStatus::Running;
    std::string message;
    nlohmann::json config;      ///< the full run configuration, defaults filled in
    nlohmann::json environment; ///< versions, BLAS, device, threads
    /// Each split's rows and CRC-32 ("data", ARCHITECTURE.md); null in results written before.
    nlohmann::json data;
    /// The name of each entry of λ ("shared", a group's or a weight's name); empty in results
    /// written before names were kept.
    std::vector<std::string> lambdaNames{};
    std::vector<MethodResult> methods;
};

/// A run's recommended model, which the report leads with and lists of runs show: the method
/// whose λ* trained on the training split alone (trainingOnlyMetrics) has the lowest validation
/// loss, the criterion every method chose its λ* by, so that the test split is never used to
/// choose and its figures stay an honest estimate of the model shipped; its model is λ* refit on
/// training ∪ validation (the model to ship) where the method has one, else the training-only
/// model. Methods without a λ, a finite validation loss or a finite test loss of that model are
/// left out; the first wins a tie.
struct Recommendation {
    const MethodResult* method = nullptr;
    std::size_t index = 0;   ///< the method's position in the list given (RunResult::methods)
    events::Metrics metrics; ///< the refit model's, else the training-only model's
    bool refit = false;
    double valLoss = 0.0; ///< the training-only model's validation loss, what it was chosen by
};
std::optional<Recommendation> recommend(const std::vector<const MethodResult*>& methods);
std::optional<Recommendation> recommend(const RunResult& result);

/// The recommendation in a few words: "test loss 0.3412, 87.96 % (bayesian)", "test loss
/// 0.01234 (bilevel)" for a regression, "(bilevel, retrained)" where it is not a refit model;
/// 4 significant digits. The method as `name` says it where given (a comparison of two runs
/// names "random · B"), else as the result does. ASCII but for `name`, so that a terminal's
/// columns line up.
std::string recommendationText(const Recommendation& recommendation, std::string_view name = {});

/// What a network with a constant output reaches on the validation split: a classifier the
/// accuracy of the largest class's share, a regression the mean squared error of predicting the
/// training split's mean. One of the two is set.
struct ConstantOutput {
    std::optional<double> accuracy;
    std::optional<double> loss;
};

/// A warning that the network learnt nothing, or empty: every completed training of `result`
/// (at least two) did no better than `constant` on the validation split: a classifier's
/// accuracy no more than half a point above it, a regression's loss above 99 % of it (less
/// than 1 % of the variance explained). Names the method, its trainings, the best figure and
/// what to change. Empty where any training beat it, or where the trainings lack the figure.
std::string learntNothing(const MethodResult& result, const ConstantOutput& constant);

} // namespace bt::report
