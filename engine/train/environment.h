#pragma once

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace bt::train {

/// What a run ran on: logged at start-up and written into every report, so that a figure can be
/// traced to its software and hardware. Plain values; safe to copy across threads.
struct Environment {
    std::string appVersion;
    std::string torchVersion;
    std::string compiledBlas;            ///< BLAS LibTorch was built against (its build config)
    std::vector<std::string> loadedBlas; ///< BLAS libraries mapped into this process, real paths
    bool openBlas = false;               ///< an OpenBLAS library is among loadedBlas
    int threads = 0;                     ///< LibTorch intra-op threads
    bool cudaAvailable = false;
    int cudaDevices = 0;
    std::string cpu; ///< CPU model name
    /// What tells two hosts with the same model name apart, and what decides the floating-point
    /// sums a training does: "vendor family/model/stepping" and the vector instruction sets
    /// present, e.g. "GenuineIntel 6/143/8; avx avx2 fma avx512f". Empty where unknown.
    std::string cpuId;
    /// OpenBLAS's kernel set for this processor (openblas_get_corename, e.g. "SkylakeX"); empty
    /// where the BLAS loaded is not OpenBLAS.
    std::string blasCore;
    int cpuCores = 0; ///< logical CPUs online
    std::string os;   ///< kernel name and release
};

/// Reads the environment of this process. Cheap (reads /proc); never throws.
Environment describeEnvironment();

/// The host a run's figures belong to: the CPU's model name, cpuId and blasCore in one line.
/// Two runs of one program and seed give the same numbers only on the same host (the processor
/// picks the vector kernels, which change the floating-point sums), so comparisons pair runs
/// by it; empty fields are left out.
std::string hostKey(const Environment& env);

/// The warning for a slow BLAS, or empty. LibTorch built against the system's generic BLAS (as
/// Debian's is) trains several times slower when the reference BLAS, not OpenBLAS, is the one
/// loaded; a LibTorch that brings its own BLAS (MKL in PyTorch's wheels) needs no advice.
std::string blasAdvice(const Environment& env);

/// One line per field, "key: value", for logs, the CLI's `env` command and the report.
std::string formatEnvironment(const Environment& env);

/// The environment as result.json's "environment" holds it (ARCHITECTURE.md, "result.json"):
/// app_version, torch_version, blas_compiled, blas_loaded, openblas, blas_core, threads,
/// cuda_devices, cpu, cpu_id, cpu_cores, os, and host (hostKey, for tools that pair runs; not
/// read back); run::executeRun adds the run's device and data.
nlohmann::json toJson(const Environment& env);

/// What toJson wrote, read back; a key that is missing or of another type leaves its field
/// empty (a run's record before its data were read holds the versions only).
Environment environmentFromJson(const nlohmann::json& json);

} // namespace bt::train
