#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace bt::store {

class RunStore;

/// Keeps a running run's heartbeat fresh: a thread that calls RunStore::touchHeartbeat every
/// `interval` until stopped. A run whose heartbeat goes stale (its process killed) is marked
/// interrupted by the next process that opens the store or lists it.
///
/// Own thread rather than beats from the event sink: a single lower-level training can take
/// minutes without any event, and a live run must not look dead meanwhile.
class Heartbeat {
public:
    static constexpr std::chrono::milliseconds kDefaultInterval{5000};

    /// Starts beating (the first beat after `interval`; createRun/claimRun set it to now).
    Heartbeat(RunStore& store, std::string runId,
              std::chrono::milliseconds interval = kDefaultInterval);
    /// stop().
    ~Heartbeat();
    Heartbeat(const Heartbeat&) = delete;
    Heartbeat& operator=(const Heartbeat&) = delete;

    /// Stops the thread and waits for it (at most one beat's write). Idempotent.
    void stop();

    /// Beats written so far.
    int beats() const { return m_beats.load(); }

private:
    void loop();

    RunStore& m_store;
    std::string m_runId;
    std::chrono::milliseconds m_interval;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::atomic<int> m_beats{0};
    std::thread m_thread;
};

} // namespace bt::store
