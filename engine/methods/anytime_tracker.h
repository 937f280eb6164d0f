#pragma once

#include <optional>
#include <vector>

#include "engine/events/events.h"
#include "engine/methods/method_result.h"

namespace bt::methods {

/// The validation loss by which a trained model competes (for the anytime best, for a baseline's
/// choice among its trials): its own where the training ended ok with a finite one, NaN where
/// it diverged, was cancelled or ended with a non-finite validation loss.
double competingValLoss(const events::SampleEvent& event);

/// The best model so far by validation loss, and the anytime curve that follows it
/// (BENCHMARK.md, "Comparison": best validation loss so far and the test metrics of that best,
/// against cumulative cost). Every method, the bilevel one included, feeds it the events it
/// emits, and the desktop app feeds it the same events as they arrive, so every curve, live or
/// stored, is drawn by this one rule.
class AnytimeTracker {
public:
    /// A completed training (a trial, a design point, a φ sample, a refinement): it becomes the
    /// best when its competingValLoss is finite and strictly lower than the best so far; then a
    /// point at its cumulative cost is appended to `curve`.
    /// @return true when it became the best so far.
    bool addSample(const events::SampleEvent& event, std::vector<AnytimePoint>& curve);

    /// An outer iteration of the bilevel method: its augmented-Lagrangian weights compete only
    /// where they are the method's answer (alWeightsAreTheAnswer(variant)); fitted to the
    /// validation split, they would otherwise show a validation loss no returned model has. Then
    /// a point at its cumulative cost is appended to `curve`.
    void addOuterIteration(const events::OuterIterationEvent& event, config::BilevelVariant variant,
                           std::vector<AnytimePoint>& curve);

    /// The best metrics so far, if any model was usable.
    const std::optional<events::Metrics>& best() const { return m_best; }

private:
    bool consider(const events::Metrics& metrics, double valLoss);
    void appendPoint(const events::Cost& cost, std::vector<AnytimePoint>& curve) const;

    std::optional<events::Metrics> m_best;
};

} // namespace bt::methods
