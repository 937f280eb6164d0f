#pragma once

#include <optional>
#include <vector>

#include "engine/events/events.h"
#include "engine/methods/method_result.h"

namespace bt::methods {

/// The best model so far by validation loss, and the anytime curve that follows it
/// (BENCHMARK.md, "Comparison": best validation loss so far and the test metrics of that best,
/// against cumulative cost). Every method, the bilevel one included, feeds it after each
/// completed training, so the curves of all methods are drawn by one rule.
class AnytimeTracker {
public:
    /// Considers one model. A diverged model (`ok` false) or one with a non-finite validation
    /// loss is never the best.
    /// @return true when `metrics` became the best so far (strictly lower validation loss).
    bool consider(const events::Metrics& metrics, bool ok);

    /// Appends the current best at the cumulative `cost` (epochs and wall seconds) to `curve`;
    /// appends nothing while no model has been usable.
    void appendPoint(const events::Cost& cost, std::vector<AnytimePoint>& curve) const;

    /// The best metrics so far, if any model was usable.
    const std::optional<events::Metrics>& best() const { return m_best; }

private:
    std::optional<events::Metrics> m_best;
};

} // namespace bt::methods
