#include "engine/data/idx_reader.h"

#include <array>
#include <cstdint>
#include <cstdio>

#include "engine/data/byte_reader.h"

namespace bt::data {

namespace {

constexpr std::uint32_t kImageMagic = 0x00000803; // unsigned byte, 3 dimensions
constexpr std::uint32_t kLabelMagic = 0x00000801; // unsigned byte, 1 dimension

std::uint32_t readBigEndian32(ByteReader& in, std::string_view what) {
    std::array<unsigned char, 4> b{};
    in.readExact(b.data(), b.size(), what);
    return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) |
           std::uint32_t{b[3]};
}

std::string hex32(std::uint32_t v) {
    std::array<char, 16> text{};
    std::snprintf(text.data(), text.size(), "0x%08x", v);
    return text.data();
}

void readMagic(ByteReader& in, std::uint32_t expected, const char* meaning) {
    const std::uint32_t magic = readBigEndian32(in, "the 4-byte IDX magic number");
    if (magic != expected) {
        in.fail(0, "wrong magic number " + hex32(magic) + "; expected " + hex32(expected) + " (" +
                       meaning + ")");
    }
}

// Rejects a header whose payload cannot be in the file before memory is allocated for it.
void checkPayloadFits(ByteReader& in, std::uint64_t payload, const std::string& declared) {
    if (payload <= in.maxRemaining()) {
        return;
    }
    if (in.compressed()) {
        in.fail(in.offset(), "the header declares " + declared + " (" + std::to_string(payload) +
                                 " bytes), more than a gzip file of " +
                                 std::to_string(in.fileSize()) + " bytes can hold");
    }
    in.fail(in.offset(), "truncated file: the header declares " + declared + " (" +
                             std::to_string(payload) + " bytes), but only " +
                             std::to_string(in.maxRemaining()) + " bytes follow the header");
}

} // namespace

IdxImages readIdxImages(const std::filesystem::path& path, std::int64_t rows, std::int64_t cols) {
    ByteReader in(path, "an IDX image file (idx3-ubyte)");
    readMagic(in, kImageMagic, "IDX images: unsigned bytes, 3 dimensions");
    IdxImages out;
    out.count = readBigEndian32(in, "the image count (4 bytes)");
    const std::uint64_t sizeOffset = in.offset();
    out.rows = readBigEndian32(in, "the row count (4 bytes)");
    out.cols = readBigEndian32(in, "the column count (4 bytes)");
    if ((rows > 0 && out.rows != rows) || (cols > 0 && out.cols != cols)) {
        in.fail(sizeOffset, "wrong image size " + std::to_string(out.rows) + "x" +
                                std::to_string(out.cols) + "; expected " + std::to_string(rows) +
                                "x" + std::to_string(cols) + " images");
    }
    const std::string declared = std::to_string(out.count) + " images of " +
                                 std::to_string(out.rows) + "x" + std::to_string(out.cols);
    // Each factor is below 2^32, so one image's size fits in 64 bits; the product with the count
    // might not, and saturates (no file can hold that much anyway).
    const auto imageBytes =
        static_cast<std::uint64_t>(out.rows) * static_cast<std::uint64_t>(out.cols);
    const auto count = static_cast<std::uint64_t>(out.count);
    const std::uint64_t payload =
        (imageBytes != 0 && count > UINT64_MAX / imageBytes) ? UINT64_MAX : count * imageBytes;
    checkPayloadFits(in, payload, declared);
    out.pixels.resize(static_cast<std::size_t>(payload));
    in.readExact(out.pixels.data(), out.pixels.size(), "the pixels of " + declared);
    in.expectEnd("the last image");
    return out;
}

std::vector<std::uint8_t> readIdxLabels(const std::filesystem::path& path, std::int64_t numClasses,
                                        std::int64_t expectedCount) {
    ByteReader in(path, "an IDX label file (idx1-ubyte)");
    readMagic(in, kLabelMagic, "IDX labels: unsigned bytes, 1 dimension");
    const std::uint64_t countOffset = in.offset();
    const std::int64_t count = readBigEndian32(in, "the label count (4 bytes)");
    if (expectedCount >= 0 && count != expectedCount) {
        in.fail(countOffset, "the file declares " + std::to_string(count) + " labels; expected " +
                                 std::to_string(expectedCount) +
                                 ", one per image of the image file");
    }
    const std::string declared = std::to_string(count) + " labels";
    checkPayloadFits(in, static_cast<std::uint64_t>(count), declared);
    const std::uint64_t start = in.offset();
    std::vector<std::uint8_t> labels(static_cast<std::size_t>(count));
    in.readExact(labels.data(), labels.size(), "the " + declared);
    in.expectEnd("the last label");
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (labels[i] >= numClasses) {
            in.fail(start + i, "label " + std::to_string(labels[i]) + " of item " +
                                   std::to_string(i) + "; expected a class index from 0 to " +
                                   std::to_string(numClasses - 1));
        }
    }
    return labels;
}

ImagePool readIdxPool(const std::filesystem::path& images, const std::filesystem::path& labels,
                      std::int64_t rows, std::int64_t cols, std::vector<std::string> classNames) {
    IdxImages idx = readIdxImages(images, rows, cols);
    ImagePool pool;
    pool.numClasses = static_cast<std::int64_t>(classNames.size());
    pool.labels = readIdxLabels(labels, pool.numClasses, idx.count);
    pool.sampleShape = {1, idx.rows, idx.cols};
    pool.pixels = std::move(idx.pixels);
    pool.classNames = std::move(classNames);
    return pool;
}

} // namespace bt::data
