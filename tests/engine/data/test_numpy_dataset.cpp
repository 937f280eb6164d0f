// dataset.kind numpy (issue 20): .npz archives holding x and y and PREFIX_x.npy / PREFIX_y.npy
// pairs load into the same splits, classes and normalisation as the other kinds, and each bad
// file is refused with the file (and array) named.
#include <QtTest>

#include <QTemporaryDir>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include <zip.h>

#include "engine/core/error.h"
#include "engine/data/load_dataset.h"
#include "engine/data/numpy_reader.h"
#include "tests/support/text_files.h"

namespace fs = std::filesystem;
using bt::data::DatasetSpec;
using bt::data::SplitPart;
using bt::testing::writeText;

namespace {

/// An .npy file's bytes (format 1.0; a header padded to `headerPadding` more spaces).
template <class T>
std::string npy(const std::string& descr, const std::vector<std::int64_t>& shape,
                const std::vector<T>& values, bool fortran = false, std::size_t headerPadding = 0) {
    std::string shapeText = "(";
    for (const auto d : shape) {
        shapeText += std::to_string(d) + ", ";
    }
    if (shape.size() > 1) {
        shapeText.resize(shapeText.size() - 2);
    } else if (shape.size() == 1) {
        shapeText.resize(shapeText.size() - 1);
    }
    shapeText += ")";
    std::string header = "{'descr': '" + descr +
                         "', 'fortran_order': " + (fortran ? "True" : "False") +
                         ", 'shape': " + shapeText + ", }";
    header += std::string(headerPadding, ' ');
    while ((10 + header.size() + 1) % 64 != 0) {
        header += ' ';
    }
    header += '\n';
    std::string out = "\x93NUMPY";
    out += '\x01';
    out += '\x00';
    out += static_cast<char>(header.size() & 0xff);
    out += static_cast<char>(header.size() >> 8);
    out += header;
    out.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
    return out;
}

/// An .npz archive with the given members ("x.npy" → bytes), compressed like savez_compressed.
void writeNpz(const fs::path& path,
              const std::vector<std::pair<std::string, std::string>>& members) {
    int error = 0;
    zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    QVERIFY(archive != nullptr);
    for (const auto& [name, bytes] : members) {
        zip_source_t* source = zip_source_buffer(archive, bytes.data(), bytes.size(), 0);
        QVERIFY(zip_file_add(archive, name.c_str(), source, ZIP_FL_OVERWRITE) >= 0);
    }
    QCOMPARE(zip_close(archive), 0);
}

/// `n` samples of `f` features: sample i, feature j = i + j / 10; labels (i % 3) * 2 + 1 (so
/// classes 1, 3, 5).
std::pair<std::string, std::string> tableArrays(std::int64_t n, std::int64_t f) {
    std::vector<float> x;
    std::vector<std::int64_t> y;
    for (std::int64_t i = 0; i < n; ++i) {
        for (std::int64_t j = 0; j < f; ++j) {
            x.push_back(static_cast<float>(i) + static_cast<float>(j) / 10.0F);
        }
        y.push_back((i % 3) * 2 + 1);
    }
    return {npy("<f4", {n, f}, x), npy("<i8", {n}, y)};
}

DatasetSpec numpySpec(const fs::path& path) {
    DatasetSpec spec;
    spec.kind = "numpy";
    spec.path = path;
    spec.train = SplitPart{20, std::nullopt};
    spec.validation = SplitPart{10, std::nullopt};
    spec.test = SplitPart{-1, std::nullopt};
    spec.standardize = false;
    return spec;
}

/// The message of the core::InputError that loading `spec` throws; empty when none.
QString refusal(const DatasetSpec& spec) {
    try {
        bt::data::loadDataset(spec);
    } catch (const bt::core::InputError& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

} // namespace

class TestNumpyDataset : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    fs::path file(const std::string& name) const {
        return fs::path(m_dir.path().toStdString()) / name;
    }

private Q_SLOTS:
    void anNpzArchiveIsOnePoolForEverySplit() {
        const auto [x, y] = tableArrays(40, 3);
        writeNpz(file("table.npz"), {{"x.npy", x}, {"y.npy", y}});
        const auto data = bt::data::loadDataset(numpySpec(file("table.npz")));
        QCOMPARE(data.train.size(), 20);
        QCOMPARE(data.validation.size(), 10);
        QCOMPARE(data.test.size(), 10);
        QCOMPARE(data.train.sampleShape, (std::vector<std::int64_t>{3}));
        QCOMPARE(data.train.numClasses, 3);
        QCOMPARE(data.train.classNames, (std::vector<std::string>{"1", "3", "5"}));
        // Each sample keeps its label: sample i has feature 0 = i and class index i % 3.
        for (const auto* split : {&data.train, &data.validation, &data.test}) {
            for (std::int64_t s = 0; s < split->size(); ++s) {
                const auto i = static_cast<std::int64_t>((*split->features)[s * 3]);
                QCOMPARE(split->labels[s], i % 3);
                QCOMPARE((*split->features)[s * 3 + 2], static_cast<float>(i) + 0.2F);
            }
        }
    }

    void imageShapedSamplesAreNormalisedPerChannel() {
        // 30 samples of 2 × 2 × 2, float64: channel 0 holds 0, channel 1 holds 10 + sample.
        std::vector<double> x;
        std::vector<std::int32_t> y;
        for (int i = 0; i < 30; ++i) {
            for (int v = 0; v < 4; ++v) {
                x.push_back(0.0);
            }
            for (int v = 0; v < 4; ++v) {
                x.push_back(10.0 + i);
            }
            y.push_back(i % 2);
        }
        writeNpz(file("images.npz"),
                 {{"x.npy", npy("<f8", {30, 2, 2, 2}, x)}, {"y.npy", npy("<i4", {30, 1}, y)}});
        auto spec = numpySpec(file("images.npz"));
        spec.standardize = true;
        const auto data = bt::data::loadDataset(spec);
        QCOMPARE(data.train.sampleShape, (std::vector<std::int64_t>{2, 2, 2}));
        QCOMPARE(data.normalization.mean.size(), std::size_t{2});
        QCOMPARE(data.normalization.mean[0], 0.0F);
        QCOMPARE(data.normalization.stddev[0], 1.0F); // a constant channel
        QVERIFY(data.normalization.mean[1] > 10.0F && data.normalization.stddev[1] > 1.0F);
        // Standardised with the training split's statistics: channel 1 has mean 0 there.
        double sum = 0.0;
        for (std::int64_t s = 0; s < data.train.size(); ++s) {
            for (int v = 4; v < 8; ++v) {
                sum += (*data.train.features)[s * 8 + v];
            }
        }
        QVERIFY(std::abs(sum) < 1e-3);
    }

    void npyPairsAndSeparateFilesWork() {
        const auto [tx, ty] = tableArrays(24, 2);
        const auto [vx, vy] = tableArrays(9, 2);
        const auto [sx, sy] = tableArrays(6, 2);
        writeText(file("train_x.npy"), tx);
        writeText(file("train_y.npy"), ty);
        writeNpz(file("validation.npz"), {{"x.npy", vx}, {"y.npy", vy}});
        writeText(file("test_x.npy"), sx);
        writeText(file("test_y.npy"), sy);
        DatasetSpec spec = numpySpec({});
        spec.trainPath = file("train_y.npy"); // either file of a pair names it
        spec.validationPath = file("validation.npz");
        spec.testPath = file("test_x.npy");
        spec.train = spec.validation = spec.test = SplitPart{-1, std::nullopt};
        const auto data = bt::data::loadDataset(spec);
        QCOMPARE(data.train.size(), 24);
        QCOMPARE(data.validation.size(), 9);
        QCOMPARE(data.test.size(), 6);
    }

    // The .npy header length is little-endian: 128 bytes or more must not be read as negative.
    void longHeadersAreRead() {
        const std::vector<float> x{1.0F, 2.0F, 3.0F, 4.0F};
        const auto array = bt::data::parseNpy(npy("<f4", {2, 2}, x, false, 300), "long.npy", true);
        QCOMPARE(array.shape, (std::vector<std::int64_t>{2, 2}));
        QCOMPARE(array.floats, x);
    }

    void badFilesAreNamedWithWhatIsWrong_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("expected");
        QTest::newRow("integer features") << "int-x.npz"
                                          << "x is int64; expected float32";
        QTest::newRow("counts differ") << "counts.npz"
                                       << "y has 5 values but x has 6";
        QTest::newRow("NaN") << "nan.npz"
                             << "non-finite value";
        QTest::newRow("infinity") << "inf.npz"
                                  << "non-finite value";
        QTest::newRow("float labels") << "float-y.npz"
                                      << "y is float32; classification";
        QTest::newRow("truncated") << "truncated.npz"
                                   << "truncated";
        QTest::newRow("not a zip") << "text.npz"
                                   << "not a NumPy .npz archive";
        QTest::newRow("no y") << "no-y.npz"
                              << "no array 'y'";
        QTest::newRow("big-endian") << "big.npz"
                                    << "big-endian";
        QTest::newRow("fortran") << "fortran.npz"
                                 << "Fortran order";
        QTest::newRow("strings") << "strings.npz"
                                 << "does not read";
        QTest::newRow("not npy") << "garbage.npz"
                                 << "not a NumPy .npy array";
        QTest::newRow("one dimension") << "flat.npz"
                                       << "one row per sample";
        QTest::newRow("missing partner") << "lonely_x.npy"
                                         << "lonely_y.npy";
        QTest::newRow("not a numpy name") << "data.bin"
                                          << "PREFIX_x.npy";
    }
    void badFilesAreNamedWithWhatIsWrong() {
        QFETCH(QString, name);
        QFETCH(QString, expected);
        const std::vector<std::int64_t> labels{0, 1, 2, 0, 1, 2};
        const auto y = npy("<i8", {6}, labels);
        const std::vector<float> good(12, 0.5F);
        std::vector<float> nan = good;
        nan[7] = std::numeric_limits<float>::quiet_NaN();
        std::vector<float> inf = good;
        inf[3] = std::numeric_limits<float>::infinity();
        const std::string goodX = npy("<f4", {6, 2}, good);
        const std::map<QString, std::vector<std::pair<std::string, std::string>>> archives{
            {"int-x.npz",
             {{"x.npy", npy("<i8", {6, 2}, std::vector<std::int64_t>(12, 1))}, {"y.npy", y}}},
            {"counts.npz",
             {{"x.npy", goodX}, {"y.npy", npy("<i8", {5}, std::vector<std::int64_t>(5, 0))}}},
            {"nan.npz", {{"x.npy", npy("<f4", {6, 2}, nan)}, {"y.npy", y}}},
            {"inf.npz", {{"x.npy", npy("<f4", {6, 2}, inf)}, {"y.npy", y}}},
            {"float-y.npz", {{"x.npy", goodX}, {"y.npy", npy("<f4", {6}, good)}}},
            {"truncated.npz", {{"x.npy", goodX.substr(0, goodX.size() - 5)}, {"y.npy", y}}},
            {"no-y.npz", {{"x.npy", goodX}}},
            {"big.npz", {{"x.npy", npy(">f4", {6, 2}, good)}, {"y.npy", y}}},
            {"fortran.npz", {{"x.npy", npy("<f4", {6, 2}, good, true)}, {"y.npy", y}}},
            {"strings.npz", {{"x.npy", npy("<U4", {6, 2}, good)}, {"y.npy", y}}},
            {"garbage.npz", {{"x.npy", std::string("PK not an array")}, {"y.npy", y}}},
            {"flat.npz", {{"x.npy", npy("<f4", {6}, std::vector<float>(6, 1.0F))}, {"y.npy", y}}},
        };
        const auto path = file(name.toStdString());
        if (const auto found = archives.find(name); found != archives.end()) {
            writeNpz(path, found->second);
        } else if (name == "text.npz" || name == "data.bin") {
            writeText(path, "x,y\n1,2\n");
        } else {
            writeText(path, goodX); // lonely_x.npy without its lonely_y.npy
        }
        const QString message = refusal(numpySpec(path));
        QVERIFY2(message.contains(expected), qPrintable(message));
        QVERIFY2(message.contains(QString::fromStdString(path.filename().string())) ||
                     message.contains("lonely"),
                 qPrintable(message));
    }

