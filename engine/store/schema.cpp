#include "engine/store/schema.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include "engine/core/version.h"
#include "engine/store/store_error.h"

namespace bt::store::schema {

const std::vector<Migration>& migrations() {
    static const std::vector<Migration> steps;
    return steps;
}

int currentVersion() {
    return 1 + static_cast<int>(migrations().size());
}

// The tables of schema version 1.
// JSON columns hold the JSON forms of engine/report and engine/store/event_json.h; times are
// milliseconds since the Unix epoch. Rows of a run are keyed (run_id, seq) so that they are
// stored together and read in order without sorting.
constexpr const char* kVersion1Tables = R"sql(
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE runs (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL CHECK (status IN
                     ('running', 'completed', 'failed', 'cancelled', 'interrupted')),
    message      TEXT NOT NULL DEFAULT '',
    config       TEXT NOT NULL,
    methods      TEXT NOT NULL,
    seed         INTEGER,
    created_ms   INTEGER NOT NULL,
    updated_ms   INTEGER NOT NULL,
    heartbeat_ms INTEGER NOT NULL,
    pid          INTEGER NOT NULL,
    host         TEXT NOT NULL,
    out_dir      TEXT NOT NULL DEFAULT '',
    environment  TEXT NOT NULL DEFAULT '{}',
    result       TEXT
);
CREATE INDEX runs_by_created ON runs (created_ms, id);
CREATE INDEX runs_by_status ON runs (status);

CREATE TABLE events (
    run_id  TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    time_ms INTEGER NOT NULL,
    type    TEXT NOT NULL,
    data    TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;

-- Lower-level trainings: the bilevel method's φ samples and the baselines' trials. seq is the
-- sequence number of the sample event that carried it.
CREATE TABLE samples (
    run_id         TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq            INTEGER NOT NULL,
    method         TEXT NOT NULL,
    phase          TEXT NOT NULL,
    idx            INTEGER NOT NULL,
    total          INTEGER NOT NULL,
    lambda         TEXT NOT NULL,
    status         TEXT NOT NULL,
    message        TEXT NOT NULL,
    epochs_trained REAL,
    metrics        TEXT NOT NULL,
    cost           TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;

CREATE TABLE iterations (
    run_id    TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL,
    method    TEXT NOT NULL,
    iteration INTEGER NOT NULL,
    data      TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;

-- What resume needs: completed units of work, each under a key unique within the run, with the
-- path of its checkpoint file when it has one.
CREATE TABLE records (
    run_id     TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    key        TEXT NOT NULL,
    time_ms    INTEGER NOT NULL,
    data       TEXT NOT NULL,
    checkpoint TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (run_id, seq),
    UNIQUE (run_id, key)
) WITHOUT ROWID;
)sql";

void createVersion1(SQLite::Database& db) {
    db.exec(kVersion1Tables);
    SQLite::Statement meta(db, "INSERT INTO meta (key, value) VALUES (?, ?)");
    const std::pair<const char*, std::string> rows[] = {
        {"application", "bilevel-tuner run store"},
        {"created_by", std::string("bilevel-tuner ") + core::kVersion},
        {"schema_version", "1"},
    };
    for (const auto& [key, value] : rows) {
        meta.bind(1, key);
        meta.bind(2, value);
        meta.exec();
        meta.reset();
    }
    db.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
    db.exec("PRAGMA user_version = 1");
}

namespace {

std::string quoted(const std::string& text) {
    std::string q = "'";
    for (char c : text) {
        q += c;
        if (c == '\'') {
            q += '\'';
        }
    }
    return q + "'";
}

std::filesystem::path freeBackupPath(const std::filesystem::path& file, int from) {
    const auto base = file.string() + ".schema-v" + std::to_string(from) + ".bak";
    std::filesystem::path candidate = base;
    for (int n = 2; std::filesystem::exists(candidate); ++n) {
        candidate = base + "." + std::to_string(n);
    }
    return candidate;
}

} // namespace

std::filesystem::path upgrade(SQLite::Database& db, const std::filesystem::path& file, int from,
                              const std::vector<Migration>& steps, bool backup) {
    const int target = 1 + static_cast<int>(steps.size());
    std::filesystem::path backupPath;
    if (from >= target) {
        return backupPath;
    }
    if (backup) {
        backupPath = freeBackupPath(file, from);
        try {
            // VACUUM INTO writes a consistent copy (WAL content included) without touching the
            // original.
            db.exec("VACUUM INTO " + quoted(backupPath.string()));
        } catch (const SQLite::Exception& e) {
            throw StoreError(StoreError::Kind::Failed, file.string(),
                             "cannot save a copy before upgrading the store's schema from "
                             "version " +
                                 std::to_string(from) + " to " + backupPath.string() + ": " +
                                 e.what() + "; the store is left unchanged");
        }
    }
    for (int version = from; version < target; ++version) {
        const auto& step = steps[static_cast<std::size_t>(version - 1)];
        if (step.toVersion != version + 1) {
            throw std::logic_error("schema migration list out of order at version " +
                                   std::to_string(version));
        }
        try {
            // IMMEDIATE: take the write lock first, so that no other writer slips in between.
            db.exec("BEGIN IMMEDIATE");
            try {
                step.apply(db);
                db.exec("PRAGMA user_version = " + std::to_string(step.toVersion));
                db.exec("UPDATE meta SET value = '" + std::to_string(step.toVersion) +
                        "' WHERE key = 'schema_version'");
                db.exec("COMMIT");
            } catch (...) {
                db.tryExec("ROLLBACK");
                throw;
            }
        } catch (const std::exception& e) {
            throw StoreError(StoreError::Kind::Failed, file.string(),
                             "upgrading the store's schema from version " +
                                 std::to_string(version) + " to " + std::to_string(step.toVersion) +
                                 " (" + step.description + ") failed: " + e.what() +
                                 "; the store is left at version " + std::to_string(version) +
                                 (backupPath.empty() ? ""
                                                     : " and a copy from before the upgrade is " +
                                                           backupPath.string()));
        }
    }
    return backupPath;
}

} // namespace bt::store::schema
