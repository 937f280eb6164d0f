#include "engine/data/byte_reader.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <limits>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "engine/core/error.h"

namespace bt::data {

namespace {

// zlib's input and output buffers: larger than the 8 KiB default so that a 26 MB file takes a
// few hundred reads rather than thousands.
constexpr unsigned kGzBufferBytes = 1U << 18;
// gzread counts in unsigned int; larger reads are split.
constexpr std::size_t kMaxChunk = 1U << 30;
// deflate cannot expand data by more than about 1032:1 (RFC 1951: a 258-byte match in at most
// two bits, plus block overhead), so this bounds the uncompressed size of a gzip file.
constexpr std::uint64_t kMaxDeflateRatio = 1032;

gzFile asGz(void* p) {
    return static_cast<gzFile>(p);
}

} // namespace

ByteReader::ByteReader(std::filesystem::path path, std::string expected)
    : m_path(std::move(path)), m_expected(std::move(expected)) {
    const std::string name = m_path.string();
    const int fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        if (err == ENOENT || err == ENOTDIR) {
            throw core::InputError(name, "no such file; expected " + m_expected);
        }
        throw core::InputError(name, std::string("cannot open for reading (") + std::strerror(err) +
                                         "); expected " + m_expected);
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        const bool dir = S_ISDIR(st.st_mode);
        ::close(fd);
        throw core::InputError(name, std::string(dir ? "is a directory" : "is not a regular file") +
                                         "; expected " + m_expected);
    }
    m_fileSize = static_cast<std::uint64_t>(st.st_size);
    std::array<unsigned char, 2> magic{};
    const auto got = ::pread(fd, magic.data(), magic.size(), 0);
    if (got < 0) {
        const int err = errno;
        ::close(fd);
        throw core::InputError(name, std::string("cannot read (") + std::strerror(err) +
                                         "); expected " + m_expected);
    }
    m_compressed = got == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    gzFile gz = gzdopen(fd, "rb");
    if (gz == nullptr) {
        ::close(fd);
        throw core::InputError(name,
                               "cannot open for reading (out of memory); expected " + m_expected);
    }
    gzbuffer(gz, kGzBufferBytes);
    m_gz = gz;
}

ByteReader::~ByteReader() {
    if (m_gz != nullptr) {
        gzclose_r(asGz(m_gz));
    }
}

std::uint64_t ByteReader::maxRemaining() const {
    if (!m_compressed) {
        return m_fileSize > m_offset ? m_fileSize - m_offset : 0;
    }
    return m_fileSize * kMaxDeflateRatio + 1024;
}

std::size_t ByteReader::read(void* dst, std::size_t n) {
    auto* out = static_cast<unsigned char*>(dst);
    std::size_t total = 0;
    while (total < n) {
        const auto chunk = static_cast<unsigned>(std::min(n - total, kMaxChunk));
        const int got = gzread(asGz(m_gz), out + total, chunk);
        if (got < 0) {
            int code = Z_OK;
            const char* message = gzerror(asGz(m_gz), &code);
            if (code == Z_ERRNO) {
                fail(m_offset, std::string("read error (") + std::strerror(errno) + ")");
            }
            fail(m_offset, std::string("corrupt gzip data (") + message + ")");
        }
        total += static_cast<std::size_t>(got);
        m_offset += static_cast<std::uint64_t>(got);
        if (static_cast<unsigned>(got) < chunk) {
            break;
        }
    }
    return total;
}

void ByteReader::readExact(void* dst, std::size_t n, std::string_view what) {
    const std::uint64_t start = m_offset;
    const std::size_t got = read(dst, n);
    if (got == n) {
        return;
    }
    if (start == 0 && got == 0 && m_fileSize == 0) {
        fail(0, "empty file; expected " + m_expected + " starting with " + std::string(what));
    }
    std::string detail;
    if (m_compressed) {
        int code = Z_OK;
        gzerror(asGz(m_gz), &code);
        if (code == Z_BUF_ERROR) {
            detail = " (the gzip stream is cut off)";
        }
    }
    fail(start, "truncated file" + detail + ": expected " + std::string(what) + " (" +
                    std::to_string(n) + " bytes), found " + std::to_string(got) +
                    " bytes before the end of the file");
}

void ByteReader::expectEnd(std::string_view what) {
    unsigned char extra = 0;
    const std::uint64_t at = m_offset;
    if (read(&extra, 1) != 0) {
        fail(at, "unexpected data after " + std::string(what) + "; expected the end of the file");
    }
}

std::string ByteReader::readRest() {
    std::string text;
    if (!m_compressed) {
        text.reserve(static_cast<std::size_t>(maxRemaining()));
    }
    std::array<char, 1 << 16> buffer{};
    for (;;) {
        const std::size_t got = read(buffer.data(), buffer.size());
        text.append(buffer.data(), got);
        if (got < buffer.size()) {
            return text;
        }
    }
}

std::string ByteReader::where(std::uint64_t offset) const {
    return m_path.string() + (m_compressed ? " (uncompressed byte offset " : " (byte offset ") +
           std::to_string(offset) + ")";
}

void ByteReader::fail(std::uint64_t offset, const std::string& what) const {
    throw core::InputError(where(offset), what);
}

} // namespace bt::data
