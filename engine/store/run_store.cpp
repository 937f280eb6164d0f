#include "engine/store/run_store.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <ctime>
#include <fstream>
#include <mutex>
#include <set>
#include <stdexcept>

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>
#include <unistd.h>

#include "engine/core/log.h"
#include "engine/core/paths.h"
#include "engine/store/event_json.h"
#include "engine/store/schema.h"

namespace bt::store {

namespace {

std::string thisHost() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0) {
        return "unknown";
    }
    return name;
}

// Whether process `pid` of this host still runs. A zombie (killed, not yet reaped by its
// parent) does not: it will never beat again.
bool processAlive(std::int64_t pid) {
    if (pid <= 0) {
        return false;
    }
    if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
        return false;
    }
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (stat && std::getline(stat, line)) {
        // "pid (comm) S ...": the state follows the last ')' (comm may contain ')').
        const auto close = line.rfind(')');
        if (close != std::string::npos && close + 2 < line.size()) {
            const char state = line[close + 2];
            return state != 'Z' && state != 'X';
        }
    }
    return true;
}

bool hasSqliteHeader(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    char header[16] = {};
    in.read(header, sizeof header);
    return in.gcount() == sizeof header &&
           std::string(header, 16) == std::string("SQLite format 3\0", 16);
}

} // namespace

