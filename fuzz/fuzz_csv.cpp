// libFuzzer target: the CSV path of the data layer, from the text to the three splits
// (readCsv, the class mapping, the table pool, the split plan and standardisation, through
// data::loadDataset). The first two bytes choose the options and split sizes, the rest is the
// file. Bad files and sizes must be core::InputError; the splits must be consistent and finite.

#include <cmath>
#include <cstddef>
#include <cstdint>

#include "engine/core/error.h"
#include "engine/data/load_dataset.h"
#include "fuzz/fuzz_support.h"

namespace {

using bt::fuzz::require;

void checkSplit(const bt::data::Dataset& d, bt::data::Task task) {
    require(d.task == task, "a split of another task");
    require(d.sampleShape.size() == 1, "a CSV sample is a row of features");
    require(d.features->size() == static_cast<std::size_t>(d.size() * d.featureCount()),
            "feature count differs from rows x columns");
    for (const float x : *d.features) {
        require(std::isfinite(x), "a feature that is not finite");
    }
    if (task == bt::data::Task::Classification) {
        require(d.targets.empty(), "regression targets in a classification split");
        for (const auto label : d.labels) {
            require(label >= 0 && label < d.numClasses, "a label outside [0, numClasses)");
        }
    } else {
        require(d.labels.empty(), "class labels in a regression split");
        for (const float y : d.targets) {
            require(std::isfinite(y), "a target that is not finite");
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static bt::fuzz::MemoryFile file("csv");
    if (size < 2) {
        return 0;
    }
    const std::uint8_t options = data[0];
    const std::uint8_t sizes = data[1];
    bt::data::DatasetSpec spec;
    spec.kind = "csv";
    spec.path = file.write(bt::fuzz::bytesOf(data + 2, size - 2));
    spec.task = (options & 1) != 0 ? bt::data::Task::Regression : bt::data::Task::Classification;
    spec.standardize = (options & 2) != 0;
    spec.target = (options & 4) != 0 ? "y" : "";
    spec.seed = options >> 3;
    // Train: 1-8 rows or a range; validation: 0-3 rows; test: the rest.
    spec.train.count = 1 + (sizes & 7);
    if ((sizes & 8) != 0) {
        spec.train.begin = (sizes >> 6) & 3;
    }
    spec.validation.count = (sizes >> 4) & 3;
    spec.test.count = -1;
    try {
        const bt::data::SplitData split = bt::data::loadDataset(spec);
        require(split.train.size() == spec.train.count, "a training split of another size");
        require(split.validation.size() == spec.validation.count,
                "a validation split of another size");
        checkSplit(split.train, spec.task);
        checkSplit(split.validation, spec.task);
        checkSplit(split.test, spec.task);
    } catch (const bt::core::InputError&) {
        // A bad file or sizes the file cannot satisfy, reported as such.
    }
    return 0;
}
