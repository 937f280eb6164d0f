// libFuzzer target: the .npy parser of the numpy datasets (data::parseNpy), then the checks a
// dataset file's arrays meet (data::checkPair, with the array as both x and y). The first byte
// chooses float32 or float64 values and the task; the rest is the file. Bad files must be
// core::InputError; a parsed array must hold exactly the values its shape asks for.

#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/core/error.h"
#include "engine/data/numpy_reader.h"
#include "fuzz/fuzz_support.h"

using bt::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) {
        return 0;
    }
    const bool asFloat = (data[0] & 1) != 0;
    const std::string bytes(reinterpret_cast<const char*>(data + 1), size - 1);
    try {
        auto array = bt::data::parseNpy(bytes, "fuzz.npy", asFloat);
        std::size_t count = 1;
        for (const auto d : array.shape) {
            require(d >= 0, "a negative dimension");
            count *= static_cast<std::size_t>(d);
        }
        require((asFloat ? array.floats.size() : array.values.size()) == count,
                "values that do not fill the shape");
        bt::data::NumpyPair pair{array, array};
        if (!asFloat) {
            pair.x.floats.assign(array.values.begin(), array.values.end());
        } else {
            pair.y.values.assign(array.floats.begin(), array.floats.end());
        }
        bt::data::checkPair(pair, (data[0] & 2) != 0);
    } catch (const bt::core::InputError&) {
        // A bad file, reported as such.
    }
    return 0;
}