std::int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string formatTime(std::int64_t ms) {
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

// ---- the connection ----------------------------------------------------------------------------

struct RunStore::Impl {
    std::filesystem::path file;
    StoreOptions options;
    std::unique_ptr<SQLite::Database> db;
    bool readOnly = false;
    int version = 0;
    std::string host = thisHost();
    // Recursive: a Transaction holds it while the calls it groups take it again.
    mutable std::recursive_mutex mutex;
    int depth = 0; ///< open write scopes (BEGIN, then savepoints) on the connection

    StoreError error(StoreError::Kind kind, const std::string& what) const {
        return StoreError(kind, file.string(), what);
    }

    // Turns a database failure into a StoreError that says what was being done.
    [[noreturn]] void fail(const SQLite::Exception& e, const std::string& action) const {
        const int code = e.getErrorCode() & 0xff;
        const std::string message = e.what();
        switch (code) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            throw error(StoreError::Kind::Locked,
                        "the store is locked by another writer: " + action + " waited " +
                            std::to_string(options.busyTimeout.count()) +
                            " ms for the write lock and gave up (is another bilevel-tuner "
                            "process writing to it?); the store is unchanged");
        case SQLITE_READONLY:
        case SQLITE_CANTOPEN:
        case SQLITE_PERM:
        case SQLITE_AUTH:
            throw error(StoreError::Kind::Unwritable,
                        action + " failed: " + message +
                            " (check that the file and its folder are writable)");
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
            throw error(StoreError::Kind::Corrupt,
                        "the store is corrupt (" + message + ", while " + action +
                            "); it is left as it is: move it away to start a new store, or "
                            "restore a copy");
        case SQLITE_FULL:
            throw error(StoreError::Kind::Failed, "the disk is full: " + action + " failed");
        default:
            throw error(StoreError::Kind::Failed, action + " failed: " + message);
        }
    }

    void requireWritable(const std::string& action) const {
        if (readOnly) {
            throw error(StoreError::Kind::Unwritable,
                        "the store is read-only (the operating system does not let this "
                        "process write the file): cannot " +
                            action);
        }
    }

    // Write scopes: the outermost is BEGIN IMMEDIATE (take the write lock before reading, so
    // that a read-then-write never fails on a snapshot another writer made stale); inner ones
    // are savepoints. The caller holds `mutex`.
    void begin() {
        if (depth == 0) {
            db->exec("BEGIN IMMEDIATE");
        } else {
            db->exec("SAVEPOINT s" + std::to_string(depth));
        }
        ++depth;
    }

    void commit() {
        --depth;
        try {
            if (depth == 0) {
                db->exec("COMMIT");
            } else {
                db->exec("RELEASE s" + std::to_string(depth));
            }
        } catch (...) {
            rollbackAt(depth);
            throw;
        }
    }

    void rollback() {
        --depth;
        rollbackAt(depth);
    }

    void rollbackAt(int level) noexcept {
        if (level == 0) {
            db->tryExec("ROLLBACK");
        } else {
            const auto name = "s" + std::to_string(level);
            db->tryExec("ROLLBACK TO " + name);
            db->tryExec("RELEASE " + name);
        }
    }

    // Runs `body` as one write transaction (or a savepoint inside a caller's Transaction).
    template <typename Body>
    void write(const std::string& action, Body&& body) {
        requireWritable(action);
        const std::lock_guard lock(mutex);
        try {
            begin();
        } catch (const SQLite::Exception& e) {
            fail(e, action);
        }
        try {
            body();
        } catch (const SQLite::Exception& e) {
            rollback();
            fail(e, action);
        } catch (...) {
            rollback();
            throw;
        }
        try {
            commit();
        } catch (const SQLite::Exception& e) {
            fail(e, action);
        }
    }

    template <typename Body>
    auto read(const std::string& action, Body&& body) const {
        const std::lock_guard lock(mutex);
        try {
            return body();
        } catch (const SQLite::Exception& e) {
            fail(e, action);
        }
    }

    nlohmann::json parseJson(const std::string& text, const std::string& what) const {
        try {
            return nlohmann::json::parse(text);
        } catch (const nlohmann::json::exception& e) {
            throw error(StoreError::Kind::Corrupt, what + " is not valid JSON: " + e.what());
        }
    }

    bool runExists(const std::string& runId) const {
        SQLite::Statement q(*db, "SELECT 1 FROM runs WHERE id = ?");
        q.bind(1, runId);
        return q.executeStep();
    }

    void requireRun(const std::string& runId) const {
        if (!runExists(runId)) {
            throw error(StoreError::Kind::UnknownRun,
                        "no run \"" + runId +
                            "\" in the store (`bilevel-tuner-cli list` shows "
                            "the runs)");
        }
    }

    std::int64_t nextSeq(const char* table, const std::string& runId) const {
        SQLite::Statement q(*db, std::string("SELECT COALESCE(MAX(seq), 0) + 1 FROM ") + table +
                                     " WHERE run_id = ?");
        q.bind(1, runId);
        q.executeStep();
        return q.getColumn(0).getInt64();
    }

    void touchUpdated(const std::string& runId) {
        SQLite::Statement q(*db, "UPDATE runs SET updated_ms = ? WHERE id = ?");
        q.bind(1, nowMs());
        q.bind(2, runId);
        q.exec();
    }

    RunInfo runFromRow(SQLite::Statement& q) const {
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

    void open();
    void initialise();
};

namespace {
constexpr const char* kRunColumns =
    "SELECT id, name, status, message, config, methods, seed, created_ms, updated_ms, "
    "heartbeat_ms, pid, host, out_dir, environment, result FROM runs";
} // namespace

void RunStore::Impl::open() {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::is_directory(file, ec)) {
        throw error(StoreError::Kind::Unwritable, "is a folder, not a run store file");
    }
    const bool exists = fs::exists(file, ec);
    if (!exists) {
        const auto folder = file.parent_path();
        if (!folder.empty() && !fs::is_directory(folder, ec)) {
            fs::create_directories(folder, ec);
            if (ec) {
                throw StoreError(StoreError::Kind::Unwritable, folder.string(),
                                 "cannot create the run store's folder: " + ec.message());
            }
        }
    } else if (fs::file_size(file, ec) > 0 && !hasSqliteHeader(file)) {
        // Checked before SQLite sees the file, which it then never touches.
        throw error(StoreError::Kind::NotADatabase,
                    "not a run store: the file is not an SQLite database (it may be damaged, or "
                    "some other file); it is left untouched: choose another file with --store, "
                    "or move it away");
    }

    try {
        db = std::make_unique<SQLite::Database>(file, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE,
                                                static_cast<int>(options.busyTimeout.count()));
    } catch (const SQLite::Exception& e) {
        throw error(
            StoreError::Kind::Unwritable,
            std::string(exists ? "cannot open the run store: " : "cannot create the run store: ") +
                e.what() + " (is the folder writable?)");
    }
    readOnly = sqlite3_db_readonly(db->getHandle(), "main") == 1;

    struct Header {
        std::int32_t applicationId = 0;
        int userVersion = 0;
        int objects = 0;
        std::string someTable;
    };
    const auto readHeader = [this] {
        Header h;
        h.applicationId = db->execAndGet("PRAGMA application_id").getInt();
        h.userVersion = db->execAndGet("PRAGMA user_version").getInt();
        SQLite::Statement q(*db, "SELECT name FROM sqlite_master ORDER BY type DESC, name");
        while (q.executeStep()) {
            if (h.objects++ == 0) {
                h.someTable = q.getColumn(0).getString();
            }
        }
        return h;
    };

    Header header;
    try {
        header = readHeader();
        if (header.applicationId == 0 && header.userVersion == 0 && header.objects == 0) {
            if (readOnly) {
                throw error(StoreError::Kind::Unwritable,
                            "the file is empty and read-only: cannot create a run store in it");
            }
            initialise();
            header = readHeader();
        }
    } catch (const SQLite::Exception& e) {
        if ((e.getErrorCode() & 0xff) == SQLITE_NOTADB) {
            throw error(StoreError::Kind::NotADatabase,
                        std::string("not a run store: SQLite cannot read the file (") + e.what() +
                            "); it is left untouched");
        }
        fail(e, "reading the store's header");
    }

    if (header.applicationId != schema::kApplicationId) {
        char id[16];
        std::snprintf(id, sizeof id, "0x%08x", static_cast<unsigned>(header.applicationId));
        throw error(StoreError::Kind::Foreign,
                    "not a run store: an SQLite database of another application "
                    "(application_id " +
                        std::string(id) + ", " + std::to_string(header.objects) +
                        " tables and indexes" +
                        (header.someTable.empty() ? "" : ", such as \"" + header.someTable + "\"") +
                        "); it is left untouched: choose another file with --store");
    }
    const int target = schema::currentVersion();
    if (header.userVersion > target) {
        throw error(StoreError::Kind::NewerSchema,
                    "written by a newer Bilevel Tuner (store schema version " +
                        std::to_string(header.userVersion) + "; this version reads up to " +
                        std::to_string(target) + "); it is left untouched");
    }
    if (header.userVersion < 1) {
        throw error(StoreError::Kind::Corrupt,
                    "has the run store's application id but no schema version: damaged; it is "
                    "left untouched");
    }
    try {
        // quick_check: every page readable and well formed (not the index contents, which the
        // slower integrity_check compares); milliseconds for a store of thousands of runs.
        SQLite::Statement check(*db, "PRAGMA quick_check(5)");
        std::string problems;
        while (check.executeStep()) {
            const auto line = check.getColumn(0).getString();
            if (line != "ok") {
                problems += (problems.empty() ? "" : "; ") + line;
            }
        }
        if (!problems.empty()) {
            throw error(StoreError::Kind::Corrupt,
                        "the store is damaged (SQLite's check: " + problems +
                            "); it is left as it is: move it away to start a new store, or "
                            "restore a copy");
        }
    } catch (const SQLite::Exception& e) {
        fail(e, "checking the store");
    }
    version = header.userVersion;
    if (version < target) {
        if (readOnly) {
            throw error(StoreError::Kind::Unwritable,
                        "needs upgrading from store schema version " + std::to_string(version) +
                            " to " + std::to_string(target) + " but is read-only");
        }
        const auto copy = schema::upgrade(*db, file, version, schema::migrations(), true);
        core::engineLogger()->info("run store {} upgraded from schema version {} to {}; the "
                                   "previous file is saved as {}",
                                   file.string(), version, target, copy.string());
        version = target;
    }
    try {
        if (!readOnly) {
            const auto mode = db->execAndGet("PRAGMA journal_mode = WAL").getString();
            if (mode != "wal") {
                core::engineLogger()->warn(
                    "run store {}: WAL journal mode unavailable (got {}); readers will wait for "
                    "writers",
                    file.string(), mode);
            }
        }
        // FULL: a committed training survives a power cut, not only a killed process.
        db->exec("PRAGMA synchronous = FULL");
        db->exec("PRAGMA foreign_keys = ON");
    } catch (const SQLite::Exception& e) {
        fail(e, "configuring the connection");
    }
}

