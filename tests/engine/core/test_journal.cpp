#include <QtTest>

#include <stdexcept>
#include <string>

#include "engine/core/journal.h"

using bt::core::JournalRecord;
using bt::core::MemoryJournal;

namespace {

JournalRecord record(int value, const std::string& checkpoint = {}) {
    return {{{"value", value}}, checkpoint};
}

} // namespace

/// The in-memory run journal (engine/eval/journal): what resume tests cut and replay.
class TestJournal : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void findsWhatWasAppended() {
        MemoryJournal journal("/tmp/checkpoints");
        QCOMPARE(journal.checkpointFolder(), std::filesystem::path("/tmp/checkpoints"));
        QCOMPARE(journal.size(), std::size_t{0});
        QVERIFY(!journal.find("grid/0").has_value());
        journal.append("grid/0", record(1));
        journal.append("grid/1", record(2, "grid-1.pt"));
        QCOMPARE(journal.size(), std::size_t{2});
        const auto first = journal.find("grid/0");
        QVERIFY(first.has_value());
        QCOMPARE(first->data.at("value").get<int>(), 1);
        QVERIFY(first->checkpoint.empty());
        const auto second = journal.find("grid/1");
        QVERIFY(second.has_value());
        QCOMPARE(second->data.at("value").get<int>(), 2);
        QCOMPARE(second->checkpoint, std::string("grid-1.pt"));
        QVERIFY(!journal.find("grid/2").has_value());
        QVERIFY(!journal.find("grid").has_value());
    }

    // A key is committed once: a second append is a logic error, and the first record stays.
    void aKeyIsAppendedOnce() {
        MemoryJournal journal("/tmp/checkpoints");
        journal.append("bilevel/0", record(1));
        QVERIFY_THROWS_EXCEPTION(std::logic_error, journal.append("bilevel/0", record(2)));
        QCOMPARE(journal.size(), std::size_t{1});
        QCOMPARE(journal.find("bilevel/0")->data.at("value").get<int>(), 1);
    }

    // truncate(n) keeps the first n records in append order (not key order): a run killed
    // after its n-th commit.
    void truncateKeepsTheFirstAppended() {
        MemoryJournal journal("/tmp/checkpoints");
        for (const auto* key : {"random/2", "random/0", "random/1", "refit/0"}) {
            journal.append(key, record(static_cast<int>(journal.size())));
        }
        MemoryJournal copy = journal;
        copy.truncate(2);
        QCOMPARE(copy.size(), std::size_t{2});
        QVERIFY(copy.find("random/2").has_value());
        QVERIFY(copy.find("random/0").has_value());
        QVERIFY(!copy.find("random/1").has_value());
        QVERIFY(!copy.find("refit/0").has_value());
        // The copy is independent, and a truncated key can be appended again.
        QCOMPARE(journal.size(), std::size_t{4});
        copy.append("random/1", record(7));
        QCOMPARE(copy.find("random/1")->data.at("value").get<int>(), 7);
        QCOMPARE(journal.find("random/1")->data.at("value").get<int>(), 2);
        copy.truncate(10); // more than held: nothing changes
        QCOMPARE(copy.size(), std::size_t{3});
        copy.truncate(0);
        QCOMPARE(copy.size(), std::size_t{0});
        QVERIFY(!copy.find("random/2").has_value());
    }
};

QTEST_GUILESS_MAIN(TestJournal)
#include "test_journal.moc"
