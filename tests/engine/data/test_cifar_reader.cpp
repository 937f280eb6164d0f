#include <QtTest>

#include <filesystem>

#include "data_fixtures.h"
#include "engine/data/cifar_reader.h"

using namespace fixtures;
namespace fs = std::filesystem;

class TestCifarReader : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    fs::path path(const char* name) const { return fs::path(m_dir.path().toStdString()) / name; }

    // Records with the given labels; pixel p of record r = (r * 7 + p) % 256.
    static Bytes records(const Bytes& labels, std::uint32_t firstRecord = 0) {
        Bytes out;
        for (std::uint32_t r = 0; r < labels.size(); ++r) {
            out.push_back(labels[r]);
            for (std::uint32_t p = 0; p < 3072; ++p) {
                out.push_back(static_cast<std::uint8_t>(((firstRecord + r) * 7 + p) % 256));
            }
        }
        return out;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void roundTripRawAndGzip() {
        writeBytes(path("data_batch_1.bin"), records({3, 9}));
        writeGzip(path("data_batch_2.bin.gz"), records({0}, 2));
        const auto pool =
            bt::data::readCifarPool({path("data_batch_1.bin"), path("data_batch_2.bin.gz")});
        QCOMPARE(pool.size(), 3);
        QCOMPARE(pool.sampleShape, (std::vector<std::int64_t>{3, 32, 32}));
        QCOMPARE(pool.labels, (Bytes{3, 9, 0}));
        QCOMPARE(pool.numClasses, 10);
        QCOMPARE(pool.classNames.at(9), std::string("truck"));
        QCOMPARE(pool.pixels.size(), std::size_t{3 * 3072});
        // Record 1, green plane (offset 1024), first pixel: (1 * 7 + 1024) % 256.
        QCOMPARE(int(pool.pixels[3072 + 1024]), (7 + 1024) % 256);
        QCOMPARE(int(pool.pixels[2 * 3072 + 3071]), (2 * 7 + 3071) % 256);
    }

    void labelAboveNine() {
        writeBytes(path("bad-label.bin"), records({1, 10}));
        BT_VERIFY_MESSAGE(inputErrorOf([&] { bt::data::readCifarPool({path("bad-label.bin")}); }),
                          "bad-label.bin (byte offset 3073)", "label 10 of record 1",
                          "from 0 to 9");
    }

    void sizeNotMultipleOfRecord() {
        Bytes bytes = records({1, 2});
        bytes.resize(bytes.size() + 5, 0);
        writeBytes(path("ragged.bin"), bytes);
        BT_VERIFY_MESSAGE(inputErrorOf([&] { bt::data::readCifarPool({path("ragged.bin")}); }),
                          "ragged.bin (byte offset 6146)", "6151 bytes", "not a multiple of 3073");
        writeGzip(path("ragged.bin.gz"), bytes);
        BT_VERIFY_MESSAGE(inputErrorOf([&] { bt::data::readCifarPool({path("ragged.bin.gz")}); }),
                          "ragged.bin.gz (uncompressed byte offset 6146)", "truncated record 2",
                          "not a multiple of 3073");
    }

    void emptyMissingDirectory() {
        writeBytes(path("empty.bin"), {});
        BT_VERIFY_MESSAGE(inputErrorOf([&] { bt::data::readCifarPool({path("empty.bin")}); }),
                          "empty.bin (byte offset 0)", "empty file", "3073-byte records");
        BT_VERIFY_MESSAGE(inputErrorOf([&] { bt::data::readCifarPool({path("test_batch.bin")}); }),
                          "test_batch.bin", "no such file", "CIFAR-10 binary batch");
        fs::create_directories(path("folder.bin"));
        BT_VERIFY_MESSAGE(inputErrorOf([&] { bt::data::readCifarPool({path("folder.bin")}); }),
                          "folder.bin", "is a directory");
    }
};

QTEST_GUILESS_MAIN(TestCifarReader)
#include "test_cifar_reader.moc"