void RunStore::Impl::initialise() {
    db->exec("BEGIN IMMEDIATE");
    try {
        // Another process may have created the store between our look and the lock.
        const bool stillEmpty =
            db->execAndGet("SELECT COUNT(*) FROM sqlite_master").getInt() == 0 &&
            db->execAndGet("PRAGMA application_id").getInt() == 0;
        if (stillEmpty) {
            schema::createVersion1(*db);
        }
        db->exec("COMMIT");
    } catch (...) {
        db->tryExec("ROLLBACK");
        throw;
    }
    if (db->execAndGet("PRAGMA user_version").getInt() == 1) {
        schema::upgrade(*db, file, 1, schema::migrations(), false);
    }
}

// ---- RunStore ----------------------------------------------------------------------------------

RunStore::RunStore(std::filesystem::path file, StoreOptions options)
    : m_impl(std::make_unique<Impl>()) {
    m_impl->file = std::move(file);
    m_impl->options = options;
    m_impl->open();
    if (!m_impl->readOnly) {
        try {
            markStaleRunsInterrupted();
        } catch (const StoreError& e) {
            if (e.kind() != StoreError::Kind::Locked) {
                throw;
            }
            core::engineLogger()->info("run store {}: busy, stale runs not checked", e.where());
        }
    }
}