    void aLabelTheTrainingFileLacksIsNamed() {
        const auto [tx, ty] = tableArrays(12, 2);
        writeNpz(file("train.npz"), {{"x.npy", tx}, {"y.npy", ty}});
        const std::vector<std::int64_t> unseen{1, 3, 7};
        writeNpz(file("test.npz"), {{"x.npy", npy("<f4", {3, 2}, std::vector<float>(6, 0.0F))},
                                    {"y.npy", npy("<i8", {3}, unseen)}});
        DatasetSpec spec = numpySpec({});
        spec.trainPath = file("train.npz");
        spec.testPath = file("test.npz");
        spec.train = SplitPart{8, std::nullopt};
        spec.validation = SplitPart{-1, std::nullopt};
        spec.test = SplitPart{-1, std::nullopt};
        const auto message = refusal(spec);
        QVERIFY2(message.contains("test.npz:y.npy") && message.contains("label 7"),
                 qPrintable(message));

        writeNpz(file("wide.npz"),
                 {{"x.npy", npy("<f4", {3, 3}, std::vector<float>(9, 0.0F))},
                  {"y.npy", npy("<i8", {3}, std::vector<std::int64_t>{1, 3, 5})}});
        spec.testPath = file("wide.npz");
        const auto shape = refusal(spec);
        QVERIFY2(shape.contains("wide.npz") && shape.contains("shape 3") &&
                     shape.contains("shape 2"),
                 qPrintable(shape));
    }
};

QTEST_GUILESS_MAIN(TestNumpyDataset)
#include "test_numpy_dataset.moc"
