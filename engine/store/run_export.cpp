#include "engine/store/run_export.h"

#include <stdexcept>

#include "engine/core/error.h"
#include "engine/core/journal.h"
#include "engine/report/json_fields.h"
#include "engine/report/result_json.h"
#include "engine/report/run_csv.h"
#include "engine/store/event_json.h"
#include "engine/store/run_store.h"
#include "engine/store/store_error.h"

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

// The methods' results for the CSV tables, by name: the result's once the run ended, else the
// method-finished events' (as in exportRunJson).
std::vector<report::MethodResult> methodResults(const RunStore& store, const RunInfo& run,
                                                const std::vector<StoredEvent>& events) {
    std::vector<report::MethodResult> methods;
    const auto json = methodsJson(run, events);
    for (const auto& [name, m] : json.items()) {
        try {
            methods.push_back(report::methodResultFromJson(m, name));
        } catch (const std::invalid_argument& e) {
            throw StoreError(StoreError::Kind::Corrupt, store.file().string(),
                             "the result of method " + name + " of run " + run.id +
                                 " cannot be read: " + e.what());
        }
    }
    return methods;
}

// The names of λ's entries, as the run's (latest) start said them, also while it runs; empty
// for a run stored before its start named them.
std::vector<std::string> lambdaNamesOf(const RunStore& store,
                                       const std::vector<StoredEvent>& events) {
    std::vector<std::string> names;
    for (const auto& e : events) {
        if (e.type == "run-started" && e.data.is_object()) {
            try {
                names = report::readTexts(e.data, "lambda_names");
            } catch (const std::invalid_argument& error) {
                throw StoreError(StoreError::Kind::Corrupt, store.file().string(),
                                 "the start event " + std::to_string(e.seq) +
                                     " cannot be read: " + error.what());
            }
        }
    }
    return names;
}

} // namespace

nlohmann::json exportRunJson(const RunStore& store, const std::string& runId) {
    const auto run = store.run(runId);
    const auto events = store.events(run.id);
    auto j = runJson(run);
    j["methods"] = methodsJson(run, events);
    j["result"] = run.result;
    j["lambda_names"] = lambdaNamesOf(store, events);
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

namespace {
/// dataFingerprints of a run whose full id is known.
nlohmann::json fingerprintsOf(const RunStore& store, const std::string& fullId) {
    const auto record = store.record(fullId, core::kDataRecordKey);
    return record ? record->data : nlohmann::json();
}
} // namespace

nlohmann::json dataFingerprints(const RunStore& store, const std::string& runId) {
    return fingerprintsOf(store, store.run(runId).id);
}

StoredResults storedResults(const RunStore& store, const std::string& runId) {
    const auto run = store.run(runId);
    const auto events = store.events(run.id, false);
    return {methodsJson(run, events), lambdaNamesOf(store, events), fingerprintsOf(store, run.id)};
}

std::vector<std::filesystem::path> exportRunCsv(const RunStore& store, const std::string& runId,
                                                const std::filesystem::path& folder) {
    const auto run = store.run(runId);
    report::RunTables tables;
    tables.samples = store.samples(run.id);
    tables.iterations = store.iterations(run.id);
    const auto events = store.events(run.id, false);
    tables.methods = methodResults(store, run, events);
    tables.lambdaNames = lambdaNamesOf(store, events);
    return report::writeRunCsv(tables, folder);
}

} // namespace bt::store