RunStore::~RunStore() = default;

std::filesystem::path RunStore::defaultPath() {
    return core::dataDir() / "runs.db";
}

const std::filesystem::path& RunStore::file() const {
    return m_impl->file;
}

bool RunStore::readOnly() const {
    return m_impl->readOnly;
}

int RunStore::schemaVersion() const {
    return m_impl->version;
}

void RunStore::createRun(const NewRun& run) {
    if (run.id.empty()) {
        throw std::invalid_argument("a run needs an id");
    }
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
        for (const char* table : {"events", "samples", "iterations"}) {
            SQLite::Statement q(*m_impl->db,
                                std::string("DELETE FROM ") + table + " WHERE run_id = ?");
            q.bind(1, runId);
            q.exec();
        }
    });
}

void RunStore::discardRun(const std::string& runId) {
    m_impl->write("deleting run " + runId, [&] {
        m_impl->requireRun(runId);
        // Explicit rather than by ON DELETE CASCADE alone, so that it holds for a connection
        // with foreign keys off too.
        for (const char* table : {"events", "samples", "iterations", "records"}) {
            SQLite::Statement q(*m_impl->db,
                                std::string("DELETE FROM ") + table + " WHERE run_id = ?");
            q.bind(1, runId);
            q.exec();
        }
        SQLite::Statement q(*m_impl->db, "DELETE FROM runs WHERE id = ?");
        q.bind(1, runId);
        q.exec();
    });
}

