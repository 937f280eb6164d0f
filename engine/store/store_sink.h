#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "engine/events/events.h"

namespace bt::store {

class RunStore;

/// Records a run's events in the store, each in its own transaction before onEvent returns (a
/// sample event with its sample row, an outer iteration with its row, the finished event with
/// the run's status): what the engine has reported is durable before it continues.
///
/// Inner-progress events (the bilevel inner solve, ≈ 20 per second) are stored throttled: at
/// most one per `innerProgressInterval` and always the first of each outer iteration, enough to
/// redraw the inner curves of a stored run; the rest are counted and skipped.
///
/// onEvent never throws (EventSink's contract). When a write fails, the sink stops writing
/// (a run whose record has a gap could not be resumed or trusted), remembers the error and calls
/// the failure handler once; the caller cancels the run there.
class StoreSink final : public events::EventSink {
public:
    static constexpr std::chrono::milliseconds kDefaultInnerProgressInterval{1000};

    StoreSink(RunStore& store, std::string runId,
              std::chrono::milliseconds innerProgressInterval = kDefaultInnerProgressInterval);

    void onEvent(const events::Event& event) override;

    /// Called once, on the engine thread, with the message of the first failed write.
    void setFailureHandler(std::function<void(const std::string&)> handler);

    /// The first failed write's message; empty while every write succeeded.
    std::optional<std::string> failure() const;

    std::int64_t written() const;
    std::int64_t innerProgressSkipped() const;

private:
    RunStore& m_store;
    std::string m_runId;
    std::chrono::milliseconds m_innerInterval;
    mutable std::mutex m_mutex;
    std::function<void(const std::string&)> m_onFailure;
    std::optional<std::string> m_failure;
    std::int64_t m_written = 0;
    std::int64_t m_skipped = 0;
    int m_lastInnerIteration = -1;
    std::chrono::steady_clock::time_point m_lastInner{};
};

} // namespace bt::store
