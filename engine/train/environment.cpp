#include "engine/train/environment.h"

#include <fstream>
#include <set>
#include <sstream>
#include <thread>
#include <type_traits>

#include <nlohmann/json.hpp>

#include <sys/utsname.h>
#include <torch/cuda.h>
#include <torch/torch.h>
#include <torch/version.h>

#include "engine/core/version.h"

namespace bt::train {

namespace {

// Which BLAS actually runs is decided at load time by Debian's alternatives for libblas.so.3,
// not by LibTorch's build, so read the libraries mapped into this process.
std::vector<std::string> mappedBlasLibraries() {
    std::ifstream maps("/proc/self/maps");
    std::set<std::string> found;
    std::string line;
    while (std::getline(maps, line)) {
        const auto slash = line.find('/');
        if (slash == std::string::npos) {
            continue;
        }
        const std::string path = line.substr(slash);
        const auto base = path.substr(path.rfind('/') + 1);
        if (base.find("blas") != std::string::npos || base.find("mkl_rt") != std::string::npos) {
            found.insert(path);
        }
    }
    return {found.begin(), found.end()};
}

std::string compiledBlasInfo() {
    const std::string config = torch::show_config();
    const std::string key = "BLAS_INFO=";
    const auto pos = config.find(key);
    if (pos == std::string::npos) {
        return "unknown";
    }
    const auto end = config.find_first_of(", \n", pos + key.size());
    return config.substr(pos + key.size(), end - pos - key.size());
}

std::string cpuModel() {
    std::ifstream info("/proc/cpuinfo");
    std::string line;
    while (std::getline(info, line)) {
        if (line.rfind("model name", 0) == 0) {
            const auto colon = line.find(':');
            if (colon != std::string::npos) {
                return line.substr(line.find_first_not_of(' ', colon + 1));
            }
        }
    }
    return "unknown";
}

} // namespace

Environment describeEnvironment() {
    Environment env;
    env.appVersion = core::kVersion;
    env.torchVersion = std::to_string(TORCH_VERSION_MAJOR) + "." +
                       std::to_string(TORCH_VERSION_MINOR) + "." +
                       std::to_string(TORCH_VERSION_PATCH);
    env.compiledBlas = compiledBlasInfo();
    env.loadedBlas = mappedBlasLibraries();
    for (const auto& lib : env.loadedBlas) {
        if (lib.find("openblas") != std::string::npos) {
            env.openBlas = true;
        }
    }
    env.threads = torch::get_num_threads();
    env.cudaAvailable = torch::cuda::is_available();
    env.cudaDevices = env.cudaAvailable ? static_cast<int>(torch::cuda::device_count()) : 0;
    env.cpu = cpuModel();
    env.cpuCores = static_cast<int>(std::thread::hardware_concurrency());
    utsname uts{};
    if (uname(&uts) == 0) {
        env.os = std::string(uts.sysname) + " " + uts.release + " " + uts.machine;
    }
    return env;
}

std::string blasAdvice(const Environment& env) {
    if (env.openBlas || env.compiledBlas != "generic") {
        return {};
    }
    return "LibTorch is not using OpenBLAS (loaded: " +
           (env.loadedBlas.empty() ? std::string("none") : env.loadedBlas.front()) +
           "); install libopenblas0-pthread for several times faster training";
}

nlohmann::json toJson(const Environment& env) {
    return {{"app_version", env.appVersion},     {"torch_version", env.torchVersion},
            {"blas_compiled", env.compiledBlas}, {"blas_loaded", env.loadedBlas},
            {"openblas", env.openBlas},          {"threads", env.threads},
            {"cuda_devices", env.cudaDevices},   {"cpu", env.cpu},
            {"cpu_cores", env.cpuCores},         {"os", env.os}};
}

Environment environmentFromJson(const nlohmann::json& json) {
    Environment env;
    if (!json.is_object()) {
        return env;
    }
    const auto read = [&json](const char* key, auto& field) {
        const auto it = json.find(key);
        if (it == json.end()) {
            return;
        }
        using Field = std::decay_t<decltype(field)>;
        if constexpr (std::is_same_v<Field, std::string>) {
            if (it->is_string()) {
                field = it->template get<std::string>();
            }
        } else if constexpr (std::is_same_v<Field, bool>) {
            if (it->is_boolean()) {
                field = it->template get<bool>();
            }
        } else if constexpr (std::is_same_v<Field, int>) {
            if (it->is_number_integer()) {
                field = it->template get<int>();
            }
        } else {
            if (it->is_array()) {
                for (const auto& item : *it) {
                    if (item.is_string()) {
                        field.push_back(item.template get<std::string>());
                    }
                }
            }
        }
    };
    read("app_version", env.appVersion);
    read("torch_version", env.torchVersion);
    read("blas_compiled", env.compiledBlas);
    read("blas_loaded", env.loadedBlas);
    read("openblas", env.openBlas);
    read("threads", env.threads);
    read("cuda_devices", env.cudaDevices);
    read("cpu", env.cpu);
    read("cpu_cores", env.cpuCores);
    read("os", env.os);
    env.cudaAvailable = env.cudaDevices > 0;
    return env;
}

std::string formatEnvironment(const Environment& env) {
    std::ostringstream out;
    out << "Bilevel Tuner: " << env.appVersion << '\n'
        << "LibTorch: " << env.torchVersion << '\n'
        << "BLAS (LibTorch build): " << env.compiledBlas << '\n'
        << "BLAS (loaded): ";
    if (env.loadedBlas.empty()) {
        out << "none mapped";
    }
    for (std::size_t i = 0; i < env.loadedBlas.size(); ++i) {
        out << (i ? ", " : "") << env.loadedBlas[i];
    }
    out << (env.openBlas              ? " (OpenBLAS)"
            : blasAdvice(env).empty() ? ""
                                      : " (not OpenBLAS: training runs several times slower)")
        << '\n'
        << "Threads: " << env.threads << '\n'
        << "CUDA: "
        << (env.cudaAvailable
                ? std::to_string(env.cudaDevices) + (env.cudaDevices == 1 ? " device" : " devices")
                : "not available")
        << '\n'
        << "CPU: " << env.cpu << " (" << env.cpuCores << " logical)\n"
        << "OS: " << env.os << '\n';
    return out.str();
}

} // namespace bt::train
