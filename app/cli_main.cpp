// bilevel-tuner-cli: the headless twin of the desktop app. The command-line contract (commands,
// options, exit codes) is in ARCHITECTURE.md and is stable: scripts depend on it.
#include <iostream>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "app/app_logging.h"
#include "engine/core/error.h"
#include "engine/core/version.h"
#include "engine/train/environment.h"

namespace {

// Exit codes of the contract.
constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitBadInput = 2;

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
        if (cli.get_subcommands().empty()) {
            std::cout << cli.help();
            return kExitOk;
        }
        return kExitOk;
    } catch (const bt::core::InputError& e) {
        log->error("{}", e.what());
        return kExitBadInput;
    } catch (const std::exception& e) {
        log->error("{}", e.what());
        return kExitFailed;
    }
}
