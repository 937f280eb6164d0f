#pragma once

#include <QString>
#include <QStringList>

#include "engine/report/result_json.h"

namespace bt::ui {

class RunData;

/// The run as result.json describes it: the run's result when it has ended, else what its
/// events have given so far (status "running", each method's samples, outer iterations, anytime
/// curve and, when it finished, its metrics and cost).
report::RunResult snapshotResult(const RunData& data);

/// Writes the run's data as JSON in result.json's format (report::toJson), atomically.
bool exportRunJson(const RunData& data, const QString& path, QString* error);

/// Writes the run's data as CSV: `path` holds every lower-level training of every method
/// (method, phase, index, λ_1..λ_d, status, epochs trained, losses, accuracies, cumulative cost);
/// next to it `<stem>-iterations.csv` holds the bilevel method's outer iterations and
/// `<stem>-anytime.csv` the methods' anytime curves. Each file is written atomically; an absent
/// or non-finite number is an empty field. `written` receives the files' paths.
bool exportRunCsv(const RunData& data, const QString& path, QString* error,
                  QStringList* written = nullptr);

} // namespace bt::ui
