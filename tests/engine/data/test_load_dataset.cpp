#include <QtTest>

#include <array>
#include <cmath>
#include <filesystem>
#include <set>

#include <zlib.h>

#include "data_fixtures.h"
#include "engine/core/paths.h"
#include "engine/data/load_dataset.h"
#include "engine/data/mnist_converter.h"

using namespace fixtures;
namespace fs = std::filesystem;
using bt::data::DatasetSpec;
using bt::data::SplitPart;

namespace {

// Images of 28x28 whose pixels all equal `first + i` (image i), labels i % 10: with
// standardize off a sample's feature * 255 gives back its id.
void writeConstantImages(const fs::path& images, const fs::path& labels, std::uint32_t count,
                         std::uint32_t first, bool gzip) {
    const Bytes imageBytes = idxImages(count, 28, 28, [first](std::uint32_t i, std::uint32_t) {
        return static_cast<std::uint8_t>(first + i);
    });
    Bytes labelValues;
    for (std::uint32_t i = 0; i < count; ++i) {
        labelValues.push_back(static_cast<std::uint8_t>(i % 10));
    }
    if (gzip) {
        writeGzip(images, imageBytes);
        writeGzip(labels, idxLabels(labelValues));
    } else {
        writeBytes(images, imageBytes);
        writeBytes(labels, idxLabels(labelValues));
    }
}

// A Fashion-MNIST-like folder: 60 training images (ids 0..59, gzip), 20 test images (ids
// 100..119, uncompressed).
void writeFakeFashion(const fs::path& dir) {
    writeConstantImages(dir / "train-images-idx3-ubyte.gz", dir / "train-labels-idx1-ubyte.gz", 60,
                        0, true);
    writeConstantImages(dir / "t10k-images-idx3-ubyte", dir / "t10k-labels-idx1-ubyte", 20, 100,
                        false);
}

std::vector<int> ids(const bt::data::Dataset& d) {
    std::vector<int> out;
    for (std::int64_t i = 0; i < d.size(); ++i) {
        out.push_back(static_cast<int>(std::lround((*d.features)[i * d.featureCount()] * 255.0F)));
    }
    return out;
}

std::vector<int> iota(int begin, int end) {
    std::vector<int> v;
    for (int i = begin; i < end; ++i) {
        v.push_back(i);
    }
    return v;
}

DatasetSpec spec(const std::string& kind, const fs::path& path, SplitPart train,
                 SplitPart validation, SplitPart test, bool standardize = true) {
    DatasetSpec s;
    s.kind = kind;
    s.path = path;
    s.train = train;
    s.validation = validation;
    s.test = test;
    s.standardize = standardize;
    return s;
}

// Regression on y from the files train.csv, `validation` and test.csv of `dir`.
DatasetSpec regressionFiles(const fs::path& dir, const std::string& validation) {
    DatasetSpec s;
    s.kind = "csv";
    s.task = bt::data::Task::Regression;
    s.target = "y";
    s.trainPath = dir / "train.csv";
    s.validationPath = dir / validation;
    s.testPath = dir / "test.csv";
    return s;
}

} // namespace

