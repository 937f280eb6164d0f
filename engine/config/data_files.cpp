#include "engine/config/data_files.h"

#include <array>
#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>
#include <utility>

#include <fcntl.h>
#include <unistd.h>

namespace bt::config {

namespace {

namespace fs = std::filesystem;

/// " (a relative path is taken relative to the data folder DIR)" for a relative `given`, which
/// explains a resolved path the user never typed.
std::string relativeNote(const fs::path& given, const fs::path& dataDir) {
    if (given.is_absolute()) {
        return {};
    }
    return " (a relative path is taken relative to the data folder " + dataDir.string() + ")";
}

/// Why `file` cannot be opened for reading, or empty when it can.
std::string openProblem(const fs::path& file) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return std::strerror(errno);
    }
    ::close(fd);
    return {};
}

/// A file a key names: it must exist, be a file and open for reading. `what`: "a CSV file".
void checkFile(std::vector<ConfigProblem>& problems, const std::string& key, const fs::path& given,
               const fs::path& dataDir, const std::string& what) {
    if (given.empty()) {
        return;
    }
    const fs::path file = resolveDataPath(given, dataDir);
    const std::string note = relativeNote(given, dataDir);
    std::error_code error;
    const fs::file_status status = fs::status(file, error);
    if (status.type() == fs::file_type::not_found) {
        problems.push_back({key, "no such file: " + file.string() + note});
        return;
    }
    if (status.type() == fs::file_type::directory) {
        problems.push_back({key, file.string() + " is a folder; expected " + what + note});
        return;
    }
    if (error) {
        problems.push_back({key, "cannot read " + file.string() + " (" + error.message() + ")"});
        return;
    }
    if (const std::string reason = openProblem(file); !reason.empty()) {
        problems.push_back({key, "cannot read " + file.string() + " (" + reason + ")"});
    }
}

void checkImageFolder(std::vector<ConfigProblem>& problems, const DatasetConfig& dataset,
                      const fs::path& dataDir) {
    if (dataset.path.empty()) {
        return;
    }
    const fs::path folder = resolveDataPath(dataset.path, dataDir);
    const std::string kind(toString(*dataset.kind));
    const std::string note = relativeNote(dataset.path, dataDir);
    std::error_code error;
    const fs::file_status status = fs::status(folder, error);
    const std::string expected = "expected the folder of the " + kind + " dataset" + note;
    if (status.type() == fs::file_type::not_found) {
        problems.push_back(
            {"dataset.path", "no such folder: " + folder.string() + "; " + expected});
    } else if (error) {
        problems.push_back(
            {"dataset.path", "cannot read " + folder.string() + " (" + error.message() + ")"});
    } else if (status.type() != fs::file_type::directory) {
        problems.push_back({"dataset.path", folder.string() + " is not a folder; " + expected});
    }
}

} // namespace

fs::path resolveDataPath(const fs::path& path, const fs::path& dataDir) {
    return path.empty() || path.is_absolute() ? path : dataDir / path;
}

std::vector<ConfigProblem> checkDataFiles(const DatasetConfig& dataset, const fs::path& dataDir) {
    std::vector<ConfigProblem> problems;
    if (!dataset.kind) {
        return problems;
    }
    if (namesItsFiles(*dataset.kind)) {
        const std::string what = *dataset.kind == DatasetKind::Csv
                                     ? "a CSV file"
                                     : "a NumPy file (.npz, or PREFIX_x.npy)";
        const std::array<std::pair<const char*, const fs::path*>, 4> files{{
            {"dataset.path", &dataset.path},
            {"dataset.train_path", &dataset.trainPath},
            {"dataset.validation_path", &dataset.validationPath},
            {"dataset.test_path", &dataset.testPath},
        }};
        for (const auto& [key, path] : files) {
            checkFile(problems, key, *path, dataDir, what);
        }
    } else {
        checkImageFolder(problems, dataset, dataDir);
    }
    return problems;
}

std::vector<ConfigProblem> checkInputFiles(const RunConfig& config, const fs::path& dataDir) {
    auto problems = checkDataFiles(config.dataset, dataDir);
    if (config.model.kind == ModelKind::Torchscript) {
        checkFile(problems, "model.path", config.model.path, dataDir, "a TorchScript file");
    }
    return problems;
}

} // namespace bt::config
