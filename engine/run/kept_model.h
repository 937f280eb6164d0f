#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace bt::models {
class NetworkImpl;
}

namespace bt::run {

// The trained models a run keeps (docs/design/ARCHITECTURE.md, "Kept models"): for each method
// with a λ*, the network refit at λ* on training ∪ validation ("refit", the deliverable) and,
// for bilevel, λ* retrained on the training split ("retrained"). Each is a TorchScript archive
// that Python's torch.jit.load opens, beside a JSON sidecar (λ*, the λ names, how inputs are
// normalised, the model's metrics, the run id), in the run's checkpoint folder. Export copies
// them: it trains nothing.

/// The models a run can keep, by the name `export-model --which` takes.
inline constexpr std::string_view kKeptRefit = "refit";
inline constexpr std::string_view kKeptRetrained = "retrained";

/// "<folder>/<method>-<which>.pt": where a kept model lives.
std::filesystem::path keptModelFile(const std::filesystem::path& folder, const std::string& method,
                                    std::string_view which);

/// The sidecar of a model file: "model.pt" → "model.json".
std::filesystem::path sidecarFile(const std::filesystem::path& modelFile);

/// Writes `network` as TorchScript to keptModelFile(folder, method, which) and `sidecar` beside
/// it, each through a temporary file renamed into place; creates `folder`.
/// @throws core::InputError naming the file that cannot be written and why
void keepModel(const std::filesystem::path& folder, const std::string& method,
               std::string_view which, const models::NetworkImpl& network,
               const nlohmann::json& sidecar);

/// Copies the kept model of `method` (`which`) from `folder` to `out` and its sidecar to
/// sidecarFile(out), each through a temporary file renamed into place.
/// @return the two files written
/// @throws core::InputError "--which" for an unknown model, "--out" for a file that cannot be
///         written, or naming the run's model when it was not kept
std::vector<std::filesystem::path> exportKeptModel(const std::filesystem::path& folder,
                                                   const std::string& method,
                                                   const std::string& which,
                                                   const std::filesystem::path& out);

} // namespace bt::run
