#include "app/cli/run_commands.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <stop_token>
#include <thread>

#include <unistd.h>

#include "app/cli/cli_printer.h"
#include "app/cli/exit_codes.h"
#include "app/cli/store_commands.h"
#include "engine/config/config_error.h"
#include "engine/config/data_files.h"
#include "engine/config/run_config_json.h"
#include "engine/config/seed_list.h"
#include "engine/core/error.h"
#include "engine/core/paths.h"
#include "engine/run/run_driver.h"
#include "engine/run/runner.h"

namespace bt::app::cli {

namespace {

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

// Fails now, not after hours of training, when the output folder cannot be written.
void requireWritableFolder(const std::filesystem::path& folder) {
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (ec) {
        throw core::InputError(folder.string(), "cannot create the output folder: " + ec.message());
    }
    if (!std::filesystem::is_directory(folder, ec)) {
        throw core::InputError(folder.string(), "the output folder is a file");
    }
    const auto probe = folder / (".write-test-" + std::to_string(::getpid()));
    {
        std::ofstream out(probe);
        out << "x";
        out.flush();
        if (!out) {
            std::filesystem::remove(probe, ec);
            throw core::InputError(folder.string(), "the output folder is not writable");
        }
    }
    std::filesystem::remove(probe, ec);
}

CliPrinter::Mode printerMode(const OutputOptions& output) {
    return output.jsonEvents              ? CliPrinter::Mode::JsonEvents
           : output.quiet                 ? CliPrinter::Mode::Quiet
           : ::isatty(STDOUT_FILENO) != 0 ? CliPrinter::Mode::Progress
                                          : CliPrinter::Mode::Lines;
}

// While it lives, SIGINT and SIGTERM request `stop` (the first; a second quits at once) and the
// printer's progress line is refreshed twice a second.
class InterruptWatcher {
public:
    InterruptWatcher(std::stop_source stop, CliPrinter& printer) {
        g_interrupts.store(0);
        std::signal(SIGINT, onInterrupt);
        std::signal(SIGTERM, onInterrupt);
        m_thread = std::jthread(
            [stop, &printer](std::stop_token done) mutable { watch(stop, printer, done); });
    }
    InterruptWatcher(const InterruptWatcher&) = delete;
    InterruptWatcher& operator=(const InterruptWatcher&) = delete;
    ~InterruptWatcher() {
        m_thread.request_stop();
        m_thread.join();
        std::signal(SIGINT, SIG_DFL);
        std::signal(SIGTERM, SIG_DFL);
    }

private:
    static void watch(std::stop_source& stop, CliPrinter& printer, std::stop_token done) {
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
    }

