#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace bt::config {

/// Optimal-string-alignment distance between a and b: the fewest insertions, deletions,
/// substitutions and swaps of two adjacent characters that turn one into the other (a swap is one
/// edit because "trainnig" for "training" is the typo a user makes). Case-sensitive; byte-wise.
/// O(|a| · |b|) time and O(|b|) memory.
std::size_t editDistance(std::string_view a, std::string_view b);

/// The candidate `name` most likely misspells, ignoring ASCII case: the nearest by editDistance
/// when it is close enough (at most 1 edit for names of up to 3 characters, 2 for up to 8, 3
/// beyond; ties go to the earlier candidate), else the first candidate that `name` abbreviates
/// (a prefix of 3 or more characters: "bayes" for "bayesian", "batch" for "batch_size").
/// nullopt when none qualifies.
std::optional<std::string_view> nearestName(std::string_view name,
                                            std::span<const std::string_view> candidates);

} // namespace bt::config
