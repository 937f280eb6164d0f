#include "ui/export/model_export.h"

#include <QCoreApplication>

#include "engine/core/error.h"
#include "engine/run/kept_model.h"
#include "engine/store/run_store.h"
#include "engine/store/store_journal.h"

namespace bt::ui {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("bt::ui::ModelExport", text);
}

} // namespace

std::filesystem::path keptModelFolder(const store::RunStore* store, const std::string& runId,
                                      QString* error) {
    if (store == nullptr || runId.empty() || !store->findRun(runId)) {
        *error = tr("Models are kept by runs recorded in the run store: run a configuration, or "
                    "open a stored run in the Runs view, then export its model.");
        return {};
    }
    return store::checkpointFolderFor(*store, runId);
}

std::vector<KeptChoice> keptChoices(const std::filesystem::path& folder,
                                    const std::vector<std::string>& methods,
                                    const std::string& recommendedMethod, bool recommendedRefit) {
    std::vector<KeptChoice> out;
    for (const auto& method : methods) {
        for (const auto which : {run::kKeptRefit, run::kKeptRetrained}) {
            if (!std::filesystem::exists(run::keptModelFile(folder, method, which))) {
                continue;
            }
            const auto name = QString::fromStdString(method);
            KeptChoice choice{name, QString::fromUtf8(which.data(), which.size()),
                              (which == run::kKeptRefit
                                   ? tr("%1: λ* refit on training ∪ validation")
                                   : tr("%1: λ* retrained on the training split"))
                                  .arg(name)};
            if (method == recommendedMethod && (which == run::kKeptRefit) == recommendedRefit) {
                choice.label += tr(" (recommended)");
                out.insert(out.begin(), std::move(choice));
            } else {
                out.push_back(std::move(choice));
            }
        }
    }
    return out;
}

bool exportKeptModel(const std::filesystem::path& folder, const QString& method,
                     const QString& which, const QString& path, QString* error) {
    try {
        run::exportKeptModel(folder, method.toStdString(), which.toStdString(), path.toStdString());
    } catch (const core::InputError& e) {
        *error = QString::fromStdString(e.what());
        return false;
    }
    return true;
}

} // namespace bt::ui
