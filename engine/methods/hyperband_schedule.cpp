#include "engine/methods/hyperband_schedule.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

namespace bt::methods {

std::vector<HyperbandBracket> hyperbandSchedule(int maxEpochs, int eta) {
    if (maxEpochs < 1) {
        throw std::invalid_argument("Hyperband needs a maximum resource R >= 1, got " +
                                    std::to_string(maxEpochs));
    }
    if (eta < 2) {
        throw std::invalid_argument("Hyperband needs eta >= 2, got " + std::to_string(eta));
    }
    const int64_t r = maxEpochs;
    const int64_t e = eta;
    // s_max = ⌊log_η R⌋ in integers: the largest s with η^s ≤ R (no rounding of logarithms).
    int sMax = 0;
    for (int64_t power = e; power <= r; power *= e) {
        ++sMax;
    }
    std::vector<int64_t> powers(static_cast<std::size_t>(sMax) + 1, 1);
    for (std::size_t k = 1; k < powers.size(); ++k) {
        powers[k] = powers[k - 1] * e;
    }
    std::vector<HyperbandBracket> brackets;
    for (int s = sMax; s >= 0; --s) {
        const auto us = static_cast<std::size_t>(s);
        // n = ⌈(B/R)·η^s/(s+1)⌉ = ⌈(s_max+1)·η^s/(s+1)⌉, B = (s_max+1)·R.
        const int64_t n = ((sMax + 1) * powers[us] + s) / (s + 1);
        HyperbandBracket bracket;
        bracket.s = s;
        for (int i = 0; i <= s; ++i) {
            const auto ui = static_cast<std::size_t>(i);
            // r_i = R·η^(i−s), rounded to the nearest whole epoch (halves up).
            const int64_t divisor = powers[us - ui];
            const int64_t epochs = (2 * r + divisor) / (2 * divisor);
            bracket.rungs.push_back(
                {static_cast<int>(n / powers[ui]), static_cast<int>(std::max<int64_t>(epochs, 1))});
        }
        brackets.push_back(std::move(bracket));
    }
    return brackets;
}

std::int64_t scheduledConfigurations(const std::vector<HyperbandBracket>& schedule) {
    std::int64_t configurations = 0;
    for (const auto& bracket : schedule) {
        if (!bracket.rungs.empty()) {
            configurations += bracket.rungs.front().configurations;
        }
    }
    return configurations;
}

std::int64_t scheduledEpochs(const std::vector<HyperbandBracket>& schedule) {
    std::int64_t epochs = 0;
    for (const auto& bracket : schedule) {
        int previous = 0;
        for (const auto& rung : bracket.rungs) {
            epochs += static_cast<std::int64_t>(rung.configurations) * (rung.epochs - previous);
            previous = rung.epochs;
        }
    }
    return epochs;
}

} // namespace bt::methods
