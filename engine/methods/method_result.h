#pragma once

#include "engine/config/config_enums.h"
#include "engine/report/method_result.h"

namespace bt::methods {

// A method's result is a plain value that the report layer (result.json, the exports) reads and
// writes too, so it is defined there, below the methods; these names keep the methods' spelling.
using AnytimePoint = report::AnytimePoint;
using MethodResult = report::MethodResult;

/// Whether the bilevel method's answer is its augmented-Lagrangian weights (ALGORITHM.md §3.5):
/// under variant paper, where they are its own model and compete for its anytime curve; under
/// select the answer is a training from the initialisation, and the weights, fitted to the
/// validation split, are shown beside it (report::alWeights) and never count as a best so far.
constexpr bool alWeightsAreTheAnswer(config::BilevelVariant variant) {
    return variant == config::BilevelVariant::Paper;
}

} // namespace bt::methods
