#include "app/cli/store_commands.h"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <vector>

#include "app/cli/cli_printer.h"
#include "app/cli/exit_codes.h"
#include "engine/core/atomic_file.h"
#include "engine/core/error.h"
#include "engine/run/kept_model.h"
#include "engine/store/run_export.h"
#include "engine/store/runs_across_seeds.h"
#include "engine/store/store_journal.h"

namespace bt::app::cli {

std::filesystem::path storePath(const std::string& option) {
    return option.empty() ? store::RunStore::defaultPath() : std::filesystem::path(option);
}

std::unique_ptr<store::RunStore> openForRun(const std::string& storeOption,
                                            const std::string& runId) {
    const auto path = storePath(storeOption);
    if (!std::filesystem::exists(path)) {
        throw store::StoreError(store::StoreError::Kind::UnknownRun, path.string(),
                                "no run \"" + runId + "\": the run store does not exist yet");
    }
    return std::make_unique<store::RunStore>(path);
}

int listCommand(const std::string& storeOption, bool json) {
    const auto path = storePath(storeOption);
    std::vector<store::RunInfo> runs;
    // A store that does not exist yet holds no runs; listing does not create it.
    if (std::filesystem::exists(path)) {
        store::RunStore store(path);
        runs = store.listRuns();
    }
    // Newest first, as the app's Runs view lists them.
    std::reverse(runs.begin(), runs.end());
    if (json) {
        std::cout << runListJson(runs).dump(2) << '\n';
    } else {
        printRunList(std::cout, runs);
    }
    return kExitOk;
}

int showCommand(const std::string& storeOption, const std::string& runId) {
    const auto store = openForRun(storeOption, runId);
    const auto run = store->run(runId);
    const auto whole = store::exportRunJson(*store, run.id);
    printRunDetails(std::cout, run, whole.at("methods"),
                    whole.at("lambda_names").get<std::vector<std::string>>(),
                    whole.at("samples").size(), whole.at("iterations").size(), store->file(),
                    store::dataFingerprints(*store, run.id));
    return kExitOk;
}

int compareCommand(const std::string& storeOption, const std::string& firstId,
                   const std::string& secondId) {
    const auto store = openForRun(storeOption, firstId);
    const auto first = store->run(firstId);
    const auto second = store->run(secondId);
    const auto a = store::storedResults(*store, first.id);
    const auto b = store::storedResults(*store, second.id);
    printRunComparison(std::cout, {first, a.methods, a.lambdaNames, a.data},
                       {second, b.methods, b.lambdaNames, b.data});
    return kExitOk;
}

int exportCommand(const std::string& storeOption, const std::string& runId,
                  const std::string& format, const std::string& outPath) {
    const auto store = openForRun(storeOption, runId);
    const auto run = store->run(runId);
    if (format == "csv") {
        for (const auto& file : store::exportRunCsv(*store, run.id, outPath)) {
            std::cout << "Wrote " << file.string() << '\n';
        }
        return kExitOk;
    }
    const auto text = store::exportRunJson(*store, run.id).dump(2) + "\n";
    if (outPath == "-") {
        std::cout << text;
        return kExitOk;
    }
    core::writeTextAtomically(outPath, "the export file", text);
    std::cout << "Wrote " << outPath << '\n';
    return kExitOk;
}

int exportModelCommand(const std::string& storeOption, const std::string& runId,
                       const std::string& method, const std::string& which,
                       const std::string& outPath) {
    const auto store = openForRun(storeOption, runId);
    const auto run = store->run(runId);
    if (std::find(run.methods.begin(), run.methods.end(), method) == run.methods.end()) {
        std::string methods;
        for (const auto& m : run.methods) {
            methods += (methods.empty() ? "" : ", ") + m;
        }
        throw core::InputError("--method", "run " + run.id + " has no method \"" + method +
                                               "\"; it ran " + methods);
    }
    const auto written =
        run::exportKeptModel(store::checkpointFolderFor(*store, run.id), method, which, outPath);
    for (const auto& file : written) {
        std::cout << "Wrote " << file.string() << '\n';
    }
    return kExitOk;
}

int renameCommand(const std::string& storeOption, const std::string& runId,
                  const std::string& name) {
    const auto store = openForRun(storeOption, runId);
    const auto run = store->run(runId);
    store->renameRun(run.id, name);
    std::cout << "Renamed run " << run.id << ": \"" << run.name << "\" is now \"" << name << "\"\n";
    return kExitOk;
}

int deleteCommand(const std::string& storeOption, const std::vector<std::string>& runIds) {
    const auto store = openForRun(storeOption, runIds.front());
    const auto runs = store::runsNamed(*store, runIds);
    int code = kExitOk;
    for (const auto& run : runs) {
        const auto problem = store::deleteStoredRun(*store, run.id);
        std::cout << "Deleted run " << run.id << (run.name.empty() ? "" : " (" + run.name + ")")
                  << '\n';
        if (!problem.empty()) {
            std::cerr << "warning: " << problem << '\n';
            code = kExitFailed;
        }
    }
    return code;
}

int aggregateCommand(const std::string& storeOption, const std::vector<std::string>& runIds,
                     bool json) {
    const auto store = openForRun(storeOption, runIds.front());
    const auto across = store::runsAcrossSeeds(*store, runIds, "RUN_ID");
    if (json) {
        std::cout << acrossRunsJson(across).dump(2) << '\n';
    } else {
        printAcrossRuns(std::cout, across);
    }
    return kExitOk;
}

} // namespace bt::app::cli