int RunStore::markStaleRunsInterrupted() {
    if (m_impl->readOnly) {
        return 0;
    }
    struct Stale {
        std::string id;
        std::int64_t heartbeatMs;
        std::int64_t pid;
        std::string host;
    };
    const auto limit = nowMs() - m_impl->options.staleAfter.count();
    // Looked for first without the write lock: usually there is nothing to mark.
    const auto candidates = m_impl->read("looking for stale runs", [&] {
        std::vector<Stale> found;
        // A run of this host whose process is gone is dead whatever its heartbeat's age (a
        // kill -9 a second ago): `resume` must not have to wait for it to go stale.
        SQLite::Statement q(*m_impl->db, "SELECT id, heartbeat_ms, pid, host FROM runs WHERE "
                                         "status = 'running' AND (heartbeat_ms < ? OR host = ?)");
        q.bind(1, limit);
        q.bind(2, m_impl->host);
        while (q.executeStep()) {
            found.push_back({q.getColumn(0).getString(), q.getColumn(1).getInt64(),
                             q.getColumn(2).getInt64(), q.getColumn(3).getString()});
        }
        return found;
    });
    std::vector<Stale> gone;
    for (const auto& c : candidates) {
        // On this host a stale heartbeat with a live process is a stopped (Ctrl-Z) or very busy
        // run, or a reused pid; only a process that is gone is certainly dead.
        if (c.host != m_impl->host || !processAlive(c.pid)) {
            gone.push_back(c);
        }
    }
    if (gone.empty()) {
        return 0;
    }
    int marked = 0;
    m_impl->write("marking interrupted runs", [&] {
        SQLite::Statement q(*m_impl->db,
                            "UPDATE runs SET status = 'interrupted', message = ?, updated_ms = ? "
                            "WHERE id = ? AND status = 'running' AND heartbeat_ms = ?");
        for (const auto& g : gone) {
            q.bind(1, "the process running it (pid " + std::to_string(g.pid) + " on " + g.host +
                          ") stopped without ending it; last heartbeat " +
                          formatTime(g.heartbeatMs));
            q.bind(2, nowMs());
            q.bind(3, g.id);
            q.bind(4, g.heartbeatMs); // unchanged since we looked: no beat came in between
            marked += q.exec();
            q.reset();
        }
    });
    for (const auto& g : gone) {
        core::engineLogger()->info("run store {}: run {} marked interrupted (pid {} on {})",
                                   m_impl->file.string(), g.id, g.pid, g.host);
    }
    return marked;
}

std::vector<RunInfo> RunStore::listRuns() {
    if (!m_impl->readOnly) {
        try {
            markStaleRunsInterrupted();
        } catch (const StoreError& e) {
            if (e.kind() != StoreError::Kind::Locked) {
                throw;
            }
        }
    }
    return m_impl->read("listing the runs", [&] {
        std::vector<RunInfo> runs;
        SQLite::Statement q(*m_impl->db, std::string(kRunColumns) + " ORDER BY created_ms, id");
        while (q.executeStep()) {
            runs.push_back(m_impl->runFromRow(q));
        }
        return runs;
    });
}

std::optional<RunInfo> RunStore::findRun(const std::string& runId) const {
    return m_impl->read("reading run " + runId, [&]() -> std::optional<RunInfo> {
        SQLite::Statement q(*m_impl->db, std::string(kRunColumns) + " WHERE id = ?");
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
        std::vector<StoredEvent> out;
        SQLite::Statement q(*m_impl->db,
                            withInnerProgress
                                ? "SELECT seq, time_ms, type, data FROM events WHERE run_id = ? "
                                  "ORDER BY seq"
                                : "SELECT seq, time_ms, type, data FROM events WHERE run_id = ? "
                                  "AND type <> 'inner-progress' ORDER BY seq");
        q.bind(1, runId);
        while (q.executeStep()) {
            StoredEvent e;
            e.seq = q.getColumn(0).getInt64();
            e.timeMs = q.getColumn(1).getInt64();
            e.type = q.getColumn(2).getString();
            e.data = m_impl->parseJson(q.getColumn(3).getString(),
                                       "event " + std::to_string(e.seq) + " of run " + runId);
            out.push_back(std::move(e));
        }
        return out;
    });
}

std::vector<events::SampleEvent> RunStore::samples(const std::string& runId) const {
    return m_impl->read("reading the samples of run " + runId, [&] {
        std::vector<events::SampleEvent> out;
        SQLite::Statement q(*m_impl->db, "SELECT data FROM events JOIN samples USING (run_id, "
                                         "seq) WHERE run_id = ? ORDER BY seq");
        q.bind(1, runId);
        while (q.executeStep()) {
            const auto data =
                m_impl->parseJson(q.getColumn(0).getString(), "a sample event of run " + runId);
            try {
                out.push_back(std::get<events::SampleEvent>(eventFromJson(data)));
            } catch (const std::exception& e) {
                throw m_impl->error(StoreError::Kind::Corrupt,
                                    "a sample of run " + runId + " cannot be read: " + e.what());
            }
        }
        return out;
    });
}

