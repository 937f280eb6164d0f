#pragma once

#include <cstdint>
#include <vector>

#include "engine/config/config_enums.h"

namespace bt::methods {

/// An axis-aligned box of λ: lower[i] < upper[i] for every dimension.
struct Box {
    std::vector<double> lower;
    std::vector<double> upper;

    std::size_t dimension() const { return lower.size(); }
    /// Clamps `x` into the box, in place.
    void project(std::vector<double>& x) const;
};

/// `m` evenly spaced values from lo to hi inclusive (m ≥ 2), or the midpoint when m = 1.
std::vector<double> linspace(double lo, double hi, int m);

/// The full grid with `m` points per dimension including the bounds: m^d points, the first
/// dimension varying slowest.
std::vector<std::vector<double>> gridDesign(const Box& box, int m);

/// `n` points of a Sobol sequence (Boost.Random, Joe–Kuo directions) scaled to the box, with a
/// seeded Cranley–Patterson rotation (a uniform random shift modulo 1 per dimension) so that
/// different seeds give different, equally uniform designs.
std::vector<std::vector<double>> sobolDesign(const Box& box, int n, uint64_t seed);

/// `n` points of a seeded Latin hypercube: each dimension's n strata hit exactly once.
std::vector<std::vector<double>> latinHypercubeDesign(const Box& box, int n, uint64_t seed);

/// `n` independent uniform draws in the box, seeded.
std::vector<std::vector<double>> uniformDesign(const Box& box, int n, uint64_t seed);

/// The automatic `count` of initialDesign for a box of `dimension`: 10 points for d = 1 and
/// max(10, 2d) for d ≥ 2 [ours; ALGORITHM.md §2.2: 5d made the design two thirds of all epochs
/// on fmnist-mlp-3l2, the 5 × 5 grid once used for d = 2 alone cost more epochs than random
/// search's 20 trials on the MNIST per-layer tasks, and on fmnist-lenet5 (d = 5) 3d left the
/// refinement of §3.6 too few trainings].
int automaticDesignCount(int dimension);

/// The bilevel method's initial design (ALGORITHM.md §2.2): d = 1, `n` evenly spaced points
/// including the bounds; d ≥ 2 [ours], `n` Sobol or Latin-hypercube points. `count` 0 selects
/// automaticDesignCount(d).
std::vector<std::vector<double>> initialDesign(const Box& box, int count,
                                               config::InitialDesign kind, uint64_t seed);

/// The number of points initialDesign() gives for `count` (bilevel.initial_samples) in a box of
/// `dimension`.
/// @pre dimension >= 1, count == 0 or count >= 2
int initialDesignPoints(int count, int dimension);

} // namespace bt::methods