    std::jthread m_thread;
};

// The exit code of a run that ended with `status`.
int exitCodeOf(events::RunStatus status) {
    return status == events::RunStatus::Completed   ? kExitOk
           : status == events::RunStatus::Cancelled ? kExitCancelled
                                                    : kExitFailed;
}

// Drives the stored run `driver` holds (a new one or one resumed) with the printer on the
// console and SIGINT/SIGTERM turned into a stop, and ends it: the store's status and result,
// DIR/result.json, the summary.
int driveStoredRun(run::RunDriver& driver, const store::RunStore& store,
                   const OutputOptions& output, const MpiCoordinator& mpi) {
    const auto& config = driver.config();
    CliPrinter::Plan plan;
    for (const auto method : config.methods) {
        plan.methods.emplace_back(config::toString(method));
    }
    plan.outerIterations = config.bilevel.outerIterationCount();
    const auto mode = printerMode(output);
    const bool chatty = mode == CliPrinter::Mode::Lines || mode == CliPrinter::Mode::Progress;
    CliPrinter printer(std::cout, mode, plan);

    std::stop_source stop;
    auto result = [&] {
        const InterruptWatcher watcher(stop, printer);
        std::cerr << std::flush;
        if (chatty) {
            std::cout << "Run " << driver.runId() << " (store " << store.file().string() << ")\n";
            if (const auto text = mpi.description(); !text.empty()) {
                std::cout << text << '\n';
            }
            std::cout << std::flush;
        }
        // An exception leaves with the run ended in the store (RunDriver::drive).
        return driver.drive(printer, stop, mpi.factory());
    }();

    bool recorded = true;
    try {
        driver.finish(result);
    } catch (const std::exception& e) {
        // The store or result.json could not take the run's end (a full disk, a folder gone):
        // a failure of the run, not of its input. What the store holds is kept.
        std::cerr << "error: " << e.what() << "\nThe run's completed trainings are kept in "
                  << store.file().string() << ": `"
                  << runCommandLine("show", driver.runId(), store.file())
                  << "` shows them and, once there is room, `"
                  << runCommandLine("resume", driver.runId(), store.file())
                  << "` finishes the run if it did not complete.\n";
        recorded = false;
    }
    printer.printSummary(result);
    if (chatty) {
        std::cout << "\nResult: " << (driver.outDir() / "result.json").string() << '\n';
    }
    if (!result.message.empty() && result.status == events::RunStatus::Failed) {
        std::cerr << "error: run " << driver.runId() << " failed: " << result.message << '\n';
    }
    if (recorded && events::canResume(result.status)) {
        // Its completed trainings are kept: say how to go on without them being trained again.
        std::cerr << "`" << runCommandLine("resume", driver.runId(), store.file())
                  << "` continues the run from its completed trainings.\n";
    }
    return recorded ? exitCodeOf(result.status) : kExitFailed;
}

} // namespace

int runCommand(const RunOptions& options, MpiWorld* world, spdlog::logger& log) {
    // Order matters: a bad configuration, seed list, output folder or store stops the command
    // before anything is written to the store.
    // The coordinator first: whatever throws below, its end releases the worker ranks.
    MpiCoordinator mpi(world);
    auto config = config::loadRunConfig(options.configPath);
    std::vector<std::uint64_t> seeds;
    if (!options.seeds.empty()) {
        seeds = config::parseSeedList(options.seeds, "--seeds");
        if (options.executor == "mpi") {
            throw core::InputError("--seeds", "runs over seeds run with the local executor; "
                                              "start one MPI run per seed instead");
        }
    }
    // Missing data or network files stop the command before the store is opened (a new store
    // file is not made for a run that cannot start); the run checks them again when it starts.
    if (auto missing = config::checkInputFiles(config, core::dataDir()); !missing.empty()) {
        throw config::ConfigError(options.configPath, std::move(missing));
    }
    // So does a network that may not take the data (the form's check, before the store).
    if (run::mayNotTakeData(config)) {
        run::checkNetworkTakesData(config, core::dataDir());
    }
    const std::string name = options.name.empty()
                                 ? std::filesystem::path(options.configPath).stem().string()
                                 : options.name;
    // The configuration as it is, or one run per seed (training.seed) in OUT/seed-S, one after
    // another, then their aggregate across the seeds.
    std::vector<config::SeededRun> runs;
    if (seeds.empty()) {
        runs.push_back({config, name});
        mpi.announce(runs.front().config);
    }
    for (const auto seed : seeds) {
        runs.push_back(config::seededRun(config, name, seed));
    }
    const auto outDirOf = [&](std::size_t i, const std::string& id) {
        if (options.outDir.empty()) {
            return core::dataDir() / "runs" / id;
        }
        const std::filesystem::path out(options.outDir);
        return seeds.empty() ? out : out / ("seed-" + std::to_string(seeds[i]));
    };
    std::optional<store::RunStore> store; // opened once the first output folder is checked
    std::vector<std::string> runIds;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        run::NewRunSpec spec;
        spec.name = runs[i].name;
        spec.outDir = outDirOf(i, spec.id);
        requireWritableFolder(spec.outDir);
        if (!store) {
            store.emplace(storePath(options.store));
        }
        const auto driver = run::RunDriver::begin(*store, runs[i].config, spec);
        log.info("run {} ({}) started from {}", driver->runId(), spec.name, options.configPath);
        if (const int code = driveStoredRun(*driver, *store, options.output, mpi);
            code != kExitOk) {
            if (runs.size() > 1) {
                std::cerr << "Runs over seeds stopped at seed " << seeds[i] << " (" << i << " of "
                          << seeds.size() << " completed)\n";
            }
            return code;
        }
        runIds.push_back(driver->runId());
    }
    if (runs.size() == 1 || options.output.jsonEvents) {
        return kExitOk; // json events: one object per line, no table among them
    }
    std::cout << '\n';
    return aggregateCommand(options.store, runIds, false);
}

int resumeCommand(const ResumeOptions& options, MpiWorld* world) {
    MpiCoordinator mpi(world);
    const auto store = openForRun(options.store, options.runId);
    auto resumable = run::RunDriver::findResumable(*store, options.runId);
    mpi.announce(resumable.config);
    const std::filesystem::path out =
        options.outDir.empty() ? resumable.info.outDir : std::filesystem::path(options.outDir);
    requireWritableFolder(out);
    const auto driver = run::RunDriver::resume(*store, resumable, out);
    return driveStoredRun(*driver, *store, options.output, mpi);
}

} // namespace bt::app::cli
