#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "engine/events/events.h"
#include "engine/report/method_result.h"

namespace bt::report {

/// What a run's CSV export holds: the command line's `export --format csv` fills it from the
/// run store, the app's File ▸ Export from the run on screen.
struct RunTables {
    std::vector<events::SampleEvent> samples;            ///< every lower-level training, in order
    std::vector<events::OuterIterationEvent> iterations; ///< the bilevel method's, in order
    /// The methods' results so far (status, λ*, metrics, cost, anytime curve); their samples and
    /// iterations are not read.
    std::vector<MethodResult> methods;
    /// The name of each entry of λ ("shared", a group's or a weight's name), as the run said them;
    /// empty when unknown (the columns are then numbered).
    std::vector<std::string> lambdaNames{};
};

/// A CSV field: `value` as it is, or in double quotes (quotes doubled) when it holds a comma, a
/// quote or a line break (RFC 4180). The one quoting rule of the project's CSV files.
std::string csvField(const std::string& value);
/// A CSV number: the shortest text that reads back as the same double; empty when not finite.
std::string csvNumber(double value);

/// Writes `tables` as CSV files into `folder` (created when missing), one table each, and returns
/// their paths:
///   samples.csv   every lower-level training: the bilevel method's φ samples and the
///                 baselines' trials: method, phase, index, total, λ, epochs_trained, status,
///                 message, metrics, cumulative cost
///   trace.csv     the bilevel method's outer iterations: method, iteration, total, λ,
///                 h_sampled, h_surrogate, mu, r, F, f, phi_sampled, phi_hat, inner_steps,
///                 metrics, cost
///   anytime.csv   each method's anytime curve: method, epochs, seconds, best_val_loss,
///                 test_loss_of_best, test_accuracy_of_best
///   methods.csv   each method's result: method, status, λ*, metrics, retrained_ and refit_
///                 metrics, cost
/// Metrics are val_loss, val_accuracy, test_loss, test_accuracy, train_loss, objective; cost is
/// cost_lower_level_trainings, cost_epochs, cost_wall_seconds, cost_gp_seconds. λ takes one
/// column per entry, named by the entry (lambda_fc1, lambda_backbone, lambda_shared) when
/// `lambdaNames` names them all, else numbered (lambda_1, lambda_2, ...; as many as the longest λ
/// in the file). A file
/// without rows has its header. An absent or non-finite number is an empty field; a number is
/// the shortest text that reads back as the same double. Each file is written to a temporary
/// name and renamed, so none is half written.
/// @throws core::InputError  naming the folder or file when it cannot be written
std::vector<std::filesystem::path> writeRunCsv(const RunTables& tables,
                                               const std::filesystem::path& folder);

} // namespace bt::report
