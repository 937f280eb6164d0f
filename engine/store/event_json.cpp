#include "engine/store/event_json.h"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "engine/report/result_json.h"

namespace bt::store {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

nlohmann::json number(double v) {
    return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

nlohmann::json numbers(const std::vector<double>& values) {
    auto array = nlohmann::json::array();
    for (double v : values) {
        array.push_back(number(v));
    }
    return array;
}

// Readers: a missing key keeps the default; null is NaN; a wrong type throws (nlohmann's
// type_error is an std::exception; it is turned into std::invalid_argument by eventFromJson).
double readNumber(const nlohmann::json& j, const char* key, double fallback = 0.0) {
    const auto it = j.find(key);
    if (it == j.end()) {
        return fallback;
    }
    return it->is_null() ? kNaN : it->get<double>();
}

std::optional<double> readOptional(const nlohmann::json& j, const char* key) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        return std::nullopt;
    }
    return it->get<double>();
}

template <typename T>
T readValue(const nlohmann::json& j, const char* key, T fallback = T{}) {
    const auto it = j.find(key);
    return it == j.end() || it->is_null() ? fallback : it->get<T>();
}

std::vector<double> readNumbers(const nlohmann::json& j, const char* key) {
    std::vector<double> values;
    const auto it = j.find(key);
    if (it == j.end()) {
        return values;
    }
    for (const auto& v : *it) {
        values.push_back(v.is_null() ? kNaN : v.get<double>());
    }
    return values;
}

events::Metrics readMetrics(const nlohmann::json& j, const char* key) {
    events::Metrics m;
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        return m;
    }
    m.valLoss = readNumber(*it, "val_loss");
    m.valAccuracy = readOptional(*it, "val_accuracy");
    m.testLoss = readNumber(*it, "test_loss");
    m.testAccuracy = readOptional(*it, "test_accuracy");
    m.trainLoss = readNumber(*it, "train_loss");
    m.objective = readNumber(*it, "objective");
    return m;
}

events::Cost readCost(const nlohmann::json& j, const char* key) {
    events::Cost c;
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        return c;
    }
    c.lowerLevelTrainings = readValue<int64_t>(*it, "lower_level_trainings");
    c.epochs = readNumber(*it, "epochs");
    c.wallSeconds = readNumber(*it, "wall_seconds");
    c.gpSeconds = readNumber(*it, "gp_seconds");
    return c;
}

events::Event decode(const nlohmann::json& j) {
    const auto type = j.at("type").get<std::string>();
    if (type == "sample") {
        events::SampleEvent e;
        e.method = readValue<std::string>(j, "method");
        e.phase = readValue<std::string>(j, "phase");
        e.index = readValue<int>(j, "index");
        e.total = readValue<int>(j, "total");
        e.lambda = readNumbers(j, "lambda");
        e.epochsTrained = readNumber(j, "epochs_trained");
        e.status = readValue<std::string>(j, "status");
        e.message = readValue<std::string>(j, "message");
        e.metrics = readMetrics(j, "metrics");
        e.cost = readCost(j, "cost");
        return e;
    }
    if (type == "gp-refit") {
        events::GpRefitEvent e;
        e.method = readValue<std::string>(j, "method");
        e.samples = readValue<int>(j, "samples");
        e.lengthScales = readNumbers(j, "length_scales");
        e.signalVariance = readNumber(j, "signal_variance");
        e.noiseVariance = readNumber(j, "noise_variance");
        e.logMarginalLikelihood = readNumber(j, "log_marginal_likelihood");
        e.jitter = readNumber(j, "jitter");
        e.seconds = readNumber(j, "seconds");
        return e;
    }
    if (type == "inner-progress") {
        events::InnerProgressEvent e;
        e.outerIteration = readValue<int>(j, "outer_iteration");
        e.step = readValue<int>(j, "step");
        e.totalSteps = readValue<int>(j, "total_steps");
        e.lambda = readNumbers(j, "lambda");
        e.augmentedLagrangian = readNumber(j, "augmented_lagrangian");
        e.upperLoss = readNumber(j, "F");
        e.lowerObjective = readNumber(j, "f");
        e.phiHat = readNumber(j, "phi_hat");
        e.violation = readNumber(j, "h");
        e.cost = readCost(j, "cost");
        return e;
    }
    if (type == "outer-iteration") {
        events::OuterIterationEvent e;
        e.iteration = readValue<int>(j, "iteration");
        e.total = readValue<int>(j, "total");
        e.lambda = readNumbers(j, "lambda");
        e.violationSampled = readNumber(j, "h_sampled");
        e.violationSurrogate = readNumber(j, "h_surrogate");
        e.mu = readNumber(j, "mu");
        e.r = readNumber(j, "r");
        e.upperLoss = readNumber(j, "F");
        e.lowerObjective = readNumber(j, "f");
        e.phiSampled = readNumber(j, "phi_sampled");
        e.phiHat = readNumber(j, "phi_hat");
        e.innerSteps = readValue<int>(j, "inner_steps");
        e.metrics = readMetrics(j, "metrics");
        e.cost = readCost(j, "cost");
        return e;
    }
    if (type == "log") {
        const int level = readValue<int>(j, "level", static_cast<int>(events::LogLevel::Info));
        if (level < static_cast<int>(events::LogLevel::Debug) ||
            level > static_cast<int>(events::LogLevel::Error)) {
            throw std::invalid_argument("log event with level " + std::to_string(level) +
                                        " (expected 0 to 3)");
        }
        return events::LogEvent{static_cast<events::LogLevel>(level),
                                readValue<std::string>(j, "message")};
    }
    if (type == "method-finished") {
        events::MethodFinishedEvent e;
        e.method = readValue<std::string>(j, "method");
        e.lambda = readNumbers(j, "lambda");
        e.metrics = readMetrics(j, "metrics");
        e.cost = readCost(j, "cost");
        return e;
    }
    if (type == "finished") {
        return events::FinishedEvent{readValue<std::string>(j, "status"),
                                     readValue<std::string>(j, "message")};
    }
    throw std::invalid_argument("unknown event type \"" + type + "\"");
}

} // namespace

