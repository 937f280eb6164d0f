#pragma once

#include <chrono>
#include <filesystem>
#include <iosfwd>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "engine/events/events.h"
#include "engine/events/phase_place.h"
#include "engine/report/run_result.h"

namespace bt::store {
struct RunInfo;
struct RunsAcrossSeeds;
} // namespace bt::store

namespace bt::app {

/// The CLI's event sink: one progress line per φ sample, trial and outer iteration (λ, |h|, μ,
/// r, F), warnings from the engine, and a summary table at the end. Progress mode (a terminal)
/// adds a bar under the lines with the method, phase, elapsed time and an estimate of the
/// phase's remaining time. Quiet mode prints nothing but errors; JSON mode prints one JSON object
/// per event and line (store/event_json.h; inner-progress events left out), for scripts.
class CliPrinter final : public events::EventSink {
public:
    enum class Mode { Lines, Progress, Quiet, JsonEvents };

    /// What the run will do, for the progress bar: the methods in order and the bilevel method's
    /// outer iterations.
    struct Plan {
        std::vector<std::string> methods;
        int outerIterations = 0;
    };

    CliPrinter(std::ostream& out, Mode mode) : CliPrinter(out, mode, Plan{}) {}
    CliPrinter(std::ostream& out, Mode mode, Plan plan);

    void onEvent(const events::Event& event) override;

    /// Redraws the progress bar (elapsed time and ETA move between events); for a timer thread.
    /// Does nothing outside progress mode.
    void refresh();

    /// Removes the progress bar, so that other output can follow (a message on Ctrl-C).
    void clearProgress();

    /// The final table: per method λ*, validation and test loss/accuracy, trainings, epochs,
    /// seconds, and ratios of cost to the bilevel method's when it ran.
    void printSummary(const report::RunResult& result);

private:
    void printLine(const std::string& line);
    void drawBar();
    void updateProgress(const events::Event& event);

    std::ostream& m_out;
    Mode m_mode;
    Plan m_plan;
    std::mutex m_mutex;

    // Progress-bar state (progress mode only).
    using Clock = std::chrono::steady_clock;
    Clock::time_point m_started = Clock::now();
    Clock::time_point m_phaseStarted = Clock::now();
    std::string m_method;
    std::string m_phase;
    double m_done = 0.0;
    double m_total = 0.0;
    bool m_barShown = false;
    bool m_finished = false;
    // Each training's place in its phase ("refinement 2/6"), counted as the desktop app counts it.
    events::PhaseCounter m_phases;
};

/// "[-3.21, -5.02]" with 3 decimals.
std::string formatLambda(const std::vector<double>& lambda);

/// "1:05" or "1:02:05".
std::string formatDuration(double seconds);

/// The text of `bilevel-tuner-cli list`: one line per run (id, name, status, the recommended
/// model and the task of store::runHeadline, created, methods), or a sentence when there are
/// none. The app's Runs view has the same columns.
void printRunList(std::ostream& out, const std::vector<store::RunInfo>& runs);

/// `list --json`: [{"run_id", "status", "created", "methods", "name", "updated", "message",
/// "task", "recommended": {"method", "model" (refit or retrained), "metrics"} or null}]
/// (store::runHeadline).
nlohmann::json runListJson(const std::vector<store::RunInfo>& runs);

/// The command line that goes on with stored run `runId`: "bilevel-tuner-cli resume ID", with
/// " --store FILE" (quoted for a POSIX shell where it needs it) unless `storeFile` is the default
/// store (store::RunStore::defaultPath()).
std::string runCommandLine(const std::string& command, const std::string& runId,
                           const std::filesystem::path& storeFile);

/// The text of `bilevel-tuner-cli show`: the run's status and times, a summary of its
/// configuration, and a table of each method's result and cost (from the result once the run
/// ended, else from the methods that finished), with the progress so far.
/// @param methodResults  result.json's "methods" object, or one of the same form
/// (report/result_json.h)
/// @param lambdaNames  the names of λ's entries (empty when the run has not said them)
/// @param samples, iterations  how many lower-level trainings and outer iterations are stored
/// @param data  the run's data fingerprints (store::dataFingerprints), shown as the row "data"
/// A run that `resume` can continue gets the command line that does it.
/// @throws std::invalid_argument  naming the key of a value of the wrong JSON type
void printRunDetails(std::ostream& out, const store::RunInfo& run,
                     const nlohmann::json& methodResults,
                     const std::vector<std::string>& lambdaNames, std::size_t samples,
                     std::size_t iterations, const std::filesystem::path& storeFile,
                     const nlohmann::json& data);

/// One run of a comparison: its store record, result.json's "methods" object (or one of the
/// same form) of its finished methods, and the names of λ's entries (may be empty).
struct ComparedRun {
    const store::RunInfo& run;
    const nlohmann::json& methodResults;
    const std::vector<std::string>& lambdaNames;
    const nlohmann::json& data; ///< store::dataFingerprints
};

/// The text of `bilevel-tuner-cli compare`: the two runs, the settings they differ in
/// (config::compareConfigs, A's value then B's), and one table of both runs' methods, named
/// "A: random", "B: bilevel", with the recommended model among them (report::recommend). Where
/// their data differ (config::compareConfigs) it says so and recommends none: the runs
/// may validate and test on different rows. Each run's methods in the order it ran them.
/// @throws std::invalid_argument  naming the key of a value of the wrong JSON type
void printRunComparison(std::ostream& out, const ComparedRun& first, const ComparedRun& second);

/// The text of `bilevel-tuner-cli aggregate`: store::RunsAcrossSeeds's table, its columns as
/// wide as their cells.
void printAcrossRuns(std::ostream& out, const store::RunsAcrossSeeds& across);
/// The same as JSON: {"runs", "seeds", "methods": [{"method", "best", "retrained_test_loss":
/// {"n", "mean", "standard_error", "low", "high"}, ...}]}; a figure without a value is null.
nlohmann::json acrossRunsJson(const store::RunsAcrossSeeds& across);

} // namespace bt::app
