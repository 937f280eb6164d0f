// Opening a run store (checks, creation, upgrade) and marking the runs whose process is gone.

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <fstream>

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include "engine/core/log.h"
#include "engine/store/run_store.h"
#include "engine/store/run_store_impl.h"
#include "engine/store/schema.h"

namespace bt::store {

namespace {

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

struct RunStore::Impl::Header {
    std::int32_t applicationId = 0;
    int userVersion = 0;
    int objects = 0;
    std::string someTable;
};

void RunStore::Impl::open() {
    const bool exists = checkFileBeforeOpening();
    connect(exists);
    const Header header = readOrCreateHeader();
    checkHeader(header);
    checkIntegrity();
    version = header.userVersion;
    upgradeIfOlder();
    configureConnection();
}

bool RunStore::Impl::checkFileBeforeOpening() const {
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
    return exists;
}

void RunStore::Impl::connect(bool exists) {
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
}

RunStore::Impl::Header RunStore::Impl::readHeader() const {
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
}

RunStore::Impl::Header RunStore::Impl::readOrCreateHeader() {
    try {
        Header header = readHeader();
        if (header.applicationId == 0 && header.userVersion == 0 && header.objects == 0) {
            if (readOnly) {
                throw error(StoreError::Kind::Unwritable,
                            "the file is empty and read-only: cannot create a run store in it");
            }
            initialise();
            header = readHeader();
        }
        return header;
    } catch (const SQLite::Exception& e) {
        if ((e.getErrorCode() & 0xff) == SQLITE_NOTADB) {
            throw error(StoreError::Kind::NotADatabase,
                        std::string("not a run store: SQLite cannot read the file (") + e.what() +
                            "); it is left untouched");
        }
        fail(e, "reading the store's header");
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

void RunStore::Impl::checkHeader(const Header& header) const {
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
}

void RunStore::Impl::checkIntegrity() const {
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
}

void RunStore::Impl::upgradeIfOlder() {
    const int target = schema::currentVersion();
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
}

void RunStore::Impl::configureConnection() {
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

// ---- stale runs --------------------------------------------------------------------------------

int RunStore::Impl::markStaleRunsInterrupted() {
    if (readOnly) {
        return 0;
    }
    struct Stale {
        std::string id;
        std::int64_t heartbeatMs;
        std::int64_t pid;
        std::string host;
    };
    const auto limit = nowMs() - options.staleAfter.count();
    // Looked for first without the write lock: usually there is nothing to mark.
    const auto candidates = read("looking for stale runs", [&] {
        std::vector<Stale> found;
        // A run of this host whose process is gone is dead whatever its heartbeat's age (a
        // kill -9 a second ago): `resume` must not have to wait for it to go stale.
        SQLite::Statement q(*db, "SELECT id, heartbeat_ms, pid, host FROM runs WHERE "
                                 "status = 'running' AND (heartbeat_ms < ? OR host = ?)");
        q.bind(1, limit);
        q.bind(2, host);
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
        if (c.host != host || !processAlive(c.pid)) {
            gone.push_back(c);
        }
    }
    if (gone.empty()) {
        return 0;
    }
    int marked = 0;
    write("marking interrupted runs", [&] {
        SQLite::Statement q(*db,
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
                                   file.string(), g.id, g.pid, g.host);
    }
    return marked;
}

std::optional<StoreError> RunStore::Impl::markStaleRunsUnlessLocked() {
    if (!readOnly) {
        try {
            markStaleRunsInterrupted();
        } catch (const StoreError& e) {
            if (e.kind() != StoreError::Kind::Locked) {
                throw;
            }
            return e;
        }
    }
    return std::nullopt;
}

int RunStore::markStaleRunsInterrupted() {
    return m_impl->markStaleRunsInterrupted();
}

} // namespace bt::store