class TestLoadDataset : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    fs::path root() const { return fs::path(m_dir.path().toStdString()); }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        writeFakeFashion(root() / "fashion");
    }

    void imageRangesAndNormalisation() {
        // BENCHMARK.md's layout: train = train[0:4], validation = train[50:55], test = t10k.
        const auto d =
            bt::data::loadDataset(spec("fashion-mnist", root() / "fashion", {4, 0}, {5, 50}, {-1}));
        QCOMPARE(d.train.size(), 4);
        QCOMPARE(d.validation.size(), 5);
        QCOMPARE(d.test.size(), 20);
        QCOMPARE(d.train.sampleShape, (std::vector<std::int64_t>{1, 28, 28}));
        QCOMPARE(d.train.featureCount(), 784);
        QCOMPARE(d.train.features->size(), std::size_t{4 * 784});
        QCOMPARE(d.train.labels, (std::vector<std::int64_t>{0, 1, 2, 3}));
        QCOMPARE(d.validation.labels, (std::vector<std::int64_t>{0, 1, 2, 3, 4}));
        QCOMPARE(d.train.numClasses, 10);
        QCOMPARE(d.test.classNames.at(9), std::string("Ankle boot"));

        // By hand: training pixels 0, 1, 2, 3 (/255): mean 1.5/255, population variance
        // (1.5² + 0.5² + 0.5² + 1.5²)/4 = 1.25 (/255²), so stddev sqrt(1.25)/255.
        const double mean = 1.5 / 255.0;
        const double stddev = std::sqrt(1.25) / 255.0;
        QCOMPARE(d.normalization.mean.size(), std::size_t{1});
        QVERIFY(std::abs(d.normalization.mean[0] - mean) < 1e-7);
        QVERIFY(std::abs(d.normalization.stddev[0] - stddev) < 1e-7);
        // (3 - 1.5) / sqrt(1.25) for image 3; validation and test use the training statistics.
        QVERIFY(std::abs((*d.train.features)[3 * 784 + 100] - 1.5 / std::sqrt(1.25)) < 1e-4);
        QVERIFY(std::abs((*d.validation.features)[0] - 48.5 / std::sqrt(1.25)) < 1e-3);
        QVERIFY(std::abs((*d.test.features)[19 * 784 + 783] - 117.5 / std::sqrt(1.25)) < 1e-3);
        QVERIFY(d.description.find("train 4, validation 5, test 20") != std::string::npos);
    }

    void randomDrawsDisjointAndDeterministic() {
        auto s = spec("fashion-mnist", root() / "fashion", {20}, {10}, {5}, false);
        s.seed = 3;
        const auto a = bt::data::loadDataset(s);
        const auto b = bt::data::loadDataset(s);
        s.seed = 4;
        const auto c = bt::data::loadDataset(s);
        QCOMPARE(ids(a.train), ids(b.train));
        QCOMPARE(ids(a.validation), ids(b.validation));
        QCOMPARE(ids(a.test), ids(b.test));
        QVERIFY(ids(a.train) != ids(c.train));
        QVERIFY(a.normalization.mean.empty());

        std::set<int> trainPool;
        for (const auto& split : {a.train, a.validation}) {
            for (const int id : ids(split)) {
                QVERIFY(id >= 0 && id < 60);
                QVERIFY2(trainPool.insert(id).second, "train and validation overlap");
            }
        }
        QCOMPARE(trainPool.size(), std::size_t{30});
        QCOMPARE(a.test.size(), 5);
        for (const int id : ids(a.test)) {
            QVERIFY(id >= 100 && id < 120);
        }
        // Labels travel with their images.
        for (std::int64_t i = 0; i < a.train.size(); ++i) {
            QCOMPARE(a.train.labels[static_cast<std::size_t>(i)],
                     std::int64_t{ids(a.train)[static_cast<std::size_t>(i)] % 10});
        }
    }

    void channelStatisticsOfVaryingImages() {
        // Pixels vary within and across images; the expectation is a plain double loop.
        const fs::path dir = root() / "varying";
        auto pixel = [](std::uint32_t i, std::uint32_t p) {
            return static_cast<std::uint8_t>((i * 37 + p * 11) % 256);
        };
        writeBytes(dir / "train-images-idx3-ubyte", idxImages(12, 28, 28, pixel));
        writeBytes(dir / "train-labels-idx1-ubyte", idxLabels(Bytes(12, 1)));
        writeBytes(dir / "t10k-images-idx3-ubyte", idxImages(1, 28, 28, pixel));
        writeBytes(dir / "t10k-labels-idx1-ubyte", idxLabels(Bytes(1, 1)));
        const auto d = bt::data::loadDataset(spec("mnist", dir, {-1}, {0}, {-1}));
        double sum = 0;
        double squares = 0;
        for (std::uint32_t i = 0; i < 12; ++i) {
            for (std::uint32_t p = 0; p < 784; ++p) {
                sum += pixel(i, p) / 255.0;
            }
        }
        const double mean = sum / (12 * 784);
        for (std::uint32_t i = 0; i < 12; ++i) {
            for (std::uint32_t p = 0; p < 784; ++p) {
                squares += std::pow(pixel(i, p) / 255.0 - mean, 2);
            }
        }
        const double stddev = std::sqrt(squares / (12 * 784));
        QVERIFY(std::abs(d.normalization.mean[0] - mean) < 1e-6);
        QVERIFY(std::abs(d.normalization.stddev[0] - stddev) < 1e-6);
        QVERIFY(std::abs((*d.train.features)[5] - (pixel(0, 5) / 255.0 - mean) / stddev) < 1e-5);
    }

    void mnistDigitsAreOnePool() {
        const fs::path dir = root() / "digits";
        writeConstantImages(dir / bt::data::kMnistDigitsImagesFile,
                            dir / bt::data::kMnistDigitsLabelsFile, 30, 0, true);
        // mnist-mlp-1k's layout, scaled down: the first 6 / next 4, test the rest.
        const auto ranged = bt::data::loadDataset(spec("mnist", dir, {6, 0}, {4, 6}, {-1}, false));
        QCOMPARE(ids(ranged.train), iota(0, 6));
        QCOMPARE(ids(ranged.validation), iota(6, 10));
        QCOMPARE(ids(ranged.test), iota(10, 30));
        // Random draws: three disjoint parts of the one pool.
        const auto drawn = bt::data::loadDataset(spec("mnist", dir, {10}, {10}, {-1}, false));
        std::set<int> all;
        for (const auto& split : {drawn.train, drawn.validation, drawn.test}) {
            QCOMPARE(split.size(), 10);
            for (const int id : ids(split)) {
                all.insert(id);
            }
        }
        QCOMPARE(all.size(), std::size_t{30});
    }

    void mnistPrefersOfficialFiles() {
        const fs::path dir = root() / "both";
        writeConstantImages(dir / bt::data::kMnistDigitsImagesFile,
                            dir / bt::data::kMnistDigitsLabelsFile, 30, 0, true);
        writeConstantImages(dir / "train-images-idx3-ubyte.gz", dir / "train-labels-idx1-ubyte.gz",
                            8, 200, true);
        writeConstantImages(dir / "t10k-images-idx3-ubyte.gz", dir / "t10k-labels-idx1-ubyte.gz", 3,
                            220, true);
        const auto d = bt::data::loadDataset(spec("mnist", dir, {-1}, {0}, {-1}, false));
        QCOMPARE(ids(d.train), iota(200, 208));
        QCOMPARE(ids(d.test), iota(220, 223));
        QCOMPARE(d.train.classNames.at(3), std::string("3"));
    }

    void cifarFolder() {
        // Records r = 0..9 in five training batches, 3 in the test batch; channel c of record r
        // is all 10 * c + r.
        const fs::path dir = root() / "cifar" / "cifar-10-batches-bin";
        auto batch = [](std::uint32_t first, std::uint32_t count, std::uint8_t label) {
            Bytes out;
            for (std::uint32_t r = first; r < first + count; ++r) {
                out.push_back(label);
                for (std::uint32_t c = 0; c < 3; ++c) {
                    out.insert(out.end(), 1024, static_cast<std::uint8_t>(10 * c + r));
                }
            }
            return out;
        };
        for (std::uint32_t b = 1; b <= 5; ++b) {
            writeBytes(dir / ("data_batch_" + std::to_string(b) + ".bin"),
                       batch(2 * (b - 1), 2, static_cast<std::uint8_t>(b)));
        }
        writeBytes(dir / "test_batch.bin", batch(0, 3, 9));
        const auto d = bt::data::loadDataset(spec("cifar10", root() / "cifar", {-1}, {0}, {-1}));
        QCOMPARE(d.train.size(), 10);
        QCOMPARE(d.test.size(), 3);
        QCOMPARE(d.train.sampleShape, (std::vector<std::int64_t>{3, 32, 32}));
        QCOMPARE(d.train.labels[9], std::int64_t{5});
        QCOMPARE(d.normalization.mean.size(), std::size_t{3});
        // By hand: channel c takes 10c + 0..9, mean 10c + 4.5, population variance 8.25.
        for (int c = 0; c < 3; ++c) {
            QVERIFY(std::abs(d.normalization.mean[c] - (10 * c + 4.5) / 255.0) < 1e-6);
            QVERIFY(std::abs(d.normalization.stddev[c] - std::sqrt(8.25) / 255.0) < 1e-6);
        }
        // Record 0, blue plane: (20 - 24.5) / sqrt(8.25).
        QVERIFY(std::abs((*d.train.features)[2048] - (-4.5 / std::sqrt(8.25))) < 1e-4);

        writeBytes(dir / "data_batch_3.bin", batch(4, 2, 11));
        BT_VERIFY_MESSAGE(
            inputErrorOf(
                [&] { bt::data::loadDataset(spec("cifar10", root() / "cifar", {-1}, {0}, {-1})); }),
            "data_batch_3.bin (byte offset 0)", "label 11");
    }

    // A split's fingerprint: its row count and the CRC-32 of its rows as read (the bytes of
    // each image, row after row), then their labels, then the class names each with a zero
    // after it. The same rows give the same fingerprint whatever the normalisation; other rows
    // or another file's contents give another.
    void fingerprintsSeeTheRowsAsRead() {
        auto s = spec("fashion-mnist", root() / "fashion", {20}, {10}, {3, 0}, true);
        s.seed = 3;
        const auto a = bt::data::loadDataset(s);
        s.standardize = false;
        const auto raw = bt::data::loadDataset(s);
        s.seed = 4;
        const auto other = bt::data::loadDataset(s);
        for (std::size_t i = 0; i < 3; ++i) {
            QVERIFY(a.fingerprints[i] == raw.fingerprints[i]);
        }
        QCOMPARE(a.fingerprints[0].rows, 20);
        QCOMPARE(a.fingerprints[1].rows, 10);
        QVERIFY(!(a.fingerprints[0] == other.fingerprints[0]));
        QVERIFY(!(a.fingerprints[1] == other.fingerprints[1]));
        QVERIFY(!(a.fingerprints[0] == a.fingerprints[1]));

        // By the definition: the test split is t10k's images 100, 101, 102 (every pixel its id),
        // labels 0, 1, 2.
        std::vector<unsigned char> bytes;
        for (int id = 100; id < 103; ++id) {
            bytes.insert(bytes.end(), 784, static_cast<unsigned char>(id));
        }
        for (unsigned char label = 0; label < 3; ++label) {
            bytes.push_back(label);
        }
        for (const auto& name : a.test.classNames) {
            bytes.insert(bytes.end(), name.begin(), name.end());
            bytes.push_back(0);
        }
        const auto crc = crc32(crc32(0L, Z_NULL, 0), bytes.data(), static_cast<uInt>(bytes.size()));
        QCOMPARE(a.fingerprints[2].rows, 3);
        QCOMPARE(a.fingerprints[2].crc32, static_cast<std::uint32_t>(crc));

        // Files of one's own: one value of the test file changed changes the test split's alone.
        const fs::path dir = root() / "csv-fingerprint";
        writeText(dir / "train.csv", "a,y\n1,0.5\n2,1.5\n3,2.5\n");
        writeText(dir / "validation.csv", "a,y\n4,3.5\n");
        writeText(dir / "test.csv", "a,y\n5,4.5\n6,5.5\n");
        const auto files = regressionFiles(dir, "validation.csv");
        const auto before = bt::data::loadDataset(files);
        writeText(dir / "test.csv", "a,y\n5,4.5\n6,5.25\n"); // one target
        const auto after = bt::data::loadDataset(files);
        QVERIFY(before.fingerprints[0] == after.fingerprints[0]);
        QVERIFY(before.fingerprints[1] == after.fingerprints[1]);
        QVERIFY(!(before.fingerprints[2] == after.fingerprints[2]));
        QCOMPARE(after.fingerprints[2].rows, 2);
    }

    void csvFilesShareClassesAndStatistics() {
        const fs::path dir = root() / "csv";
        writeText(dir / "train.csv", "a,b,kind\n1,10,dog\n2,10,cat\n3,10,dog\n6,10,emu\n");
        writeText(dir / "validation.csv", "a,b,kind\n0,1,emu\n");
        writeText(dir / "test.csv", "a,b,kind\n5,20,cat\n4,0,dog\n");
        DatasetSpec s;
        s.kind = "csv";
        s.trainPath = dir / "train.csv";
        s.validationPath = dir / "validation.csv";
        s.testPath = dir / "test.csv";
        s.target = "kind";
        const auto d = bt::data::loadDataset(s);
        QCOMPARE(d.train.size(), 4);
        QCOMPARE(d.validation.size(), 1);
        QCOMPARE(d.test.size(), 2);
        QCOMPARE(d.train.classNames, (std::vector<std::string>{"cat", "dog", "emu"}));
        QCOMPARE(d.train.labels, (std::vector<std::int64_t>{1, 0, 1, 2}));
        QCOMPARE(d.validation.labels, (std::vector<std::int64_t>{2}));
        QCOMPARE(d.test.labels, (std::vector<std::int64_t>{0, 1}));
        QCOMPARE(d.test.numClasses, 3);
        QCOMPARE(d.train.featureNames, (std::vector<std::string>{"a", "b"}));
        QCOMPARE(d.train.sampleShape, (std::vector<std::int64_t>{2}));
        // By hand: a = 1, 2, 3, 6: mean 3, population variance (4 + 1 + 0 + 9) / 4 = 3.5.
        // b is constant: stddev 1, so it maps to 0 in training.
        QCOMPARE(d.normalization.mean, (std::vector<float>{3.0F, 10.0F}));
        QVERIFY(std::abs(d.normalization.stddev[0] - std::sqrt(3.5)) < 1e-6);
        QCOMPARE(d.normalization.stddev[1], 1.0F);
        QVERIFY(std::abs((*d.train.features)[6] - 3.0 / std::sqrt(3.5)) < 1e-6);
        QCOMPARE((*d.train.features)[7], 0.0F);
        QVERIFY(std::abs((*d.test.features)[0] - 2.0 / std::sqrt(3.5)) < 1e-6);
        QCOMPARE((*d.test.features)[1], 10.0F);

        writeText(dir / "test-new-class.csv", "a,b,kind\n5,20,cat\n4,0,yak\n");
        s.testPath = dir / "test-new-class.csv";
        BT_VERIFY_MESSAGE(inputErrorOf([&] { bt::data::loadDataset(s); }), "test-new-class.csv:3:5",
                          "class 'yak'");
        writeText(dir / "test-other-columns.csv", "a,c,kind\n5,20,cat\n");
        s.testPath = dir / "test-other-columns.csv";
        BT_VERIFY_MESSAGE(inputErrorOf([&] { bt::data::loadDataset(s); }),
                          "test-other-columns.csv:1", "column 2 is 'c'", "expected 'b'");
    }

    void csvRegressionKeepsTargets() {
        const fs::path file = root() / "ridge.csv";
        writeText(file, "x1,x2,y\n"
                        "1,-1,0.5\n2,-2,1.5\n3,-3,2.5\n4,-4,3.5\n"
                        "10,0,-7\n20,0,8\n");
        DatasetSpec s = spec("csv", file, {4, 0}, {1, 4}, {1, 5});
        s.task = bt::data::Task::Regression;
        s.target = "y";
        const auto d = bt::data::loadDataset(s);
        QVERIFY(d.train.task == bt::data::Task::Regression);
        QCOMPARE(d.train.targets, (std::vector<float>{0.5F, 1.5F, 2.5F, 3.5F}));
        QCOMPARE(d.validation.targets, (std::vector<float>{-7.0F}));
        QCOMPARE(d.test.targets, (std::vector<float>{8.0F}));
        QVERIFY(d.train.labels.empty());
        QCOMPARE(d.train.numClasses, 0);
        // By hand: x1 = 1..4, mean 2.5, variance 1.25; x2 = -x1.
        QCOMPARE(d.normalization.mean, (std::vector<float>{2.5F, -2.5F}));
        QVERIFY(std::abs(d.normalization.stddev[0] - std::sqrt(1.25)) < 1e-6);
        QVERIFY(std::abs((*d.validation.features)[0] - 7.5 / std::sqrt(1.25)) < 1e-5);

        s.standardize = false;
        const auto raw = bt::data::loadDataset(s);
        QCOMPARE(*raw.test.features, (std::vector<float>{20.0F, 0.0F}));
        QVERIFY(raw.normalization.mean.empty());
    }

    // Found by fuzz/fuzz_csv: one training row (a constant column, stddev 1 by convention) and a
    // test value 6.8e38 away standardise beyond the float range. That is an input error naming
    // the feature and the row, not a non-finite feature.
    void standardisingBeyondTheFloatRangeIsAnInputError() {
        const fs::path dir = root() / "csv-far";
        writeText(dir / "train.csv", "w,y\n3.4e38,1\n");
        writeText(dir / "test.csv", "w,y\n1,2\n-3.4e38,3\n");
        auto s = regressionFiles(dir, "train.csv");
        s.validation = {0};
        BT_VERIFY_MESSAGE(inputErrorOf([&] { bt::data::loadDataset(s); }), "dataset.standardize",
                          "feature 'w'", "test.csv (row 2 of its data, in the test split)",
                          "float range");
        s.standardize = false; // as read, every value is a float
        const auto raw = bt::data::loadDataset(s);
        QCOMPARE(raw.test.size(), 2);
    }

    void badSpecs() {
        const fs::path fashion = root() / "fashion";
        BT_VERIFY_MESSAGE(
            inputErrorOf(
                [&] { bt::data::loadDataset(spec("fashion-mnist", fashion, {61}, {0}, {-1})); }),
            "dataset.train", "asks for 61 samples, but only 60 are available", "training files");
        BT_VERIFY_MESSAGE(
            inputErrorOf(
                [&] { bt::data::loadDataset(spec("fashion-mnist", fashion, {10}, {0}, {21})); }),
            "dataset.test", "only 20 are available", "t10k");
        BT_VERIFY_MESSAGE(inputErrorOf([&] {
                              bt::data::loadDataset(spec("fashion-mnist", fashion, {0}, {0}, {-1}));
                          }),
                          "dataset.train", "training split is empty");
        BT_VERIFY_MESSAGE(
            inputErrorOf([&] { bt::data::loadDataset(spec("svhn", fashion, {1}, {0}, {-1})); }),
            "dataset.kind", "unknown kind 'svhn'");
        auto regression = spec("mnist", fashion, {1}, {0}, {-1});
        regression.task = bt::data::Task::Regression;
        BT_VERIFY_MESSAGE(inputErrorOf([&] { bt::data::loadDataset(regression); }), "dataset.task",
                          "csv and numpy datasets only");
        auto csvPaths = spec("csv", fashion, {1}, {0}, {-1});
        csvPaths.trainPath = fashion;
        BT_VERIFY_MESSAGE(inputErrorOf([&] { bt::data::loadDataset(csvPaths); }), "dataset.path",
                          "both path and train_path");
        BT_VERIFY_MESSAGE(
            inputErrorOf([&] { bt::data::loadDataset(spec("csv", fashion, {1}, {0}, {-1})); }),
            "fashion", "is a directory", "CSV file");
    }

    void badFolders() {
        BT_VERIFY_MESSAGE(inputErrorOf([&] {
                              bt::data::loadDataset(
                                  spec("fashion-mnist", root() / "nowhere", {1}, {0}, {-1}));
                          }),
                          "nowhere", "no such folder", "dataset.path");
        fs::create_directories(root() / "empty-mnist");
        BT_VERIFY_MESSAGE(inputErrorOf([&] {
                              bt::data::loadDataset(
                                  spec("mnist", root() / "empty-mnist", {1}, {0}, {-1}));
                          }),
                          "empty-mnist", "no MNIST files", "digits-images-idx3-ubyte.gz");
        const fs::path partial = root() / "partial";
        writeConstantImages(partial / "train-images-idx3-ubyte.gz",
                            partial / "train-labels-idx1-ubyte.gz", 5, 0, true);
        BT_VERIFY_MESSAGE(inputErrorOf([&] {
                              bt::data::loadDataset(spec("fashion-mnist", partial, {1}, {0}, {-1}));
                          }),
                          "t10k-images-idx3-ubyte.gz", "no such file");
        const fs::path wide = root() / "wide";
        writeFakeFashion(wide);
        writeGzip(wide / "train-images-idx3-ubyte.gz",
                  idxImages(60, 32, 32, [](auto, auto) { return std::uint8_t{}; }));
        BT_VERIFY_MESSAGE(inputErrorOf([&] {
                              bt::data::loadDataset(spec("fashion-mnist", wide, {1}, {0}, {-1}));
                          }),
                          "train-images-idx3-ubyte.gz (uncompressed byte offset 8)",
                          "wrong image size 32x32; expected 28x28");
        writeText(root() / "a-file", "x");
        BT_VERIFY_MESSAGE(
            inputErrorOf(
                [&] { bt::data::loadDataset(spec("cifar10", root() / "a-file", {1}, {0}, {-1})); }),
            "a-file", "is not a folder");
    }

    void defaultFolders() {
        const QByteArray saved = qgetenv("BILEVEL_TUNER_DATA_DIR");
        qputenv("BILEVEL_TUNER_DATA_DIR", QByteArray::fromStdString(root().string()));
        DatasetSpec s;
        s.kind = "mnist";
        QCOMPARE(bt::data::datasetFolder(s), root() / "mnist");
        s.kind = "cifar10";
        QCOMPARE(bt::data::datasetFolder(s), root() / "cifar10");
        s.kind = "fashion-mnist";
        const bool system =
            fs::exists(fs::path(bt::data::kSystemFashionMnistDir) / "train-images-idx3-ubyte.gz");
        QCOMPARE(bt::data::datasetFolder(s),
                 system ? fs::path(bt::data::kSystemFashionMnistDir) : root() / "fashion-mnist");
        s.path = "/some/where";
        QCOMPARE(bt::data::datasetFolder(s), fs::path("/some/where"));
        if (saved.isEmpty()) {
            qunsetenv("BILEVEL_TUNER_DATA_DIR");
        } else {
            qputenv("BILEVEL_TUNER_DATA_DIR", saved);
        }
    }

    void realFashionMnist() {
        if (!fs::exists(fs::path(bt::data::kSystemFashionMnistDir) / "t10k-labels-idx1-ubyte.gz")) {
            QSKIP("Fashion-MNIST is not installed in /usr/share/datasets/fashion-mnist");
        }
        DatasetSpec s;
        s.kind = "fashion-mnist";
        s.train = {-1};
        s.validation = {0};
        s.test = {-1};
        const auto d = bt::data::loadDataset(s);
        QCOMPARE(d.train.size(), 60000);
        QCOMPARE(d.test.size(), 10000);
        std::array<int, 10> trainCounts{};
        std::array<int, 10> testCounts{};
        for (const auto l : d.train.labels) {
            QVERIFY(l >= 0 && l <= 9);
            ++trainCounts[static_cast<std::size_t>(l)];
        }
        for (const auto l : d.test.labels) {
            QVERIFY(l >= 0 && l <= 9);
            ++testCounts[static_cast<std::size_t>(l)];
        }
        for (int c = 0; c < 10; ++c) { // the set is balanced
            QCOMPARE(trainCounts[static_cast<std::size_t>(c)], 6000);
            QCOMPARE(testCounts[static_cast<std::size_t>(c)], 1000);
        }
        // The commonly quoted statistics of the training images: mean 0.2860, std 0.3530.
        QVERIFY(std::abs(d.normalization.mean[0] - 0.2860) < 5e-4);
        QVERIFY(std::abs(d.normalization.stddev[0] - 0.3530) < 5e-4);
        double sum = 0.0;
        for (const float x : *d.train.features) {
            sum += x;
        }
        QVERIFY(std::abs(sum / static_cast<double>(d.train.features->size())) < 1e-4);
    }

    void realMnistDigits() {
        const fs::path dir = bt::core::dataDir() / "mnist";
        if (!fs::exists(dir / bt::data::kMnistDigitsImagesFile)) {
            QSKIP(
                "no converted MNIST digits in <data dir>/mnist (bilevel-tuner-cli convert-mnist)");
        }
        if (fs::exists(dir / "train-images-idx3-ubyte.gz") ||
            fs::exists(dir / "train-images-idx3-ubyte")) {
            QSKIP("the official MNIST files take precedence over the converted digits here");
        }
        DatasetSpec s;
        s.kind = "mnist";
        s.train = {600, 0};
        s.validation = {400, 600};
        s.test = {-1};
        const auto d = bt::data::loadDataset(s);
        QCOMPARE(d.train.size(), 600);
        QCOMPARE(d.validation.size(), 400);
        QCOMPARE(d.test.size(), 9000);
        std::set<std::int64_t> classes(d.train.labels.begin(), d.train.labels.end());
        QCOMPARE(classes.size(), std::size_t{10});
        classes = {d.validation.labels.begin(), d.validation.labels.end()};
        QCOMPARE(classes.size(), std::size_t{10});
    }
};

QTEST_GUILESS_MAIN(TestLoadDataset)
#include "test_load_dataset.moc"
