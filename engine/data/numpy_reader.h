#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace bt::data {

// NumPy files (dataset.kind numpy): an .npz archive holding the arrays `x` (features, one row
// per sample, any further shape) and `y` (labels or targets), as numpy.savez or
// numpy.savez_compressed write them, or a pair of .npy files PREFIX_x.npy and PREFIX_y.npy.
// The archive is read with libzip. The .npy format (NumPy's NEP 1: a magic string, a version, a
// header length and a Python dict literal with descr, fortran_order and shape) is parsed here:
// Debian's xtensor 0.24 reader sign-extends header lengths of 128 bytes or more and reads out of
// bounds on an empty header, and this reader meets untrusted files (and the fuzzer).

/// One array: its shape, NumPy type and values in C order.
struct NumpyArray {
    std::vector<std::int64_t> shape;
    char kind = 'f';           ///< NumPy's type kind: 'f' float, 'i' signed, 'u' unsigned, 'b' bool
    int itemSize = 4;          ///< bytes per value
    std::vector<float> floats; ///< the values, when read as float32 (features)
    std::vector<double> values; ///< the values, when read as float64 (labels and targets)
    std::string source;         ///< "FILE" or "FILE:MEMBER", for messages

    std::int64_t rows() const { return shape.empty() ? 0 : shape[0]; }
    /// "float32", "int64", ...: the type as NumPy names it.
    std::string typeName() const;
};

/// The .npy content `bytes`, its values converted to float32 (`asFloat`: into `floats`) or
/// float64 (into `values`).
/// @throws core::InputError naming `source`: not an .npy array, a truncated one, big-endian,
///         Fortran order, or a type other than booleans, integers and floats
NumpyArray parseNpy(const std::string& bytes, const std::string& source, bool asFloat);

/// The features and targets of one dataset file.
struct NumpyPair {
    NumpyArray x;
    NumpyArray y;
};

/// Reads `file`: an .npz with members x and y, or PREFIX_x.npy / PREFIX_y.npy named by either.
/// Checks only the format; what the arrays must hold is the dataset's to check (checkPair).
/// @throws core::InputError naming the file (and member) for a file that cannot be read, is not
///         a zip archive or lacks a member, or holds an unreadable array
NumpyPair readNumpyPair(const std::filesystem::path& file);

/// The rules a dataset file's arrays meet: x has two or more dimensions, float32 or float64,
/// finite values; y has one value per sample of x (shape N or N × 1); classification labels are
/// integers (or booleans).
/// @throws core::InputError naming the array and what is wrong
void checkPair(const NumpyPair& pair, bool classification);

} // namespace bt::data
