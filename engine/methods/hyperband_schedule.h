#pragma once

#include <cstdint>
#include <vector>

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

/// The configurations a schedule draws: Σ over brackets of n (rung 0's count). Each counts as
/// one lower-level training (ALGORITHM.md §4).
std::int64_t scheduledConfigurations(const std::vector<HyperbandBracket>& schedule);

/// The epochs a schedule trains when nothing diverges: Σ over brackets and rungs of
/// n_i·(r_i − r_(i−1)), since a promoted configuration continues from its checkpoint and no
/// epoch is trained twice.
std::int64_t scheduledEpochs(const std::vector<HyperbandBracket>& schedule);

} // namespace bt::methods
