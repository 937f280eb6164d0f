#include "engine/data/cifar_reader.h"

#include <algorithm>

#include "engine/data/byte_reader.h"

namespace bt::data {

namespace {

constexpr std::int64_t kImageBytes = std::int64_t{3} * 32 * 32;
constexpr std::int64_t kRecordBytes = 1 + kImageBytes;
constexpr std::int64_t kClasses = 10;
// Records read per call: big enough for few reads, small enough not to matter for memory.
constexpr std::int64_t kChunkRecords = 1024;

const std::string kRecordLayout = "3073-byte records (1 label byte + 3072 pixel bytes)";

void appendFile(const std::filesystem::path& path, ImagePool& pool) {
    ByteReader in(path, "a CIFAR-10 binary batch of " + kRecordLayout);
    if (!in.compressed()) {
        const auto size = static_cast<std::int64_t>(in.fileSize());
        if (size == 0) {
            in.fail(0, "empty file; expected " + kRecordLayout);
        }
        if (size % kRecordBytes != 0) {
            in.fail(static_cast<std::uint64_t>(size - size % kRecordBytes),
                    "the file size " + std::to_string(size) + " bytes is not a multiple of " +
                        std::to_string(kRecordBytes) + "; expected " + kRecordLayout +
                        " (the last record is cut off)");
        }
        pool.pixels.reserve(pool.pixels.size() +
                            static_cast<std::size_t>(size / kRecordBytes * kImageBytes));
    }
    std::vector<std::uint8_t> buffer(static_cast<std::size_t>(kChunkRecords * kRecordBytes));
    std::int64_t record = 0;
    for (;;) {
        const std::uint64_t chunkStart = in.offset();
        const auto got = static_cast<std::int64_t>(in.read(buffer.data(), buffer.size()));
        const std::int64_t whole = got / kRecordBytes;
        for (std::int64_t r = 0; r < whole; ++r, ++record) {
            const std::uint8_t* rec = buffer.data() + r * kRecordBytes;
            if (rec[0] >= kClasses) {
                in.fail(chunkStart + static_cast<std::uint64_t>(r * kRecordBytes),
                        "label " + std::to_string(rec[0]) + " of record " + std::to_string(record) +
                            "; expected a class index from 0 to 9");
            }
            pool.labels.push_back(rec[0]);
            pool.pixels.insert(pool.pixels.end(), rec + 1, rec + kRecordBytes);
        }
        if (got % kRecordBytes != 0) {
            in.fail(chunkStart + static_cast<std::uint64_t>(whole * kRecordBytes),
                    "truncated record " + std::to_string(record) + ": the file ends " +
                        std::to_string(got % kRecordBytes) +
                        " bytes into it (its size is not a multiple of " +
                        std::to_string(kRecordBytes) + "); expected " + kRecordLayout);
        }
        if (got < static_cast<std::int64_t>(buffer.size())) {
            break;
        }
    }
    if (record == 0) {
        in.fail(0, "empty file; expected " + kRecordLayout);
    }
}

} // namespace

const std::vector<std::string>& cifar10ClassNames() {
    static const std::vector<std::string> names = {
        "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"};
    return names;
}

ImagePool readCifarPool(const std::vector<std::filesystem::path>& files) {
    ImagePool pool;
    pool.sampleShape = {3, 32, 32};
    pool.numClasses = kClasses;
    pool.classNames = cifar10ClassNames();
    for (const auto& file : files) {
        appendFile(file, pool);
    }
    return pool;
}

} // namespace bt::data
