#include "engine/config/run_config.h"

#include <algorithm>
#include <string>

namespace bt::config {

Pools poolsOf(const DatasetConfig& dataset) {
    Pools pools;
    if (dataset.kind && namesItsFiles(*dataset.kind)) {
        const bool onePool = dataset.trainPath.empty();
        pools.validation = (onePool || dataset.validationPath.empty()) ? 0 : 1;
        pools.test = (onePool || dataset.testPath.empty()) ? 0 : 2;
    } else if (dataset.kind == DatasetKind::FashionMnist || dataset.kind == DatasetKind::Cifar10) {
        pools.test = 2;
    }
    return pools;
}

std::array<SplitSize, 3> splitSizes(const DatasetConfig& dataset) {
    const Pools pools = poolsOf(dataset);
    const std::array<int, 3> poolOf{pools.train, pools.validation, pools.test};
    const std::array<std::optional<SplitSize>, 3> given{dataset.train, dataset.validation,
                                                        dataset.test};
    const std::array<SplitSize, 3> shared{std::int64_t{10000}, std::int64_t{5000}, kAllRemaining};
    std::array<SplitSize, 3> out;
    for (std::size_t s = 0; s < 3; ++s) {
        if (given[s]) {
            out[s] = *given[s];
            continue;
        }
        bool alone = poolOf[s] >= 0;
        for (std::size_t other = 0; other < 3; ++other) {
            alone = alone && (other == s || poolOf[other] != poolOf[s]);
        }
        out[s] = alone ? SplitSize{kAllRemaining} : shared[s];
    }
    return out;
}

bool seedDrawsRows(const DatasetConfig& dataset) {
    const auto sizes = splitSizes(dataset);
    return std::any_of(sizes.begin(), sizes.end(), [](const SplitSize& size) {
        const auto* count = std::get_if<std::int64_t>(&size);
        return count != nullptr && *count > 0;
    });
}

std::int64_t splitRows(const SplitSize& size) {
    if (const auto* range = std::get_if<IndexRange>(&size)) {
        return range->end - range->begin;
    }
    return std::get<std::int64_t>(size);
}

int warmSampleEpochs(const BilevelConfig& bilevel, int trainingEpochs) {
    return bilevel.warmSampleEpochs > 0 ? bilevel.warmSampleEpochs
                                        : (trainingEpochs + 2) / 3; // ⌈epochs / 3⌉
}

std::string taskText(const RunConfig& config) {
    const auto& model = config.model;
    std::string text(toString(model.kind));
    if (model.kind == ModelKind::Mlp && !model.hidden.empty()) {
        text += ' ';
        for (std::size_t i = 0; i < model.hidden.size(); ++i) {
            text += (i == 0 ? "" : "-") + std::to_string(model.hidden[i]);
        }
    } else if (model.kind == ModelKind::Torchscript && !model.path.empty()) {
        text += ' ' + model.path.filename().string();
    }
    if (takesWeightInit(model.kind) && model.init != WeightInit::Pytorch) {
        text += " (" + std::string(toString(model.init)) + " init)";
    }
    const auto& data = config.dataset;
    if (!data.kind) {
        return text + " on no dataset";
    }
    text += " on " + std::string(toString(*data.kind));
    const auto& file = data.path.empty() ? data.trainPath : data.path;
    if (namesItsFiles(*data.kind) && !file.empty()) {
        text += ' ' + file.filename().string();
    }
    if (namesItsFiles(*data.kind) && data.task == Task::Regression) {
        // "linear on csv train.csv (regression)": image datasets are classification, as is
        // the default, so only a regression is said.
        text += " (regression)";
    }
    return text;
}

} // namespace bt::config
