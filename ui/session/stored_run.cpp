#include "ui/session/stored_run.h"

#include "engine/config/run_config_json.h"
#include "engine/report/result_json.h"
#include "engine/store/event_json.h"
#include "engine/store/run_export.h"
#include "engine/store/run_store.h"

namespace bt::ui {

using nlohmann::json;

StoredRun loadStoredRun(const store::RunStore& store, const std::string& idOrPrefix) {
    const auto info = store.run(idOrPrefix);
    StoredRun run;
    run.runId = info.id;
    run.name = info.name;
    run.status = info.status;
    std::vector<config::ConfigProblem> problems;
    run.config = config::readRunConfig(info.config, problems);
    for (const auto& p : problems) {
        run.problems.push_back("configuration: " + p.toString());
    }
    for (const auto& stored : store.events(info.id, true)) {
        try {
            json event = stored.data;
            event["type"] = stored.type;
            run.events.push_back(store::eventFromJson(event));
        } catch (const std::exception& e) {
            run.problems.push_back("event " + std::to_string(stored.seq) + ": " + e.what());
        }
    }
    run.data = store::dataFingerprints(store, info.id);
    if (info.result.is_object()) {
        try {
            run.result = report::runResultFromJson(info.result, info.methods);
        } catch (const std::exception& e) {
            run.problems.push_back(std::string("result: ") + e.what());
        }
    }
    return run;
}

} // namespace bt::ui
