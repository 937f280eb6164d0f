#pragma once

#include <cstdint>
#include <stop_token>
#include <vector>

#include "engine/eval/evaluator.h"
#include "engine/events/events.h"
#include "engine/methods/design.h"
#include "engine/methods/method_result.h"
#include "engine/train/trainer.h"

namespace bt::methods {

/// One rung of successive halving: n_i configurations, each trained to r_i epochs in total.
struct HyperbandRung {
    int configurations = 0; ///< n_i
    int epochs = 0;         ///< r_i: cumulative epochs of each configuration at the rung's end

    bool operator==(const HyperbandRung&) const = default;
};

/// One bracket s of Hyperband: successive halving from n configurations at r epochs.
struct HyperbandBracket {
    int s = 0;
    std::vector<HyperbandRung> rungs; ///< s + 1 rungs, r_s = R

    bool operator==(const HyperbandBracket&) const = default;
};

/// The schedule of Hyperband (Li, Jamieson, DeSalvo, Rostamizadeh & Talwalkar, "Hyperband: A
/// Novel Bandit-Based Approach to Hyperparameter Optimization", JMLR 18(185), 2018, Algorithm
/// 1): s_max = ⌊log_η R⌋, B = (s_max + 1)·R, and for s = s_max, …, 0 a bracket with
/// n = ⌈(B/R)·η^s/(s + 1)⌉ configurations at r = R·η^(−s), whose rung i (0 ≤ i ≤ s) keeps
/// n_i = ⌊n·η^(−i)⌋ configurations trained to r_i = r·η^i epochs. Computed in integers, so that
/// R = η^k gives the paper's table exactly. Epochs are whole [ours]: r_i is R·η^(i−s) rounded to
/// the nearest integer (halves up), which is ≥ 1 and strictly increasing in i because
/// η^(s_max) ≤ R.
/// @param maxEpochs  R ≥ 1, the most epochs one configuration is trained for
/// @param eta        η ≥ 2, the keep-one-in-η factor between rungs
/// @return brackets in the order they run, s = s_max first
/// @throws std::invalid_argument for R < 1 or η < 2
std::vector<HyperbandBracket> hyperbandSchedule(int maxEpochs, int eta);

/// Settings of Hyperband (ALGORITHM.md §5).
struct HyperbandOptions {
    int maxEpochs = 27; ///< R: the most epochs one configuration is trained for
    int eta = 3;        ///< η
    uint64_t seed = 0;  ///< of the configurations drawn in each bracket
};

/// Hyperband (Li et al., JMLR 2018) over λ with epochs as the resource (ALGORITHM.md §5): every
/// bracket of hyperbandSchedule(), each a successive halving over configurations drawn
/// uniformly in the box (seeded per bracket). Rung 0 trains from the fixed initialisation; a
/// promoted configuration continues from its checkpoint (weights, optimiser state, epochs done)
/// for r_i − r_(i−1) more epochs, so no epoch is trained twice. The top ⌊n_i/η⌋ = n_(i+1) by
/// validation loss are promoted; diverged ones never are. The selected model is the one with the
/// lowest validation loss seen at any rung (the paper's "smallest intermediate loss").
///
/// Cost (ALGORITHM.md §4): epochs are the samples actually processed; a configuration counts as
/// one lower-level training once per bracket, when its first rung completes — its promotions
/// add epochs, not trainings. A trial's SampleEvent::epochsTrained is what that rung added.
/// Every rung's trainings go through the evaluator, the continuations as requests that carry
/// their training state; the states of one rung are held in memory until its ranking, then only
/// the promoted ones are kept.
class Hyperband {
public:
    Hyperband(const train::Trainer& trainer, eval::Evaluator& evaluator, Box box,
              HyperbandOptions options, events::EventSink& sink);

    /// Runs every bracket; status "cancelled" when `stop` is requested (the trials done so far
    /// are kept), "failed" when every training diverged. Each trial's SampleEvent has the phase
    /// "bracket s rung i".
    MethodResult run(std::stop_token stop);

private:
    const train::Trainer& m_trainer;
    eval::Evaluator& m_evaluator;
    Box m_box;
    HyperbandOptions m_options;
    events::EventSink& m_sink;
};

} // namespace bt::methods
