#include "engine/data/load_dataset.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/core/paths.h"
#include "engine/data/cifar_reader.h"
#include "engine/data/class_mapping.h"
#include "engine/data/csv_table.h"
#include "engine/data/idx_reader.h"
#include "engine/data/image_pool.h"
#include "engine/data/mnist_converter.h"
#include "engine/data/numpy_reader.h"
#include "engine/data/split_plan.h"
#include "engine/data/table_pool.h"

#include <zlib.h>

namespace bt::data {

namespace {

namespace fs = std::filesystem;

constexpr std::array<const char*, 3> kSplitNames = {"train", "validation", "test"};

const std::vector<std::string>& fashionMnistClassNames() {
    static const std::vector<std::string> names = {
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
    return names;
}

const std::vector<std::string>& digitClassNames() {
    static const std::vector<std::string> names = {"0", "1", "2", "3", "4",
                                                   "5", "6", "7", "8", "9"};
    return names;
}

// BASE.gz when present, else BASE when present, else empty.
// The first file of `files` that is missing, as an error naming it (before any file is read, so
// that a missing file is reported before a long read and always the first missing one).
void requireFiles(const ImageDataFiles& files) {
    for (const auto& file : files.files) {
        if (!file.present) {
            throw core::InputError(file.path.string(), "no such file; expected " + file.name +
                                                           ".gz or " + file.name + " of the " +
                                                           files.kind + " dataset in " +
                                                           files.folder.string());
        }
    }
}

void requireFolder(const fs::path& dir, const std::string& kind, const std::string& contents) {
    std::error_code ec;
    const auto status = fs::status(dir, ec);
    if (!fs::exists(status)) {
        throw core::InputError(dir.string(), "no such folder; expected the " + kind +
                                                 " dataset here (" + contents +
                                                 "), or set dataset.path to where it is");
    }
    if (!fs::is_directory(status)) {
        throw core::InputError(dir.string(), "is not a folder; expected a folder with " + contents);
    }
}

std::string joinFloats(const std::vector<float>& values) {
    std::string text;
    for (const auto v : values) {
        std::array<char, 32> buffer{};
        std::snprintf(buffer.data(), buffer.size(), "%.4g", static_cast<double>(v));
        text += (text.empty() ? "" : ", ") + std::string(buffer.data());
    }
    return "[" + text + "]";
}

std::string shapeText(const std::vector<std::int64_t>& shape) {
    std::string text;
    for (const auto d : shape) {
        text += (text.empty() ? "" : "x") + std::to_string(d);
    }
    return text;
}

// A pool of samples and the name it goes by in messages.
template <class Pool>
struct NamedPool {
    Pool pool;
    std::string name;
};

Normalization statistics(const ImagePool& pool, const std::vector<std::int64_t>& rows) {
    return pool.channelStatistics(rows);
}

Normalization statistics(const TablePool& pool, const std::vector<std::int64_t>& rows) {
    return pool.featureStatistics(rows);
}

// CRC-32 of `values`' rows `rows` (perRow values each), in that order, continuing `crc`.
template <class T>
uLong crcOfRows(uLong crc, const std::vector<T>& values, std::size_t perRow,
                const std::vector<std::int64_t>& rows) {
    const auto bytes = static_cast<uInt>(perRow * sizeof(T));
    for (const auto row : rows) {
        const T* first = values.data() + static_cast<std::size_t>(row) * perRow;
        crc = crc32(crc, reinterpret_cast<const Bytef*>(first), bytes);
    }
    return crc;
}

uLong crcOfNames(uLong crc, const std::vector<std::string>& names) {
    for (const auto& name : names) {
        // With its terminating zero, so that {"ab", "c"} and {"a", "bc"} differ.
        crc = crc32(crc, reinterpret_cast<const Bytef*>(name.c_str()),
                    static_cast<uInt>(name.size() + 1));
    }
    return crc;
}

SplitFingerprint fingerprint(const ImagePool& pool, const std::vector<std::int64_t>& rows) {
    auto crc = crcOfRows(crc32(0L, Z_NULL, 0), pool.pixels,
                         static_cast<std::size_t>(pool.sampleSize()), rows);
    crc = crcOfRows(crc, pool.labels, 1, rows);
    crc = crcOfNames(crc, pool.classNames);
    return {static_cast<std::int64_t>(rows.size()), static_cast<std::uint32_t>(crc)};
}

SplitFingerprint fingerprint(const TablePool& pool, const std::vector<std::int64_t>& rows) {
    auto crc = crcOfRows(crc32(0L, Z_NULL, 0), pool.features,
                         static_cast<std::size_t>(pool.featureCount()), rows);
    crc = pool.labels.empty() ? crcOfRows(crc, pool.targets, 1, rows)
                              : crcOfRows(crc, pool.labels, 1, rows);
    crc = crcOfNames(crc, pool.classNames);
    return {static_cast<std::int64_t>(rows.size()), static_cast<std::uint32_t>(crc)};
}

// With the training split's statistics, a validation or test value far outside the training
// split's spread can leave the float range (a constant training column has stddev 1 by
// convention, so one training row and a value of -3.4e38 elsewhere give -6.8e38): an input
// error that names the feature and the row, not a non-finite feature.
void requireFiniteStandardised(const Dataset& split, const char* splitName,
                               const std::vector<std::int64_t>& poolRows,
                               const std::string& poolName, const Normalization& normalization) {
    const auto& features = *split.features;
    const std::size_t count = normalization.mean.size();
    if (count == 0 || features.empty()) {
        return;
    }
    const std::size_t perSample = features.size() / static_cast<std::size_t>(split.size());
    for (std::size_t i = 0; i < features.size(); ++i) {
        if (std::isfinite(features[i])) {
            continue;
        }
        const std::size_t sample = i / perSample;
        // A CSV feature is its own statistic; an image's pixels share their channel's.
        const std::size_t j =
            split.featureNames.empty() ? (i % perSample) * count / perSample : i % perSample;
        const std::string what = split.featureNames.empty()
                                     ? "channel " + std::to_string(j + 1)
                                     : "feature '" + split.featureNames[j] + "'";
        char stats[96];
        std::snprintf(stats, sizeof stats, "mean %.4g and standard deviation %.4g",
                      static_cast<double>(normalization.mean[j]),
                      static_cast<double>(normalization.stddev[j]));
        throw core::InputError(
            "dataset.standardize",
            what + " of " + poolName + " (row " + std::to_string(poolRows[sample] + 1) +
                " of its data, in the " + splitName +
                " split) leaves the float range once standardised with the training split's " +
                stats +
                "; its values lie too far outside the training split's spread. Rescale "
                "that column, or set dataset.standardize to false");
    }
}

// Draws the three splits: split s from pools[poolOf[s]], splits of one pool jointly (disjoint),
// then normalises all three with the training split's statistics.
template <class Pool>
SplitData assemble(const DatasetSpec& spec, const std::vector<NamedPool<Pool>>& pools,
                   const std::array<std::size_t, 3>& poolOf, const std::string& source) {
    const std::array<SplitPart, 3> parts = {spec.train, spec.validation, spec.test};
    std::array<std::vector<std::int64_t>, 3> rows;
    for (std::size_t p = 0; p < pools.size(); ++p) {
        std::vector<SplitRequest> requests;
        std::vector<std::size_t> which;
        for (std::size_t s = 0; s < 3; ++s) {
            if (poolOf[s] == p) {
                requests.push_back({kSplitNames[s], parts[s]});
                which.push_back(s);
            }
        }
        // Every pool gets its own stream; the first keeps the seed itself.
        const std::uint64_t seed = spec.seed + p * 0x9E3779B97F4A7C15ULL;
        auto drawn = drawSplits(pools[p].pool.size(), requests, seed, pools[p].name);
        for (std::size_t i = 0; i < which.size(); ++i) {
            rows[which[i]] = std::move(drawn[i]);
        }
    }
    if (rows[0].empty()) {
        throw core::InputError("dataset.train", "the training split is empty; expected at "
                                                "least one sample");
    }

    SplitData out;
    const auto& trainPool = pools[poolOf[0]].pool;
    if (spec.standardize) {
        out.normalization = statistics(trainPool, rows[0]);
    }
    out.train = trainPool.select(rows[0], out.normalization);
    out.validation = pools[poolOf[1]].pool.select(rows[1], out.normalization);
    out.test = pools[poolOf[2]].pool.select(rows[2], out.normalization);
    for (std::size_t s = 0; s < 3; ++s) {
        out.fingerprints[s] = fingerprint(pools[poolOf[s]].pool, rows[s]);
    }
    requireFiniteStandardised(out.validation, kSplitNames[1], rows[1], pools[poolOf[1]].name,
                              out.normalization);
    requireFiniteStandardised(out.test, kSplitNames[2], rows[2], pools[poolOf[2]].name,
                              out.normalization);

    const Dataset& t = out.train;
    out.description = spec.kind + " from " + source + ": train " + std::to_string(t.size()) +
                      ", validation " + std::to_string(out.validation.size()) + ", test " +
                      std::to_string(out.test.size()) + "; samples " + shapeText(t.sampleShape);
    if (t.task == Task::Classification) {
        out.description += ", " + std::to_string(t.numClasses) + " classes";
    } else {
        out.description += ", regression";
    }
    if (spec.standardize) {
        out.description += std::string("; normalised per ") +
                           (t.featureNames.empty() ? "channel" : "feature") +
                           " with the training split's mean " + joinFloats(out.normalization.mean) +
                           " and standard deviation " + joinFloats(out.normalization.stddev);
    }
    return out;
}

void rejectCsvOptions(const DatasetSpec& spec) {
    const std::array<std::pair<const fs::path*, const char*>, 3> csvOnly = {
        {{&spec.trainPath, "dataset.train_path"},
         {&spec.validationPath, "dataset.validation_path"},
         {&spec.testPath, "dataset.test_path"}}};
    for (const auto& [value, key] : csvOnly) {
        if (!value->empty()) {
            throw core::InputError(key, "applies to csv datasets only; expected dataset.path "
                                        "for " +
                                            spec.kind);
        }
    }
    if (spec.task != Task::Classification) {
        throw core::InputError("dataset.task",
                               "regression applies to csv and numpy datasets only; " + spec.kind +
                                   " is a classification dataset");
    }
}

// Training pool + test pool from the four standard IDX files of `files`.
SplitData loadIdxTrainTest(const DatasetSpec& spec, const ImageDataFiles& files,
                           const std::vector<std::string>& classNames) {
    requireFiles(files);
    const fs::path& dir = files.folder;
    const auto& f = files.files;
    std::vector<NamedPool<ImagePool>> pools(2);
    pools[0].pool = readIdxPool(f[0].path, f[1].path, 28, 28, classNames);
    pools[0].name = "the training files (train-*) in " + dir.string();
    pools[1].pool = readIdxPool(f[2].path, f[3].path, 28, 28, classNames);
    pools[1].name = "the test files (t10k-*) in " + dir.string();
    return assemble(spec, pools, {0, 0, 1}, dir.string());
}

ImageDataFiles requireDatasetFolder(const DatasetSpec& spec) {
    auto files = imageDataFiles(spec.kind, spec.path, core::dataDir());
    requireFolder(files.folder, spec.kind, files.contents);
    return files;
}

SplitData loadFashionMnist(const DatasetSpec& spec) {
    return loadIdxTrainTest(spec, requireDatasetFolder(spec), fashionMnistClassNames());
}

SplitData loadMnist(const DatasetSpec& spec) {
    const auto files = requireDatasetFolder(spec);
    const fs::path& dir = files.folder;
    const bool converted = files.files.front().name == kMnistDigitsImagesFile;
    if (!converted && files.files.front().present) {
        return loadIdxTrainTest(spec, files, digitClassNames());
    }
    if (!converted) {
        throw core::InputError(dir.string(), "no MNIST files; expected " + files.contents);
    }
    const fs::path& images = files.files[0].path;
    std::vector<NamedPool<ImagePool>> pools(1);
    pools[0].pool = readIdxPool(images, files.files[1].path, 28, 28, digitClassNames());
    pools[0].name = "the converted digits (" + images.string() + ")";
    return assemble(spec, pools, {0, 0, 0}, dir.string());
}

SplitData loadCifar10(const DatasetSpec& spec) {
    const auto files = requireDatasetFolder(spec);
    // The batches' folder: the dataset's, or the cifar-10-batches-bin the archive unpacks to.
    const fs::path dir = files.files.front().path.parent_path();
    std::vector<fs::path> trainFiles;
    for (std::size_t i = 0; i + 1 < files.files.size(); ++i) {
        trainFiles.push_back(files.files[i].path);
    }
    std::vector<NamedPool<ImagePool>> pools(2);
    pools[0].pool = readCifarPool(trainFiles);
    pools[0].name = "the training batches (data_batch_1..5.bin) in " + dir.string();
    pools[1].pool = readCifarPool({files.files.back().path});
    pools[1].name = "the test batch (test_batch.bin) in " + dir.string();
    return assemble(spec, pools, {0, 0, 1}, dir.string());
}

// A file's identity for deciding whether two options name the same pool.
fs::path identity(const fs::path& p) {
    std::error_code ec;
    auto canonical = fs::weakly_canonical(p, ec);
    return ec ? p : canonical;
}

void requireSameHeader(const CsvTable& table, const CsvTable& training) {
    const auto& a = table.header;
    const auto& b = training.header;
    for (std::size_t c = 0; c < std::max(a.size(), b.size()); ++c) {
        if (c >= a.size() || c >= b.size() || a[c] != b[c]) {
            const std::string found = c < a.size() ? "'" + a[c] + "'" : "no column";
            const std::string expected = c < b.size() ? "'" + b[c] + "'" : "no column";
            throw core::InputError(table.path.string() + ":1",
                                   "column " + std::to_string(c + 1) + " is " + found +
                                       "; expected " + expected + " as in the training file " +
                                       training.path.string());
        }
    }
}

/// The files of a dataset that names its files (csv, numpy): distinct files are distinct pools,
/// and a file named twice gives both splits from one pool.
struct FilePools {
    std::vector<fs::path> files;
    std::array<std::size_t, 3> poolOf{}; ///< the pool of train, validation, test
    std::string source;                  ///< the files, for the description
};

FilePools filePools(const DatasetSpec& spec, const std::string& expected) {
    if (!spec.path.empty() && !spec.trainPath.empty()) {
        throw core::InputError("dataset.path", "both path and train_path are set; expected one "
                                               "of them (path: one file for all splits)");
    }
    if (spec.path.empty() && spec.trainPath.empty()) {
        if (!spec.validationPath.empty() || !spec.testPath.empty()) {
            throw core::InputError("dataset.train_path", "missing; expected the training file "
                                                         "besides validation_path / test_path");
        }
        throw core::InputError("dataset.path", "missing; expected " + expected +
                                                   " (path) or train_path with optional "
                                                   "validation_path and test_path");
    }
    const fs::path trainFile = spec.path.empty() ? spec.trainPath : spec.path;
    const std::array<fs::path, 3> files = {
        trainFile, spec.validationPath.empty() ? trainFile : spec.validationPath,
        spec.testPath.empty() ? trainFile : spec.testPath};
    FilePools out;
    for (std::size_t s = 0; s < 3; ++s) {
        std::size_t p = 0;
        while (p < out.files.size() && identity(out.files[p]) != identity(files[s])) {
            ++p;
        }
        if (p == out.files.size()) {
            out.files.push_back(files[s]);
        }
        out.poolOf[s] = p;
    }
    for (const auto& file : out.files) {
        out.source += (out.source.empty() ? "" : ", ") + file.string();
    }
    return out;
}

SplitData loadCsv(const DatasetSpec& spec) {
    const auto files = filePools(spec, "a CSV file");
    std::vector<CsvTable> tables;
    tables.reserve(files.files.size());
    for (const auto& file : files.files) {
        tables.push_back(readCsv(file, spec.target));
    }
    for (std::size_t p = 1; p < tables.size(); ++p) {
        requireSameHeader(tables[p], tables[0]);
    }
    const ClassMapping mapping =
        spec.task == Task::Classification ? ClassMapping::fromTable(tables[0]) : ClassMapping{};
    std::vector<NamedPool<TablePool>> pools;
    for (auto& table : tables) {
        const std::string name = table.path.string();
        pools.push_back({TablePool::fromCsv(std::move(table), spec.task, mapping), name});
    }
    return assemble(spec, pools, files.poolOf, files.source);
}

SplitData loadNumpy(const DatasetSpec& spec) {
    if (!spec.target.empty()) {
        throw core::InputError("dataset.target", "applies to csv datasets only; a NumPy file's "
                                                 "targets are its array y");
    }
    const auto files = filePools(spec, "an .npz file holding x and y, or PREFIX_x.npy");
    const bool classification = spec.task == Task::Classification;
    std::vector<NumpyPair> pairs;
    for (const auto& file : files.files) {
        pairs.push_back(readNumpyPair(file));
        checkPair(pairs.back(), classification);
        const auto& x = pairs.back().x;
        const auto& first = pairs.front().x;
        if (!std::equal(x.shape.begin() + 1, x.shape.end(), first.shape.begin() + 1,
                        first.shape.end())) {
            throw core::InputError(x.source,
                                   "its samples have shape " +
                                       shapeText({x.shape.begin() + 1, x.shape.end()}) +
                                       "; the training file's have shape " +
                                       shapeText({first.shape.begin() + 1, first.shape.end()}));
        }
    }
    // Classes: the training file's distinct labels in increasing order, as for CSV.
    std::vector<double> classes;
    if (classification) {
        classes = pairs.front().y.values;
        std::sort(classes.begin(), classes.end());
        classes.erase(std::unique(classes.begin(), classes.end()), classes.end());
    }
    std::vector<NamedPool<TablePool>> pools;
    for (std::size_t p = 0; p < pairs.size(); ++p) {
        pools.push_back({TablePool::fromNumpy(std::move(pairs[p]), spec.task, classes),
                         files.files[p].string()});
    }
    return assemble(spec, pools, files.poolOf, files.source);
}

} // namespace

fs::path datasetFolder(const DatasetSpec& spec) {
    if (!spec.path.empty() || spec.kind == "csv" || spec.kind == "numpy") {
        return spec.path;
    }
    if (spec.kind == "fashion-mnist" || spec.kind == "mnist" || spec.kind == "cifar10") {
        return imageDataFiles(spec.kind, {}, core::dataDir()).folder;
    }
    return core::dataDir() / spec.kind;
}

SplitData loadDataset(const DatasetSpec& spec) {
    SplitData data;
    if (spec.kind == "csv") {
        data = loadCsv(spec);
    } else if (spec.kind == "numpy") {
        data = loadNumpy(spec);
    } else if (spec.kind == "fashion-mnist" || spec.kind == "mnist" || spec.kind == "cifar10") {
        rejectCsvOptions(spec);
        data = spec.kind == "mnist"     ? loadMnist(spec)
               : spec.kind == "cifar10" ? loadCifar10(spec)
                                        : loadFashionMnist(spec);
    } else {
        throw core::InputError("dataset.kind", "unknown kind '" + spec.kind +
                                                   "'; expected fashion-mnist, mnist, cifar10, "
                                                   "csv or numpy");
    }
    core::engineLogger()->debug("loaded {}", data.description);
    return data;
}

} // namespace bt::data
