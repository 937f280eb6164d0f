// Reading runs: listing and finding them, their events, samples, outer iterations and records.

#include <exception>
#include <variant>

#include <SQLiteCpp/SQLiteCpp.h>

#include "engine/store/event_json.h"
#include "engine/store/run_store.h"
#include "engine/store/run_store_impl.h"

namespace bt::store {

// ---- rows --------------------------------------------------------------------------------------

RunInfo RunStore::Impl::runFromRow(SQLite::Statement& q) const {
    RunInfo r;
    r.id = q.getColumn(0).getString();
    r.name = q.getColumn(1).getString();
    const auto status = q.getColumn(2).getString();
    const auto parsed = parseRunStatus(status);
    if (!parsed) {
        throw error(StoreError::Kind::Corrupt,
                    "run " + r.id + " has the unknown status \"" + status + "\"");
    }
    r.status = *parsed;
    r.message = q.getColumn(3).getString();
    r.config = parseJson(q.getColumn(4).getString(), "the configuration of run " + r.id);
    const auto methods = parseJson(q.getColumn(5).getString(), "the methods of run " + r.id);
    for (const auto& m : methods) {
        r.methods.push_back(m.is_string() ? m.get<std::string>() : m.dump());
    }
    if (!q.getColumn(6).isNull()) {
        r.seed = static_cast<std::uint64_t>(q.getColumn(6).getInt64());
    }
    r.createdMs = q.getColumn(7).getInt64();
    r.updatedMs = q.getColumn(8).getInt64();
    r.heartbeatMs = q.getColumn(9).getInt64();
    r.pid = q.getColumn(10).getInt64();
    r.host = q.getColumn(11).getString();
    r.outDir = q.getColumn(12).getString();
    r.environment = parseJson(q.getColumn(13).getString(), "the environment of run " + r.id);
    if (!q.getColumn(14).isNull()) {
        r.result = parseJson(q.getColumn(14).getString(), "the result of run " + r.id);
    }
    return r;
}

StoredEvent RunStore::Impl::eventFromRow(SQLite::Statement& q, const std::string& runId) const {
    StoredEvent e;
    e.seq = q.getColumn(0).getInt64();
    e.timeMs = q.getColumn(1).getInt64();
    e.type = q.getColumn(2).getString();
    e.data = parseJson(q.getColumn(3).getString(),
                       "event " + std::to_string(e.seq) + " of run " + runId);
    return e;
}

StoredRecord RunStore::Impl::recordFromRow(SQLite::Statement& q, const std::string& runId) const {
    StoredRecord r;
    r.seq = q.getColumn(0).getInt64();
    r.timeMs = q.getColumn(1).getInt64();
    r.key = q.getColumn(2).getString();
    r.data = parseJson(q.getColumn(3).getString(), "record \"" + r.key + "\" of run " + runId);
    r.checkpoint = q.getColumn(4).getString();
    return r;
}

template <typename Event>
Event RunStore::Impl::eventOfType(const std::string& text, const std::string& jsonWhat,
                                  const std::string& what) const {
    const auto data = parseJson(text, jsonWhat);
    try {
        return std::get<Event>(eventFromJson(data));
    } catch (const std::exception& e) {
        throw error(StoreError::Kind::Corrupt, what + " cannot be read: " + e.what());
    }
}

// ---- RunStore ----------------------------------------------------------------------------------

std::vector<RunInfo> RunStore::listRuns() {
    m_impl->markStaleRunsUnlessLocked();
    return m_impl->read("listing the runs", [&] {
        std::vector<RunInfo> runs;
        SQLite::Statement q(*m_impl->db,
                            std::string(Impl::kRunColumns) + " ORDER BY created_ms, id");
        while (q.executeStep()) {
            runs.push_back(m_impl->runFromRow(q));
        }
        return runs;
    });
}

std::optional<RunInfo> RunStore::findRun(const std::string& runId) const {
    return m_impl->read("reading run " + runId, [&]() -> std::optional<RunInfo> {
        SQLite::Statement q(*m_impl->db, std::string(Impl::kRunColumns) + " WHERE id = ?");
        q.bind(1, runId);
        if (!q.executeStep()) {
            return std::nullopt;
        }
        return m_impl->runFromRow(q);
    });
}

RunInfo RunStore::run(const std::string& idOrPrefix) const {
    if (auto exact = findRun(idOrPrefix)) {
        return *exact;
    }
    const auto matches = m_impl->read("looking up run " + idOrPrefix, [&] {
        std::vector<std::string> ids;
        if (idOrPrefix.empty()) {
            return ids;
        }
        SQLite::Statement q(*m_impl->db,
                            "SELECT id FROM runs WHERE substr(id, 1, ?) = ? ORDER BY id");
        q.bind(1, static_cast<int>(idOrPrefix.size()));
        q.bind(2, idOrPrefix);
        while (q.executeStep()) {
            ids.push_back(q.getColumn(0).getString());
        }
        return ids;
    });
    if (matches.size() == 1) {
        return *findRun(matches.front());
    }
    if (matches.empty()) {
        throw m_impl->error(StoreError::Kind::UnknownRun,
                            "no run \"" + idOrPrefix +
                                "\" in the store (`bilevel-tuner-cli list` shows the runs)");
    }
    std::string list;
    for (std::size_t i = 0; i < matches.size() && i < 5; ++i) {
        list += (i ? ", " : "") + matches[i];
    }
    throw m_impl->error(StoreError::Kind::UnknownRun,
                        "\"" + idOrPrefix + "\" matches " + std::to_string(matches.size()) +
                            " runs (" + list + (matches.size() > 5 ? ", ..." : "") +
                            "): give more of the id");
}

std::vector<StoredEvent> RunStore::events(const std::string& runId, bool withInnerProgress) const {
    return m_impl->read("reading the events of run " + runId, [&] {
        return m_impl->rowsOfRun(
            withInnerProgress ? "SELECT seq, time_ms, type, data FROM events WHERE run_id = ? "
                                "ORDER BY seq"
                              : "SELECT seq, time_ms, type, data FROM events WHERE run_id = ? "
                                "AND type <> 'inner-progress' ORDER BY seq",
            runId, [&](SQLite::Statement& q) { return m_impl->eventFromRow(q, runId); });
    });
}

std::vector<events::SampleEvent> RunStore::samples(const std::string& runId) const {
    return m_impl->read("reading the samples of run " + runId, [&] {
        return m_impl->rowsOfRun("SELECT data FROM events JOIN samples USING (run_id, seq) WHERE "
                                 "run_id = ? ORDER BY seq",
                                 runId, [&](SQLite::Statement& q) {
                                     return m_impl->eventOfType<events::SampleEvent>(
                                         q.getColumn(0).getString(),
                                         "a sample event of run " + runId,
                                         "a sample of run " + runId);
                                 });
    });
}

std::vector<events::OuterIterationEvent> RunStore::iterations(const std::string& runId) const {
    return m_impl->read("reading the outer iterations of run " + runId, [&] {
        return m_impl->rowsOfRun("SELECT data FROM iterations WHERE run_id = ? ORDER BY seq", runId,
                                 [&](SQLite::Statement& q) {
                                     return m_impl->eventOfType<events::OuterIterationEvent>(
                                         q.getColumn(0).getString(),
                                         "an outer iteration of run " + runId,
                                         "an outer iteration of run " + runId);
                                 });
    });
}

std::vector<StoredRecord> RunStore::records(const std::string& runId) const {
    return m_impl->read("reading the records of run " + runId, [&] {
        return m_impl->rowsOfRun(
            "SELECT seq, time_ms, key, data, checkpoint FROM records WHERE run_id = ? ORDER BY seq",
            runId, [&](SQLite::Statement& q) { return m_impl->recordFromRow(q, runId); });
    });
}

std::optional<StoredRecord> RunStore::record(const std::string& runId,
                                             const std::string& key) const {
    return m_impl->read(
        "reading record " + key + " of run " + runId, [&]() -> std::optional<StoredRecord> {
            SQLite::Statement q(*m_impl->db, "SELECT seq, time_ms, key, data, checkpoint FROM "
                                             "records WHERE run_id = ? AND key = ?");
            q.bind(1, runId);
            q.bind(2, key);
            if (!q.executeStep()) {
                return std::nullopt;
            }
            return m_impl->recordFromRow(q, runId);
        });
}

} // namespace bt::store
