#include "engine/store/event_json.h"

#include <stdexcept>

#include "engine/report/json_fields.h"
#include "engine/report/result_json.h"

namespace bt::store {

namespace {

// Samples, outer iterations, metrics and cost use the result codec (report/result_json.h); the
// other events are read here with the same field readers (report/json_fields.h).
events::Event decode(const nlohmann::json& j) {
    if (!j.contains("type")) {
        throw std::invalid_argument("an event needs a \"type\"");
    }
    const auto type = report::readText(j, "type");
    if (type == "sample") {
        return report::sampleFromJson(j);
    }
    if (type == "gp-refit") {
        events::GpRefitEvent e;
        e.method = report::readText(j, "method");
        e.samples = report::readInt(j, "samples");
        e.lengthScales = report::readNumbers(j, "length_scales");
        e.signalVariance = report::readNumber(j, "signal_variance");
        e.noiseVariance = report::readNumber(j, "noise_variance");
        e.logMarginalLikelihood = report::readNumber(j, "log_marginal_likelihood");
        e.jitter = report::readNumber(j, "jitter");
        e.seconds = report::readNumber(j, "seconds");
        return e;
    }
    if (type == "inner-progress") {
        events::InnerProgressEvent e;
        e.outerIteration = report::readInt(j, "outer_iteration");
        e.step = report::readInt(j, "step");
        e.totalSteps = report::readInt(j, "total_steps");
        e.lambda = report::readNumbers(j, "lambda");
        e.augmentedLagrangian = report::readNumber(j, "augmented_lagrangian");
        e.upperLoss = report::readNumber(j, "F");
        e.lowerObjective = report::readNumber(j, "f");
        e.phiHat = report::readNumber(j, "phi_hat");
        e.violation = report::readNumber(j, "h");
        e.cost = report::readObject(j, "cost", report::costFromJson).value_or(events::Cost{});
        return e;
    }
    if (type == "outer-iteration") {
        return report::iterationFromJson(j);
    }
    if (type == "log") {
        const int level = report::readInt(j, "level", static_cast<int>(events::LogLevel::Info));
        if (level < static_cast<int>(events::LogLevel::Debug) ||
            level > static_cast<int>(events::LogLevel::Error)) {
            throw std::invalid_argument("log event with level " + std::to_string(level) +
                                        " (expected 0 to 3)");
        }
        return events::LogEvent{static_cast<events::LogLevel>(level),
                                report::readText(j, "message")};
    }
    if (type == "method-finished") {
        events::MethodFinishedEvent e;
        e.method = report::readText(j, "method");
        e.lambda = report::readNumbers(j, "lambda");
        e.metrics =
            report::readObject(j, "metrics", report::metricsFromJson).value_or(events::Metrics{});
        e.cost = report::readObject(j, "cost", report::costFromJson).value_or(events::Cost{});
        e.status = report::readRunStatus(j, "status", events::RunStatus::Completed);
        return e;
    }
    if (type == "run-started") {
        events::RunStartedEvent e;
        e.lambdaNames = report::readTexts(j, "lambda_names");
        if (const auto members = j.find("lambda_members");
            members != j.end() && members->is_array()) {
            for (const auto& entry : *members) {
                e.lambdaMembers.push_back(
                    report::readTexts(nlohmann::json{{"weights", entry}}, "weights"));
            }
        }
        e.data = report::readText(j, "data");
        e.device = report::readText(j, "device");
        return e;
    }
    if (type == "finished") {
        return events::FinishedEvent{report::readRunStatus(j, "status", events::RunStatus::Failed),
                                     report::readText(j, "message")};
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
            } else if constexpr (std::is_same_v<T, events::RunStartedEvent>) {
                return "run-started";
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
            if constexpr (std::is_same_v<T, events::SampleEvent> ||
                          std::is_same_v<T, events::OuterIterationEvent>) {
                return report::toJson(e);
            } else if constexpr (std::is_same_v<T, events::GpRefitEvent>) {
                return {{"method", e.method},
                        {"samples", e.samples},
                        {"length_scales", report::numbersToJson(e.lengthScales)},
                        {"signal_variance", report::numberToJson(e.signalVariance)},
                        {"noise_variance", report::numberToJson(e.noiseVariance)},
                        {"log_marginal_likelihood", report::numberToJson(e.logMarginalLikelihood)},
                        {"jitter", report::numberToJson(e.jitter)},
                        {"seconds", report::numberToJson(e.seconds)}};
            } else if constexpr (std::is_same_v<T, events::InnerProgressEvent>) {
                return {{"outer_iteration", e.outerIteration},
                        {"step", e.step},
                        {"total_steps", e.totalSteps},
                        {"lambda", report::numbersToJson(e.lambda)},
                        {"augmented_lagrangian", report::numberToJson(e.augmentedLagrangian)},
                        {"F", report::numberToJson(e.upperLoss)},
                        {"f", report::numberToJson(e.lowerObjective)},
                        {"phi_hat", report::numberToJson(e.phiHat)},
                        {"h", report::numberToJson(e.violation)},
                        {"cost", report::toJson(e.cost)}};
            } else if constexpr (std::is_same_v<T, events::LogEvent>) {
                return {{"level", static_cast<int>(e.level)}, {"message", e.message}};
            } else if constexpr (std::is_same_v<T, events::MethodFinishedEvent>) {
                return {{"method", e.method},
                        {"lambda", report::numbersToJson(e.lambda)},
                        {"metrics", report::toJson(e.metrics)},
                        {"cost", report::toJson(e.cost)},
                        {"status", events::toString(e.status)}};
            } else if constexpr (std::is_same_v<T, events::RunStartedEvent>) {
                return {{"lambda_names", e.lambdaNames},
                        {"lambda_members", e.lambdaMembers},
                        {"data", e.data},
                        {"device", e.device}};
            } else {
                static_assert(std::is_same_v<T, events::FinishedEvent>);
                return {{"status", events::toString(e.status)}, {"message", e.message}};
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
