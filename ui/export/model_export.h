#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <QString>

namespace bt::store {
class RunStore;
}

namespace bt::ui {

/// One model a stored run kept (engine/run/kept_model.h): the method and which model.
struct KeptChoice {
    QString method;
    QString which; ///< "refit" or "retrained"
    QString label; ///< "random: λ* refit on training ∪ validation"
};

/// The checkpoint folder of run `runId` in `store`, where its kept models are; empty, with
/// `error` set, when there is no store or the run is not in it.
std::filesystem::path keptModelFolder(const store::RunStore* store, const std::string& runId,
                                      QString* error);

/// The models kept in `folder` for `methods`, each method's refit (the deliverable) first; the
/// run's recommended model (report::recommend: `recommendedMethod`, its refit or, with
/// `recommendedRefit` false, its training-only model), where kept, before all, its label saying so.
std::vector<KeptChoice> keptChoices(const std::filesystem::path& folder,
                                    const std::vector<std::string>& methods,
                                    const std::string& recommendedMethod = {},
                                    bool recommendedRefit = true);

/// run::exportKeptModel with its error as text: the model and its sidecar beside `path`.
bool exportKeptModel(const std::filesystem::path& folder, const QString& method,
                     const QString& which, const QString& path, QString* error);

} // namespace bt::ui
