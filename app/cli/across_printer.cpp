// `bilevel-tuner-cli aggregate`: a method's figures over runs of the same settings but their
// seeds (report::acrossRuns).
#include <algorithm>
#include <ostream>

#include <nlohmann/json.hpp>

#include "app/cli/cli_printer.h"
#include "app/cli/cli_text.h"
#include "engine/store/runs_across_seeds.h"

namespace bt::app {

namespace {

nlohmann::json spreadJson(const report::Spread& s) {
    return {{"n", s.n},
            {"mean", s.mean},
            {"standard_error", s.standardError},
            {"low", s.low},
            {"high", s.high}};
}

} // namespace

void printAcrossRuns(std::ostream& out, const store::RunsAcrossSeeds& across) {
    const auto table = across.table();
    for (const auto& line : table.caption) {
        out << line << '\n';
    }
    // Each column as wide as its widest cell, two spaces apart; the last as it comes.
    std::vector<std::size_t> widths(table.header.size(), 0);
    for (std::size_t c = 0; c < widths.size(); ++c) {
        widths[c] = columnsOf(table.header[c]);
        for (const auto& row : table.rows) {
            widths[c] = std::max(widths[c], columnsOf(row[c]));
        }
    }
    const auto line = [&](const std::vector<std::string>& cells) {
        for (std::size_t c = 0; c + 1 < cells.size(); ++c) {
            out << leftIn(cells[c], widths[c] + 2);
        }
        out << cells.back() << '\n';
    };
    line(table.header);
    for (const auto& row : table.rows) {
        line(row);
    }
}

nlohmann::json acrossRunsJson(const store::RunsAcrossSeeds& across) {
    nlohmann::json runs = nlohmann::json::array();
    for (const auto& run : across.runs) {
        runs.push_back(run.id);
    }
    nlohmann::json seeds = nlohmann::json::object();
    for (const auto& [key, values] : across.seeds) {
        seeds[key] = values;
    }
    nlohmann::json methods = nlohmann::json::array();
    for (const auto& m : across.methods) {
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
