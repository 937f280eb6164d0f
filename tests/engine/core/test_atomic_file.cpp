// core::writeFileAtomically, the one writer of result.json, the CSV tables, exports and the
// kept models' sidecars: a new file appears whole, an old one is replaced whole or not at all,
// and a failure names the file and leaves no temporary behind.
#include <QtTest>

#include <QTemporaryDir>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "engine/core/atomic_file.h"
#include "engine/core/error.h"
#include "tests/support/child_process.h"
#include "tests/support/text_files.h"

namespace fs = std::filesystem;
using bt::testing::readText;

class TestAtomicFile : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    fs::path root() const { return m_dir.path().toStdString(); }

private Q_SLOTS:
    void writesAndReplacesWhole() {
        const auto file = root() / "new" / "folder" / "result.json";
        bt::core::writeTextAtomically(file, "the result file", "{\"a\": 1}\n");
        QCOMPARE(readText(file), std::string("{\"a\": 1}\n"));
        bt::core::writeTextAtomically(file, "the result file", "{}\n");
        QCOMPARE(readText(file), std::string("{}\n"));
        QVERIFY(!fs::exists(file.string() + ".partial"));
    }

    void aFailingWriterLeavesTheOldFile() {
        const auto file = root() / "kept.txt";
        bt::core::writeTextAtomically(file, "the file", "old");
        try {
            bt::core::writeFileAtomically(file, "the file", [](std::ostream& out) {
                out << "half";
                throw std::runtime_error("the writer failed");
            });
            QFAIL("the writer's error was swallowed");
        } catch (const std::runtime_error&) {
        }
        QCOMPARE(readText(file), std::string("old"));
        QVERIFY(!fs::exists(file.string() + ".partial"));
    }

    void aFullDiskLeavesTheOldFileAndNamesIt() {
        // A write that the disk refuses part way (a file-size limit of 4 KiB in a child process,
        // which fails writes past it with EFBIG as a full disk fails them with ENOSPC).
        const auto file = root() / "full" / "result.json";
        bt::core::writeTextAtomically(file, "the result file", "old");
        const auto run = bt::testing::runWithFileSizeLimit(4096, [&]() -> std::string {
            try {
                bt::core::writeTextAtomically(file, "the result file", std::string(1 << 16, 'x'));
                return "wrote 64 KiB past a 4 KiB limit";
            } catch (const bt::core::InputError& e) {
                return std::string("refused: ") + e.what();
            }
        });
        QVERIFY2(run.ran, run.why.c_str());
        QVERIFY2(run.output.rfind("refused: ", 0) == 0, run.output.c_str());
        QVERIFY2(run.output.find(file.string()) != std::string::npos, run.output.c_str());
        QVERIFY2(run.output.find("writing the result file failed") != std::string::npos,
                 run.output.c_str());
        QCOMPARE(readText(file), std::string("old"));
        QVERIFY(!fs::exists(file.string() + ".partial"));
    }

    void aFolderThatIsAFileIsNamed() {
        const auto blocker = root() / "blocker";
        std::ofstream(blocker) << "x";
        try {
            bt::core::writeTextAtomically(blocker / "out.csv", "the CSV file", "a,b\n");
            QFAIL("wrote below a file");
        } catch (const bt::core::InputError& e) {
            QVERIFY2(std::string(e.what()).find("blocker") != std::string::npos, e.what());
            QVERIFY2(std::string(e.what()).find("cannot create the output folder") !=
                         std::string::npos,
                     e.what());
        }
        try {
            bt::core::writeTextAtomically(root(), "the CSV file", "a,b\n"); // a folder
            QFAIL("wrote over a folder");
        } catch (const bt::core::InputError& e) {
            QVERIFY2(std::string(e.what()).find("the CSV file") != std::string::npos, e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestAtomicFile)
#include "test_atomic_file.moc"
