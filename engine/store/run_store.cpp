#include "engine/store/run_store.h"

#include <ctime>
#include <stdexcept>

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>
#include <unistd.h>

#include "engine/core/log.h"
#include "engine/core/paths.h"
#include "engine/store/run_store_impl.h"

namespace bt::store {

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

std::string RunStore::Impl::thisHost() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0) {
        return "unknown";
    }
    return name;
}

StoreError RunStore::Impl::error(StoreError::Kind kind, const std::string& what) const {
    return StoreError(kind, file.string(), what);
}

void RunStore::Impl::fail(const SQLite::Exception& e, const std::string& action) const {
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
        throw error(StoreError::Kind::Failed,
                    "the disk is full: " + action + " failed; what the store held before is kept");
    case SQLITE_IOERR:
        // Also a write past the disk's room or a file-size limit (EFBIG).
        throw error(StoreError::Kind::Failed,
                    action + " failed: " + message +
                        " (a full or failing disk?); what the store held before is kept");
    default:
        throw error(StoreError::Kind::Failed, action + " failed: " + message);
    }
}

void RunStore::Impl::requireWritable(const std::string& action) const {
    if (readOnly) {
        throw error(StoreError::Kind::Unwritable,
                    "the store is read-only (the operating system does not let this "
                    "process write the file): cannot " +
                        action);
    }
}

void RunStore::Impl::begin() {
    if (depth == 0) {
        db->exec("BEGIN IMMEDIATE");
    } else {
        db->exec("SAVEPOINT s" + std::to_string(depth));
    }
    ++depth;
}

void RunStore::Impl::commit() {
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

void RunStore::Impl::rollback() {
    --depth;
    rollbackAt(depth);
}

void RunStore::Impl::rollbackAt(int level) noexcept {
    if (level == 0) {
        db->tryExec("ROLLBACK");
    } else {
        const auto name = "s" + std::to_string(level);
        db->tryExec("ROLLBACK TO " + name);
        db->tryExec("RELEASE " + name);
    }
}

nlohmann::json RunStore::Impl::parseJson(const std::string& text, const std::string& what) const {
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw error(StoreError::Kind::Corrupt, what + " is not valid JSON: " + e.what());
    }
}

bool RunStore::Impl::runExists(const std::string& runId) const {
    SQLite::Statement q(*db, "SELECT 1 FROM runs WHERE id = ?");
    q.bind(1, runId);
    return q.executeStep();
}

void RunStore::Impl::requireRun(const std::string& runId) const {
    if (!runExists(runId)) {
        throw error(StoreError::Kind::UnknownRun,
                    "no run \"" + runId +
                        "\" in the store (`bilevel-tuner-cli list` shows "
                        "the runs)");
    }
}

std::int64_t RunStore::Impl::nextSeq(const char* table, const std::string& runId) const {
    SQLite::Statement q(*db, std::string("SELECT COALESCE(MAX(seq), 0) + 1 FROM ") + table +
                                 " WHERE run_id = ?");
    q.bind(1, runId);
    q.executeStep();
    return q.getColumn(0).getInt64();
}

void RunStore::Impl::touchUpdated(const std::string& runId) {
    SQLite::Statement q(*db, "UPDATE runs SET updated_ms = ? WHERE id = ?");
    q.bind(1, nowMs());
    q.bind(2, runId);
    q.exec();
}

void RunStore::Impl::deleteRunRows(const std::string& runId) {
    // Explicit rather than by ON DELETE CASCADE alone, so that it holds for a connection with
    // foreign keys off too.
    deleteRowsOfRun({"events", "samples", "iterations", "records"}, runId);
    SQLite::Statement q(*db, "DELETE FROM runs WHERE id = ?");
    q.bind(1, runId);
    q.exec();
}

void RunStore::Impl::deleteRowsOfRun(std::initializer_list<const char*> tables,
                                     const std::string& runId) {
    for (const char* table : tables) {
        SQLite::Statement q(*db, std::string("DELETE FROM ") + table + " WHERE run_id = ?");
        q.bind(1, runId);
        q.exec();
    }
}

// ---- RunStore ----------------------------------------------------------------------------------

RunStore::RunStore(std::filesystem::path file, StoreOptions options)
    : m_impl(std::make_unique<Impl>()) {
    m_impl->file = std::move(file);
    m_impl->options = options;
    m_impl->open();
    if (const auto locked = m_impl->markStaleRunsUnlessLocked()) {
        core::engineLogger()->info("run store {}: busy, stale runs not checked", locked->where());
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
