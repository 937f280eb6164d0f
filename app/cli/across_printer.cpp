// `bilevel-tuner-cli aggregate`: a method's figures over runs of the same settings but their
// seeds (report::acrossRuns).
#include <cmath>
#include <ostream>

#include <nlohmann/json.hpp>

#include "app/cli/cli_printer.h"
#include "app/cli/cli_text.h"
#include "engine/report/across_runs.h"
#include "engine/store/run_store.h"

namespace bt::app {

namespace {

std::vector<report::MethodAcrossRuns> acrossOf(const SeededRuns& seeded) {
    std::vector<report::RunResult> results;
    for (std::size_t i = 0; i < seeded.runs.size(); ++i) {
        report::RunResult result;
        result.runId = seeded.runs[i].id;
        result.methods = methodResultsOf(seeded.methodResults[i], seeded.runs[i].methods);
        results.push_back(std::move(result));
    }
    return report::acrossRuns(results);
}

// "0.3412 ± 0.0021", "0.3412" for one run, "-" for none; `scale` 100 for percentages.
std::string meanAndError(const report::Spread& s, int decimals, double scale = 1.0) {
    if (s.n == 0) {
        return "-";
    }
    return fixed(scale * s.mean, decimals) +
           (s.n >= 2 ? " ± " + fixed(scale * s.standardError, decimals) : std::string());
}

// The paired difference from the best: "best", "+0.0012 ± 0.0009 tie", "+0.0100 ± 0.0020
// behind" ("ahead" where a method missing runs comes out below the best over the runs both
// have), "-" without pairs.
std::string againstBest(const report::MethodAcrossRuns& m) {
    if (m.best) {
        return "best";
    }
    const auto& d = m.lossAboveBest;
    if (d.n == 0) {
        return "-";
    }
    std::string text = (d.mean >= 0 ? "+" : "") + fixed(d.mean, 4);
    if (d.n < 2) {
        return text;
    }
    const bool tie = std::abs(d.mean) <= d.standardError;
    return text + " ± " + fixed(d.standardError, 4) +
           (tie          ? " tie"
            : d.mean > 0 ? " behind"
                         : " ahead");
}

nlohmann::json spreadJson(const report::Spread& s) {
    return {{"n", s.n},
            {"mean", s.mean},
            {"standard_error", s.standardError},
            {"low", s.low},
            {"high", s.high}};
}

} // namespace

void printAcrossRuns(std::ostream& out, const SeededRuns& seeded) {
    std::string seeds;
    for (const auto& [key, values] : seeded.seeds) {
        seeds += (seeds.empty() ? "" : "; ") + key + " " + joined(values);
    }
    out << "Across " << seeded.runs.size() << " runs"
        << (seeds.empty() ? std::string(" of the same settings") : " (" + seeds + ")")
        << ": mean ± standard error over the runs.\n"
        << "retrained: λ* trained on the training split alone; refit: on training ∪ "
           "validation;\nagainst the best: the retrained test loss less the best method's, run "
           "by run (within one standard error: a tie)\n";
    const auto across = acrossOf(seeded);
    std::size_t nameWidth = 8;
    for (const auto& m : across) {
        nameWidth = std::max(nameWidth, columnsOf(m.method) + 2);
    }
    out << leftIn("method", nameWidth) << leftIn("runs", 6) << leftIn("retrained loss", 19)
        << leftIn("retrained acc %", 17) << leftIn("refit loss", 19) << leftIn("refit acc %", 17)
        << leftIn("epochs", 8) << "against the best\n";
    for (const auto& m : across) {
        out << leftIn(m.method, nameWidth) << leftIn(std::to_string(m.retrainedLoss.n), 6)
            << leftIn(meanAndError(m.retrainedLoss, 4), 19)
            << leftIn(meanAndError(m.retrainedAccuracy, 2, 100.0), 17)
            << leftIn(meanAndError(m.refitLoss, 4), 19)
            << leftIn(meanAndError(m.refitAccuracy, 2, 100.0), 17)
            << leftIn(fixed(m.epochs.mean, 0), 8) << againstBest(m) << '\n';
    }
}

nlohmann::json acrossRunsJson(const SeededRuns& seeded) {
    nlohmann::json runs = nlohmann::json::array();
    for (const auto& run : seeded.runs) {
        runs.push_back(run.id);
    }
    nlohmann::json seeds = nlohmann::json::object();
    for (const auto& [key, values] : seeded.seeds) {
        seeds[key] = values;
    }
    nlohmann::json methods = nlohmann::json::array();
    for (const auto& m : acrossOf(seeded)) {
        methods.push_back({{"method", m.method},
                           {"best", m.best},
                           {"retrained_test_loss", spreadJson(m.retrainedLoss)},
                           {"retrained_test_accuracy", spreadJson(m.retrainedAccuracy)},
                           {"refit_test_loss", spreadJson(m.refitLoss)},
                           {"refit_test_accuracy", spreadJson(m.refitAccuracy)},
                           {"epochs", spreadJson(m.epochs)},
                           {"test_loss_above_best", spreadJson(m.lossAboveBest)}});
    }
    return {{"runs", runs}, {"seeds", seeds}, {"methods", methods}};
}

} // namespace bt::app
