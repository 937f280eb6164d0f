#include <QtTest>

#include <filesystem>

#include "data_fixtures.h"
#include "engine/data/class_mapping.h"

using namespace fixtures;
namespace fs = std::filesystem;

class TestClassMapping : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    bt::data::CsvTable table(const char* name, const std::string& text) {
        const fs::path p = fs::path(m_dir.path().toStdString()) / name;
        writeText(p, text);
        return bt::data::readCsv(p, "y");
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void stringLabelsSortedAndSharedAcrossFiles() {
        // The files list the classes in different orders and the validation file lacks one:
        // a per-file mapping would give "dog" different indices.
        const auto train = table("train.csv", "x,y\n1,dog\n2,cat\n3,emu\n4,dog\n");
        const auto validation = table("validation.csv", "x,y\n5,emu\n6,dog\n");
        const auto test = table("test.csv", "x,y\n7,dog\n8,cat\n");
        const auto mapping = bt::data::ClassMapping::fromTable(train);
        QVERIFY(!mapping.numeric());
        QCOMPARE(mapping.classNames(), (std::vector<std::string>{"cat", "dog", "emu"}));
        QCOMPARE(mapping.labelsOf(train), (std::vector<std::int64_t>{1, 0, 2, 1}));
        QCOMPARE(mapping.labelsOf(validation), (std::vector<std::int64_t>{2, 1}));
        QCOMPARE(mapping.labelsOf(test), (std::vector<std::int64_t>{1, 0}));
    }

    void integerLabelsInNumericOrder() {
        const auto train = table("int.csv", "x,y\n1,10\n2,9\n3,+2\n4,10\n");
        const auto other = table("int-other.csv", "x,y\n1,02\n2,9\n");
        const auto mapping = bt::data::ClassMapping::fromTable(train);
        QVERIFY(mapping.numeric());
        QCOMPARE(mapping.classNames(), (std::vector<std::string>{"2", "9", "10"}));
        QCOMPARE(mapping.labelsOf(train), (std::vector<std::int64_t>{2, 1, 0, 2}));
        QCOMPARE(mapping.labelsOf(other), (std::vector<std::int64_t>{0, 1}));
    }

    void unseenClassNamesFileAndLine() {
        const auto train = table("seen.csv", "x,y\n1,cat\n2,dog\n");
        const auto test = table("unseen.csv", "x,y\n1,dog\n22,\"bird\"\n");
        const auto mapping = bt::data::ClassMapping::fromTable(train);
        BT_VERIFY_MESSAGE(inputErrorOf([&] { mapping.labelsOf(test); }), "unseen.csv:3:4",
                          "class 'bird'", "does not occur in the training data",
                          "expected one of 'cat', 'dog'");
        const auto ints = bt::data::ClassMapping::fromTable(table("ints.csv", "x,y\n1,0\n2,1\n"));
        BT_VERIFY_MESSAGE(
            inputErrorOf([&] { ints.labelsOf(table("ints-test.csv", "x,y\n1,1.5\n")); }),
            "ints-test.csv:2:3", "class '1.5'");
    }
};

QTEST_GUILESS_MAIN(TestClassMapping)
#include "test_class_mapping.moc"
