#include "engine/store/run_export.h"

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include "engine/core/error.h"
#include "engine/store/event_json.h"
#include "engine/store/run_store.h"

namespace bt::store {

namespace {

nlohmann::json runJson(const RunInfo& r) {
    return {{"run_id", r.id},
            {"name", r.name},
            {"status", std::string(toString(r.status))},
            {"message", r.message},
            {"created", formatTime(r.createdMs)},
            {"updated", formatTime(r.updatedMs)},
            {"heartbeat", formatTime(r.heartbeatMs)},
            {"pid", r.pid},
            {"host", r.host},
            {"seed", r.seed ? nlohmann::json(*r.seed) : nlohmann::json(nullptr)},
            {"out_dir", r.outDir.string()},
            {"config", r.config},
            {"environment", r.environment}};
}

// Per-method results: the result's once the run ended, else the method-finished events'.
nlohmann::json methodsJson(const RunInfo& run, const std::vector<StoredEvent>& events) {
    if (run.result.is_object() && run.result.contains("methods")) {
        return run.result.at("methods");
    }
    auto methods = nlohmann::json::object();
    for (const auto& e : events) {
        if (e.type == "method-finished") {
            auto m = e.data;
            const auto name = m.value("method", std::string("?"));
            m.erase("type");
            m.erase("method");
            methods[name] = std::move(m);
        }
    }
    return methods;
}

// ---- CSV ---------------------------------------------------------------------------------------

std::string csvText(const std::string& text) {
    if (text.find_first_of(",\"\n\r") == std::string::npos) {
        return text;
    }
    std::string quoted = "\"";
    for (char c : text) {
        quoted += c;
        if (c == '"') {
            quoted += '"';
        }
    }
    return quoted + "\"";
}

// Shortest text that reads back to the same double; empty for null or a non-finite number.
std::string csvNumber(const nlohmann::json& v) {
    if (v.is_number_integer()) {
        return std::to_string(v.get<std::int64_t>());
    }
    if (!v.is_number()) {
        return "";
    }
    const double x = v.get<double>();
    if (!std::isfinite(x)) {
        return "";
    }
    char buffer[32];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, x).ptr;
    return std::string(buffer, end);
}

const nlohmann::json& field(const nlohmann::json& j, const char* key) {
    static const nlohmann::json null;
    if (!j.is_object()) {
        return null;
    }
    const auto it = j.find(key);
    return it == j.end() ? null : *it;
}

std::string csvField(const nlohmann::json& v) {
    if (v.is_string()) {
        return csvText(v.get<std::string>());
    }
    return csvNumber(v);
}

const char* const kMetricKeys[] = {"val_loss",      "val_accuracy", "test_loss",
                                   "test_accuracy", "train_loss",   "objective"};
const char* const kCostKeys[] = {"lower_level_trainings", "epochs", "wall_seconds", "gp_seconds"};

class CsvTable {
public:
    explicit CsvTable(std::vector<std::string> header) : m_header(std::move(header)) {}

    void add(std::vector<std::string> row) { m_rows.push_back(std::move(row)); }

    void write(const std::filesystem::path& path) const {
        const auto temporary = path.string() + ".partial";
        {
            std::ofstream out(temporary, std::ios::trunc);
            if (!out) {
                throw core::InputError(path.string(), "cannot write the CSV file (is the folder "
                                                      "writable?)");
            }
            writeRow(out, m_header);
            for (const auto& row : m_rows) {
                writeRow(out, row);
            }
            out.flush();
            if (!out) {
                std::error_code ec;
                std::filesystem::remove(temporary, ec);
                throw core::InputError(path.string(), "writing the CSV file failed (disk full?)");
            }
        }
        std::error_code ec;
        std::filesystem::rename(temporary, path, ec);
        if (ec) {
            std::filesystem::remove(temporary, ec);
            throw core::InputError(path.string(), "cannot replace the CSV file: " + ec.message());
        }
    }

private:
    static void writeRow(std::ostream& out, const std::vector<std::string>& row) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            out << (i ? "," : "") << row[i];
        }
        out << '\n';
    }

    std::vector<std::string> m_header;
    std::vector<std::vector<std::string>> m_rows;
};

