#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace bt::data {

/// Reads a file from the start, sequentially: gzip-compressed when it begins with the gzip magic
/// bytes 1f 8b (decompressed with zlib on the fly), else as is. It counts the (uncompressed)
/// bytes consumed so that every error can say where in the file it is. All failures are
/// core::InputError naming the file; nothing is thrown for a short read at the end of the file
/// by read() (readExact() turns it into a "truncated" error).
class ByteReader {
public:
    /// Opens `path`. `expected` says what the file should be ("an IDX image file") and goes into
    /// the messages. Throws core::InputError when the file is missing, is a directory or another
    /// non-regular file, or cannot be opened for reading (permissions).
    ByteReader(std::filesystem::path path, std::string expected);
    ~ByteReader();
    ByteReader(const ByteReader&) = delete;
    ByteReader& operator=(const ByteReader&) = delete;

    const std::filesystem::path& path() const { return m_path; }
    /// True when the file is gzip-compressed.
    bool compressed() const { return m_compressed; }
    /// Size of the file on disk, in bytes.
    std::uint64_t fileSize() const { return m_fileSize; }
    /// Number of (uncompressed) bytes consumed so far: the offset of the next byte.
    std::uint64_t offset() const { return m_offset; }
    /// An upper bound on the bytes still to come: exact for an uncompressed file; for gzip the
    /// most that deflate can expand the compressed bytes to (1032:1), used to reject absurd sizes
    /// in a header before allocating memory for them.
    std::uint64_t maxRemaining() const;

    /// Reads up to `n` bytes into `dst`; fewer only at the end of the file.
    /// @throws core::InputError on an I/O error or corrupt gzip data.
    std::size_t read(void* dst, std::size_t n);
    /// Reads exactly `n` bytes into `dst`.
    /// @throws core::InputError "truncated" naming the offset, the bytes found and `what` was
    ///         expected there, when the file ends first.
    void readExact(void* dst, std::size_t n, std::string_view what);
    /// @throws core::InputError when any byte follows; `what` names what should have been last.
    void expectEnd(std::string_view what);
    /// Reads everything that is left.
    std::string readRest();

    /// "PATH (byte offset N)", or "PATH (uncompressed byte offset N)" for gzip.
    std::string where(std::uint64_t offset) const;
    /// Throws core::InputError at `offset` with the message `what`.
    [[noreturn]] void fail(std::uint64_t offset, const std::string& what) const;

private:
    std::filesystem::path m_path;
    std::string m_expected;
    void* m_gz = nullptr; // gzFile; void* keeps zlib.h out of this header
    bool m_compressed = false;
    std::uint64_t m_fileSize = 0;
    std::uint64_t m_offset = 0;
};

} // namespace bt::data
