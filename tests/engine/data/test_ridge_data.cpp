#include <QtTest>

#include <cmath>
#include <filesystem>
#include <string>

#include <QTemporaryDir>

#include "engine/core/error.h"
#include "engine/data/csv_table.h"
#include "engine/data/ridge_data.h"
#include "tests/support/text_files.h"

namespace fs = std::filesystem;

// The ridge task's synthetic data (data::makeRidgeData) and its CSV files (data::writeRidgeCsv),
// which `bilevel-tuner-cli data make-ridge` and the app's form write.
class TestRidgeData : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void aSeedGivesTheSameDataAndAnotherSeedOther() {
        const auto a = bt::data::makeRidgeData(3);
        const auto b = bt::data::makeRidgeData(3);
        const auto c = bt::data::makeRidgeData(4);
        QCOMPARE(a.train.rows, 120);
        QCOMPARE(a.validation.rows, 200);
        QCOMPARE(a.test.rows, 1000);
        QCOMPARE(a.test.features, 60);
        QCOMPARE(a.test.x.size(), std::size_t{60'000});
        QVERIFY(a.train.x == b.train.x && a.test.y == b.test.y);
        QVERIFY(a.train.x != c.train.x && a.train.y != c.train.y);
        // Standard normal features; the target carries the signal of at most 10 coefficients
        // and the noise: its variance is at least the noise's, well below 60 features' worth.
        double sum = 0.0;
        double squares = 0.0;
        for (const double v : a.test.x) {
            sum += v;
            squares += v * v;
        }
        const double n = static_cast<double>(a.test.x.size());
        QVERIFY(std::abs(sum / n) < 0.02);
        QVERIFY(std::abs(squares / n - 1.0) < 0.03);
        double yMean = 0.0;
        for (const double y : a.test.y) {
            yMean += y / 1000.0;
        }
        double yVariance = 0.0;
        for (const double y : a.test.y) {
            yVariance += (y - yMean) * (y - yMean) / 999.0;
        }
        QVERIFY2(yVariance > 0.8 && yVariance < 30.0, qPrintable(QString::number(yVariance)));
    }

    void csvFilesReadBackExactlyAndAreNotOverwritten() {
        QTemporaryDir dir;
        const fs::path folder = fs::path(dir.path().toStdString()) / "made" / "ridge";
        const auto data = bt::data::makeRidgeData(0);
        bt::data::writeRidgeCsv(data, folder, false);
        const auto table = bt::data::readCsv(folder / "validation.csv", "y");
        QCOMPARE(table.rows(), std::int64_t{200});
        QCOMPARE(table.featureNames.size(), std::size_t{60});
        QCOMPARE(table.featureNames.front(), std::string("x0"));
        for (std::size_t i = 0; i < data.validation.y.size(); ++i) {
            QCOMPARE(std::stod(table.targetCells[i]), data.validation.y[i]); // 17 digits
        }
        QCOMPARE(table.features[61], static_cast<float>(data.validation.x[61]));

        // Files in place: refused before anything is written, named; --force replaces all three.
        const auto before = bt::testing::readText(folder / "train.csv");
        const auto other = bt::data::makeRidgeData(1);
        fs::remove(folder / "test.csv");
        try {
            bt::data::writeRidgeCsv(other, folder, false);
            QFAIL("existing files overwritten");
        } catch (const bt::core::InputError& e) {
            QVERIFY2(e.where() == (folder / "train.csv").string(), e.what());
            QVERIFY2(std::string(e.what()).find("--force") != std::string::npos, e.what());
        }
        QCOMPARE(bt::testing::readText(folder / "train.csv"), before);
        QVERIFY(!fs::exists(folder / "test.csv"));
        bt::data::writeRidgeCsv(other, folder, true);
        QVERIFY(bt::testing::readText(folder / "train.csv") != before);
        QVERIFY(fs::exists(folder / "test.csv"));
        // A folder that cannot be made is said, naming it.
        bt::testing::writeText(fs::path(dir.path().toStdString()) / "file", "x");
        QVERIFY_THROWS_EXCEPTION(
            bt::core::InputError,
            bt::data::writeRidgeCsv(data, fs::path(dir.path().toStdString()) / "file" / "r", true));
    }
};

QTEST_GUILESS_MAIN(TestRidgeData)
#include "test_ridge_data.moc"
