#include "engine/store/heartbeat.h"

#include "engine/core/log.h"
#include "engine/store/run_store.h"

namespace bt::store {

Heartbeat::Heartbeat(RunStore& store, std::string runId, std::chrono::milliseconds interval)
    : m_store(store), m_runId(std::move(runId)), m_interval(interval),
      m_thread([this] { loop(); }) {}

Heartbeat::~Heartbeat() {
    stop();
}

void Heartbeat::stop() {
    {
        const std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

void Heartbeat::loop() {
    std::unique_lock lock(m_mutex);
    while (!m_wake.wait_for(lock, m_interval, [this] { return m_stopping; })) {
        lock.unlock();
        try {
            m_store.touchHeartbeat(m_runId);
            ++m_beats;
        } catch (const std::exception& e) {
            // A missed beat is harmless unless they keep failing for StoreOptions::staleAfter;
            // the run's own writes report a store that stays broken.
            core::engineLogger()->warn("run {}: heartbeat not written: {}", m_runId, e.what());
        }
        lock.lock();
    }
}

} // namespace bt::store
