#include "engine/train/environment.h"

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>
#include <type_traits>

#include <nlohmann/json.hpp>

#include <dlfcn.h>
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

/// The first processor's entries of /proc/cpuinfo, "key" → "value".
std::map<std::string, std::string> firstProcessor() {
    std::ifstream info("/proc/cpuinfo");
    std::map<std::string, std::string> fields;
    std::string line;
    while (std::getline(info, line)) {
        if (line.empty()) {
            if (!fields.empty()) {
                break; // the end of the first processor's block
            }
            continue;
        }
        const auto colon = line.find(':');
        if (colon == std::string::npos) {
            continue;
        }
        auto key = line.substr(0, colon);
        key.erase(key.find_last_not_of(" \t") + 1);
        const auto start = line.find_first_not_of(' ', colon + 1);
        fields.emplace(key, start == std::string::npos ? std::string() : line.substr(start));
    }
    return fields;
}

std::string cpuIdentity(const std::map<std::string, std::string>& cpu) {
    const auto get = [&cpu](const char* key) {
        const auto it = cpu.find(key);
        return it == cpu.end() ? std::string() : it->second;
    };
    if (get("vendor_id").empty()) {
        return {};
    }
    std::string id =
        get("vendor_id") + " " + get("cpu family") + "/" + get("model") + "/" + get("stepping");
    // The vector instruction sets LibTorch's and OpenBLAS's kernels choose between.
    std::set<std::string> flags;
    std::istringstream words(get("flags"));
    for (std::string w; words >> w;) {
        flags.insert(w);
    }
    std::string sets;
    for (const char* f : {"sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512_vnni",
                          "avx512_bf16", "amx_tile"}) {
        if (flags.count(f)) {
            sets += (sets.empty() ? "" : " ") + std::string(f);
        }
    }
    return sets.empty() ? id : id + "; " + sets;
}

/// OpenBLAS names the kernel set it chose at load time; another BLAS has no such call.
std::string openBlasCore() {
    using CoreName = char* (*)();
    const auto fn = reinterpret_cast<CoreName>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
    const char* name = fn ? fn() : nullptr;
    return name ? std::string(name) : std::string();
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
    const auto cpu = firstProcessor();
    const auto model = cpu.find("model name");
    env.cpu = model == cpu.end() || model->second.empty() ? "unknown" : model->second;
    env.cpuId = cpuIdentity(cpu);
    env.blasCore = openBlasCore();
    env.cpuCores = static_cast<int>(std::thread::hardware_concurrency());
    utsname uts{};
    if (uname(&uts) == 0) {
        env.os = std::string(uts.sysname) + " " + uts.release + " " + uts.machine;
    }
    return env;
}

std::string hostKey(const Environment& env) {
    std::string key = env.cpu;
    for (const auto* part : {&env.cpuId, &env.blasCore}) {
        if (!part->empty()) {
            key += (key.empty() ? "" : " | ") + *part;
        }
    }
    return key;
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
    return {{"app_version", env.appVersion},
            {"torch_version", env.torchVersion},
            {"blas_compiled", env.compiledBlas},
            {"blas_loaded", env.loadedBlas},
            {"openblas", env.openBlas},
            {"blas_core", env.blasCore},
            {"threads", env.threads},
            {"cuda_devices", env.cudaDevices},
            {"cpu", env.cpu},
            {"cpu_id", env.cpuId},
            {"cpu_cores", env.cpuCores},
            {"os", env.os},
            {"host", hostKey(env)}};
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
    read("blas_core", env.blasCore);
    read("threads", env.threads);
    read("cuda_devices", env.cudaDevices);
    read("cpu", env.cpu);
    read("cpu_id", env.cpuId);
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
        << '\n';
    if (!env.blasCore.empty()) {
        out << "BLAS kernels: " << env.blasCore << '\n';
    }
    out << "Threads: " << env.threads << '\n'
        << "CUDA: "
        << (env.cudaAvailable
                ? std::to_string(env.cudaDevices) + (env.cudaDevices == 1 ? " device" : " devices")
                : "not available")
        << '\n'
        << "CPU: " << env.cpu << " (" << env.cpuCores << " logical)\n";
    if (!env.cpuId.empty()) {
        out << "CPU identity: " << env.cpuId << '\n';
    }
    out << "OS: " << env.os << '\n';
    return out.str();
}

} // namespace bt::train
