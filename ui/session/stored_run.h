#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/config/run_config.h"
#include "engine/events/events.h"
#include "engine/report/run_result.h"

namespace bt::store {
class RunStore;
}

namespace bt::ui {

/// A run from the run store, as the charts need it: its configuration, its events in order and,
/// once it ended, its result.
struct StoredRun {
    std::string runId;
    std::string name;
    events::RunStatus status = events::RunStatus::Running;
    config::RunConfig config;
    std::vector<events::Event> events;
    std::optional<report::RunResult> result;
    /// The data's fingerprints (store::dataFingerprints); null for a run stored before them.
    nlohmann::json data;
    /// What could not be read (an event of an unknown type, a config key of a newer version),
    /// one line each; the rest is shown.
    std::vector<std::string> problems;
};

/// Reads the run `idOrPrefix` (an id or a unique start of one) from `store`.
/// @throws store::StoreError  UnknownRun and the store's other errors
StoredRun loadStoredRun(const store::RunStore& store, const std::string& idOrPrefix);

} // namespace bt::ui
