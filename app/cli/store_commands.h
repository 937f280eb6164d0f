#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "engine/store/run_store.h"

namespace bt::app::cli {

/// The run store a `--store` option names; its default, `<data folder>/runs.db`, when empty.
std::filesystem::path storePath(const std::string& option);

/// The store holding `runId`.
/// @throws store::StoreError UnknownRun when the store does not exist (it is not created).
std::unique_ptr<store::RunStore> openForRun(const std::string& storeOption,
                                            const std::string& runId);

/// `list [--json]`: the stored runs, newest first (as the app lists them). A store that does not
/// exist holds none.
int listCommand(const std::string& storeOption, bool json);

/// `show RUN_ID`: status, configuration, per-method results and cost of one run.
int showCommand(const std::string& storeOption, const std::string& runId);

/// `compare RUN_A RUN_B`: the settings the two runs differ in and their methods' results in
/// one table (cli_printer.h, printRunComparison).
int compareCommand(const std::string& storeOption, const std::string& firstId,
                   const std::string& secondId);

/// `export RUN_ID --format json|csv --out PATH`: the whole run as JSON (to a file, written
/// atomically, or `-` for standard output) or as CSV files in a folder.
int exportCommand(const std::string& storeOption, const std::string& runId,
                  const std::string& format, const std::string& outPath);

/// `export-model RUN_ID --method M [--which refit|retrained] --out FILE`: the method's kept
/// model as a TorchScript archive, and its JSON sidecar beside it (run/kept_model.h). Trains
/// nothing.
int exportModelCommand(const std::string& storeOption, const std::string& runId,
                       const std::string& method, const std::string& which,
                       const std::string& outPath);

/// `rename RUN_ID NAME`: the run's new name (store::checkRunName's rule).
int renameCommand(const std::string& storeOption, const std::string& runId,
                  const std::string& name);

/// `delete RUN_ID...`: each run's records, events and checkpoint folder (store::deleteStoredRun).
/// Every id is looked up before anything is deleted, so that a mistyped one deletes nothing; a
/// running run stops the command there (those before it are deleted, and said so).
int deleteCommand(const std::string& storeOption, const std::vector<std::string>& runIds);

/// `aggregate RUN_ID... [--json]`: runs of the same settings but their seeds (any other key that
/// differs is bad input, named), each method's figures over them (cli_printer.h,
/// printAcrossRuns).
int aggregateCommand(const std::string& storeOption, const std::vector<std::string>& runIds,
                     bool json);

} // namespace bt::app::cli
