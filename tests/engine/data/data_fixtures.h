#pragma once

// Small helpers shared by the data-layer tests: they write the files the readers are tested on.
// Written independently of the engine's own IDX writer so that a round trip does not check the
// code against itself.

#include <QtTest>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <zlib.h>

#include "engine/core/error.h"

namespace fixtures {

using Bytes = std::vector<std::uint8_t>;

inline void writeBytes(const std::filesystem::path& path, const Bytes& bytes) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    QVERIFY2(out.good(), path.c_str());
}

inline void writeText(const std::filesystem::path& path, const std::string& text) {
    writeBytes(path, Bytes(text.begin(), text.end()));
}

inline Bytes gzipped(const Bytes& bytes) {
    // compress2 writes zlib format; gzip needs deflateInit2 with windowBits 15 + 16.
    z_stream s{};
    deflateInit2(&s, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    Bytes out(deflateBound(&s, static_cast<uLong>(bytes.size())) + 32);
    s.next_in = const_cast<Bytef*>(bytes.data());
    s.avail_in = static_cast<uInt>(bytes.size());
    s.next_out = out.data();
    s.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&s, Z_FINISH);
    out.resize(s.total_out);
    deflateEnd(&s);
    if (rc != Z_STREAM_END) {
        out.clear();
    }
    return out;
}

inline void writeGzip(const std::filesystem::path& path, const Bytes& bytes) {
    writeBytes(path, gzipped(bytes));
}

inline void appendBigEndian(Bytes& out, std::uint32_t v) {
    out.push_back(static_cast<std::uint8_t>(v >> 24));
    out.push_back(static_cast<std::uint8_t>(v >> 16));
    out.push_back(static_cast<std::uint8_t>(v >> 8));
    out.push_back(static_cast<std::uint8_t>(v));
}

/// An idx3-ubyte file: count images of rows x cols, pixel (i, p) = pixel(i, p).
inline Bytes idxImages(std::uint32_t count, std::uint32_t rows, std::uint32_t cols,
                       const std::function<std::uint8_t(std::uint32_t, std::uint32_t)>& pixel) {
    Bytes out;
    appendBigEndian(out, 0x00000803);
    appendBigEndian(out, count);
    appendBigEndian(out, rows);
    appendBigEndian(out, cols);
    for (std::uint32_t i = 0; i < count; ++i) {
        for (std::uint32_t p = 0; p < rows * cols; ++p) {
            out.push_back(pixel(i, p));
        }
    }
    return out;
}

/// An idx1-ubyte file holding `labels`.
inline Bytes idxLabels(const Bytes& labels) {
    Bytes out;
    appendBigEndian(out, 0x00000801);
    appendBigEndian(out, static_cast<std::uint32_t>(labels.size()));
    out.insert(out.end(), labels.begin(), labels.end());
    return out;
}

/// The message of the core::InputError `f` throws, or a text saying what happened instead.
template <class F>
QString inputErrorOf(F&& f) {
    try {
        f();
    } catch (const bt::core::InputError& e) {
        return QString::fromStdString(e.what());
    } catch (const std::exception& e) {
        return QStringLiteral("<not an InputError: %1>").arg(e.what());
    }
    return QStringLiteral("<no exception>");
}

} // namespace fixtures

/// Checks that `message` contains every one of `parts`, printing the message when not.
#define BT_VERIFY_MESSAGE(message, ...)                                                            \
    do {                                                                                           \
        const QString btMessage = (message);                                                       \
        for (const QString& btPart : QStringList{__VA_ARGS__}) {                                   \
            QVERIFY2(btMessage.contains(btPart),                                                   \
                     qPrintable(QStringLiteral("'%1' not in: %2").arg(btPart, btMessage)));        \
        }                                                                                          \
    } while (false)
