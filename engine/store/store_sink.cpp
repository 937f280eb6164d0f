#include "engine/store/store_sink.h"

#include "engine/core/log.h"
#include "engine/store/run_store.h"

namespace bt::store {

StoreSink::StoreSink(RunStore& store, std::string runId,
                     std::chrono::milliseconds innerProgressInterval)
    : m_store(store), m_runId(std::move(runId)), m_innerInterval(innerProgressInterval) {}

void StoreSink::setFailureHandler(std::function<void(const std::string&)> handler) {
    const std::lock_guard lock(m_mutex);
    m_onFailure = std::move(handler);
}

std::optional<std::string> StoreSink::failure() const {
    const std::lock_guard lock(m_mutex);
    return m_failure;
}

std::int64_t StoreSink::written() const {
    const std::lock_guard lock(m_mutex);
    return m_written;
}

std::int64_t StoreSink::innerProgressSkipped() const {
    const std::lock_guard lock(m_mutex);
    return m_skipped;
}

void StoreSink::onEvent(const events::Event& event) {
    std::function<void(const std::string&)> notify;
    std::string message;
    {
        const std::lock_guard lock(m_mutex);
        if (m_failure) {
            return;
        }
        if (const auto* inner = std::get_if<events::InnerProgressEvent>(&event)) {
            const auto now = std::chrono::steady_clock::now();
            if (inner->outerIteration == m_lastInnerIteration &&
                now - m_lastInner < m_innerInterval) {
                ++m_skipped;
                return;
            }
            m_lastInnerIteration = inner->outerIteration;
            m_lastInner = now;
        }
        try {
            m_store.appendEvent(m_runId, event);
            ++m_written;
            return;
        } catch (const std::exception& e) {
            m_failure = e.what();
        } catch (...) {
            m_failure = "unknown error";
        }
        message = *m_failure;
        notify = std::move(m_onFailure);
        m_onFailure = nullptr;
    }
    core::engineLogger()->error("run {}: the run store failed, events no longer recorded: {}",
                                m_runId, message);
    if (notify) {
        notify(message);
    }
}

} // namespace bt::store