std::vector<events::OuterIterationEvent> RunStore::iterations(const std::string& runId) const {
    return m_impl->read("reading the outer iterations of run " + runId, [&] {
        std::vector<events::OuterIterationEvent> out;
        SQLite::Statement q(*m_impl->db,
                            "SELECT data FROM iterations WHERE run_id = ? ORDER BY seq");
        q.bind(1, runId);
        while (q.executeStep()) {
            const auto data =
                m_impl->parseJson(q.getColumn(0).getString(), "an outer iteration of run " + runId);
            try {
                out.push_back(std::get<events::OuterIterationEvent>(eventFromJson(data)));
            } catch (const std::exception& e) {
                throw m_impl->error(StoreError::Kind::Corrupt, "an outer iteration of run " +
                                                                   runId +
                                                                   " cannot be read: " + e.what());
            }
        }
        return out;
    });
}

std::vector<StoredRecord> RunStore::records(const std::string& runId) const {
    return m_impl->read("reading the records of run " + runId, [&] {
        std::vector<StoredRecord> out;
        SQLite::Statement q(*m_impl->db, "SELECT seq, time_ms, key, data, checkpoint FROM "
                                         "records WHERE run_id = ? ORDER BY seq");
        q.bind(1, runId);
        while (q.executeStep()) {
            StoredRecord r;
            r.seq = q.getColumn(0).getInt64();
            r.timeMs = q.getColumn(1).getInt64();
            r.key = q.getColumn(2).getString();
            r.data = m_impl->parseJson(q.getColumn(3).getString(),
                                       "record \"" + r.key + "\" of run " + runId);
            r.checkpoint = q.getColumn(4).getString();
            out.push_back(std::move(r));
        }
        return out;
    });
}

std::optional<StoredRecord> RunStore::record(const std::string& runId,
                                             const std::string& key) const {
    return m_impl->read(
        "reading record " + key + " of run " + runId, [&]() -> std::optional<StoredRecord> {
            SQLite::Statement q(*m_impl->db, "SELECT seq, time_ms, data, checkpoint FROM "
                                             "records WHERE run_id = ? AND key = ?");
            q.bind(1, runId);
            q.bind(2, key);
            if (!q.executeStep()) {
                return std::nullopt;
            }
            StoredRecord r;
            r.seq = q.getColumn(0).getInt64();
            r.timeMs = q.getColumn(1).getInt64();
            r.key = key;
            r.data = m_impl->parseJson(q.getColumn(2).getString(),
                                       "record \"" + key + "\" of run " + runId);
            r.checkpoint = q.getColumn(3).getString();
            return r;
        });
}

// ---- Transaction -------------------------------------------------------------------------------

RunStore::Transaction::Transaction(RunStore& store) : m_store(store) {
    auto& impl = *m_store.m_impl;
    impl.requireWritable("write");
    impl.mutex.lock();
    try {
        impl.begin();
    } catch (const SQLite::Exception& e) {
        impl.mutex.unlock();
        impl.fail(e, "starting a transaction");
    }
}

RunStore::Transaction::~Transaction() {
    if (!m_done) {
        auto& impl = *m_store.m_impl;
        impl.rollback();
        impl.mutex.unlock();
    }
}

void RunStore::Transaction::commit() {
    if (m_done) {
        throw std::logic_error("RunStore::Transaction committed twice");
    }
    auto& impl = *m_store.m_impl;
    m_done = true;
    try {
        impl.commit();
    } catch (const SQLite::Exception& e) {
        impl.mutex.unlock();
        impl.fail(e, "committing a transaction");
    }
    impl.mutex.unlock();
}

} // namespace bt::store
