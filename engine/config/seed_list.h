#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config/run_config.h"

namespace bt::config {

/// The most seeds one list may name (a typo such as "0-10000" is refused, not run).
inline constexpr std::size_t kMaxSeeds = 100;

/// The seeds a user lists for runs of one configuration over seeds: numbers and ranges "a-b"
/// (a ≤ b, both ends included) separated by commas or spaces, such as "0-2, 7". In the order
/// given.
/// @throws core::InputError under `where`: an empty list, a token that is not a number or a
///         range, a range running backwards, a seed named twice, more than kMaxSeeds seeds
std::vector<std::uint64_t> parseSeedList(std::string_view text, const std::string& where);

/// One run of a series over seeds (the app's Run ▸ Start runs over seeds, the CLI's
/// `run --seeds`): `config` with training.seed set to `seed`, named "NAME · seed S".
struct SeededRun {
    RunConfig config;
    std::string name;
};
SeededRun seededRun(const RunConfig& config, const std::string& name, std::uint64_t seed);

} // namespace bt::config
