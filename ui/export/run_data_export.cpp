#include "ui/export/run_data_export.h"

#include "engine/config/run_config_json.h"
#include "engine/report/result_json.h"
#include "engine/report/run_csv.h"
#include "ui/export/chart_export.h"
#include "ui/session/run_data.h"

namespace bt::ui {

report::RunResult snapshotResult(const RunData& data) {
    if (data.result()) {
        return *data.result();
    }
    report::RunResult r;
    r.runId = data.runId();
    r.status = data.finished() ? data.finished()->status : events::RunStatus::Running;
    r.message = data.finished() ? data.finished()->message : "";
    r.config = config::toJson(data.config());
    for (const auto& trace : data.methods()) {
        // Built in place: a local moved in trips GCC 12's -Wmaybe-uninitialized on the
        // optional metrics.
        auto& m = r.methods.emplace_back();
        m.method = trace.method;
        m.status = trace.finished ? events::RunStatus::Completed : events::RunStatus::Running;
        m.samples = trace.samples;
        m.anytime = trace.anytime;
        if (trace.method == "bilevel") {
            m.iterations = data.outerIterations();
        }
        if (trace.finished) {
            m.lambda = trace.finished->lambda;
            m.metrics = trace.finished->metrics;
            m.cost = trace.finished->cost;
        } else if (!trace.samples.empty()) {
            m.cost = trace.samples.back().cost;
        }
    }
    return r;
}

bool exportRunJson(const RunData& data, const QString& path, QString* error) {
    return writeAtomically(
        path,
        (QString::fromStdString(report::toJson(snapshotResult(data)).dump(2)) + QLatin1Char('\n'))
            .toUtf8(),
        error);
}

bool exportRunCsv(const RunData& data, const QString& folder, QString* error,
                  QStringList* written) {
    report::RunTables tables;
    for (const auto& trace : data.methods()) {
        tables.samples.insert(tables.samples.end(), trace.samples.begin(), trace.samples.end());
    }
    tables.iterations = data.outerIterations();
    tables.methods = snapshotResult(data).methods;
    tables.lambdaNames = data.lambdaNames();
    try {
        const auto files = report::writeRunCsv(tables, folder.toStdString());
        if (written != nullptr) {
            for (const auto& file : files) {
                *written << QString::fromStdString(file.string());
            }
        }
        return true;
    } catch (const std::exception& e) {
        if (error != nullptr) {
            *error = QString::fromStdString(e.what());
        }
        return false;
    }
}

} // namespace bt::ui
