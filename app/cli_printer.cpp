#include "app/cli_printer.h"

#include <cmath>
#include <iomanip>
#include <ostream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace bt::app {

namespace {

std::string fixed(double v, int decimals = 4) {
    if (!std::isfinite(v)) {
        return "-";
    }
    std::ostringstream s;
    s << std::fixed << std::setprecision(decimals) << v;
    return s.str();
}

std::string percent(const std::optional<double>& v) {
    return v ? fixed(100.0 * *v, 2) + "%" : "-";
}

std::string scientific(double v) {
    std::ostringstream s;
    s << std::scientific << std::setprecision(2) << v;
    return s.str();
}

nlohmann::json eventJson(const events::Event& event) {
    return std::visit(
        [](const auto& e) -> nlohmann::json {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, events::SampleEvent>) {
                auto j = report::toJson(e);
                j["type"] = "sample";
                j["method"] = e.method;
                return j;
            } else if constexpr (std::is_same_v<T, events::OuterIterationEvent>) {
                auto j = report::toJson(e);
                j["type"] = "outer-iteration";
                return j;
            } else if constexpr (std::is_same_v<T, events::GpRefitEvent>) {
                return {{"type", "gp-refit"},
                        {"method", e.method},
                        {"samples", e.samples},
                        {"length_scales", e.lengthScales},
                        {"signal_variance", e.signalVariance},
                        {"noise_variance", e.noiseVariance},
                        {"log_marginal_likelihood", e.logMarginalLikelihood},
                        {"jitter", e.jitter},
                        {"seconds", e.seconds}};
            } else if constexpr (std::is_same_v<T, events::InnerProgressEvent>) {
                return {{"type", "inner-progress"},
                        {"outer_iteration", e.outerIteration},
                        {"step", e.step},
                        {"lambda", e.lambda},
                        {"augmented_lagrangian", e.augmentedLagrangian},
                        {"F", e.upperLoss},
                        {"f", e.lowerObjective},
                        {"phi_hat", e.phiHat},
                        {"h", e.violation}};
            } else if constexpr (std::is_same_v<T, events::LogEvent>) {
                return {
                    {"type", "log"}, {"level", static_cast<int>(e.level)}, {"message", e.message}};
            } else if constexpr (std::is_same_v<T, events::MethodFinishedEvent>) {
                return {{"type", "method-finished"},
                        {"method", e.method},
                        {"lambda", e.lambda},
                        {"metrics", report::toJson(e.metrics)},
                        {"cost", report::toJson(e.cost)}};
            } else {
                return {{"type", "finished"}, {"status", e.status}, {"message", e.message}};
            }
        },
        event);
}

} // namespace

std::string formatLambda(const std::vector<double>& lambda) {
    std::string s = "[";
    for (std::size_t i = 0; i < lambda.size(); ++i) {
        s += (i ? ", " : "") + fixed(lambda[i], 3);
    }
    return s + "]";
}

void CliPrinter::onEvent(const events::Event& event) {
    const std::lock_guard lock(m_mutex);
    if (m_mode == Mode::JsonEvents) {
        if (!std::holds_alternative<events::InnerProgressEvent>(event)) {
            m_out << eventJson(event).dump() << '\n' << std::flush;
        }
        return;
    }
    if (m_mode == Mode::Quiet) {
        return;
    }
    if (const auto* s = std::get_if<events::SampleEvent>(&event)) {
        m_out << s->method << " " << s->phase << " " << (s->index + 1);
        if (s->total > 0 && s->phase == "initial-design") {
            m_out << "/" << s->total;
        }
        m_out << ": λ=" << formatLambda(s->lambda) << " " << s->status;
        if (s->status == "ok") {
            m_out << " f=" << fixed(s->metrics.objective) << " F=" << fixed(s->metrics.valLoss)
                  << " test acc=" << percent(s->metrics.testAccuracy);
        } else if (!s->message.empty()) {
            m_out << " (" << s->message << ")";
        }
        m_out << "  [" << fixed(s->cost.epochs, 1) << " epochs, " << fixed(s->cost.wallSeconds, 1)
              << " s]\n"
              << std::flush;
    } else if (const auto* o = std::get_if<events::OuterIterationEvent>(&event)) {
        m_out << "bilevel outer iteration " << o->iteration << "/" << o->total
              << ": λ=" << formatLambda(o->lambda)
              << " |h|=" << scientific(std::abs(o->violationSampled)) << " (surrogate "
              << scientific(std::abs(o->violationSurrogate)) << ") μ=" << fixed(o->mu, 3)
              << " r=" << fixed(o->r, 3) << " F=" << fixed(o->upperLoss)
              << " test acc=" << percent(o->metrics.testAccuracy) << "  ["
              << fixed(o->cost.epochs, 1) << " epochs, " << fixed(o->cost.wallSeconds, 1) << " s]\n"
              << std::flush;
    } else if (const auto* l = std::get_if<events::LogEvent>(&event)) {
        if (l->level >= events::LogLevel::Warning) {
            m_out << "warning: " << l->message << '\n' << std::flush;
        }
    }
}

void CliPrinter::printSummary(const report::RunResult& result) const {
    if (m_mode != Mode::Lines) {
        return;
    }
    const events::Cost* bilevel = nullptr;
    for (const auto& m : result.methods) {
        if (m.method == "bilevel") {
            bilevel = &m.cost;
        }
    }
    m_out << "\nRun " << result.runId << ": " << result.status
          << (result.message.empty() ? "" : " (" + result.message + ")") << "\n\n";
    m_out << std::left << std::setw(10) << "method" << std::setw(28) << "lambda*" << std::right
          << std::setw(9) << "val loss" << std::setw(9) << "val acc" << std::setw(10) << "test loss"
          << std::setw(9) << "test acc" << std::setw(10) << "trainings" << std::setw(9) << "epochs"
          << std::setw(10) << "seconds";
    if (bilevel != nullptr) {
        m_out << std::setw(15) << "epochs/bilevel" << std::setw(14) << "time/bilevel";
    }
    m_out << '\n';
    for (const auto& m : result.methods) {
        m_out << std::left << std::setw(10) << m.method << std::setw(28) << formatLambda(m.lambda)
              << std::right << std::setw(9) << fixed(m.metrics.valLoss) << std::setw(9)
              << percent(m.metrics.valAccuracy) << std::setw(10) << fixed(m.metrics.testLoss)
              << std::setw(9) << percent(m.metrics.testAccuracy) << std::setw(10)
              << m.cost.lowerLevelTrainings << std::setw(9) << fixed(m.cost.epochs, 1)
              << std::setw(10) << fixed(m.cost.wallSeconds, 1);
        if (bilevel != nullptr) {
            m_out << std::setw(15)
                  << (bilevel->epochs > 0 ? fixed(m.cost.epochs / bilevel->epochs, 2) : "-")
                  << std::setw(14)
                  << (bilevel->wallSeconds > 0 ? fixed(m.cost.wallSeconds / bilevel->wallSeconds, 2)
                                               : "-");
        }
        m_out << '\n';
        if (m.retrainedMetrics) {
            m_out << "  retrained at λ* from the fixed initialisation: test loss "
                  << fixed(m.retrainedMetrics->testLoss) << ", test acc "
                  << percent(m.retrainedMetrics->testAccuracy) << '\n';
        }
        if (m.refitMetrics) {
            m_out << "  refit at λ* on training ∪ validation: test loss "
                  << fixed(m.refitMetrics->testLoss) << ", test acc "
                  << percent(m.refitMetrics->testAccuracy) << '\n';
        }
    }
    m_out << std::flush;
}

} // namespace bt::app