void appendLambdaHeader(std::vector<std::string>& header, std::size_t d) {
    for (std::size_t i = 0; i < d; ++i) {
        header.push_back("lambda_" + std::to_string(i + 1));
    }
}

void appendLambda(std::vector<std::string>& row, const nlohmann::json& lambda, std::size_t d) {
    for (std::size_t i = 0; i < d; ++i) {
        row.push_back(lambda.is_array() && i < lambda.size() ? csvNumber(lambda[i]) : "");
    }
}

void appendObject(std::vector<std::string>& row, const nlohmann::json& object,
                  const char* const* keys, std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) {
        row.push_back(csvField(field(object, keys[i])));
    }
}

void appendKeys(std::vector<std::string>& header, const std::string& prefix,
                const char* const* keys, std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) {
        header.push_back(prefix + keys[i]);
    }
}

std::size_t lambdaSize(const nlohmann::json& items, const char* key) {
    std::size_t d = 0;
    for (const auto& item : items) {
        const auto& l = field(item, key);
        d = std::max(d, l.is_array() ? l.size() : std::size_t{0});
    }
    return d;
}

} // namespace

nlohmann::json exportRunJson(const RunStore& store, const std::string& runId) {
    const auto run = store.run(runId);
    const auto events = store.events(run.id);
    auto j = runJson(run);
    j["methods"] = methodsJson(run, events);
    j["result"] = run.result;
    auto samples = nlohmann::json::array();
    for (const auto& s : store.samples(run.id)) {
        auto e = eventToJson(s);
        e.erase("type");
        samples.push_back(std::move(e));
    }
    j["samples"] = std::move(samples);
    auto iterations = nlohmann::json::array();
    for (const auto& it : store.iterations(run.id)) {
        auto e = eventToJson(it);
        e.erase("type");
        iterations.push_back(std::move(e));
    }
    j["iterations"] = std::move(iterations);
    auto eventArray = nlohmann::json::array();
    for (const auto& e : events) {
        eventArray.push_back(
            {{"seq", e.seq}, {"time", formatTime(e.timeMs)}, {"type", e.type}, {"data", e.data}});
    }
    j["events"] = std::move(eventArray);
    auto records = nlohmann::json::array();
    for (const auto& r : store.records(run.id)) {
        records.push_back({{"seq", r.seq},
                           {"time", formatTime(r.timeMs)},
                           {"key", r.key},
                           {"data", r.data},
                           {"checkpoint", r.checkpoint}});
    }
    j["records"] = std::move(records);
    return j;
}

