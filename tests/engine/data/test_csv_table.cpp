#include <QtTest>

#include <filesystem>

#include "data_fixtures.h"
#include "engine/data/csv_table.h"
#include "tests/support/unprivileged.h"

using namespace fixtures;
namespace fs = std::filesystem;

class TestCsvTable : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    fs::path path(const char* name) const { return fs::path(m_dir.path().toStdString()) / name; }

    QString errorFor(const char* name, const std::string& text, const std::string& target) {
        writeText(path(name), text);
        return inputErrorOf([&] { bt::data::readCsv(path(name), target); });
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void readsNumbersQuotesAndLineEnds() {
        // BOM, CRLF, a quoted header name with a comma, quoted numbers, a doubled quote in a
        // label, spaces around fields, and blank lines at the end.
        writeText(path("a.csv"), "\xEF\xBB\xBFx1,\"x,2\",label\r\n"
                                 " 1.5 , \"-2\" ,cat\r\n"
                                 "+3e2,0.25,\"say \"\"hi\"\"\"\r\n"
                                 "\r\n\n   \n");
        const auto t = bt::data::readCsv(path("a.csv"), "label");
        QCOMPARE(t.header, (std::vector<std::string>{"x1", "x,2", "label"}));
        QCOMPARE(t.featureNames, (std::vector<std::string>{"x1", "x,2"}));
        QCOMPARE(t.targetName, std::string("label"));
        QCOMPARE(t.rows(), 2);
        QCOMPARE(t.features, (std::vector<float>{1.5F, -2.0F, 300.0F, 0.25F}));
        QCOMPARE(t.targetCells, (std::vector<std::string>{"cat", "say \"hi\""}));
        QCOMPARE(t.lines, (std::vector<std::int64_t>{2, 3}));
        QCOMPARE(t.targetColumns, (std::vector<std::int64_t>{14, 11}));
        QVERIFY(t.targetWhere(1).ends_with("a.csv:3:11"));
    }

    void targetColumnAnywhereOrLast() {
        writeText(path("b.csv"), "y,a,b\n1,2,3\n4,5,6\n");
        const auto named = bt::data::readCsv(path("b.csv"), "y");
        QCOMPARE(named.featureNames, (std::vector<std::string>{"a", "b"}));
        QCOMPARE(named.features, (std::vector<float>{2, 3, 5, 6}));
        QCOMPARE(named.numericTargets(), (std::vector<float>{1, 4}));
        const auto last = bt::data::readCsv(path("b.csv"), "");
        QCOMPARE(last.targetName, std::string("b"));
        QCOMPARE(last.features, (std::vector<float>{1, 2, 4, 5}));
    }

    void raggedRows() {
        BT_VERIFY_MESSAGE(errorFor("short.csv", "a,b,y\n1,2,3\n4,5\n", "y"), "short.csv:3:4",
                          "expected 3 fields as in the header, found 2");
        BT_VERIFY_MESSAGE(errorFor("long.csv", "a,b,y\n1,2,3,4\n", "y"), "long.csv:2:7",
                          "expected 3 fields as in the header, found 4");
        BT_VERIFY_MESSAGE(errorFor("blank.csv", "a,b,y\n1,2,3\n\n4,5,6\n", "y"), "blank.csv:3:1",
                          "blank line");
    }

    void nonNumericCell() {
        BT_VERIFY_MESSAGE(errorFor("text.csv", "a,b,y\n1,2,3\n4,abc,6\n", "y"), "text.csv:3:3",
                          "expected a finite number in column 'b', found 'abc'");
        BT_VERIFY_MESSAGE(errorFor("nan.csv", "a,y\nnan,1\n", "y"), "nan.csv:2:1",
                          "expected a finite number");
        BT_VERIFY_MESSAGE(errorFor("hole.csv", "a,b,y\n1,,3\n", "y"), "hole.csv:2:3",
                          "empty cell in column 'b'");
        BT_VERIFY_MESSAGE(errorFor("huge.csv", "a,y\n1e39,1\n", "y"), "huge.csv:2:1",
                          "outside the 32-bit float range");
        writeText(path("reg.csv"), "a,y\n1,2\n3,high\n");
        const auto t = bt::data::readCsv(path("reg.csv"), "y");
        BT_VERIFY_MESSAGE(inputErrorOf([&] { t.numericTargets(); }), "reg.csv:3:3",
                          "expected a finite number in the target column 'y', found 'high'");
    }

    void headerProblems() {
        BT_VERIFY_MESSAGE(errorFor("notarget.csv", "a,b,c\n1,2,3\n", "label"), "notarget.csv:1:1",
                          "no target column 'label'", "'a', 'b', 'c'");
        BT_VERIFY_MESSAGE(errorFor("dup.csv", "a,b,a\n1,2,3\n", "b"), "dup.csv:1:5",
                          "duplicate column name 'a'");
        BT_VERIFY_MESSAGE(errorFor("only.csv", "y\n1\n", "y"), "only.csv:1:1",
                          "at least one feature column");
        BT_VERIFY_MESSAGE(errorFor("norows.csv", "a,y\n\n", "y"), "norows.csv:2:1", "no data rows");
        BT_VERIFY_MESSAGE(errorFor("noname.csv", "a,,y\n1,2,3\n", "y"), "noname.csv:1:3",
                          "empty name of column 2");
    }

    void quoting() {
        BT_VERIFY_MESSAGE(errorFor("open.csv", "a,y\n\"1,2\n", "y"), "open.csv:2:1",
                          "unterminated quoted field");
        BT_VERIFY_MESSAGE(errorFor("after.csv", "a,y\n\"1\"x,2\n", "y"), "after.csv:2:4",
                          "expected ',' after a closing quote, found 'x'");
    }

    void emptyMissingDirectory() {
        BT_VERIFY_MESSAGE(errorFor("empty.csv", "", "y"), "empty.csv:1:1", "empty file",
                          "header row");
        BT_VERIFY_MESSAGE(errorFor("blanks.csv", "\n \n", "y"), "blanks.csv:1:1", "empty file");
        BT_VERIFY_MESSAGE(inputErrorOf([&] { bt::data::readCsv(path("none.csv"), "y"); }),
                          "none.csv", "no such file", "CSV file");
        fs::create_directories(path("dir.csv"));
        BT_VERIFY_MESSAGE(inputErrorOf([&] { bt::data::readCsv(path("dir.csv"), "y"); }), "dir.csv",
                          "is a directory");
        // Mode 000 does not stop root, and CI runs the suite as root: the read is tried as an
        // unprivileged user (tests/support/unprivileged.h).
        writeText(path("locked.csv"), "a,y\n1,2\n");
        fs::permissions(path("locked.csv"), fs::perms::none);
        QVERIFY(bt::testing::shareWithUnprivileged(m_dir.path().toStdString()));
        const auto run = bt::testing::runUnprivileged([&]() -> std::string {
            if (const auto why = bt::testing::notUnreadableReason(path("locked.csv"));
                !why.empty()) {
                return why;
            }
            return inputErrorOf([&] { bt::data::readCsv(path("locked.csv"), "y"); }).toStdString();
        });
        QVERIFY2(run.ran, run.why.c_str());
        qInfo("checked as %s", run.user.c_str());
        BT_VERIFY_MESSAGE(QString::fromStdString(run.output), "locked.csv",
                          "cannot open for reading", "Permission denied");
    }
};

QTEST_GUILESS_MAIN(TestCsvTable)
#include "test_csv_table.moc"
