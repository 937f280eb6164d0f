#include "engine/report/run_csv.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <string>
#include <system_error>

#include "engine/core/atomic_file.h"
#include "engine/core/error.h"

namespace bt::report {

std::string csvField(const std::string& value) {
    if (value.find_first_of(",\"\n\r") == std::string::npos) {
        return value;
    }
    std::string quoted = "\"";
    for (char c : value) {
        quoted += c;
        if (c == '"') {
            quoted += '"';
        }
    }
    return quoted + "\"";
}

std::string csvNumber(double value) {
    if (!std::isfinite(value)) {
        return "";
    }
    char buffer[32];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
    return std::string(buffer, end);
}

namespace {

std::string text(const std::string& value) {
    return csvField(value);
}

std::string number(double value) {
    return csvNumber(value);
}

std::string number(const std::optional<double>& value) {
    return value ? number(*value) : "";
}

std::string integer(std::int64_t value) {
    return std::to_string(value);
}

using Row = std::vector<std::string>;

void writeRow(std::ostream& out, const Row& row) {
    for (std::size_t i = 0; i < row.size(); ++i) {
        out << (i ? "," : "") << row[i];
    }
    out << '\n';
}

void writeTable(const std::filesystem::path& path, const Row& header,
                const std::vector<Row>& rows) {
    core::writeFileAtomically(path, "the CSV file", [&](std::ostream& out) {
        writeRow(out, header);
        for (const auto& row : rows) {
            writeRow(out, row);
        }
    });
}

void append(Row& row, const Row& more) {
    row.insert(row.end(), more.begin(), more.end());
}

// λ's columns: named by the entries when there is a name for each, else numbered.
Row lambdaHeader(std::size_t d, const std::vector<std::string>& names) {
    Row header;
    for (std::size_t i = 0; i < d; ++i) {
        header.push_back("lambda_" + (names.size() == d ? names[i] : std::to_string(i + 1)));
    }
    return header;
}

Row lambdaFields(const std::vector<double>& lambda, std::size_t d) {
    Row row;
    for (std::size_t i = 0; i < d; ++i) {
        row.push_back(i < lambda.size() ? number(lambda[i]) : "");
    }
    return row;
}

template <typename T>
std::size_t lambdaSize(const std::vector<T>& items) {
    std::size_t d = 0;
    for (const auto& item : items) {
        d = std::max(d, item.lambda.size());
    }
    return d;
}

Row metricsHeader(const std::string& prefix) {
    Row header;
    for (const char* key :
         {"val_loss", "val_accuracy", "test_loss", "test_accuracy", "train_loss", "objective"}) {
        header.push_back(prefix + key);
    }
    return header;
}

Row metricsFields(const events::Metrics& m) {
    return {number(m.valLoss),      number(m.valAccuracy), number(m.testLoss),
            number(m.testAccuracy), number(m.trainLoss),   number(m.objective)};
}

Row metricsFields(const std::optional<events::Metrics>& m) {
    return m ? metricsFields(*m) : Row(metricsHeader("").size());
}

const Row kCostHeader{"cost_lower_level_trainings", "cost_epochs", "cost_wall_seconds",
                      "cost_gp_seconds"};

Row costFields(const events::Cost& c) {
    return {integer(c.lowerLevelTrainings), number(c.epochs), number(c.wallSeconds),
            number(c.gpSeconds)};
}

std::filesystem::path writeSamples(const std::vector<events::SampleEvent>& samples,
                                   const std::vector<std::string>& names,
                                   const std::filesystem::path& folder) {
    const auto d = lambdaSize(samples);
    Row header{"method", "phase", "index", "total"};
    append(header, lambdaHeader(d, names));
    append(header, {"epochs_trained", "status", "message"});
    append(header, metricsHeader(""));
    append(header, kCostHeader);
    std::vector<Row> rows;
    for (const auto& s : samples) {
        Row row{text(s.method), text(s.phase), integer(s.index), integer(s.total)};
        append(row, lambdaFields(s.lambda, d));
        append(row, {number(s.epochsTrained), text(s.status), text(s.message)});
        append(row, metricsFields(s.metrics));
        append(row, costFields(s.cost));
        rows.push_back(std::move(row));
    }
    const auto path = folder / "samples.csv";
    writeTable(path, header, rows);
    return path;
}

std::filesystem::path writeTrace(const std::vector<events::OuterIterationEvent>& iterations,
                                 const std::vector<std::string>& names,
                                 const std::filesystem::path& folder) {
    const auto d = lambdaSize(iterations);
    Row header{"method", "iteration", "total"};
    append(header, lambdaHeader(d, names));
    append(header, {"h_sampled", "h_surrogate", "mu", "r", "F", "f", "phi_sampled", "phi_hat",
                    "inner_steps"});
    append(header, metricsHeader(""));
    append(header, kCostHeader);
    std::vector<Row> rows;
    for (const auto& it : iterations) {
        Row row{"bilevel", integer(it.iteration), integer(it.total)};
        append(row, lambdaFields(it.lambda, d));
        append(row, {number(it.violationSampled), number(it.violationSurrogate), number(it.mu),
                     number(it.r), number(it.upperLoss), number(it.lowerObjective),
                     number(it.phiSampled), number(it.phiHat), integer(it.innerSteps)});
        append(row, metricsFields(it.metrics));
        append(row, costFields(it.cost));
        rows.push_back(std::move(row));
    }
    const auto path = folder / "trace.csv";
    writeTable(path, header, rows);
    return path;
}

std::filesystem::path writeAnytime(const std::vector<MethodResult>& methods,
                                   const std::filesystem::path& folder) {
    const Row header{"method",
                     "epochs",
                     "seconds",
                     "best_val_loss",
                     "test_loss_of_best",
                     "test_accuracy_of_best"};
    std::vector<Row> rows;
    for (const auto& m : methods) {
        for (const auto& p : m.anytime) {
            rows.push_back({text(m.method), number(p.epochs), number(p.seconds),
                            number(p.bestValLoss), number(p.testLossOfBest),
                            number(p.testAccuracyOfBest)});
        }
    }
    const auto path = folder / "anytime.csv";
    writeTable(path, header, rows);
    return path;
}

std::filesystem::path writeMethods(const std::vector<MethodResult>& methods,
                                   const std::vector<std::string>& names,
                                   const std::filesystem::path& folder) {
    const auto d = lambdaSize(methods);
    Row header{"method", "status"};
    append(header, lambdaHeader(d, names));
    append(header, metricsHeader(""));
    append(header, metricsHeader("retrained_"));
    append(header, metricsHeader("refit_"));
    append(header, kCostHeader);
    header.push_back("al_weights_iteration");
    append(header, metricsHeader("al_weights_"));
    std::vector<Row> rows;
    for (const auto& m : methods) {
        Row row{text(m.method), text(std::string(events::toString(m.status)))};
        append(row, lambdaFields(m.lambda, d));
        append(row, metricsFields(m.metrics));
        append(row, metricsFields(m.retrainedMetrics));
        append(row, metricsFields(m.refitMetrics));
        append(row, costFields(m.cost));
        // Bilevel: the augmented-Lagrangian weights the paper's rule picks (empty otherwise).
        const auto* al = alWeights(m);
        row.push_back(al != nullptr ? integer(al->iteration) : std::string());
        append(row, metricsFields(al != nullptr ? std::optional(al->metrics) : std::nullopt));
        rows.push_back(std::move(row));
    }
    const auto path = folder / "methods.csv";
    writeTable(path, header, rows);
    return path;
}

} // namespace

std::vector<std::filesystem::path> writeRunCsv(const RunTables& tables,
                                               const std::filesystem::path& folder) {
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (ec || !std::filesystem::is_directory(folder)) {
        throw core::InputError(folder.string(),
                               "cannot create the export folder" +
                                   (ec ? ": " + ec.message() : std::string(" (a file is there)")));
    }
    const auto& names = tables.lambdaNames;
    return {writeSamples(tables.samples, names, folder),
            writeTrace(tables.iterations, names, folder), writeAnytime(tables.methods, folder),
            writeMethods(tables.methods, names, folder)};
}

} // namespace bt::report
