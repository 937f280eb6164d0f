#include "engine/data/idx_writer.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include "engine/core/error.h"

namespace bt::data {

namespace {

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what) {
    throw core::InputError(path.string(), what);
}

void writeAll(gzFile gz, const std::filesystem::path& path, const std::uint8_t* data,
              std::size_t n) {
    constexpr std::size_t kChunk = 1U << 20;
    while (n > 0) {
        const auto chunk = static_cast<unsigned>(std::min(n, kChunk));
        if (gzwrite(gz, data, chunk) != static_cast<int>(chunk)) {
            int code = Z_OK;
            const char* message = gzerror(gz, &code);
            fail(path, std::string("cannot write (") +
                           (code == Z_ERRNO ? std::strerror(errno) : message) + ")");
        }
        data += chunk;
        n -= chunk;
    }
}

} // namespace

void writeIdxGz(const std::filesystem::path& path, const std::vector<std::uint32_t>& dims,
                std::span<const std::uint8_t> bytes) {
    std::vector<std::uint8_t> header = {0, 0, 0x08, static_cast<std::uint8_t>(dims.size())};
    for (const auto d : dims) {
        header.push_back(static_cast<std::uint8_t>(d >> 24));
        header.push_back(static_cast<std::uint8_t>(d >> 16));
        header.push_back(static_cast<std::uint8_t>(d >> 8));
        header.push_back(static_cast<std::uint8_t>(d));
    }

    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        fail(path, std::string("cannot create (") + std::strerror(errno) + ")");
    }
    // zlib closes the descriptor it is given; a duplicate stays open for the fsync after it.
    const int gzFd = ::dup(fd);
    gzFile gz = gzFd < 0 ? nullptr : gzdopen(gzFd, "wb");
    if (gz == nullptr) {
        if (gzFd >= 0) {
            ::close(gzFd);
        }
        ::close(fd);
        fail(path, "cannot open for compression");
    }
    try {
        writeAll(gz, path, header.data(), header.size());
        writeAll(gz, path, bytes.data(), bytes.size());
    } catch (...) {
        gzclose_w(gz);
        ::close(fd);
        throw;
    }
    const int closed = gzclose_w(gz);
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (closed != Z_OK || !synced) {
        fail(path, std::string("cannot write (") + std::strerror(errno) + ")");
    }
}

} // namespace bt::data
