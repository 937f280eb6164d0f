#include "engine/train/schedule.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace bt::train {

double learningRateFactor(const config::TrainingConfig& training, int horizonEpochs,
                          std::int64_t stepsPerEpoch, std::int64_t step) {
    const std::int64_t total = static_cast<std::int64_t>(horizonEpochs) * stepsPerEpoch;
    step = std::min(step, total - 1);
    const std::int64_t warmup = std::min<std::int64_t>(
        static_cast<std::int64_t>(training.warmupEpochs) * stepsPerEpoch, total);
    if (step < warmup) {
        return static_cast<double>(step + 1) / static_cast<double>(warmup);
    }
    const double done =
        total > warmup ? static_cast<double>(step - warmup) / static_cast<double>(total - warmup)
                       : 0.0;
    switch (training.schedule) {
    case config::LrSchedule::Constant:
        return 1.0;
    case config::LrSchedule::Cosine:
        return 0.5 * (1.0 + std::cos(std::numbers::pi * done));
    case config::LrSchedule::Step:
        return done < 0.5 ? 1.0 : done < 0.75 ? 0.1 : 0.01;
    }
    return 1.0;
}

} // namespace bt::train
