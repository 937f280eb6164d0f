#pragma once

#include <string>

#include <spdlog/logger.h>

#include "app/cli/mpi_coordinator.h"

namespace bt::app::cli {

/// How the console shows a run.
struct OutputOptions {
    bool quiet = false;      ///< nothing but errors
    bool jsonEvents = false; ///< one JSON object per event and line
};

/// What `run` and `resume` share: where the trainings run, the store, the output folder, the
/// console.
struct DriveOptions {
    std::string executor = "local";
    std::string store;  ///< empty: the default store
    std::string outDir; ///< empty: `run`: <data folder>/runs/<run id>; `resume`: the run's own
    OutputOptions output;
};

/// `run`'s options.
struct RunOptions : DriveOptions {
    std::string configPath;
    std::string name; ///< empty: the config file's stem
    /// `--seeds`: one run per seed of the list (config::parseSeedList), then their aggregate;
    /// empty: one run of the configuration as it is.
    std::string seeds;
};

/// `resume`'s options.
struct ResumeOptions : DriveOptions {
    std::string runId; ///< an id or a unique start of one
};

/// `run`: records a new run of the configuration in the store, runs it journaled (so that
/// `resume` can continue it) and writes DIR/result.json. The configuration, the output folder
/// and the store are checked before anything is written to the store. With `seeds`, one such
/// run per seed (training.seed; named "NAME · seed S", DIR/seed-S), one after another, then
/// their aggregate as `aggregate` prints it; a run that does not complete ends the series with
/// its exit code.
/// @return an exit code: 0 completed, 1 failed, 130 cancelled
/// @throws core::InputError for bad input (exit code 2)
int runCommand(const RunOptions& options, MpiWorld* world, spdlog::logger& log);

/// `resume`: continues an interrupted, cancelled or failed run from its records: what was
/// committed is replayed (no completed training is repeated), the rest is done, and the result
/// is the one an uninterrupted run would have had (same seed and thread count).
/// @return and @throws as runCommand
int resumeCommand(const ResumeOptions& options, MpiWorld* world);

} // namespace bt::app::cli
