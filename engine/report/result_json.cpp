#include "engine/report/result_json.h"

#include <algorithm>
#include <fstream>
#include <system_error>

#include "engine/core/atomic_file.h"
#include "engine/core/error.h"
#include "engine/core/splits.h"
#include "engine/report/json_fields.h"

namespace bt::report {

nlohmann::json toJson(const events::Metrics& m) {
    return {
        {"val_loss", numberToJson(m.valLoss)},     {"val_accuracy", numberToJson(m.valAccuracy)},
        {"test_loss", numberToJson(m.testLoss)},   {"test_accuracy", numberToJson(m.testAccuracy)},
        {"train_loss", numberToJson(m.trainLoss)}, {"objective", numberToJson(m.objective)}};
}

events::Metrics metricsFromJson(const nlohmann::json& j) {
    requireObject(j);
    events::Metrics m;
    m.valLoss = readNumber(j, "val_loss");
    m.valAccuracy = readOptionalNumber(j, "val_accuracy");
    m.testLoss = readNumber(j, "test_loss");
    m.testAccuracy = readOptionalNumber(j, "test_accuracy");
    m.trainLoss = readNumber(j, "train_loss");
    m.objective = readNumber(j, "objective");
    return m;
}

nlohmann::json toJson(const events::Cost& c) {
    return {{"lower_level_trainings", c.lowerLevelTrainings},
            {"epochs", numberToJson(c.epochs)},
            {"wall_seconds", numberToJson(c.wallSeconds)},
            {"gp_seconds", numberToJson(c.gpSeconds)}};
}

events::Cost costFromJson(const nlohmann::json& j) {
    requireObject(j);
    events::Cost c;
    c.lowerLevelTrainings = readInteger(j, "lower_level_trainings");
    c.epochs = readNumber(j, "epochs");
    c.wallSeconds = readNumber(j, "wall_seconds");
    c.gpSeconds = readNumber(j, "gp_seconds");
    return c;
}

nlohmann::json toJson(const events::SampleEvent& s) {
    return {{"method", s.method},
            {"phase", s.phase},
            {"index", s.index},
            {"total", s.total},
            {"lambda", numbersToJson(s.lambda)},
            {"epochs_trained", numberToJson(s.epochsTrained)},
            {"status", s.status},
            {"message", s.message},
            {"metrics", toJson(s.metrics)},
            {"cost", toJson(s.cost)}};
}

events::SampleEvent sampleFromJson(const nlohmann::json& j) {
    requireObject(j);
    events::SampleEvent s;
    s.method = readText(j, "method");
    s.phase = readText(j, "phase");
    s.index = readInt(j, "index");
    s.total = readInt(j, "total");
    s.lambda = readNumbers(j, "lambda");
    s.epochsTrained = readNumber(j, "epochs_trained");
    s.status = readText(j, "status");
    s.message = readText(j, "message");
    s.metrics = readObject(j, "metrics", metricsFromJson).value_or(events::Metrics{});
    s.cost = readObject(j, "cost", costFromJson).value_or(events::Cost{});
    return s;
}

nlohmann::json toJson(const events::OuterIterationEvent& it) {
    return {{"iteration", it.iteration},
            {"total", it.total},
            {"lambda", numbersToJson(it.lambda)},
            {"h_sampled", numberToJson(it.violationSampled)},
            {"h_surrogate", numberToJson(it.violationSurrogate)},
            {"mu", numberToJson(it.mu)},
            {"r", numberToJson(it.r)},
            {"F", numberToJson(it.upperLoss)},
            {"f", numberToJson(it.lowerObjective)},
            {"phi_sampled", numberToJson(it.phiSampled)},
            {"phi_hat", numberToJson(it.phiHat)},
            {"inner_steps", it.innerSteps},
            {"metrics", toJson(it.metrics)},
            {"cost", toJson(it.cost)}};
}

events::OuterIterationEvent iterationFromJson(const nlohmann::json& j) {
    requireObject(j);
    events::OuterIterationEvent it;
    it.iteration = readInt(j, "iteration");
    it.total = readInt(j, "total");
    it.lambda = readNumbers(j, "lambda");
    it.violationSampled = readNumber(j, "h_sampled");
    it.violationSurrogate = readNumber(j, "h_surrogate");
    it.mu = readNumber(j, "mu");
    it.r = readNumber(j, "r");
    it.upperLoss = readNumber(j, "F");
    it.lowerObjective = readNumber(j, "f");
    it.phiSampled = readNumber(j, "phi_sampled");
    it.phiHat = readNumber(j, "phi_hat");
    it.innerSteps = readInt(j, "inner_steps");
    it.metrics = readObject(j, "metrics", metricsFromJson).value_or(events::Metrics{});
    it.cost = readObject(j, "cost", costFromJson).value_or(events::Cost{});
    return it;
}

nlohmann::json toJson(const AnytimePoint& p) {
    return {{"epochs", numberToJson(p.epochs)},
            {"seconds", numberToJson(p.seconds)},
            {"best_val_loss", numberToJson(p.bestValLoss)},
            {"test_loss_of_best", numberToJson(p.testLossOfBest)},
            {"test_accuracy_of_best", numberToJson(p.testAccuracyOfBest)}};
}

AnytimePoint anytimePointFromJson(const nlohmann::json& j) {
    requireObject(j);
    AnytimePoint p;
    p.epochs = readNumber(j, "epochs");
    p.seconds = readNumber(j, "seconds");
    p.bestValLoss = readNumber(j, "best_val_loss");
    p.testLossOfBest = readNumber(j, "test_loss_of_best");
    p.testAccuracyOfBest = readOptionalNumber(j, "test_accuracy_of_best");
    return p;
}

nlohmann::json toJson(const MethodResult& r) {
    // result.json's samples and outer iterations: without the keys it has never held.
    const auto sampleJson = [](const events::SampleEvent& s) {
        auto j = toJson(s);
        j.erase("method");
        j.erase("total");
        return j;
    };
    const auto iterationJson = [](const events::OuterIterationEvent& it) {
        auto j = toJson(it);
        j.erase("total");
        return j;
    };
    nlohmann::json j;
    j["status"] = events::toString(r.status);
    if (!r.message.empty()) {
        j["message"] = r.message;
    }
    j["lambda"] = numbersToJson(r.lambda);
    j["metrics"] = toJson(r.metrics);
    j["retrained_metrics"] = r.retrainedMetrics ? toJson(*r.retrainedMetrics) : nullptr;
    j["refit_metrics"] = r.refitMetrics ? toJson(*r.refitMetrics) : nullptr;
    if (r.alWeightsIteration > 0) {
        j["al_weights_iteration"] = r.alWeightsIteration;
    }
    j["cost"] = toJson(r.cost);
    auto trace = nlohmann::json::array();
    if (!r.iterations.empty()) {
        for (const auto& it : r.iterations) {
            trace.push_back(iterationJson(it));
        }
    } else {
        for (const auto& s : r.samples) {
            trace.push_back(sampleJson(s));
        }
    }
    j["trace"] = std::move(trace);
    auto samples = nlohmann::json::array();
    for (const auto& s : r.samples) {
        samples.push_back(sampleJson(s));
    }
    j["samples"] = std::move(samples);
    auto anytime = nlohmann::json::array();
    for (const auto& p : r.anytime) {
        anytime.push_back(toJson(p));
    }
    j["anytime"] = std::move(anytime);
    return j;
}

MethodResult methodResultFromJson(const nlohmann::json& j, const std::string& method,
                                  ResultParts parts) {
    requireObject(j);
    MethodResult m;
    m.method = method;
    m.status = readRunStatus(j, "status", events::RunStatus::Completed);
    m.message = readText(j, "message");
    m.lambda = readNumbers(j, "lambda");
    m.metrics = readObject(j, "metrics", metricsFromJson).value_or(events::Metrics{});
    m.retrainedMetrics = readObject(j, "retrained_metrics", metricsFromJson);
    m.refitMetrics = readObject(j, "refit_metrics", metricsFromJson);
    m.cost = readObject(j, "cost", costFromJson).value_or(events::Cost{});
    // 0 in results written before it; out of the trace's range it names nothing (alWeights).
    m.alWeightsIteration = readInt(j, "al_weights_iteration");
    if (parts == ResultParts::Figures) {
        return m;
    }
    m.samples = readArray(j, "samples", sampleFromJson);
    for (auto& s : m.samples) {
        s.method = method;
    }
    // The trace holds the outer iterations, or a copy of the samples for a method without any.
    m.iterations = readArray(j, "trace", iterationFromJson,
                             [](const nlohmann::json& t) { return t.contains("iteration"); });
    m.anytime = readArray(j, "anytime", anytimePointFromJson);
    return m;
}

nlohmann::json toJson(const RunResult& r) {
    nlohmann::json methods = nlohmann::json::object();
    for (const auto& m : r.methods) {
        methods[m.method] = toJson(m);
    }
    nlohmann::json j{{"run_id", r.runId},
                     {"status", events::toString(r.status)},
                     {"config", r.config},
                     {"environment", r.environment},
                     {"lambda_names", r.lambdaNames},
                     {"methods", std::move(methods)}};
    if (!r.message.empty()) {
        j["message"] = r.message;
    }
    if (!r.data.is_null()) {
        j["data"] = r.data;
    }
    return j;
}

std::string splitFingerprintText(const nlohmann::json& split) {
    const auto rows = split.is_object() ? split.value("rows", nlohmann::json()) : nlohmann::json();
    const auto crc = split.is_object() ? split.value("crc32", nlohmann::json()) : nlohmann::json();
    return (rows.is_number_integer() ? std::to_string(rows.get<std::int64_t>()) : "?") +
           " rows (CRC-32 " + (crc.is_string() ? crc.get<std::string>() : "?") + ")";
}

std::string dataFingerprintText(const nlohmann::json& data) {
    std::string out;
    if (!data.is_object()) {
        return out;
    }
    for (const char* split : core::kSplitNames) {
        const auto it = data.find(split);
        if (it == data.end() || !it->is_object()) {
            continue;
        }
        out += (out.empty() ? "" : ", ") + std::string(split) + " " + splitFingerprintText(*it);
    }
    return out;
}

RunResult runResultFromJson(const nlohmann::json& j, const std::vector<std::string>& methodOrder,
                            ResultParts parts) {
    requireObject(j);
    RunResult r;
    r.runId = readText(j, "run_id");
    r.status = readRunStatus(j, "status", events::RunStatus::Failed);
    r.message = readText(j, "message");
    r.config = j.contains("config") ? j.at("config") : nlohmann::json();
    r.environment = j.contains("environment") ? j.at("environment") : nlohmann::json::object();
    r.data = j.contains("data") ? j.at("data") : nlohmann::json();
    r.lambdaNames = readTexts(j, "lambda_names");
    const auto methods = j.find("methods");
    if (methods == j.end() || methods->is_null()) {
        return r;
    }
    requireObject(*methods, "methods");
    std::vector<std::string> names;
    for (const auto& name : methodOrder) {
        if (methods->contains(name)) {
            names.push_back(name);
        }
    }
    for (const auto& item : methods->items()) {
        if (std::find(names.begin(), names.end(), item.key()) == names.end()) {
            names.push_back(item.key());
        }
    }
    for (const auto& name : names) {
        const auto& mj = methods->at(name);
        requireObject(mj, "methods." + name);
        r.methods.push_back(
            within("methods." + name, [&] { return methodResultFromJson(mj, name, parts); }));
    }
    return r;
}

void writeResultJson(const RunResult& result, const std::filesystem::path& path) {
    core::writeTextAtomically(path, "the result file", toJson(result).dump(2) + "\n");
}

} // namespace bt::report
