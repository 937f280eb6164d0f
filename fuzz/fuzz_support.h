#pragma once

// Shared by the fuzz targets: in-memory files for the readers, which read paths, and the checks
// that turn a broken invariant into a crash libFuzzer reports.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include <sys/mman.h>
#include <unistd.h>

namespace bt::fuzz {

/// Stops the run with `what` when `condition` is false: a reader returned something its
/// documentation rules out. libFuzzer saves the input that did it.
inline void require(bool condition, const char* what) {
    if (!condition) {
        std::fprintf(stderr, "invariant broken: %s\n", what);
        std::abort();
    }
}

/// A file that lives in memory (memfd), rewritten for every input: the readers open it by its
/// /proc/self/fd path like any other file, and no fuzzing run touches the disk.
class MemoryFile {
public:
    explicit MemoryFile(const char* name) : m_fd(::memfd_create(name, MFD_CLOEXEC)) {
        require(m_fd >= 0, "memfd_create failed");
        m_path = "/proc/self/fd/" + std::to_string(m_fd);
    }
    ~MemoryFile() { ::close(m_fd); }
    MemoryFile(const MemoryFile&) = delete;
    MemoryFile& operator=(const MemoryFile&) = delete;

    /// Replaces the contents with `bytes` and returns the path to open it by.
    const std::filesystem::path& write(std::string_view bytes) {
        require(::ftruncate(m_fd, 0) == 0, "ftruncate failed");
        std::size_t done = 0;
        while (done < bytes.size()) {
            const auto n =
                ::pwrite(m_fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
            require(n > 0, "pwrite failed");
            done += static_cast<std::size_t>(n);
        }
        return m_path;
    }

private:
    int m_fd;
    std::filesystem::path m_path;
};

/// The input as text.
inline std::string_view bytesOf(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

} // namespace bt::fuzz