std::string eventType(const events::Event& event) {
    return std::visit(
        [](const auto& e) -> std::string {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, events::SampleEvent>) {
                return "sample";
            } else if constexpr (std::is_same_v<T, events::GpRefitEvent>) {
                return "gp-refit";
            } else if constexpr (std::is_same_v<T, events::InnerProgressEvent>) {
                return "inner-progress";
            } else if constexpr (std::is_same_v<T, events::OuterIterationEvent>) {
                return "outer-iteration";
            } else if constexpr (std::is_same_v<T, events::LogEvent>) {
                return "log";
            } else if constexpr (std::is_same_v<T, events::MethodFinishedEvent>) {
                return "method-finished";
            } else {
                static_assert(std::is_same_v<T, events::FinishedEvent>);
                return "finished";
            }
        },
        event);
}

nlohmann::json eventToJson(const events::Event& event) {
    auto j = std::visit(
        [](const auto& e) -> nlohmann::json {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, events::SampleEvent>) {
                auto s = report::toJson(e);
                s["method"] = e.method;
                s["total"] = e.total;
                return s;
            } else if constexpr (std::is_same_v<T, events::OuterIterationEvent>) {
                auto o = report::toJson(e);
                o["total"] = e.total;
                o["inner_steps"] = e.innerSteps;
                return o;
            } else if constexpr (std::is_same_v<T, events::GpRefitEvent>) {
                return {{"method", e.method},
                        {"samples", e.samples},
                        {"length_scales", numbers(e.lengthScales)},
                        {"signal_variance", number(e.signalVariance)},
                        {"noise_variance", number(e.noiseVariance)},
                        {"log_marginal_likelihood", number(e.logMarginalLikelihood)},
                        {"jitter", number(e.jitter)},
                        {"seconds", number(e.seconds)}};
            } else if constexpr (std::is_same_v<T, events::InnerProgressEvent>) {
                return {{"outer_iteration", e.outerIteration},
                        {"step", e.step},
                        {"total_steps", e.totalSteps},
                        {"lambda", numbers(e.lambda)},
                        {"augmented_lagrangian", number(e.augmentedLagrangian)},
                        {"F", number(e.upperLoss)},
                        {"f", number(e.lowerObjective)},
                        {"phi_hat", number(e.phiHat)},
                        {"h", number(e.violation)},
                        {"cost", report::toJson(e.cost)}};
            } else if constexpr (std::is_same_v<T, events::LogEvent>) {
                return {{"level", static_cast<int>(e.level)}, {"message", e.message}};
            } else if constexpr (std::is_same_v<T, events::MethodFinishedEvent>) {
                return {{"method", e.method},
                        {"lambda", numbers(e.lambda)},
                        {"metrics", report::toJson(e.metrics)},
                        {"cost", report::toJson(e.cost)}};
            } else {
                static_assert(std::is_same_v<T, events::FinishedEvent>);
                return {{"status", e.status}, {"message", e.message}};
            }
        },
        event);
    j["type"] = eventType(event);
    return j;
}

events::Event eventFromJson(const nlohmann::json& json) {
    if (!json.is_object()) {
        throw std::invalid_argument("an event must be a JSON object, not " +
                                    std::string(json.type_name()));
    }
    try {
        return decode(json);
    } catch (const nlohmann::json::exception& e) {
        throw std::invalid_argument(std::string("malformed event: ") + e.what());
    }
}

} // namespace bt::store
