// libFuzzer target: the CIFAR-10 binary batch reader (engine/data/cifar_reader.h), plain and
// gzip. The first byte says whether the file is read once or twice (two batches of one pool).
// Bad files must be core::InputError; a pool must hold whole 3x32x32 images with labels 0-9.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/core/error.h"
#include "engine/data/cifar_reader.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using bt::fuzz::require;
    static bt::fuzz::MemoryFile file("cifar");
    if (size < 1) {
        return 0;
    }
    const auto& path = file.write(bt::fuzz::bytesOf(data + 1, size - 1));
    std::vector<std::filesystem::path> files{path};
    if (data[0] % 2 == 1) {
        files.push_back(path);
    }
    try {
        const bt::data::ImagePool pool = bt::data::readCifarPool(files);
        require(!pool.labels.empty(), "an empty pool");
        require(pool.pixels.size() == pool.labels.size() * 3 * 32 * 32,
                "pixel count differs from labels x 3072");
        for (const auto label : pool.labels) {
            require(label < 10, "a label above 9");
        }
    } catch (const bt::core::InputError&) {
        // A bad file, reported as such.
    }
    return 0;
}
