#include "engine/report/result_json.h"

#include <cmath>
#include <fstream>
#include <system_error>

#include "engine/core/error.h"

namespace bt::report {

namespace {

// JSON has no NaN or infinity: such values are written as null.
nlohmann::json number(double v) {
    return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

nlohmann::json optionalNumber(const std::optional<double>& v) {
    return v ? number(*v) : nlohmann::json(nullptr);
}

nlohmann::json numbers(const std::vector<double>& values) {
    auto array = nlohmann::json::array();
    for (double v : values) {
        array.push_back(number(v));
    }
    return array;
}

} // namespace

nlohmann::json toJson(const events::Metrics& m) {
    return {{"val_loss", number(m.valLoss)},     {"val_accuracy", optionalNumber(m.valAccuracy)},
            {"test_loss", number(m.testLoss)},   {"test_accuracy", optionalNumber(m.testAccuracy)},
            {"train_loss", number(m.trainLoss)}, {"objective", number(m.objective)}};
}

nlohmann::json toJson(const events::Cost& c) {
    return {{"lower_level_trainings", c.lowerLevelTrainings},
            {"epochs", number(c.epochs)},
            {"wall_seconds", number(c.wallSeconds)},
            {"gp_seconds", number(c.gpSeconds)}};
}

nlohmann::json toJson(const events::SampleEvent& s) {
    return {{"index", s.index},
            {"phase", s.phase},
            {"lambda", numbers(s.lambda)},
            {"epochs_trained", number(s.epochsTrained)},
            {"status", s.status},
            {"message", s.message},
            {"metrics", toJson(s.metrics)},
            {"cost", toJson(s.cost)}};
}

nlohmann::json toJson(const events::OuterIterationEvent& it) {
    return {{"iteration", it.iteration},
            {"lambda", numbers(it.lambda)},
            {"h_sampled", number(it.violationSampled)},
            {"h_surrogate", number(it.violationSurrogate)},
            {"mu", number(it.mu)},
            {"r", number(it.r)},
            {"F", number(it.upperLoss)},
            {"f", number(it.lowerObjective)},
            {"phi_sampled", number(it.phiSampled)},
            {"phi_hat", number(it.phiHat)},
            {"metrics", toJson(it.metrics)},
            {"cost", toJson(it.cost)}};
}

nlohmann::json toJson(const methods::MethodResult& r) {
    nlohmann::json j;
    j["status"] = r.status;
    if (!r.message.empty()) {
        j["message"] = r.message;
    }
    j["lambda"] = numbers(r.lambda);
    j["metrics"] = toJson(r.metrics);
    j["retrained_metrics"] = r.retrainedMetrics ? toJson(*r.retrainedMetrics) : nullptr;
    j["refit_metrics"] = r.refitMetrics ? toJson(*r.refitMetrics) : nullptr;
    j["cost"] = toJson(r.cost);
    auto trace = nlohmann::json::array();
    if (!r.iterations.empty()) {
        for (const auto& it : r.iterations) {
            trace.push_back(toJson(it));
        }
    } else {
        for (const auto& s : r.samples) {
            trace.push_back(toJson(s));
        }
    }
    j["trace"] = std::move(trace);
    auto samples = nlohmann::json::array();
    for (const auto& s : r.samples) {
        samples.push_back(toJson(s));
    }
    j["samples"] = std::move(samples);
    auto anytime = nlohmann::json::array();
    for (const auto& p : r.anytime) {
        anytime.push_back({{"epochs", number(p.epochs)},
                           {"seconds", number(p.seconds)},
                           {"best_val_loss", number(p.bestValLoss)},
                           {"test_loss_of_best", number(p.testLossOfBest)},
                           {"test_accuracy_of_best", optionalNumber(p.testAccuracyOfBest)}});
    }
    j["anytime"] = std::move(anytime);
    return j;
}

nlohmann::json toJson(const RunResult& r) {
    nlohmann::json methods = nlohmann::json::object();
    for (const auto& m : r.methods) {
        methods[m.method] = toJson(m);
    }
    nlohmann::json j{{"run_id", r.runId},
                     {"status", r.status},
                     {"config", r.config},
                     {"environment", r.environment},
                     {"methods", std::move(methods)}};
    if (!r.message.empty()) {
        j["message"] = r.message;
    }
    return j;
}

void writeResultJson(const RunResult& result, const std::filesystem::path& path) {
    std::error_code ec;
    if (path.has_parent_path()) {
        std::filesystem::create_directories(path.parent_path(), ec);
        if (ec) {
            throw core::InputError(path.parent_path().string(),
                                   "cannot create the output folder: " + ec.message());
        }
    }
    const auto temporary = path.string() + ".partial";
    {
        std::ofstream out(temporary, std::ios::trunc);
        if (!out) {
            throw core::InputError(path.string(), "cannot write the result file (is the folder "
                                                  "writable?)");
        }
        out << toJson(result).dump(2) << '\n';
        out.flush();
        if (!out) {
            std::filesystem::remove(temporary, ec);
            throw core::InputError(path.string(), "writing the result file failed (disk full?)");
        }
    }
    std::filesystem::rename(temporary, path, ec);
    if (ec) {
        std::filesystem::remove(temporary, ec);
        throw core::InputError(path.string(),
                               "cannot move the result file into place: " + ec.message());
    }
}

} // namespace bt::report
