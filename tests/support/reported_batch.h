#pragma once

// Evaluating a batch while recording the completions the evaluator reports, for the tests of
// the order in which evaluators report them.

#include <cstddef>
#include <vector>

#include "engine/eval/evaluator.h"

namespace bt::testing {

/// What an evaluator returned for a batch, and the request indices its completion callback
/// reported, in the order it reported them.
struct ReportedBatch {
    std::vector<eval::EvaluationOutcome> outcomes;
    std::vector<std::size_t> reported;
};

/// Evaluates `requests` with `evaluator`, not stopped, recording the reported completions.
inline ReportedBatch evaluateReporting(eval::Evaluator& evaluator,
                                       const std::vector<eval::EvaluationRequest>& requests) {
    ReportedBatch batch;
    batch.outcomes =
        evaluator.evaluate(requests, {}, [&](std::size_t i, const eval::EvaluationOutcome&) {
            batch.reported.push_back(i);
        });
    return batch;
}

} // namespace bt::testing
