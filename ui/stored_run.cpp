#include "ui/stored_run.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/config/run_config_json.h"
#include "engine/store/event_json.h"
#include "engine/store/run_store.h"

namespace bt::ui {

using nlohmann::json;

namespace {

double number(const json& j, const char* key) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        return std::numeric_limits<double>::quiet_NaN();
    }
    if (!it->is_number()) {
        throw std::invalid_argument(std::string(key) + ": expected a number");
    }
    return it->get<double>();
}

// Metrics and cost through the event reader: a method-finished event carries both in the same
// JSON form as result.json.
events::MethodFinishedEvent finishedFrom(const json& method, const char* metricsKey) {
    json event{{"type", "method-finished"}};
    for (const char* key : {"lambda", "cost"}) {
        if (method.contains(key)) {
            event[key] = method.at(key);
        }
    }
    if (method.contains(metricsKey) && !method.at(metricsKey).is_null()) {
        event["metrics"] = method.at(metricsKey);
    }
    return std::get<events::MethodFinishedEvent>(store::eventFromJson(event));
}

} // namespace

report::RunResult resultFromJson(const json& j, const std::vector<std::string>& methodOrder) {
    report::RunResult r;
    r.runId = j.value("run_id", std::string());
    r.status = j.value("status", std::string());
    r.message = j.value("message", std::string());
    r.config = j.value("config", json());
    r.environment = j.value("environment", json::object());
    const json methods = j.value("methods", json::object());
    std::vector<std::string> names;
    for (const auto& name : methodOrder) {
        if (methods.contains(name)) {
            names.push_back(name);
        }
    }
    for (const auto& item : methods.items()) {
        if (std::find(names.begin(), names.end(), item.key()) == names.end()) {
            names.push_back(item.key());
        }
    }
    for (const auto& name : names) {
        const json& mj = methods.at(name);
        auto& m = r.methods.emplace_back();
        m.method = name;
        m.status = mj.value("status", std::string("completed"));
        m.message = mj.value("message", std::string());
        const auto own = finishedFrom(mj, "metrics");
        m.lambda = own.lambda;
        m.metrics = own.metrics;
        m.cost = own.cost;
        if (mj.contains("retrained_metrics") && !mj.at("retrained_metrics").is_null()) {
            m.retrainedMetrics = finishedFrom(mj, "retrained_metrics").metrics;
        }
        if (mj.contains("refit_metrics") && !mj.at("refit_metrics").is_null()) {
            m.refitMetrics = finishedFrom(mj, "refit_metrics").metrics;
        }
        for (json s : mj.value("samples", json::array())) {
            s["type"] = "sample";
            s["method"] = name;
            m.samples.push_back(std::get<events::SampleEvent>(store::eventFromJson(s)));
        }
        for (json t : mj.value("trace", json::array())) {
            if (t.contains("iteration")) {
                t["type"] = "outer-iteration";
                m.iterations.push_back(
                    std::get<events::OuterIterationEvent>(store::eventFromJson(t)));
            }
        }
        for (const json& p : mj.value("anytime", json::array())) {
            methods::AnytimePoint point;
            point.epochs = number(p, "epochs");
            point.seconds = number(p, "seconds");
            point.bestValLoss = number(p, "best_val_loss");
            point.testLossOfBest = number(p, "test_loss_of_best");
            const double accuracy = number(p, "test_accuracy_of_best");
            if (std::isfinite(accuracy)) {
                point.testAccuracyOfBest = accuracy;
            }
            m.anytime.push_back(point);
        }
    }
    return r;
}

StoredRun loadStoredRun(const store::RunStore& store, const std::string& idOrPrefix) {
    const auto info = store.run(idOrPrefix);
    StoredRun run;
    run.runId = info.id;
    run.name = info.name;
    run.status = std::string(store::toString(info.status));
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
    if (info.result.is_object()) {
        try {
            run.result = resultFromJson(info.result, info.methods);
        } catch (const std::exception& e) {
            run.problems.push_back(std::string("result: ") + e.what());
        }
    }
    return run;
}

} // namespace bt::ui
