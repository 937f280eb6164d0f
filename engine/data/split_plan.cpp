#include "engine/data/split_plan.h"

#include <algorithm>
#include <optional>

#include "engine/core/error.h"
#include "engine/data/seeded_shuffle.h"

namespace bt::data {

namespace {

std::string key(const SplitRequest& r) {
    return "dataset." + r.name;
}

std::string range(std::int64_t begin, std::int64_t end) {
    return "[" + std::to_string(begin) + ", " + std::to_string(end) + ")";
}

// The explicit ranges: each claimed row goes to its request's list. Returns the request index
// owning each row of the pool, -1 where no range claimed it.
std::vector<std::int64_t> claimRanges(std::int64_t poolSize,
                                      const std::vector<SplitRequest>& requests,
                                      const std::string& available,
                                      std::vector<std::vector<std::int64_t>>& rows) {
    std::vector<std::int64_t> owner(static_cast<std::size_t>(poolSize), -1);
    for (std::size_t i = 0; i < requests.size(); ++i) {
        const auto& r = requests[i];
        if (r.part.count < -1) {
            throw core::InputError(key(r), "size " + std::to_string(r.part.count) +
                                               "; expected -1 (all that remain) or a size >= 0");
        }
        if (!r.part.begin) {
            continue;
        }
        const std::int64_t begin = *r.part.begin;
        if (begin < 0) {
            throw core::InputError(key(r), "range start " + std::to_string(begin) +
                                               "; expected a row index >= 0");
        }
        const std::int64_t end =
            r.part.count < 0 ? std::max(begin, poolSize) : begin + r.part.count;
        if (end > poolSize) {
            throw core::InputError(key(r), "the range " + range(begin, end) + " goes beyond the " +
                                               available);
        }
        for (std::int64_t row = begin; row < end; ++row) {
            auto& o = owner[static_cast<std::size_t>(row)];
            if (o >= 0) {
                const auto& other = requests[static_cast<std::size_t>(o)];
                throw core::InputError(key(r), "the range " + range(begin, end) +
                                                   " overlaps the range of " + other.name +
                                                   " at row " + std::to_string(row) +
                                                   "; splits must be disjoint");
            }
            o = static_cast<std::int64_t>(i);
            rows[i].push_back(row);
        }
    }
    return owner;
}

// Checks that the sized random draws fit into the `free` rows no range claimed; returns the
// index of the one request that takes all that remain, if any.
std::optional<std::size_t> checkDraws(std::int64_t poolSize, std::int64_t free,
                                      const std::vector<SplitRequest>& requests,
                                      const std::string& poolName) {
    std::int64_t taken = 0;
    std::string takenBy;
    const SplitRequest* rest = nullptr;
    std::optional<std::size_t> restIndex;
    for (std::size_t i = 0; i < requests.size(); ++i) {
        const auto& r = requests[i];
        if (r.part.begin) {
            continue;
        }
        if (r.part.count < 0) {
            if (rest != nullptr) {
                throw core::InputError(key(r), "both " + rest->name + " and " + r.name +
                                                   " ask for all remaining samples of " + poolName +
                                                   "; give one of them a size");
            }
            rest = &r;
            restIndex = i;
            continue;
        }
        if (r.part.count > free - taken) {
            std::string detail;
            if (free != poolSize || taken != 0) {
                detail = " (of " + std::to_string(poolSize) + ":";
                if (free != poolSize) {
                    detail += " " + std::to_string(poolSize - free) + " in explicit ranges";
                }
                if (taken != 0) {
                    detail += (free != poolSize ? ", " : " ") + std::to_string(taken) +
                              " taken by " + takenBy;
                }
                detail += ")";
            }
            throw core::InputError(key(r), "asks for " + std::to_string(r.part.count) +
                                               " samples, but only " +
                                               std::to_string(free - taken) + " are available in " +
                                               poolName + detail);
        }
        taken += r.part.count;
        takenBy += (takenBy.empty() ? "" : ", ") + r.name;
    }
    return restIndex;
}

} // namespace

std::vector<std::vector<std::int64_t>> drawSplits(std::int64_t poolSize,
                                                  const std::vector<SplitRequest>& requests,
                                                  std::uint64_t seed, const std::string& poolName) {
    const std::string available = std::to_string(poolSize) + " samples of " + poolName;
    std::vector<std::vector<std::int64_t>> rows(requests.size());

    // 1. Explicit ranges.
    const std::vector<std::int64_t> owner = claimRanges(poolSize, requests, available, rows);

    // 2. Random draws from what no range claimed.
    std::vector<std::int64_t> remaining;
    remaining.reserve(owner.size());
    for (std::int64_t row = 0; row < poolSize; ++row) {
        if (owner[static_cast<std::size_t>(row)] < 0) {
            remaining.push_back(row);
        }
    }
    const auto free = static_cast<std::int64_t>(remaining.size());
    const std::optional<std::size_t> restIndex = checkDraws(poolSize, free, requests, poolName);

    seededShuffle(remaining, seed);
    auto next = remaining.begin();
    for (std::size_t i = 0; i < requests.size(); ++i) {
        const auto& r = requests[i];
        if (r.part.begin || r.part.count < 0) {
            continue;
        }
        rows[i].assign(next, next + r.part.count);
        next += r.part.count;
    }
    if (restIndex) {
        rows[*restIndex].assign(next, remaining.end());
    }
    for (auto& list : rows) {
        std::sort(list.begin(), list.end());
    }
    return rows;
}

} // namespace bt::data
