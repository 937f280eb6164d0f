#include <QtTest>

#include <algorithm>

#include <QTemporaryDir>

#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <thread>

#include <SQLiteCpp/SQLiteCpp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/store/event_json.h"
#include "engine/store/heartbeat.h"
#include "engine/store/run_session.h"
#include "engine/store/run_store.h"
#include "engine/store/schema.h"
#include "engine/store/store_journal.h"
#include "engine/store/store_sink.h"
#include "store_test_support.h"
#include "tests/support/child_process.h"
#include "tests/support/text_files.h"
#include "tests/support/unprivileged.h"

using namespace std::chrono_literals;
using bt::events::RunStatus;
using bt::store::RunStore;
using bt::store::StoreError;
using namespace bt::testing;

// The run store when things go wrong: a transaction rolled back or cut short by a killed
// process, a full disk, files that are not (or no longer) the store, a newer schema, places it
// cannot write, a lock held by another writer, a reader beside a writer. (test_run_store.cpp
// holds the rest.)
class TestStoreFailures : public QObject {
    Q_OBJECT

private:
    bt::testing::FreshStores m_stores;

    std::filesystem::path freshPath() { return m_stores.next(); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_stores.isValid()); }

    void transactionGroupsWritesAndRollsBack() {
        const auto path = freshPath();
        RunStore store(path);
        store.createRun(newRun("run"));
        {
            RunStore::Transaction transaction(store);
            store.appendEvent("run", sample(0, -1.0, 1.0));
            store.appendRecords("run", {{"bilevel/sample/0", {{"phi", 1.0}}, ""}});
            // Another connection (another process) sees nothing before the commit.
            RunStore reader(path);
            QCOMPARE(reader.events("run").size(), std::size_t{0});
            QCOMPARE(reader.records("run").size(), std::size_t{0});
            // Left without commit: rolled back.
        }
        QCOMPARE(store.events("run").size(), std::size_t{0});
        QCOMPARE(store.records("run").size(), std::size_t{0});
        {
            RunStore::Transaction transaction(store);
            store.appendEvent("run", sample(0, -1.0, 1.0));
            store.appendRecords("run", {{"bilevel/sample/0", {{"phi", 1.0}}, ""}});
            // A failing call inside rolls back only itself; the transaction goes on.
            QVERIFY_THROWS_EXCEPTION(
                std::invalid_argument,
                store.appendRecords("run", {{"new", {}, ""}, {"bilevel/sample/0", {}, ""}}));
            transaction.commit();
        }
        RunStore reader(path);
        QCOMPARE(reader.events("run").size(), std::size_t{1});
        QCOMPARE(reader.samples("run").size(), std::size_t{1});
        QCOMPARE(reader.records("run").size(), std::size_t{1});
        QVERIFY(!reader.record("run", "new"));
    }

    void processKilledMidTransactionLosesOnlyThatTransaction() {
        const auto path = freshPath();
        {
            RunStore store(path);
            store.createRun(newRun("run"));
        }
        // Children killed (SIGKILL) right after a committed and inside an uncommitted write.
        for (const bool commit : {true, false}) {
            const pid_t child = ::fork();
            if (child == 0) {
                RunStore store(path);
                RunStore::Transaction transaction(store);
                store.appendRecords("run", {{commit ? "committed" : "lost", {}, ""}});
                if (commit) {
                    transaction.commit();
                }
                ::kill(::getpid(), SIGKILL);
                ::_exit(3);
            }
            int status = 0;
            ::waitpid(child, &status, 0);
            QVERIFY(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        }
        RunStore store(path);
        const auto records = store.records("run");
        QCOMPARE(records.size(), std::size_t{1});
        QCOMPARE(records[0].key, std::string("committed"));
    }

    void aFullDiskFailsTheWriteAndKeepsTheStore() {
        // Writes the disk refuses (a file-size limit in a child process: EFBIG, as ENOSPC on a
        // full disk) end in a StoreError naming the store; what was committed before stays
        // readable, and the store opens cleanly afterwards.
        const auto path = freshPath();
        {
            RunStore store(path);
            store.createRun(newRun("kept"));
            store.appendRecords("kept", {{"first", {{"loss", 0.5}}, ""}});
        }
        const auto limit = static_cast<rlim_t>(std::filesystem::file_size(path) + 8192);
        const auto run = bt::testing::runWithFileSizeLimit(limit, [&]() -> std::string {
            try {
                RunStore store(path);
                store.createRun(newRun("big"));
                const nlohmann::json large = {{"text", std::string(4096, 'x')}};
                for (int i = 0; i < 1000; ++i) {
                    store.appendRecords("big", {{"r" + std::to_string(i), large, ""}});
                }
                return "wrote 4 MiB past the limit";
            } catch (const bt::store::StoreError& e) {
                return std::string("refused: ") + e.what();
            }
        });
        QVERIFY2(run.ran, run.why.c_str());
        QVERIFY2(run.output.rfind("refused: ", 0) == 0, run.output.c_str());
        QVERIFY2(run.output.find(path.string()) != std::string::npos, run.output.c_str());
        RunStore store(path);
        const auto records = store.records("kept");
        QCOMPARE(records.size(), std::size_t{1});
        QCOMPARE(records[0].key, std::string("first"));
        QVERIFY(store.findRun("kept").has_value());
    }

    void notAnSqliteFileIsReportedAndLeftUntouched() {
        const auto path = freshPath();
        std::filesystem::create_directories(path.parent_path());
        const std::string garbage =
            "this is a CSV file,not a database\n1,2\n" + std::string(600, 'x');
        bt::testing::writeText(path, garbage);
        const auto e = storeErrorOf([&] { RunStore store(path); });
        QVERIFY(e);
        QVERIFY(e->kind() == StoreError::Kind::NotADatabase);
        QCOMPARE(e->where(), path.string());
        QVERIFY(QString(e->what()).contains("not an SQLite database"));
        QCOMPARE(bt::testing::readText(path), garbage);
        QVERIFY(!std::filesystem::exists(path.string() + "-wal"));
    }

    void corruptStoreIsReportedAndLeftUntouched() {
        const auto path = freshPath();
        {
            RunStore store(path);
            RunStore::Transaction transaction(store); // one commit: fast
            for (int r = 0; r < 20; ++r) {
                store.createRun(newRun("run-" + std::to_string(r)));
                for (int i = 0; i < 20; ++i) {
                    store.appendEvent("run-" + std::to_string(r), sample(i, -1.0 * i, 0.5));
                }
            }
            transaction.commit();
        }
        auto bytes = bt::testing::readText(path);
        const std::size_t pageSize = 4096;
        QVERIFY(bytes.size() > 6 * pageSize);
        // Scribble over pages 2 to 5 (b-tree pages of the tables), keeping the header page.
        for (std::size_t i = pageSize; i < 5 * pageSize; ++i) {
            bytes[i] = static_cast<char>((i * 7919) & 0xff);
        }
        bt::testing::writeText(path, bytes);
        const auto e = storeErrorOf([&] { RunStore store(path); });
        QVERIFY(e);
        QVERIFY(e->kind() == StoreError::Kind::Corrupt);
        QCOMPARE(e->where(), path.string());
        QVERIFY2(QString(e->what()).contains("left as it is"), e->what());
        QCOMPARE(bt::testing::readText(path), bytes);
    }

    void foreignSqliteFileIsReportedAndLeftUntouched() {
        const auto path = freshPath();
        std::filesystem::create_directories(path.parent_path());
        {
            SQLite::Database other(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
            other.exec("CREATE TABLE contacts (name TEXT, phone TEXT)");
            other.exec("INSERT INTO contacts VALUES ('Ada', '123')");
        }
        const auto before = bt::testing::readText(path);
        const auto e = storeErrorOf([&] { RunStore store(path); });
        QVERIFY(e);
        QVERIFY(e->kind() == StoreError::Kind::Foreign);
        QVERIFY2(QString(e->what()).contains("contacts"), e->what());
        QCOMPARE(bt::testing::readText(path), before);

        // An SQLite file of another application that set its own application id.
        const auto path2 = freshPath();
        std::filesystem::create_directories(path2.parent_path());
        {
            SQLite::Database other(path2.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
            other.exec("PRAGMA application_id = 1234");
        }
        const auto e2 = storeErrorOf([&] { RunStore store(path2); });
        QVERIFY(e2 && e2->kind() == StoreError::Kind::Foreign);
        QVERIFY2(QString(e2->what()).contains("0x000004d2"), e2->what());
    }

    void newerSchemaIsRefusedAndMigrationsStepWithACopy() {
        const auto path = freshPath();
        {
            RunStore store(path);
            store.createRun(newRun("kept"));
        }
        // A version-2 step: the mechanism that a future format change uses.
        const std::vector<bt::store::schema::Migration> steps = {
            {2, "runs get tags", [](SQLite::Database& db) {
                 db.exec("ALTER TABLE runs ADD COLUMN tags TEXT NOT NULL DEFAULT '[]'");
             }}};
        const std::vector<bt::store::schema::Migration> failing = {
            {2, "a broken step", [](SQLite::Database& db) {
                 db.exec("ALTER TABLE runs ADD COLUMN tags TEXT");
                 db.exec("ALTER TABLE no_such_table ADD COLUMN x");
             }}};
        {
            SQLite::Database db(path.string(), SQLite::OPEN_READWRITE);
            const auto e =
                storeErrorOf([&] { bt::store::schema::upgrade(db, path, 1, failing, false); });
            QVERIFY(e && e->kind() == StoreError::Kind::Failed);
            QVERIFY2(QString(e->what()).contains("a broken step"), e->what());
            QCOMPARE(db.execAndGet("PRAGMA user_version").getInt(), 1);
            // All or nothing: the step's first statement is rolled back too.
            QCOMPARE(db.execAndGet("SELECT COUNT(*) FROM pragma_table_info('runs') WHERE name = "
                                   "'tags'")
                         .getInt(),
                     0);

            const auto backup = bt::store::schema::upgrade(db, path, 1, steps, true);
            QCOMPARE(db.execAndGet("PRAGMA user_version").getInt(), 2);
            QCOMPARE(db.execAndGet("SELECT tags FROM runs WHERE id = 'kept'").getString(),
                     std::string("[]"));
            QCOMPARE(backup.string(), path.string() + ".schema-v1.bak");
            SQLite::Database copy(backup.string(), SQLite::OPEN_READONLY);
            QCOMPARE(copy.execAndGet("PRAGMA user_version").getInt(), 1);
            QCOMPARE(copy.execAndGet("SELECT COUNT(*) FROM runs").getInt(), 1);
        }
        // This program reads up to version 1: the upgraded file is refused, untouched.
        const auto before = bt::testing::readText(path);
        const auto e = storeErrorOf([&] { RunStore store(path); });
        QVERIFY(e && e->kind() == StoreError::Kind::NewerSchema);
        QVERIFY2(QString(e->what()).contains("version 2"), e->what());
        QCOMPARE(bt::testing::readText(path), before);
    }

    void unwritableLocationsAreReported() {
        // A path under a regular file fails even for root.
        const auto regular = m_stores.root() / "plain-file";
        bt::testing::writeText(regular, "x");
        const auto underFile = regular / "sub" / "runs.db";
        auto e = storeErrorOf([&] { RunStore store(underFile); });
        QVERIFY(e && e->kind() == StoreError::Kind::Unwritable);
        QVERIFY2(QString(e->what()).contains(QString::fromStdString(regular.string())), e->what());
        QCOMPARE(bt::testing::readText(regular), std::string("x"));

        // A folder that cannot be created (procfs refuses new entries, also to root).
        e = storeErrorOf([] { RunStore store("/proc/bilevel-tuner-test/runs.db"); });
        QVERIFY(e && e->kind() == StoreError::Kind::Unwritable);

        // A folder given as the store.
        e = storeErrorOf([&] { RunStore store(m_stores.root()); });
        QVERIFY(e && e->kind() == StoreError::Kind::Unwritable);

        // Permission bits do not stop root, and CI runs the suite as root: the read-only folder
        // and file cases run as an unprivileged user (tests/support/unprivileged.h) who owns
        // both, as a user's own store and folder would be.
        const auto user = bt::testing::unprivilegedUser();
        QVERIFY2(user, "running as root, and there is no user 'nobody' to run the cases as");
        QTemporaryDir shared;
        QVERIFY(shared.isValid());
        const std::filesystem::path base = shared.path().toStdString();
        QVERIFY(bt::testing::shareWithUnprivileged(base));
        const auto folder = base / "own";
        std::filesystem::create_directories(folder);
        const auto existing = folder / "runs.db";
        {
            RunStore store(existing);
            store.createRun(newRun("old"));
        }
        const auto readOnlyFolder = base / "ro";
        std::filesystem::create_directories(readOnlyFolder);
        for (const auto& p : {folder, existing, readOnlyFolder}) {
            QVERIFY2(bt::testing::giveToUnprivileged(p, *user), std::strerror(errno));
        }
        QCOMPARE(::chmod(readOnlyFolder.c_str(), 0555), 0);
        QCOMPARE(::chmod(existing.c_str(), 0444), 0);
        const auto kindOf = [](const std::optional<StoreError>& error) -> std::string {
            if (!error) {
                return "no StoreError";
            }
            return error->kind() == StoreError::Kind::Unwritable
                       ? "Unwritable"
                       : "kind " + std::to_string(static_cast<int>(error->kind())) + ": " +
                             error->what();
        };
        const auto run = bt::testing::runUnprivileged([&]() -> std::string {
            if (const auto why = bt::testing::unreachableReason(existing); !why.empty()) {
                return why;
            }
            std::string out;
            // A read-only folder: the store cannot be created in it.
            out += "folder: " +
                   kindOf(storeErrorOf([&] { RunStore store(readOnlyFolder / "runs.db"); }));
            out += std::string("; created: ") +
                   (std::filesystem::exists(readOnlyFolder / "runs.db") ? "yes" : "no");
            // A read-only file: readable, and writing says why it fails.
            RunStore store(existing);
            out += std::string("; read-only: ") + (store.readOnly() ? "yes" : "no");
            out += "; runs: " + std::to_string(store.listRuns().size());
            const auto write = storeErrorOf([&] { store.createRun(newRun("new")); });
            out += "; write: " + kindOf(write);
            if (write && !QString(write->what()).contains(QStringLiteral("read-only"))) {
                out += std::string(" without 'read-only' in: ") + write->what();
            }
            return out;
        });
        QCOMPARE(::chmod(readOnlyFolder.c_str(), 0755), 0);
        QCOMPARE(::chmod(existing.c_str(), 0644), 0);
        QVERIFY2(run.ran, run.why.c_str());
        qInfo("checked as %s", run.user.c_str());
        QCOMPARE(QString::fromStdString(run.output),
                 QStringLiteral("folder: Unwritable; created: no; read-only: yes; runs: 1; "
                                "write: Unwritable"));
        // Nothing was written to the file.
        RunStore after(existing);
        QCOMPARE(after.listRuns().size(), std::size_t{1});
    }

    void writerWaitsForTheLockThenGivesUpClearly() {
        const auto path = freshPath();
        bt::store::StoreOptions options;
        options.busyTimeout = 300ms;
        RunStore store(path, options);
        store.createRun(newRun("run"));
        store.appendEvent("run", sample(0, -1.0, 1.0));
        {
            // Another writer holds the write lock.
            SQLite::Database other(path.string(), SQLite::OPEN_READWRITE);
            other.exec("BEGIN IMMEDIATE");
            other.exec("UPDATE runs SET name = 'other' WHERE id = 'run'");
            const auto started = std::chrono::steady_clock::now();
            const auto e = storeErrorOf([&] { store.appendEvent("run", sample(1, -2.0, 1.0)); });
            const auto waited = std::chrono::steady_clock::now() - started;
            QVERIFY(e && e->kind() == StoreError::Kind::Locked);
            QVERIFY2(QString(e->what()).contains("locked by another writer"), e->what());
            QCOMPARE(e->where(), path.string());
            QVERIFY(waited >= 250ms);
            QVERIFY(waited < 5s);
            // Reading still works while the other writer holds the lock (WAL).
            QCOMPARE(store.events("run").size(), std::size_t{1});
            other.exec("ROLLBACK");
        }
        // Intact and writable again.
        QCOMPARE(store.appendEvent("run", sample(1, -2.0, 1.0)), std::int64_t{2});
        QCOMPARE(store.findRun("run")->name, std::string("ridge"));
    }

    void listingWorksWhileAnotherConnectionWrites() {
        const auto path = freshPath();
        RunStore writer(path);
        writer.createRun(newRun("busy"));
        std::atomic<bool> done{false};
        std::atomic<int> written{0};
        std::string writerError;
        std::thread writing([&] {
            try {
                for (int i = 0; i < 100; ++i) {
                    RunStore::Transaction t(writer);
                    writer.appendEvent("busy", sample(i, -1.0, 1.0));
                    writer.appendRecords("busy", {{"k" + std::to_string(i), {}, ""}});
                    t.commit();
                    ++written;
                }
            } catch (const std::exception& e) {
                writerError = e.what();
            }
            done = true;
        });
        RunStore reader(path); // a second connection, as `list` in another process
        int reads = 0;
        std::size_t last = 0;
        while (!done || reads < 3) {
            const auto runs = reader.listRuns();
            QCOMPARE(runs.size(), std::size_t{1});
            const auto events = reader.events("busy").size();
            const auto records = reader.records("busy").size();
            QVERIFY(events >= last);
            last = events;
            // A reader sees whole transactions only; it may read the two tables at different
            // moments, so the later read (records) is never behind the earlier one.
            QVERIFY(records >= events);
            ++reads;
        }
        writing.join();
        QVERIFY2(writerError.empty(), writerError.c_str());
        QCOMPARE(written.load(), 100);
        QCOMPARE(reader.events("busy").size(), std::size_t{100});
        QVERIFY(reads >= 3);
    }
};

QTEST_GUILESS_MAIN(TestStoreFailures)
#include "test_store_failures.moc"
