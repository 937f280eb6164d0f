#include "engine/data/numpy_reader.h"

#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <memory>
#include <string_view>

#ifdef BT_WITH_LIBZIP
#include <zip.h>
#endif

#include "engine/core/error.h"

namespace bt::data {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kMagic = "\x93NUMPY";

[[noreturn]] void fail(const std::string& source, const std::string& what) {
    throw core::InputError(source, what);
}

std::uint32_t littleEndian(const std::string& bytes, std::size_t at, std::size_t count) {
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < count; ++i) {
        value |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
    }
    return value;
}

/// The value of `key` in the header's dict literal, up to the next top-level comma or brace.
std::string_view dictValue(std::string_view header, std::string_view key,
                           const std::string& source) {
    std::size_t at = header.find("'" + std::string(key) + "'");
    if (at == std::string_view::npos) {
        at = header.find("\"" + std::string(key) + "\"");
    }
    if (at == std::string_view::npos) {
        fail(source, "not a NumPy array: its header has no '" + std::string(key) + "'");
    }
    at = header.find(':', at);
    if (at == std::string_view::npos) {
        fail(source, "not a NumPy array: malformed header");
    }
    ++at;
    while (at < header.size() && header[at] == ' ') {
        ++at;
    }
    std::size_t end = at;
    int depth = 0;
    while (end < header.size()) {
        const char c = header[end];
        if (c == '(') {
            ++depth;
        } else if (c == ')') {
            --depth;
        } else if ((c == ',' || c == '}') && depth == 0) {
            break;
        }
        ++end;
    }
    auto value = header.substr(at, end - at);
    while (!value.empty() && value.back() == ' ') {
        value.remove_suffix(1);
    }
    return value;
}

std::vector<std::int64_t> parseShape(std::string_view text, const std::string& source) {
    if (text.size() < 2 || text.front() != '(' || text.back() != ')') {
        fail(source, "not a NumPy array: malformed shape " + std::string(text));
    }
    std::vector<std::int64_t> shape;
    std::int64_t current = -1;
    for (const char c : text.substr(1, text.size() - 2)) {
        if (c >= '0' && c <= '9') {
            current = (current < 0 ? 0 : current) * 10 + (c - '0');
            if (current > (std::int64_t{1} << 40)) {
                fail(source, "not a usable NumPy array: a dimension of its shape is too large");
            }
        } else if (c == ',') {
            if (current < 0) {
                fail(source, "not a NumPy array: malformed shape " + std::string(text));
            }
            shape.push_back(current);
            current = -1;
        } else if (c != ' ' && c != 'L') {
            fail(source, "not a NumPy array: malformed shape " + std::string(text));
        }
    }
    if (current >= 0) {
        shape.push_back(current);
    }
    return shape;
}

template <class T>
double readValue(const char* p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return static_cast<double>(v);
}

/// An integer of `size` bytes at `p`, of the type of that size among T1, T2, T4, T8.
template <class T1, class T2, class T4, class T8>
double integerAt(const char* p, int size) {
    switch (size) {
    case 1:
        return readValue<T1>(p);
    case 2:
        return readValue<T2>(p);
    case 4:
        return readValue<T4>(p);
    default:
        return readValue<T8>(p);
    }
}

/// Value i of the array's data, converted to double.
double valueAt(const char* data, char kind, int size, std::size_t i) {
    const char* p = data + i * static_cast<std::size_t>(size);
    switch (kind) {
    case 'f':
        return size == 4 ? readValue<float>(p) : readValue<double>(p);
    case 'i':
        return integerAt<std::int8_t, std::int16_t, std::int32_t, std::int64_t>(p, size);
    case 'u':
        return integerAt<std::uint8_t, std::uint16_t, std::uint32_t, std::uint64_t>(p, size);
    default: // 'b'
        return *p != 0 ? 1.0 : 0.0;
    }
}

bool supportedType(char kind, int size) {
    switch (kind) {
    case 'f':
        return size == 4 || size == 8;
    case 'i':
    case 'u':
        return size == 1 || size == 2 || size == 4 || size == 8;
    case 'b':
        return size == 1;
    default:
        return false;
    }
}

std::string readFile(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        fail(file.string(), "cannot open the file for reading");
    }
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

