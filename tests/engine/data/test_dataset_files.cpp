#include <QtTest>

#include <filesystem>
#include <fstream>

#include "engine/data/dataset_files.h"
#include "engine/data/mnist_converter.h"

namespace fs = std::filesystem;

namespace {

void touch(const fs::path& file) {
    fs::create_directories(file.parent_path());
    std::ofstream(file) << "x";
}

std::vector<std::string> names(const std::vector<bt::data::DataFile>& files) {
    std::vector<std::string> out;
    for (const auto& f : files) {
        out.push_back(f.path.filename().string());
    }
    return out;
}

} // namespace

/// imageDataFiles: the folder and files each image dataset is read from, found without reading.
class TestDatasetFiles : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    fs::path root() const { return fs::path(m_dir.path().toStdString()); }

private Q_SLOTS:
    void idxFilesAreFoundGzippedOrPlain() {
        const fs::path dir = root() / "fm";
        touch(dir / "train-images-idx3-ubyte.gz");
        touch(dir / "train-labels-idx1-ubyte");
        const auto files = bt::data::imageDataFiles("fashion-mnist", dir, root());
        QCOMPARE(files.folder, dir);
        QVERIFY(!files.standardFolder);
        QVERIFY(files.folderFound);
        QCOMPARE(files.files.size(), std::size_t{4});
        QCOMPARE(files.files[0].path, dir / "train-images-idx3-ubyte.gz");
        QCOMPARE(files.files[1].path, dir / "train-labels-idx1-ubyte");
        QVERIFY(!files.complete());
        QCOMPARE(names(files.missing()), (std::vector<std::string>{"t10k-images-idx3-ubyte.gz",
                                                                   "t10k-labels-idx1-ubyte.gz"}));
        const auto problem = files.problem();
        QVERIFY2(problem.find("t10k-labels-idx1-ubyte.gz") != std::string::npos, problem.c_str());
        QVERIFY2(problem.find(dir.string()) != std::string::npos, problem.c_str());
        touch(dir / "t10k-images-idx3-ubyte");
        touch(dir / "t10k-labels-idx1-ubyte.gz");
        const auto all = bt::data::imageDataFiles("fashion-mnist", dir, root());
        QVERIFY(all.complete());
        QVERIFY(all.problem().empty());
    }

    void mnistTakesTheOfficialFilesOrTheConvertedDigits() {
        const fs::path dir = root() / "mnist";
        auto files = bt::data::imageDataFiles("mnist", {}, root());
        QCOMPARE(files.folder, dir);
        QVERIFY(files.standardFolder);
        QVERIFY(!files.folderFound);
        QCOMPARE(files.files.size(), std::size_t{4}); // nothing there: the official layout
        QVERIFY2(files.problem().find(bt::data::kMnistDigitsImagesFile) != std::string::npos,
                 files.problem().c_str());
        touch(dir / bt::data::kMnistDigitsImagesFile);
        files = bt::data::imageDataFiles("mnist", {}, root());
        QCOMPARE(names(files.files), (std::vector<std::string>{bt::data::kMnistDigitsImagesFile,
                                                               bt::data::kMnistDigitsLabelsFile}));
        QCOMPARE(names(files.missing()),
                 (std::vector<std::string>{bt::data::kMnistDigitsLabelsFile}));
        touch(dir / "train-images-idx3-ubyte.gz"); // the official files win
        files = bt::data::imageDataFiles("mnist", {}, root());
        QCOMPARE(files.files.size(), std::size_t{4});
        QCOMPARE(files.missing().size(), std::size_t{3});
    }

    void cifarBatchesMayBeInTheArchivesFolder() {
        const fs::path dir = root() / "cifar10";
        const fs::path nested = dir / "cifar-10-batches-bin";
        for (int i = 1; i <= 5; ++i) {
            touch(nested / ("data_batch_" + std::to_string(i) + ".bin"));
        }
        auto files = bt::data::imageDataFiles("cifar10", {}, root());
        QCOMPARE(files.folder, dir);
        QCOMPARE(files.files.size(), std::size_t{6});
        QCOMPARE(files.files.front().path, nested / "data_batch_1.bin");
        QCOMPARE(names(files.missing()), (std::vector<std::string>{"test_batch.bin"}));
        touch(nested / "test_batch.bin");
        QVERIFY(bt::data::imageDataFiles("cifar10", {}, root()).complete());
    }

    void csvIsNotAnImageDataset() {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 bt::data::imageDataFiles("csv", {}, root()));
    }
};

QTEST_GUILESS_MAIN(TestDatasetFiles)
#include "test_dataset_files.moc"
