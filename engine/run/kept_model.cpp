#include "engine/run/kept_model.h"

#include <system_error>

#include <torch/script.h>

#include "engine/core/atomic_file.h"
#include "engine/core/error.h"
#include "engine/models/network.h"
#include "engine/models/script_module.h"

namespace bt::run {

namespace fs = std::filesystem;

namespace {

/// Moves `temporary` to `file`, removing the temporary when that fails.
void moveIntoPlace(const fs::path& temporary, const fs::path& file) {
    std::error_code ec;
    fs::rename(temporary, file, ec);
    if (ec) {
        const auto reason = ec.message();
        fs::remove(temporary, ec);
        throw core::InputError(file.string(), "cannot write the file: " + reason);
    }
}

void copyFile(const fs::path& from, const fs::path& to) {
    const fs::path temporary = to.string() + ".partial";
    std::error_code ec;
    fs::copy_file(from, temporary, fs::copy_options::overwrite_existing, ec);
    if (ec) {
        const auto reason = ec.message();
        fs::remove(temporary, ec);
        throw core::InputError(to.string(), "cannot write the file: " + reason);
    }
    moveIntoPlace(temporary, to);
}

} // namespace

fs::path keptModelFile(const fs::path& folder, const std::string& method, std::string_view which) {
    return folder / (method + "-" + std::string(which) + ".pt");
}

fs::path sidecarFile(const fs::path& modelFile) {
    auto sidecar = modelFile;
    return sidecar.replace_extension(".json");
}

void keepModel(const fs::path& folder, const std::string& method, std::string_view which,
               const models::NetworkImpl& network, const nlohmann::json& sidecar) {
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) {
        throw core::InputError(folder.string(), "cannot create the folder: " + ec.message());
    }
    const auto file = keptModelFile(folder, method, which);
    models::saveScript(models::toScriptModule(network), file);
    core::writeTextAtomically(sidecarFile(file), "the model's sidecar", sidecar.dump(2) + "\n");
}

std::vector<fs::path> exportKeptModel(const fs::path& folder, const std::string& method,
                                      const std::string& which, const fs::path& out) {
    if (which != kKeptRefit && which != kKeptRetrained) {
        throw core::InputError("--which", "unknown model \"" + which + "\"; expected " +
                                              std::string(kKeptRefit) + " or " +
                                              std::string(kKeptRetrained));
    }
    if (out.extension() == ".json") {
        throw core::InputError("--out", out.string() + ": name the model file (model.pt); its "
                                                       "JSON sidecar goes beside it");
    }
    const auto model = keptModelFile(folder, method, which);
    if (!fs::is_regular_file(model) || !fs::is_regular_file(sidecarFile(model))) {
        throw core::InputError(
            model.string(),
            "no " + which + " model of " + method + " was kept: the method did not finish, " +
                (which == kKeptRetrained ? "only bilevel keeps a retrained model, " : "") +
                "or the run was made before runs kept their models (run it again)");
    }
    if (out.has_parent_path() && !fs::is_directory(out.parent_path())) {
        throw core::InputError("--out", "no such folder: " + out.parent_path().string());
    }
    copyFile(model, out);
    copyFile(sidecarFile(model), sidecarFile(out));
    return {out, sidecarFile(out)};
}

} // namespace bt::run
