#include <QtTest>

#include <QTemporaryDir>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include <sys/stat.h>

#include "engine/config/data_files.h"
#include "engine/config/run_config.h"
#include "tests/support/unprivileged.h"

using bt::config::DatasetConfig;
using bt::config::DatasetKind;

namespace fs = std::filesystem;

namespace {

QStringList problemsOf(const DatasetConfig& dataset, const fs::path& dataDir) {
    QStringList out;
    for (const auto& problem : bt::config::checkDataFiles(dataset, dataDir)) {
        out << QString::fromStdString(problem.toString());
    }
    return out;
}

DatasetConfig csv(const fs::path& path) {
    DatasetConfig d;
    d.kind = DatasetKind::Csv;
    d.path = path;
    d.target = "y";
    return d;
}

} // namespace

/// checkDataFiles: every dataset path that cannot be used, named by its key and resolved file.
class TestDataFiles : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_root = fs::path(m_dir.path().toStdString());
        m_data = m_root / "data";
        fs::create_directories(m_data / "images");
        std::ofstream(m_data / "table.csv") << "x,y\n1,2\n";
        std::ofstream(m_root / "plain-file") << "x";
    }

    void resolvesRelativePathsUnderTheDataFolder() {
        QCOMPARE(bt::config::resolveDataPath("a/b.csv", "/d"), fs::path("/d/a/b.csv"));
        QCOMPARE(bt::config::resolveDataPath("/abs/b.csv", "/d"), fs::path("/abs/b.csv"));
        QCOMPARE(bt::config::resolveDataPath("", "/d"), fs::path());
    }

    void usablePathsHaveNoProblem() {
        QCOMPARE(problemsOf(csv("table.csv"), m_data), QStringList{});
        QCOMPARE(problemsOf(csv(m_data / "table.csv"), "/nowhere"), QStringList{});
        DatasetConfig images;
        images.kind = DatasetKind::Mnist;
        images.path = "images";
        QCOMPARE(problemsOf(images, m_data), QStringList{});
        images.path.clear(); // the standard folder: the data layer's to find
        QCOMPARE(problemsOf(images, "/nowhere"), QStringList{});
    }

    void missingCsvFilesNameKeyAndFile_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("trainPath");
        QTest::addColumn<QString>("validationPath");
        QTest::addColumn<QString>("testPath");
        QTest::addColumn<QStringList>("problems");
        const QString data = QString::fromStdString(m_data.string());
        const QString relative =
            " (a relative path is taken relative to the data folder " + data + ")";
        QTest::newRow("absolute path missing")
            << data + "/gone.csv"
            << ""
            << ""
            << "" << QStringList{"dataset.path: no such file: " + data + "/gone.csv"};
        QTest::newRow("relative path missing")
            << "ridge/gone.csv"
            << ""
            << ""
            << ""
            << QStringList{"dataset.path: no such file: " + data + "/ridge/gone.csv" + relative};
        QTest::newRow("a folder") << ""
                                  << "images"
                                  << ""
                                  << ""
                                  << QStringList{"dataset.train_path: " + data +
                                                 "/images is a folder; expected a CSV file" +
                                                 relative};
        QTest::newRow("every file at once")
            << ""
            << "table.csv"
            << "v.csv"
            << "t.csv"
            << QStringList{"dataset.validation_path: no such file: " + data + "/v.csv" + relative,
                           "dataset.test_path: no such file: " + data + "/t.csv" + relative};
    }

    void missingCsvFilesNameKeyAndFile() {
        QFETCH(QString, path);
        QFETCH(QString, trainPath);
        QFETCH(QString, validationPath);
        QFETCH(QString, testPath);
        QFETCH(QStringList, problems);
        DatasetConfig d = csv(path.toStdString());
        d.trainPath = trainPath.toStdString();
        d.validationPath = validationPath.toStdString();
        d.testPath = testPath.toStdString();
        QCOMPARE(problemsOf(d, m_data), problems);
    }

    // Permission bits do not stop root, and CI runs the suite as root: the check runs as an
    // unprivileged user (tests/support/unprivileged.h), who cannot read a file of mode 000.
    void unreadableCsvFile() {
        QTemporaryDir shared;
        QVERIFY(shared.isValid());
        QVERIFY2(bt::testing::shareWithUnprivileged(shared.path().toStdString()),
                 std::strerror(errno));
        const fs::path data = fs::path(shared.path().toStdString()) / "data";
        fs::create_directories(data);
        QVERIFY(bt::testing::shareWithUnprivileged(data));
        const fs::path locked = data / "locked.csv";
        std::ofstream(locked) << "x,y\n1,2\n";
        QCOMPARE(::chmod(locked.c_str(), 0), 0);
        const auto run = bt::testing::runUnprivileged([&]() -> std::string {
            if (const auto why = bt::testing::notUnreadableReason(locked); !why.empty()) {
                return why;
            }
            return problemsOf(csv(locked), data).join('\n').toStdString();
        });
        QVERIFY2(run.ran, run.why.c_str());
        qInfo("checked as %s", run.user.c_str());
        QCOMPARE(QString::fromStdString(run.output),
                 QString::fromStdString("dataset.path: cannot read " + locked.string() +
                                        " (Permission denied)"));
    }

    void imageFolders() {
        DatasetConfig d;
        d.kind = DatasetKind::FashionMnist;
        d.path = m_root / "no-such-folder";
        QCOMPARE(problemsOf(d, m_data),
                 QStringList{QString::fromStdString(
                     "dataset.path: no such folder: " + (m_root / "no-such-folder").string() +
                     "; expected the folder of the fashion-mnist dataset")});
        d.kind = DatasetKind::Cifar10;
        d.path = m_root / "plain-file";
        QCOMPARE(problemsOf(d, m_data),
                 QStringList{QString::fromStdString(
                     "dataset.path: " + (m_root / "plain-file").string() +
                     " is not a folder; expected the folder of the cifar10 dataset")});
    }

private:
    QTemporaryDir m_dir;
    fs::path m_root;
    fs::path m_data;
};

QTEST_GUILESS_MAIN(TestDataFiles)
#include "test_data_files.moc"
