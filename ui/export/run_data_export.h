#pragma once

#include <QString>
#include <QStringList>

#include "engine/report/run_result.h"

namespace bt::ui {

class RunData;

/// The run as result.json describes it: the run's result when it has ended, else what its
/// events have given so far (status "running", each method's samples, outer iterations, anytime
/// curve and, when it finished, its metrics and cost).
report::RunResult snapshotResult(const RunData& data);

/// Writes the run's data as JSON in result.json's format (report::toJson), atomically.
bool exportRunJson(const RunData& data, const QString& path, QString* error);

/// Writes the run's data as the command line's `export --format csv` does (report::writeRunCsv):
/// samples.csv, trace.csv, anytime.csv and methods.csv in `folder` (created when missing), from
/// the run's samples, outer iterations and snapshotResult's methods (with their anytime curves
/// so far). `written` receives the files' paths.
bool exportRunCsv(const RunData& data, const QString& folder, QString* error,
                  QStringList* written = nullptr);

} // namespace bt::ui
