#pragma once

#include <array>

namespace bt::core {

/// The three splits of a run's data by name, in the order every per-split array keeps them
/// (data::SplitData::fingerprints, result.json's "data"): training, validation, test. The
/// validation split chooses each method's λ and the test split reports it, so runs are judged
/// on the last two (config::compareConfigs).
inline constexpr std::array<const char*, 3> kSplitNames = {"train", "validation", "test"};

} // namespace bt::core
