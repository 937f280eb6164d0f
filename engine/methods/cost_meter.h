#pragma once

#include <chrono>
#include <cstdint>

#include "engine/events/events.h"

namespace bt::methods {

/// Accumulates a method's cost by the one rule of ALGORITHM.md §4: full trainings counted,
/// epochs as samples processed ÷ training-set size, wall seconds since construction, and GP time.
class CostMeter {
public:
    explicit CostMeter(int64_t trainingSetSize)
        : m_trainingSetSize(trainingSetSize), m_started(std::chrono::steady_clock::now()) {}

    void addTraining() { ++m_trainings; }
    void addSamples(int64_t samples) { m_samples += samples; }
    void addGpSeconds(double seconds) { m_gpSeconds += seconds; }
    /// Wall time an interrupted process spent on work that a resumed run replays.
    void addReplayedSeconds(double seconds) { m_replayedSeconds += seconds; }

    events::Cost snapshot() const {
        events::Cost cost;
        cost.lowerLevelTrainings = m_trainings;
        cost.epochs = static_cast<double>(m_samples) / static_cast<double>(m_trainingSetSize);
        cost.wallSeconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - m_started).count() +
            m_replayedSeconds;
        cost.gpSeconds = m_gpSeconds;
        return cost;
    }

private:
    int64_t m_trainingSetSize;
    std::chrono::steady_clock::time_point m_started;
    int64_t m_trainings = 0;
    int64_t m_samples = 0;
    double m_gpSeconds = 0.0;
    double m_replayedSeconds = 0.0;
};

} // namespace bt::methods
