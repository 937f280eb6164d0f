#pragma once

// The run store's connection (RunStore::Impl): private to engine/store's run_store*.cpp files.

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

#include "engine/store/run_store.h"

namespace bt::store {

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

    static constexpr const char* kRunColumns =
        "SELECT id, name, status, message, config, methods, seed, created_ms, updated_ms, "
        "heartbeat_ms, pid, host, out_dir, environment, result FROM runs";

    static std::string thisHost();

    StoreError error(StoreError::Kind kind, const std::string& what) const;

    // Turns a database failure into a StoreError that says what was being done.
    [[noreturn]] void fail(const SQLite::Exception& e, const std::string& action) const;

    void requireWritable(const std::string& action) const;

    // Write scopes: the outermost is BEGIN IMMEDIATE (take the write lock before reading, so
    // that a read-then-write never fails on a snapshot another writer made stale); inner ones
    // are savepoints. The caller holds `mutex`.
    void begin();
    void commit();
    void rollback();
    void rollbackAt(int level) noexcept;

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

    // Runs `sql`, whose one parameter is the run id, and makes one item of each row with
    // `fromRow`, in the order of the rows.
    template <typename FromRow>
    auto rowsOfRun(const std::string& sql, const std::string& runId, FromRow&& fromRow) const {
        std::vector<std::invoke_result_t<FromRow&, SQLite::Statement&>> out;
        SQLite::Statement q(*db, sql);
        q.bind(1, runId);
        while (q.executeStep()) {
            out.push_back(fromRow(q));
        }
        return out;
    }

    nlohmann::json parseJson(const std::string& text, const std::string& what) const;

    bool runExists(const std::string& runId) const;
    void requireRun(const std::string& runId) const;
    std::int64_t nextSeq(const char* table, const std::string& runId) const;
    void touchUpdated(const std::string& runId);
    // Deletes the run's rows of each table in `tables`.
    void deleteRowsOfRun(std::initializer_list<const char*> tables, const std::string& runId);
    // Deletes the run's row and every row of it in the other tables.
    void deleteRunRows(const std::string& runId);

    // Rows of the queries of run_store_read.cpp: kRunColumns; seq, time_ms, type, data of
    // events; seq, time_ms, key, data, checkpoint of records.
    RunInfo runFromRow(SQLite::Statement& q) const;
    StoredEvent eventFromRow(SQLite::Statement& q, const std::string& runId) const;
    StoredRecord recordFromRow(SQLite::Statement& q, const std::string& runId) const;
    // The event of type `Event` in the stored event JSON `text`; `what` names it in errors.
    template <typename Event>
    Event eventOfType(const std::string& text, const std::string& jsonWhat,
                      const std::string& what) const;

    // Opening (run_store_open.cpp), in the order open() takes the steps.
    struct Header;
    void open();
    bool checkFileBeforeOpening() const; ///< whether the file exists
    void connect(bool exists);
    Header readHeader() const;
    Header readOrCreateHeader();
    void initialise();
    void checkHeader(const Header& header) const;
    void checkIntegrity() const;
    void upgradeIfOlder();
    void configureConnection();

    // Stale runs (run_store_open.cpp): RunStore::markStaleRunsInterrupted(), and the same on a
    // writable store that leaves the runs as they are when another writer holds the lock
    // (returning that error).
    int markStaleRunsInterrupted();
    std::optional<StoreError> markStaleRunsUnlessLocked();
};

} // namespace bt::store