#ifdef BT_WITH_LIBZIP
/// Members `x` and `y` (x.npy, y.npy) of the .npz archive `file`.
NumpyPair readNpz(const fs::path& file) {
    int error = 0;
    const std::unique_ptr<zip_t, decltype(&zip_discard)> archive(
        zip_open(file.c_str(), ZIP_RDONLY, &error), &zip_discard);
    if (!archive) {
        zip_error_t zipError;
        zip_error_init_with_code(&zipError, error);
        const std::string reason = zip_error_strerror(&zipError);
        zip_error_fini(&zipError);
        fail(file.string(), "not a NumPy .npz archive (" + reason + ")");
    }
    auto member = [&](const std::string& name, bool asFloat) {
        const std::string entry = name + ".npy";
        const std::string source = file.string() + ":" + entry;
        zip_stat_t stat;
        zip_stat_init(&stat);
        if (zip_stat(archive.get(), entry.c_str(), 0, &stat) != 0 ||
            (stat.valid & ZIP_STAT_SIZE) == 0) {
            fail(file.string(), "the archive has no array '" + name +
                                    "'; expected x (features) and y (labels or targets), as "
                                    "numpy.savez(file, x=..., y=...) writes them");
        }
        if (stat.size > (std::uint64_t{1} << 36)) {
            fail(source, "the array is larger than 64 GiB");
        }
        const std::unique_ptr<zip_file_t, decltype(&zip_fclose)> handle(
            zip_fopen(archive.get(), entry.c_str(), 0), &zip_fclose);
        std::string bytes(static_cast<std::size_t>(stat.size), '\0');
        if (!handle || zip_fread(handle.get(), bytes.data(), stat.size) !=
                           static_cast<zip_int64_t>(stat.size)) {
            fail(source, "cannot read the array from the archive (" +
                             std::string(zip_strerror(archive.get())) + ")");
        }
        return parseNpy(bytes, source, asFloat);
    };
    return {member("x", true), member("y", false)};
}
#else
NumpyPair readNpz(const fs::path& file) {
    fail(file.string(), "this build reads no .npz archives (it was built without libzip); "
                        "save x and y as PREFIX_x.npy and PREFIX_y.npy");
}
#endif

/// "PREFIX_x.npy" and "PREFIX_y.npy" for either of them.
std::pair<fs::path, fs::path> npyPairOf(const fs::path& file) {
    const std::string name = file.filename().string();
    for (const std::string_view suffix : {"_x.npy", "_y.npy"}) {
        if (name.size() > suffix.size() && name.ends_with(suffix)) {
            const std::string prefix = name.substr(0, name.size() - suffix.size());
            return {file.parent_path() / (prefix + "_x.npy"),
                    file.parent_path() / (prefix + "_y.npy")};
        }
    }
    fail(file.string(), "a NumPy dataset file is an .npz archive holding x and y, or a pair of "
                        ".npy files named PREFIX_x.npy and PREFIX_y.npy");
}

} // namespace

std::string NumpyArray::typeName() const {
    switch (kind) {
    case 'f':
        return "float" + std::to_string(8 * itemSize);
    case 'i':
        return "int" + std::to_string(8 * itemSize);
    case 'u':
        return "uint" + std::to_string(8 * itemSize);
    default:
        return "bool";
    }
}

