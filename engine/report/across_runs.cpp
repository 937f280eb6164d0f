#include "engine/report/across_runs.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>

#include "engine/report/method_result.h"

namespace bt::report {

Spread spreadOf(const std::vector<double>& values) {
    std::vector<double> finite;
    std::copy_if(values.begin(), values.end(), std::back_inserter(finite),
                 [](double v) { return std::isfinite(v); });
    Spread spread;
    spread.n = finite.size();
    if (finite.empty()) {
        return spread;
    }
    const auto n = static_cast<double>(finite.size());
    double sum = 0.0;
    for (const double v : finite) {
        sum += v;
    }
    spread.mean = sum / n;
    const auto [low, high] = std::minmax_element(finite.begin(), finite.end());
    spread.low = *low;
    spread.high = *high;
    if (finite.size() >= 2) {
        double squares = 0.0;
        for (const double v : finite) {
            squares += (v - spread.mean) * (v - spread.mean);
        }
        spread.standardError = std::sqrt(squares / (n - 1.0)) / std::sqrt(n);
    }
    return spread;
}

namespace {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

// Per run, the method's figures (NaN where that run has none).
struct Figures {
    std::vector<double> retrainedLoss, retrainedAccuracy, refitLoss, refitAccuracy, epochs;
};

void take(Figures& figures, const MethodResult* result) {
    const auto own = result != nullptr && result->status == events::RunStatus::Completed
                         ? trainingOnlyMetrics(*result)
                         : std::nullopt;
    const auto refit = result != nullptr && result->status == events::RunStatus::Completed
                           ? result->refitMetrics
                           : std::nullopt;
    figures.retrainedLoss.push_back(own ? own->testLoss : kMissing);
    figures.retrainedAccuracy.push_back(own ? own->testAccuracy.value_or(kMissing) : kMissing);
    figures.refitLoss.push_back(refit ? refit->testLoss : kMissing);
    figures.refitAccuracy.push_back(refit ? refit->testAccuracy.value_or(kMissing) : kMissing);
    figures.epochs.push_back(own ? result->cost.epochs : kMissing);
}

} // namespace

std::vector<MethodAcrossRuns> acrossRuns(const std::vector<RunResult>& runs) {
    std::vector<std::string> order;
    for (const auto& run : runs) {
        for (const auto& m : run.methods) {
            if (std::find(order.begin(), order.end(), m.method) == order.end()) {
                order.push_back(m.method);
            }
        }
    }
    std::map<std::string, Figures> figures;
    for (const auto& run : runs) {
        for (const auto& method : order) {
            const auto it = std::find_if(run.methods.begin(), run.methods.end(),
                                         [&](const MethodResult& m) { return m.method == method; });
            take(figures[method], it != run.methods.end() ? &*it : nullptr);
        }
    }
    std::vector<MethodAcrossRuns> out;
    for (const auto& method : order) {
        const auto& f = figures[method];
        out.push_back({method, spreadOf(f.retrainedLoss), spreadOf(f.retrainedAccuracy),
                       spreadOf(f.refitLoss), spreadOf(f.refitAccuracy), spreadOf(f.epochs),
                       Spread{}, false});
    }
    const auto best = std::min_element(out.begin(), out.end(), [](const auto& a, const auto& b) {
        // A method without a figure is never the best.
        const double x = std::isfinite(a.retrainedLoss.mean)
                             ? a.retrainedLoss.mean
                             : std::numeric_limits<double>::infinity();
        const double y = std::isfinite(b.retrainedLoss.mean)
                             ? b.retrainedLoss.mean
                             : std::numeric_limits<double>::infinity();
        return x < y;
    });
    if (best == out.end() || !std::isfinite(best->retrainedLoss.mean)) {
        return out;
    }
    best->best = true;
    const auto& bestLosses = figures[best->method].retrainedLoss;
    for (auto& m : out) {
        if (m.best) {
            continue;
        }
        const auto& losses = figures[m.method].retrainedLoss;
        std::vector<double> differences;
        for (std::size_t r = 0; r < losses.size(); ++r) {
            differences.push_back(losses[r] - bestLosses[r]); // NaN where either is missing
        }
        m.lossAboveBest = spreadOf(differences);
    }
    return out;
}

namespace {

std::string decimals(double v, int places) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", places, v);
    return text;
}

// "0.3412 ± 0.0021", "0.3412" for one run, "-" for none; `scale` 100 for percentages.
std::string meanAndError(const Spread& s, int places, double scale = 1.0) {
    if (s.n == 0) {
        return "-";
    }
    return decimals(scale * s.mean, places) +
           (s.n >= 2 ? " ± " + decimals(scale * s.standardError, places) : std::string());
}

// "best", "+0.0012 ± 0.0009 tie", "+0.0100 ± 0.0020 behind" ("ahead" where a method missing
// runs comes out below the best over the runs both have), "-" without pairs.
std::string againstBest(const MethodAcrossRuns& m) {
    if (m.best) {
        return "best";
    }
    const auto& d = m.lossAboveBest;
    if (d.n == 0) {
        return "-";
    }
    std::string text = (d.mean >= 0 ? "+" : "") + decimals(d.mean, 4);
    if (d.n < 2) {
        return text;
    }
    const bool tie = std::abs(d.mean) <= d.standardError;
    return text + " ± " + decimals(d.standardError, 4) +
           (tie          ? " tie"
            : d.mean > 0 ? " behind"
                         : " ahead");
}

} // namespace

AcrossRunsTable
acrossRunsTable(std::size_t runs,
                const std::vector<std::pair<std::string, std::vector<std::string>>>& seeds,
                const std::vector<MethodAcrossRuns>& methods) {
    AcrossRunsTable table;
    std::string seedText;
    for (const auto& [key, values] : seeds) {
        std::string joined;
        for (const auto& v : values) {
            joined += (joined.empty() ? "" : ", ") + v;
        }
        seedText += (seedText.empty() ? "" : "; ") + key + " " + joined;
    }
    table.caption = {
        "Across " + std::to_string(runs) + " runs" +
            (seedText.empty() ? std::string(" of the same settings") : " (" + seedText + ")") +
            ": mean ± standard error over the runs.",
        "retrained: λ* trained on the training split alone; refit: on training ∪ validation;",
        "against the best: the retrained test loss less the best method's, run by run (within "
        "one standard error: a tie)"};
    table.header = {"method",     "runs",        "retrained loss", "retrained acc %",
                    "refit loss", "refit acc %", "epochs",         "against the best"};
    for (const auto& m : methods) {
        table.rows.push_back({m.method, std::to_string(m.retrainedLoss.n),
                              meanAndError(m.retrainedLoss, 4),
                              meanAndError(m.retrainedAccuracy, 2, 100.0),
                              meanAndError(m.refitLoss, 4), meanAndError(m.refitAccuracy, 2, 100.0),
                              m.epochs.n == 0 ? "-" : decimals(m.epochs.mean, 0), againstBest(m)});
    }
    return table;
}

} // namespace bt::report