std::vector<std::filesystem::path> exportRunCsv(const RunStore& store, const std::string& runId,
                                                const std::filesystem::path& folder) {
    const auto whole = exportRunJson(store, runId);
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (ec || !std::filesystem::is_directory(folder)) {
        throw core::InputError(folder.string(),
                               "cannot create the export folder" +
                                   (ec ? ": " + ec.message() : std::string(" (a file is there)")));
    }
    constexpr std::size_t kMetrics = std::size(kMetricKeys);
    constexpr std::size_t kCosts = std::size(kCostKeys);
    std::vector<std::filesystem::path> written;

    // samples.csv
    {
        const auto& samples = whole.at("samples");
        const auto d = lambdaSize(samples, "lambda");
        std::vector<std::string> header{"method", "phase", "index", "total"};
        appendLambdaHeader(header, d);
        header.insert(header.end(), {"epochs_trained", "status", "message"});
        appendKeys(header, "", kMetricKeys, kMetrics);
        appendKeys(header, "cost_", kCostKeys, kCosts);
        CsvTable table(header);
        for (const auto& s : samples) {
            std::vector<std::string> row{csvField(field(s, "method")), csvField(field(s, "phase")),
                                         csvField(field(s, "index")), csvField(field(s, "total"))};
            appendLambda(row, field(s, "lambda"), d);
            row.push_back(csvField(field(s, "epochs_trained")));
            row.push_back(csvField(field(s, "status")));
            row.push_back(csvField(field(s, "message")));
            appendObject(row, field(s, "metrics"), kMetricKeys, kMetrics);
            appendObject(row, field(s, "cost"), kCostKeys, kCosts);
            table.add(std::move(row));
        }
        written.push_back(folder / "samples.csv");
        table.write(written.back());
    }

    // trace.csv
    {
        const auto& iterations = whole.at("iterations");
        const auto d = lambdaSize(iterations, "lambda");
        static const char* const kTraceKeys[] = {"h_sampled",   "h_surrogate", "mu",
                                                 "r",           "F",           "f",
                                                 "phi_sampled", "phi_hat",     "inner_steps"};
        std::vector<std::string> header{"method", "iteration", "total"};
        appendLambdaHeader(header, d);
        appendKeys(header, "", kTraceKeys, std::size(kTraceKeys));
        appendKeys(header, "", kMetricKeys, kMetrics);
        appendKeys(header, "cost_", kCostKeys, kCosts);
        CsvTable table(header);
        for (const auto& it : iterations) {
            std::vector<std::string> row{"bilevel", csvField(field(it, "iteration")),
                                         csvField(field(it, "total"))};
            appendLambda(row, field(it, "lambda"), d);
            appendObject(row, it, kTraceKeys, std::size(kTraceKeys));
            appendObject(row, field(it, "metrics"), kMetricKeys, kMetrics);
            appendObject(row, field(it, "cost"), kCostKeys, kCosts);
            table.add(std::move(row));
        }
        written.push_back(folder / "trace.csv");
        table.write(written.back());
    }

    const auto& methods = whole.at("methods");
    // anytime.csv
    {
        static const char* const kAnytimeKeys[] = {"epochs", "seconds", "best_val_loss",
                                                   "test_loss_of_best", "test_accuracy_of_best"};
        std::vector<std::string> header{"method"};
        appendKeys(header, "", kAnytimeKeys, std::size(kAnytimeKeys));
        CsvTable table(header);
        for (const auto& [name, m] : methods.items()) {
            for (const auto& point : field(m, "anytime")) {
                std::vector<std::string> row{csvText(name)};
                appendObject(row, point, kAnytimeKeys, std::size(kAnytimeKeys));
                table.add(std::move(row));
            }
        }
        written.push_back(folder / "anytime.csv");
        table.write(written.back());
    }

    // methods.csv
    {
        std::size_t d = 0;
        for (const auto& [name, m] : methods.items()) {
            const auto& l = field(m, "lambda");
            d = std::max(d, l.is_array() ? l.size() : std::size_t{0});
        }
        std::vector<std::string> header{"method", "status"};
        appendLambdaHeader(header, d);
        appendKeys(header, "", kMetricKeys, kMetrics);
        appendKeys(header, "retrained_", kMetricKeys, kMetrics);
        appendKeys(header, "refit_", kMetricKeys, kMetrics);
        appendKeys(header, "cost_", kCostKeys, kCosts);
        CsvTable table(header);
        for (const auto& [name, m] : methods.items()) {
            const auto& status = field(m, "status");
            std::vector<std::string> row{csvText(name),
                                         status.is_string() ? csvField(status) : "completed"};
            appendLambda(row, field(m, "lambda"), d);
            appendObject(row, field(m, "metrics"), kMetricKeys, kMetrics);
            appendObject(row, field(m, "retrained_metrics"), kMetricKeys, kMetrics);
            appendObject(row, field(m, "refit_metrics"), kMetricKeys, kMetrics);
            appendObject(row, field(m, "cost"), kCostKeys, kCosts);
            table.add(std::move(row));
        }
        written.push_back(folder / "methods.csv");
        table.write(written.back());
    }
    return written;
}

} // namespace bt::store
