#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "engine/report/run_result.h"

namespace bt::report {

/// Several runs of the same settings but their seeds, summarised per method: what one run
/// cannot tell (one training's test accuracy moves by points between seeds). The mean of each
/// held-out figure with its standard error and range, and each method's retrained test loss
/// paired, run by run, with the best method's (as the benchmark harness pairs methods by seed,
/// docs/design/BENCHMARK.md), a difference within one standard error being a tie.

/// Values summarised; every field NaN where they are too few (the standard error needs two).
struct Spread {
    std::size_t n = 0;
    double mean = std::numeric_limits<double>::quiet_NaN();
    double standardError = std::numeric_limits<double>::quiet_NaN(); ///< s / √n
    double low = std::numeric_limits<double>::quiet_NaN();
    double high = std::numeric_limits<double>::quiet_NaN();
};
/// The spread of `values`, those that are not finite left out.
Spread spreadOf(const std::vector<double>& values);

/// One method over the runs.
struct MethodAcrossRuns {
    std::string method;
    /// λ* trained on the training split alone (trainingOnlyMetrics) and refit on training ∪
    /// validation: test loss and accuracy (accuracy empty for a regression).
    Spread retrainedLoss, retrainedAccuracy, refitLoss, refitAccuracy;
    Spread epochs;
    /// Its retrained test loss less the best method's (the lowest mean retrained test loss),
    /// over the runs both have; n = 0 for the best itself.
    Spread lossAboveBest;
    bool best = false;
};

/// Per method, in the order the runs first name them; methods without a finished result in a
/// run leave that run out of their figures.
std::vector<MethodAcrossRuns> acrossRuns(const std::vector<RunResult>& runs);

/// What `aggregate` prints and the app's Runs view shows: the lines above the table (how many
/// runs, the seeds that set them apart, how to read it) and per method its cells: method, runs,
/// retrained loss, retrained acc %, refit loss, refit acc % (mean ± standard error), epochs, and
/// against the best ("best", "+0.0012 ± 0.0009 tie", "+0.0100 ± 0.0020 behind").
struct AcrossRunsTable {
    std::vector<std::string> caption;
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
};
/// `seeds`: each differing seed key and its values, in the runs' order ("training.seed", {"0",
/// "1", "2"}).
AcrossRunsTable
acrossRunsTable(std::size_t runs,
                const std::vector<std::pair<std::string, std::vector<std::string>>>& seeds,
                const std::vector<MethodAcrossRuns>& methods);

} // namespace bt::report