NumpyArray parseNpy(const std::string& bytes, const std::string& source, bool asFloat) {
    if (bytes.size() < kMagic.size() + 4 || std::string_view(bytes).substr(0, 6) != kMagic) {
        fail(source, "not a NumPy .npy array (no \\x93NUMPY magic string)");
    }
    const int major = static_cast<unsigned char>(bytes[6]);
    const std::size_t lengthBytes = major == 1 ? 2 : 4;
    if (major < 1 || major > 3 || bytes.size() < 8 + lengthBytes) {
        fail(source, "not a NumPy .npy array of a version this program reads (1, 2 or 3)");
    }
    const std::size_t headerLength = littleEndian(bytes, 8, lengthBytes);
    const std::size_t dataStart = 8 + lengthBytes + headerLength;
    if (dataStart > bytes.size()) {
        fail(source, "truncated: the file ends inside the array's header");
    }
    const std::string_view header(bytes.data() + 8 + lengthBytes, headerLength);

    const auto descr = dictValue(header, "descr", source);
    if (descr.size() < 4 || (descr.front() != '\'' && descr.front() != '"') ||
        descr.back() != descr.front()) {
        fail(source, "an array of a structured or unknown type (" + std::string(descr) +
                         "); expected numbers: float32, float64, integers or booleans");
    }
    const auto type = descr.substr(1, descr.size() - 2);
    const char order = type[0];
    const char kind = type[1];
    int size = 0;
    for (const char c : type.substr(2)) {
        size = c >= '0' && c <= '9' && size < 100 ? size * 10 + (c - '0') : 1000;
    }
    if (order == '>' && size > 1) {
        fail(source, "a big-endian array (" + std::string(type) +
                         "); save it little-endian (array.astype(array.dtype.newbyteorder('<')))");
    }
    if ((order != '<' && order != '|' && order != '=' && order != '>') ||
        !supportedType(kind, size)) {
        fail(source, "an array of type " + std::string(type) +
                         ", which this program does not read; expected float32, float64, "
                         "integers or booleans");
    }
    if (dictValue(header, "fortran_order", source) != "False") {
        fail(source, "an array in Fortran order; save a C-ordered one "
                     "(numpy.ascontiguousarray(array))");
    }
    NumpyArray array;
    array.source = source;
    array.kind = kind;
    array.itemSize = size;
    array.shape = parseShape(dictValue(header, "shape", source), source);
    std::size_t count = 1;
    for (const auto d : array.shape) {
        if (d != 0 && count > (std::numeric_limits<std::size_t>::max() >> 4) / d) {
            fail(source, "not a usable NumPy array: its shape is too large");
        }
        count *= static_cast<std::size_t>(d);
    }
    const std::size_t available = bytes.size() - dataStart;
    if (count > available / static_cast<std::size_t>(size)) {
        fail(source, "truncated: the shape needs " + std::to_string(count * size) +
                         " bytes of data, the file holds " + std::to_string(available));
    }
    const char* data = bytes.data() + dataStart;
    if (asFloat) {
        array.floats.resize(count);
        for (std::size_t i = 0; i < count; ++i) {
            array.floats[i] = static_cast<float>(valueAt(data, kind, size, i));
        }
    } else {
        array.values.resize(count);
        for (std::size_t i = 0; i < count; ++i) {
            array.values[i] = valueAt(data, kind, size, i);
        }
    }
    return array;
}

NumpyPair readNumpyPair(const fs::path& file) {
    if (file.extension() == ".npz") {
        return readNpz(file);
    }
    const auto [xFile, yFile] = npyPairOf(file);
    for (const auto& f : {xFile, yFile}) {
        if (!fs::is_regular_file(f)) {
            fail(f.string(), "no such file (a .npy dataset is the pair " +
                                 xFile.filename().string() + " and " + yFile.filename().string() +
                                 ")");
        }
    }
    return {parseNpy(readFile(xFile), xFile.string(), true),
            parseNpy(readFile(yFile), yFile.string(), false)};
}

void checkPair(const NumpyPair& pair, bool classification) {
    const auto& x = pair.x;
    const auto& y = pair.y;
    if (x.shape.size() < 2) {
        fail(x.source, "x is " + std::to_string(x.shape.size()) +
                           "-dimensional; expected one row per sample and the sample's shape "
                           "after it (N × F, or N × C × H × W)");
    }
    if (x.kind != 'f') {
        fail(x.source, "x is " + x.typeName() +
                           "; expected float32 or float64 features (for "
                           "image bytes: x.astype('float32') / 255)");
    }
    const bool column = y.shape.size() == 2 && y.shape[1] == 1;
    if (y.shape.size() != 1 && !column) {
        fail(y.source, "y has " + std::to_string(y.shape.size()) +
                           " dimensions; expected one label or target a sample (shape N or "
                           "N × 1)");
    }
    if (y.rows() != x.rows()) {
        fail(y.source, "y has " + std::to_string(y.rows()) + " values but x has " +
                           std::to_string(x.rows()) + " samples; expected one a sample");
    }
    if (classification && y.kind == 'f') {
        fail(y.source, "y is " + y.typeName() +
                           "; classification labels are integers (set dataset.task to "
                           "regression for real-valued targets)");
    }
    const std::size_t perSample = x.rows() == 0 ? 0 : x.floats.size() / x.rows();
    for (std::size_t i = 0; i < x.floats.size(); ++i) {
        if (!std::isfinite(x.floats[i])) {
            fail(x.source, "x holds a non-finite value (NaN or infinite, or a float64 beyond the "
                           "float32 range) in sample " +
                               std::to_string(i / perSample) + " (counted from 0)");
        }
    }
    for (std::size_t i = 0; i < y.values.size(); ++i) {
        if (!std::isfinite(y.values[i])) {
            fail(y.source, "y holds a non-finite value in sample " + std::to_string(i));
        }
    }
}

} // namespace bt::data
