#include "engine/core/journal.h"

#include <stdexcept>

namespace bt::core {

std::optional<JournalRecord> MemoryJournal::find(const std::string& key) {
    const auto it = m_records.find(key);
    if (it == m_records.end()) {
        return std::nullopt;
    }
    return it->second;
}

void MemoryJournal::append(const std::string& key, const JournalRecord& record) {
    if (!m_records.emplace(key, record).second) {
        throw std::logic_error("journal key appended twice: " + key);
    }
    m_order.push_back(key);
}

void MemoryJournal::truncate(std::size_t count) {
    while (m_order.size() > count) {
        m_records.erase(m_order.back());
        m_order.pop_back();
    }
}

} // namespace bt::core
