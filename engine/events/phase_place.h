#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/events/events.h"

namespace bt::events {

/// Where a training stands in its phase, told one way wherever a run is shown: the terminal's
/// lines (app/cli), the desktop app's progress line and hover texts (ui/session). Each phase
/// counts its own trainings, of its method, in the order they came: the initial design's, the
/// trials', the bilevel method's φ samples (one per outer iteration), its confirmation and
/// refinement trainings, Hyperband's rungs. The event's index is the method's, not the phase's:
/// numbering by it made the first φ sample after a 10-point design read as the 11th of 2, and
/// Bayesian optimisation's first proposal after 5 initial points the 6th of 15.
struct PhasePlace {
    std::string name; ///< "initial design", "φ sample", "confirmation", "refinement", "trial", or
                      ///< Hyperband's phase as it is ("bracket 2 rung 1")
    int number = 0;   ///< 1-based
    int total = 0;    ///< planned trainings in the phase; 0 when unknown

    /// "refinement 2/6", "bracket 2 rung 1, 3/9" (a comma after a name ending in a number),
    /// "trial 3" when the total is unknown.
    std::string text() const;
};

/// Places of a run's trainings as their events arrive, in order.
class PhaseCounter {
public:
    PhasePlace next(const SampleEvent& event);
    void clear() { m_counts.clear(); }

private:
    std::map<std::string, int> m_counts; ///< trainings so far per "method phase"
};

/// The place of `event` among `methodSamples`, the trainings of its method in order (for a
/// training shown after the fact, as a hover text is).
PhasePlace phasePlace(const std::vector<SampleEvent>& methodSamples, const SampleEvent& event);

} // namespace bt::events
