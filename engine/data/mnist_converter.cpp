#include "engine/data/mnist_converter.h"

#include <cmath>
#include <string>
#include <system_error>
#include <vector>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "engine/core/error.h"
#include "engine/data/byte_reader.h"
#include "engine/data/idx_writer.h"
#include "engine/data/seeded_shuffle.h"

namespace bt::data {

namespace {

constexpr std::int64_t kPixels = std::int64_t{28} * 28;

// The pixels of one digit file, already as bytes.
std::vector<std::uint8_t> readDigit(const std::filesystem::path& file) {
    const std::string text = ByteReader(file, "a JSON file {\"data\": [pixel values]}").readRest();
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        // nlohmann counts the bytes read, so the offending byte is at offset byte - 1.
        const std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
        throw core::InputError(file.string() + " (byte offset " + std::to_string(offset) + ")",
                               std::string("invalid JSON: ") + e.what());
    }
    if (!doc.is_object() || !doc.contains("data") || !doc["data"].is_array()) {
        throw core::InputError(file.string(), "expected a JSON object with an array \"data\"");
    }
    const auto& data = doc["data"];
    const auto n = static_cast<std::int64_t>(data.size());
    if (n == 0 || n % kPixels != 0) {
        throw core::InputError(file.string(),
                               "\"data\" has " + std::to_string(n) +
                                   " values; expected a non-zero multiple of 784 (28x28 pixels "
                                   "per image)");
    }
    std::vector<std::uint8_t> pixels;
    pixels.reserve(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
        const auto& v = data[static_cast<std::size_t>(i)];
        const double x = v.is_number() ? v.get<double>() : -1.0;
        if (!v.is_number() || !(x >= 0.0 && x <= 1.0)) {
            throw core::InputError(file.string() + " (\"data\" item " + std::to_string(i) + ")",
                                   "value " + v.dump() + " (image " + std::to_string(i / kPixels) +
                                       ", pixel " + std::to_string(i % kPixels) +
                                       "); expected a number from 0 to 1");
        }
        pixels.push_back(static_cast<std::uint8_t>(std::lround(x * 255.0)));
    }
    return pixels;
}

// Removes the temporary files unless they were renamed into place.
struct TempFiles {
    std::vector<std::filesystem::path> paths;
    ~TempFiles() {
        for (const auto& p : paths) {
            std::error_code ec;
            std::filesystem::remove(p, ec);
        }
    }
};

} // namespace

MnistConversion convertMnistNpmPackage(const std::filesystem::path& packageDir,
                                       const std::filesystem::path& outDir) {
    // Read every digit before touching the output folder: bad input writes nothing.
    std::vector<std::uint8_t> source;
    std::vector<std::uint8_t> sourceLabels;
    MnistConversion result;
    for (int digit = 0; digit < 10; ++digit) {
        const auto file = packageDir / "src" / "digits" / (std::to_string(digit) + ".json");
        std::vector<std::uint8_t> pixels = readDigit(file);
        const auto count = static_cast<std::int64_t>(pixels.size()) / kPixels;
        result.perDigit[static_cast<std::size_t>(digit)] = count;
        source.insert(source.end(), pixels.begin(), pixels.end());
        sourceLabels.insert(sourceLabels.end(), static_cast<std::size_t>(count),
                            static_cast<std::uint8_t>(digit));
    }
    result.images = static_cast<std::int64_t>(sourceLabels.size());

    const std::vector<std::int64_t> order = seededPermutation(result.images, kMnistShuffleSeed);
    std::vector<std::uint8_t> images(source.size());
    std::vector<std::uint8_t> labels(sourceLabels.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
        const auto from = static_cast<std::size_t>(order[k]);
        std::copy_n(source.begin() + static_cast<std::ptrdiff_t>(from * kPixels), kPixels,
                    images.begin() + static_cast<std::ptrdiff_t>(k * kPixels));
        labels[k] = sourceLabels[from];
    }

    std::error_code ec;
    std::filesystem::create_directories(outDir, ec);
    if (ec || !std::filesystem::is_directory(outDir)) {
        throw core::InputError(outDir.string(), "cannot create the output folder" +
                                                    (ec ? " (" + ec.message() + ")" : "") +
                                                    "; expected a writable folder");
    }
    result.imagesFile = outDir / kMnistDigitsImagesFile;
    result.labelsFile = outDir / kMnistDigitsLabelsFile;
    const std::string suffix = ".partial-" + std::to_string(::getpid());
    TempFiles temps;
    temps.paths = {result.imagesFile.string() + suffix, result.labelsFile.string() + suffix};
    const auto n = static_cast<std::uint32_t>(result.images);
    writeIdxGz(temps.paths[0], {n, 28, 28}, images);
    writeIdxGz(temps.paths[1], {n}, labels);
    for (std::size_t i = 0; i < 2; ++i) {
        const auto& target = i == 0 ? result.imagesFile : result.labelsFile;
        std::filesystem::rename(temps.paths[i], target, ec);
        if (ec) {
            throw core::InputError(target.string(), "cannot rename the finished file into place (" +
                                                        ec.message() + ")");
        }
    }
    temps.paths.clear();
    return result;
}

} // namespace bt::data
