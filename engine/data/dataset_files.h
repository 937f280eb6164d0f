#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace bt::data {

/// Debian's Fashion-MNIST package (fashion-mnist) installs the four gzip IDX files here; the
/// `fashion-mnist` dataset uses them when no path is given.
inline constexpr const char* kSystemFashionMnistDir = "/usr/share/datasets/fashion-mnist";

/// One file an image dataset is read from.
struct DataFile {
    std::string name;           ///< as documented: an IDX file's name without ".gz"
    std::filesystem::path path; ///< the file found, else where it is expected (IDX: NAME.gz)
    bool present = false;       ///< it exists (an IDX file as NAME.gz or NAME)
};

/// Where an image dataset is read from and which of its files are there, looked up without
/// reading any (DatasetSpec, "Pools by kind"). The one description of the image datasets' files:
/// the data layer reads what it lists, and the app's setup form reports what it misses.
struct ImageDataFiles {
    std::string kind;             ///< fashion-mnist | mnist | cifar10
    std::filesystem::path folder; ///< the dataset's folder (the path given, or its standard one)
    bool standardFolder = false;  ///< no path was given: `folder` is the kind's standard folder
    bool folderFound = false;     ///< `folder` exists and is a folder
    std::string contents;         ///< what the folder must hold, in words
    std::vector<DataFile>
        files; ///< the layout found (mnist: official or converted), in reading order

    /// The files of `files` that are not there.
    std::vector<DataFile> missing() const;
    /// The folder is there and holds every file of `files`.
    bool complete() const;
    /// Why the data cannot be read, naming the folder and the missing files; empty when
    /// complete().
    std::string problem() const;
};

/// The folder and files of the image dataset `kind` (fashion-mnist, mnist, cifar10):
/// - fashion-mnist: `path`, else kSystemFashionMnistDir when it holds the training images, else
///   dataDir/fashion-mnist; the four IDX files train-images-idx3-ubyte, train-labels-idx1-ubyte,
///   t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each NAME.gz or NAME);
/// - mnist: `path`, else dataDir/mnist; the four official IDX files when the training images are
///   there or the converted digits are not, else the converted digits (kMnistDigitsImagesFile,
///   kMnistDigitsLabelsFile);
/// - cifar10: `path`, else dataDir/cifar10, or its cifar-10-batches-bin subfolder when that
///   exists; data_batch_1.bin .. data_batch_5.bin and test_batch.bin.
/// @param path     the dataset's folder as resolved (config::resolveDataPath); empty: standard
/// @param dataDir  the per-user data folder (core::dataDir() for a run)
/// @throws std::invalid_argument for a kind that is not an image dataset
ImageDataFiles imageDataFiles(const std::string& kind, const std::filesystem::path& path,
                              const std::filesystem::path& dataDir);

} // namespace bt::data
