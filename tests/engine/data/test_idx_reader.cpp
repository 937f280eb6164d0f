#include <QtTest>

#include <filesystem>

#include "data_fixtures.h"
#include "engine/data/idx_reader.h"
#include "tests/support/unprivileged.h"

using namespace fixtures;
namespace fs = std::filesystem;

class TestIdxReader : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    fs::path path(const char* name) const { return fs::path(m_dir.path().toStdString()) / name; }

    // 3 images of 2x3 with pixel (i, p) = 10 * i + p.
    static Bytes smallImages() {
        return idxImages(3, 2, 3, [](std::uint32_t i, std::uint32_t p) {
            return static_cast<std::uint8_t>(10 * i + p);
        });
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void roundTripRaw() {
        writeBytes(path("raw-images"), smallImages());
        const auto images = bt::data::readIdxImages(path("raw-images"), 2, 3);
        QCOMPARE(images.count, 3);
        QCOMPARE(images.rows, 2);
        QCOMPARE(images.cols, 3);
        QCOMPARE(images.pixels.size(), std::size_t{18});
        QCOMPARE(int(images.pixels[0]), 0);
        QCOMPARE(int(images.pixels[5]), 5);
        QCOMPARE(int(images.pixels[6]), 10);
        QCOMPARE(int(images.pixels[17]), 25);

        writeBytes(path("raw-labels"), idxLabels({7, 0, 9}));
        const auto labels = bt::data::readIdxLabels(path("raw-labels"), 10, 3);
        QCOMPARE(labels, (Bytes{7, 0, 9}));
    }

    void roundTripGzip() {
        writeGzip(path("gz-images.gz"), smallImages());
        writeGzip(path("gz-labels.gz"), idxLabels({1, 2, 3}));
        const auto pool = bt::data::readIdxPool(path("gz-images.gz"), path("gz-labels.gz"), 2, 3,
                                                {"a", "b", "c", "d"});
        QCOMPARE(pool.size(), 3);
        QCOMPARE(pool.sampleShape, (std::vector<std::int64_t>{1, 2, 3}));
        QCOMPARE(pool.numClasses, 4);
        QCOMPARE(pool.labels, (Bytes{1, 2, 3}));
        const Bytes file = smallImages();
        QCOMPARE(pool.pixels, Bytes(file.begin() + 16, file.end()));
    }

    void anySizeWhenNotRequired() {
        writeBytes(path("any"), idxImages(1, 4, 5, [](auto, auto) { return std::uint8_t{1}; }));
        const auto images = bt::data::readIdxImages(path("any"));
        QCOMPARE(images.rows, 4);
        QCOMPARE(images.cols, 5);
    }

    void wrongMagic() {
        writeBytes(path("labels-as-images"), idxLabels({1, 2}));
        BT_VERIFY_MESSAGE(
            inputErrorOf([&] { bt::data::readIdxImages(path("labels-as-images"), 28, 28); }),
            "labels-as-images (byte offset 0)", "wrong magic number 0x00000801",
            "expected 0x00000803");
    }

    void wrongImageSize() {
        writeGzip(path("big.gz"), idxImages(2, 32, 32, [](auto, auto) { return std::uint8_t{}; }));
        BT_VERIFY_MESSAGE(inputErrorOf([&] { bt::data::readIdxImages(path("big.gz"), 28, 28); }),
                          "big.gz (uncompressed byte offset 8)", "wrong image size 32x32",
                          "expected 28x28");
    }

    void truncatedRaw() {
        Bytes bytes = smallImages();
        bytes.resize(bytes.size() - 4);
        writeBytes(path("cut"), bytes);
        // The header's size is checked against the file before anything is allocated.
        BT_VERIFY_MESSAGE(inputErrorOf([&] { bt::data::readIdxImages(path("cut")); }),
                          "cut (byte offset 16)", "truncated file", "18 bytes", "only 14 bytes");
        Bytes header = smallImages();
        header.resize(10);
        writeBytes(path("cut-header"), header);
        BT_VERIFY_MESSAGE(inputErrorOf([&] { bt::data::readIdxImages(path("cut-header")); }),
                          "cut-header (byte offset 8)", "truncated file", "row count");
    }

    void truncatedGzip() {
        const Bytes whole = gzipped(idxImages(50, 28, 28, [](std::uint32_t i, std::uint32_t p) {
            return static_cast<std::uint8_t>((i * 31 + p * 7) % 251);
        }));
        writeBytes(path("cut.gz"), Bytes(whole.begin(), whole.begin() + whole.size() / 2));
        BT_VERIFY_MESSAGE(inputErrorOf([&] { bt::data::readIdxImages(path("cut.gz"), 28, 28); }),
                          "cut.gz (uncompressed byte offset 16)", "truncated file",
                          "gzip stream is cut off");
    }

    void corruptGzip() {
        Bytes bytes = gzipped(smallImages());
        bytes[bytes.size() - 6] ^= 0xff; // inside the CRC-32 of the gzip trailer
        writeBytes(path("crc.gz"), bytes);
        BT_VERIFY_MESSAGE(inputErrorOf([&] { bt::data::readIdxImages(path("crc.gz")); }),
                          "crc.gz (uncompressed byte offset", "corrupt gzip data");
    }

    void trailingBytes() {
        Bytes bytes = smallImages();
        bytes.push_back(0);
        writeBytes(path("long"), bytes);
        BT_VERIFY_MESSAGE(inputErrorOf([&] { bt::data::readIdxImages(path("long")); }),
                          "long (byte offset 34)", "unexpected data after the last image");
    }

    void absurdCountDoesNotAllocate() {
        Bytes bytes = smallImages();
        bytes[4] = bytes[5] = bytes[6] = bytes[7] = 0xff; // 4294967295 images
        writeBytes(path("huge"), bytes);
        BT_VERIFY_MESSAGE(inputErrorOf([&] { bt::data::readIdxImages(path("huge")); }),
                          "huge (byte offset 16)", "4294967295 images of 2x3");
        writeGzip(path("huge.gz"), bytes);
        BT_VERIFY_MESSAGE(inputErrorOf([&] { bt::data::readIdxImages(path("huge.gz")); }),
                          "huge.gz (uncompressed byte offset 16)", "more than a gzip file");
    }

    void countsDisagree() {
        writeBytes(path("three-images"), smallImages());
        writeGzip(path("two-labels.gz"), idxLabels({1, 2}));
        BT_VERIFY_MESSAGE(inputErrorOf([&] {
                              bt::data::readIdxPool(path("three-images"), path("two-labels.gz"), 2,
                                                    3, {"a", "b", "c"});
                          }),
                          "two-labels.gz (uncompressed byte offset 4)", "declares 2 labels",
                          "expected 3");
    }

    void labelOutOfRange() {
        writeBytes(path("labels-10"), idxLabels({1, 2, 10}));
        BT_VERIFY_MESSAGE(inputErrorOf([&] { bt::data::readIdxLabels(path("labels-10"), 10); }),
                          "labels-10 (byte offset 10)", "label 10 of item 2", "from 0 to 9");
    }

    void emptyFile() {
        writeBytes(path("empty"), {});
        BT_VERIFY_MESSAGE(inputErrorOf([&] { bt::data::readIdxImages(path("empty")); }),
                          "empty (byte offset 0)", "empty file", "IDX image file");
        writeGzip(path("empty.gz"), {});
        BT_VERIFY_MESSAGE(inputErrorOf([&] { bt::data::readIdxLabels(path("empty.gz")); }),
                          "empty.gz (uncompressed byte offset 0)", "truncated file", "magic");
    }

    void directoryMissingUnreadable() {
        const fs::path dir = path("a-folder");
        fs::create_directories(dir);
        BT_VERIFY_MESSAGE(inputErrorOf([&] { bt::data::readIdxImages(dir); }),
                          QString::fromStdString(dir.string()), "is a directory",
                          "expected an IDX image file");
        BT_VERIFY_MESSAGE(inputErrorOf([&] { bt::data::readIdxLabels(path("nowhere.gz")); }),
                          "nowhere.gz", "no such file", "IDX label file");

        // Mode 000 does not stop root, and CI runs the suite as root: the read is tried as an
        // unprivileged user (tests/support/unprivileged.h).
        writeBytes(path("locked"), smallImages());
        fs::permissions(path("locked"), fs::perms::none);
        QVERIFY(bt::testing::shareWithUnprivileged(m_dir.path().toStdString()));
        const auto run = bt::testing::runUnprivileged([&]() -> std::string {
            if (const auto why = bt::testing::notUnreadableReason(path("locked")); !why.empty()) {
                return why;
            }
            return inputErrorOf([&] { bt::data::readIdxImages(path("locked")); }).toStdString();
        });
        QVERIFY2(run.ran, run.why.c_str());
        qInfo("checked as %s", run.user.c_str());
        BT_VERIFY_MESSAGE(QString::fromStdString(run.output), "locked", "cannot open for reading",
                          "Permission denied");
    }
};

QTEST_GUILESS_MAIN(TestIdxReader)
#include "test_idx_reader.moc"
