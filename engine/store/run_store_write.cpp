// Writing runs: creating them, appending their events and records, setting their status.

#include <cmath>
#include <set>
#include <stdexcept>

#include <SQLiteCpp/SQLiteCpp.h>
#include <unistd.h>

#include "engine/store/event_json.h"
#include "engine/store/run_store.h"
#include "engine/store/run_store_impl.h"
#include "engine/store/store_error.h"

namespace bt::store {

void checkRunName(const std::string& name) {
    if (name.size() > kMaxRunNameLength) {
        throw core::InputError("run name", "\"" + name.substr(0, 40) + "…\" is " +
                                               std::to_string(name.size()) +
                                               " bytes long; a name holds at most " +
                                               std::to_string(kMaxRunNameLength));
    }
    for (const char c : name) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
            throw core::InputError("run name", "a name cannot hold a tab, a line break or another "
                                               "control character");
        }
    }
}

void RunStore::createRun(const NewRun& run) {
    if (run.id.empty()) {
        throw std::invalid_argument("a run needs an id");
    }
    checkRunName(run.name);
    auto methods = nlohmann::json::array();
    for (const auto& m : run.methods) {
        methods.push_back(m);
    }
    m_impl->write("recording the new run " + run.id, [&] {
        if (m_impl->runExists(run.id)) {
            throw std::invalid_argument("the store already holds a run " + run.id);
        }
        SQLite::Statement q(
            *m_impl->db,
            "INSERT INTO runs (id, name, status, message, config, methods, seed, created_ms, "
            "updated_ms, heartbeat_ms, pid, host, out_dir, environment) "
            "VALUES (?, ?, 'running', '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        const auto now = nowMs();
        q.bind(1, run.id);
        q.bind(2, run.name);
        q.bind(3, run.config.dump());
        q.bind(4, methods.dump());
        if (run.seed) {
            q.bind(5, static_cast<std::int64_t>(*run.seed));
        } else {
            q.bind(5);
        }
        q.bind(6, now);
        q.bind(7, now);
        q.bind(8, now);
        q.bind(9, run.pid.value_or(static_cast<std::int64_t>(::getpid())));
        q.bind(10, run.host.value_or(m_impl->host));
        q.bind(11, run.outDir.string());
        q.bind(12, run.environment.dump());
        q.exec();
    });
}

std::int64_t RunStore::appendEvent(const std::string& runId, const events::Event& event) {
    const auto data = eventToJson(event);
    const auto type = eventType(event);
    std::int64_t seq = 0;
    m_impl->write("recording a " + type + " event of run " + runId, [&] {
        auto& db = *m_impl->db;
        m_impl->requireRun(runId);
        seq = m_impl->nextSeq("events", runId);
        const auto now = nowMs();
        SQLite::Statement insert(
            db, "INSERT INTO events (run_id, seq, time_ms, type, data) VALUES (?, ?, ?, ?, ?)");
        insert.bind(1, runId);
        insert.bind(2, seq);
        insert.bind(3, now);
        insert.bind(4, type);
        insert.bind(5, data.dump());
        insert.exec();
        if (const auto* s = std::get_if<events::SampleEvent>(&event)) {
            SQLite::Statement row(db, "INSERT INTO samples (run_id, seq, method, phase, idx, "
                                      "total, lambda, status, message, epochs_trained, metrics, "
                                      "cost) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            row.bind(1, runId);
            row.bind(2, seq);
            row.bind(3, s->method);
            row.bind(4, s->phase);
            row.bind(5, s->index);
            row.bind(6, s->total);
            row.bind(7, data.at("lambda").dump());
            row.bind(8, s->status);
            row.bind(9, s->message);
            if (std::isfinite(s->epochsTrained)) {
                row.bind(10, s->epochsTrained);
            } else {
                row.bind(10);
            }
            row.bind(11, data.at("metrics").dump());
            row.bind(12, data.at("cost").dump());
            row.exec();
        } else if (const auto* o = std::get_if<events::OuterIterationEvent>(&event)) {
            SQLite::Statement row(db, "INSERT INTO iterations (run_id, seq, method, iteration, "
                                      "data) VALUES (?, ?, 'bilevel', ?, ?)");
            row.bind(1, runId);
            row.bind(2, seq);
            row.bind(3, o->iteration);
            row.bind(4, data.dump());
            row.exec();
        } else if (const auto* f = std::get_if<events::FinishedEvent>(&event)) {
            const auto status = f->status;
            SQLite::Statement row(db, "UPDATE runs SET status = ?, message = ? WHERE id = ?");
            row.bind(1, std::string(toString(status)));
            row.bind(2, f->message);
            row.bind(3, runId);
            row.exec();
        }
        m_impl->touchUpdated(runId);
    });
    return seq;
}

void RunStore::appendRecords(const std::string& runId, const std::vector<Record>& records) {
    std::set<std::string> keys;
    for (const auto& r : records) {
        if (r.key.empty()) {
            throw std::invalid_argument("a record of run " + runId + " has an empty key");
        }
        if (!keys.insert(r.key).second) {
            throw std::invalid_argument("record key \"" + r.key + "\" given twice for run " +
                                        runId);
        }
    }
    m_impl->write("recording " + std::to_string(records.size()) + " records of run " + runId, [&] {
        auto& db = *m_impl->db;
        m_impl->requireRun(runId);
        auto seq = m_impl->nextSeq("records", runId);
        SQLite::Statement exists(db, "SELECT 1 FROM records WHERE run_id = ? AND key = ?");
        SQLite::Statement insert(db, "INSERT INTO records (run_id, seq, key, "
                                     "time_ms, data, checkpoint) VALUES (?, ?, ?, "
                                     "?, ?, ?)");
        const auto now = nowMs();
        for (const auto& r : records) {
            exists.bind(1, runId);
            exists.bind(2, r.key);
            if (exists.executeStep()) {
                throw std::invalid_argument("run " + runId + " already has a record \"" + r.key +
                                            "\"");
            }
            exists.reset();
            insert.bind(1, runId);
            insert.bind(2, seq++);
            insert.bind(3, r.key);
            insert.bind(4, now);
            insert.bind(5, r.data.dump());
            insert.bind(6, r.checkpoint);
            insert.exec();
            insert.reset();
        }
        m_impl->touchUpdated(runId);
    });
}

void RunStore::setStatus(const std::string& runId, RunStatus status, const std::string& message) {
    m_impl->write("setting the status of run " + runId, [&] {
        m_impl->requireRun(runId);
        SQLite::Statement q(*m_impl->db,
                            "UPDATE runs SET status = ?, message = ?, updated_ms = ? WHERE id = ?");
        q.bind(1, std::string(toString(status)));
        q.bind(2, message);
        q.bind(3, nowMs());
        q.bind(4, runId);
        q.exec();
    });
}

void RunStore::finishRun(const std::string& runId, RunStatus status, const std::string& message,
                         const nlohmann::json& result) {
    m_impl->write("recording the result of run " + runId, [&] {
        m_impl->requireRun(runId);
        SQLite::Statement q(*m_impl->db, "UPDATE runs SET status = ?, message = ?, result = ?, "
                                         "updated_ms = ? WHERE id = ?");
        q.bind(1, std::string(toString(status)));
        q.bind(2, message);
        q.bind(3, result.dump());
        q.bind(4, nowMs());
        q.bind(5, runId);
        q.exec();
    });
}

void RunStore::touchHeartbeat(const std::string& runId) {
    m_impl->write("updating the heartbeat of run " + runId, [&] {
        SQLite::Statement q(*m_impl->db, "UPDATE runs SET heartbeat_ms = ? WHERE id = ?");
        q.bind(1, nowMs());
        q.bind(2, runId);
        q.exec();
    });
}

void RunStore::claimRun(const std::string& runId) {
    m_impl->write("taking over run " + runId, [&] {
        m_impl->requireRun(runId);
        SQLite::Statement q(*m_impl->db,
                            "UPDATE runs SET status = 'running', message = '', pid = ?, host = ?, "
                            "heartbeat_ms = ?, updated_ms = ? WHERE id = ?");
        const auto now = nowMs();
        q.bind(1, static_cast<std::int64_t>(::getpid()));
        q.bind(2, m_impl->host);
        q.bind(3, now);
        q.bind(4, now);
        q.bind(5, runId);
        q.exec();
    });
}

void RunStore::clearEvents(const std::string& runId) {
    m_impl->write("clearing the events of run " + runId, [&] {
        m_impl->requireRun(runId);
        m_impl->deleteRowsOfRun({"events", "samples", "iterations"}, runId);
    });
}

void RunStore::discardRun(const std::string& runId) {
    m_impl->write("deleting run " + runId, [&] {
        m_impl->requireRun(runId);
        m_impl->deleteRunRows(runId);
    });
}

void RunStore::renameRun(const std::string& runId, const std::string& name) {
    checkRunName(name);
    m_impl->write("renaming run " + runId, [&] {
        m_impl->requireRun(runId);
        SQLite::Statement q(*m_impl->db, "UPDATE runs SET name = ? WHERE id = ?");
        q.bind(1, name);
        q.bind(2, runId);
        q.exec();
        m_impl->touchUpdated(runId);
    });
}

void RunStore::deleteRun(const std::string& runId) {
    m_impl->markStaleRunsInterrupted();
    m_impl->write("deleting run " + runId, [&] {
        m_impl->requireRun(runId);
        SQLite::Statement status(*m_impl->db, "SELECT status, pid, host FROM runs WHERE id = ?");
        status.bind(1, runId);
        status.executeStep();
        if (status.getColumn(0).getString() == toString(RunStatus::Running)) {
            throw StoreError(StoreError::Kind::RunInUse, runId,
                             "run " + runId + " is running (pid " +
                                 std::to_string(status.getColumn(1).getInt64()) + " on " +
                                 status.getColumn(2).getString() +
                                 "): cancel it, or let it end, before deleting it");
        }
        m_impl->deleteRunRows(runId);
    });
}

} // namespace bt::store
