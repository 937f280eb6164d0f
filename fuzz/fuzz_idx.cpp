// libFuzzer target: the IDX image and label readers (engine/data/idx_reader.h), plain and gzip.
// The first byte picks the reader, the rest is the file (for a pool, two files cut at the
// position the second and third bytes give). Bad files must be core::InputError; what a reader
// returns must match what its header declared.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/core/error.h"
#include "engine/data/idx_reader.h"
#include "fuzz/fuzz_support.h"

namespace {

using bt::fuzz::require;

/// a × b × c without overflow (each factor is below 2^32 or a vector's size).
unsigned __int128 product(std::int64_t a, std::int64_t b, std::int64_t c) {
    return static_cast<unsigned __int128>(a) * static_cast<unsigned __int128>(b) *
           static_cast<unsigned __int128>(c);
}

void images(const std::filesystem::path& file, std::int64_t rows, std::int64_t cols) {
    const bt::data::IdxImages idx = bt::data::readIdxImages(file, rows, cols);
    require(rows == 0 || idx.rows == rows, "image rows other than required");
    require(cols == 0 || idx.cols == cols, "image columns other than required");
    require(idx.pixels.size() == product(idx.count, idx.rows, idx.cols),
            "pixel count differs from count x rows x cols");
}

void labels(const std::filesystem::path& file, std::int64_t numClasses) {
    for (const auto label : bt::data::readIdxLabels(file, numClasses)) {
        require(label < numClasses, "a label outside [0, numClasses)");
    }
}

void pool(const std::filesystem::path& imageFile, const std::filesystem::path& labelFile) {
    const bt::data::ImagePool p =
        bt::data::readIdxPool(imageFile, labelFile, 0, 0, {"0", "1", "2", "3", "4", "5", "6"});
    const auto count = static_cast<std::int64_t>(p.labels.size());
    require(p.sampleShape.size() == 3 && p.sampleShape[0] == 1, "an IDX pool is 1 x rows x cols");
    require(p.pixels.size() == product(count, p.sampleShape[1], p.sampleShape[2]),
            "pixel count differs from labels x rows x cols");
    for (const auto label : p.labels) {
        require(label < p.numClasses, "a label outside [0, numClasses)");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static bt::fuzz::MemoryFile first("idx-a");
    static bt::fuzz::MemoryFile second("idx-b");
    if (size < 3) {
        return 0;
    }
    const std::string_view file = bt::fuzz::bytesOf(data + 3, size - 3);
    try {
        switch (data[0] % 4) {
        case 0:
            images(first.write(file), 0, 0);
            break;
        case 1:
            images(first.write(file), 28, 28);
            break;
        case 2:
            labels(first.write(file), 1 + data[1] % 255);
            break;
        default: {
            const std::size_t cut = (std::size_t{data[1]} << 8 | data[2]) % (file.size() + 1);
            pool(first.write(file.substr(0, cut)), second.write(file.substr(cut)));
            break;
        }
        }
    } catch (const bt::core::InputError&) {
        // A bad file, reported as such: what the reader is for.
    }
    return 0;
}
