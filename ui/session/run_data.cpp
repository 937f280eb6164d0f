#include "ui/session/run_data.h"

#include <cmath>
#include <limits>

#include "engine/events/phase_place.h"

namespace bt::ui {

QString statusText(events::RunStatus status) {
    return QString::fromLatin1(events::toString(status));
}

std::string lambdaLabel(const std::vector<std::string>& names, int index) {
    if (index >= 0 && index < static_cast<int>(names.size())) {
        const auto& name = names[static_cast<std::size_t>(index)];
        return name == "shared" ? "λ (shared)" : "λ " + name;
    }
    return "λ" + std::to_string(index + 1);
}

std::string RunData::lambdaLabel(int index) const {
    // A run stored before λ names were kept still says which λ is the shared one.
    if (m_lambdaNames.empty() && dimension() == 1 &&
        m_config.hyperparameters.scope == config::LambdaScope::Shared) {
        return ui::lambdaLabel({"shared"}, index);
    }
    return ui::lambdaLabel(m_lambdaNames, index);
}

void RunData::reset(const config::RunConfig& config, const std::string& runId) {
    *this = RunData{};
    m_config = config;
    m_runId = runId;
    // Methods appear in the configured order even before their first event.
    for (const auto method : config.methods) {
        traceOf(std::string(config::toString(method)));
    }
}

MethodTrace& RunData::traceOf(const std::string& method) {
    for (auto& trace : m_methods) {
        if (trace.method == method) {
            return trace;
        }
    }
    m_methods.push_back(MethodTrace{});
    m_methods.back().method = method;
    m_methods.back().variant = m_config.bilevel.variant;
    return m_methods.back();
}

void RunData::addTrace(MethodTrace trace) {
    m_methods.push_back(std::move(trace));
}

std::optional<report::Recommendation> RunData::recommendation() const {
    std::vector<const report::MethodResult*> results;
    results.reserve(m_methods.size());
    for (const auto& trace : m_methods) {
        results.push_back(trace.result ? &*trace.result : nullptr);
    }
    return report::recommend(results);
}

const MethodTrace* RunData::method(const std::string& name) const {
    for (const auto& trace : m_methods) {
        if (trace.method == name) {
            return &trace;
        }
    }
    return nullptr;
}

bool RunData::hasBilevel() const {
    return method("bilevel") != nullptr;
}

std::string methodOf(const std::string& traceName) {
    return traceName.substr(0, traceName.find(kRunLetterSeparator));
}

bool MethodTrace::alWeightsAreTheAnswer() const {
    return methodOf(method) == "bilevel" && methods::alWeightsAreTheAnswer(variant);
}

void RunData::setDimension(std::size_t d) {
    if (d == 0 || m_lower.size() == d) {
        return;
    }
    m_lower.assign(d, m_config.hyperparameters.lower);
    m_upper.assign(d, m_config.hyperparameters.upper);
}

void RunData::add(const events::Event& event) {
    if (const auto* sample = std::get_if<events::SampleEvent>(&event)) {
        setDimension(sample->lambda.size());
        auto& trace = traceOf(sample->method);
        trace.samples.push_back(*sample);
        trace.tracker.addSample(*sample, trace.anytime);
    } else if (const auto* refit = std::get_if<events::GpRefitEvent>(&event)) {
        // Only the bilevel method's GP models φ; Bayesian optimisation's models validation loss.
        if (refit->method == "bilevel") {
            const auto* trace = method(refit->method);
            m_fits.push_back({*refit, trace != nullptr ? trace->samples.size() : 0});
        } else if (refit->method == "bayesian") {
            m_objectiveFit = *refit;
        }
    } else if (const auto* inner = std::get_if<events::InnerProgressEvent>(&event)) {
        setDimension(inner->lambda.size());
        m_inner.push_back(*inner);
    } else if (const auto* outer = std::get_if<events::OuterIterationEvent>(&event)) {
        setDimension(outer->lambda.size());
        m_outer.push_back(*outer);
        auto& trace = traceOf("bilevel");
        trace.tracker.addOuterIteration(*outer, trace.variant, trace.anytime);
    } else if (const auto* log = std::get_if<events::LogEvent>(&event)) {
        m_logs.push_back(*log);
    } else if (const auto* done = std::get_if<events::MethodFinishedEvent>(&event)) {
        traceOf(done->method).finished = *done;
    } else if (const auto* end = std::get_if<events::FinishedEvent>(&event)) {
        m_finished = *end;
    } else if (const auto* started = std::get_if<events::RunStartedEvent>(&event)) {
        m_lambdaNames = started->lambdaNames;
        m_lambdaMembers = started->lambdaMembers;
        setDimension(started->lambdaNames.size());
    }
}

void RunData::setResult(const report::RunResult& result) {
    m_result = result;
    if (!result.lambdaNames.empty()) {
        m_lambdaNames = result.lambdaNames;
        setDimension(result.lambdaNames.size());
    }
    if (!m_finished) {
        m_finished = events::FinishedEvent{result.status, result.message};
    }
    for (const auto& r : result.methods) {
        auto& trace = traceOf(r.method);
        trace.result = r;
        if (!r.anytime.empty()) {
            trace.anytime = r.anytime;
        }
        if (!trace.finished) {
            trace.finished =
                events::MethodFinishedEvent{r.method, r.lambda, r.metrics, r.cost, r.status};
        }
    }
}

void RunData::loadResult(const config::RunConfig& config, const report::RunResult& result) {
    reset(config, result.runId);
    for (const auto& r : result.methods) {
        auto& trace = traceOf(r.method);
        trace.samples = r.samples;
        for (const auto& s : r.samples) {
            setDimension(s.lambda.size());
        }
        if (r.method == "bilevel") {
            m_outer = r.iterations;
        }
    }
    setResult(result);
}

std::vector<double> RunData::currentLambda() const {
    if (!m_inner.empty() &&
        (m_outer.empty() || m_inner.back().outerIteration > m_outer.back().iteration)) {
        return m_inner.back().lambda;
    }
    if (!m_outer.empty()) {
        return m_outer.back().lambda;
    }
    return startLambda();
}

std::vector<double> RunData::chosenLambda() const {
    const auto* bilevel = method("bilevel");
    if (bilevel == nullptr || !bilevel->finished) {
        return {};
    }
    return bilevel->finished->lambda;
}

std::vector<double> RunData::markedLambda() const {
    auto chosen = chosenLambda();
    return chosen.empty() ? currentLambda() : chosen;
}

std::vector<double> RunData::startLambda() const {
    const auto* bilevel = method("bilevel");
    if (bilevel == nullptr) {
        return {};
    }
    const events::SampleEvent* best = nullptr;
    for (const auto& s : bilevel->samples) {
        // A usable validation loss is the one trainings compete by (methods::competingValLoss).
        if (s.phase == events::phase::kInitialDesign &&
            std::isfinite(methods::competingValLoss(s)) &&
            (best == nullptr || s.metrics.valLoss < best->metrics.valLoss)) {
            best = &s;
        }
    }
    return best != nullptr ? best->lambda : std::vector<double>{};
}

std::vector<const events::SampleEvent*> RunData::usablePhiSamples(std::size_t count) const {
    std::vector<const events::SampleEvent*> usable;
    const auto* bilevel = method("bilevel");
    if (bilevel == nullptr) {
        return usable;
    }
    const std::size_t n = std::min(count, bilevel->samples.size());
    for (std::size_t i = 0; i < n; ++i) {
        const auto& s = bilevel->samples[i];
        if (s.ok() && std::isfinite(s.metrics.objective)) {
            usable.push_back(&s);
        }
    }
    return usable;
}

QString RunData::lambdaLines(const std::vector<double>& lambda) const {
    QString lines;
    for (std::size_t i = 0; i < lambda.size(); ++i) {
        lines += QStringLiteral("\n%1 = %2")
                     .arg(QString::fromStdString(lambdaLabel(static_cast<int>(i))))
                     .arg(lambda[i], 0, 'f', 3);
    }
    return lines;
}

QString RunData::sampleText(const events::SampleEvent& sample) const {
    // Its place among its method's trainings (phasePlace counts by the event's own index, so a
    // copy of a stored sample reads the same as the stored one).
    const MethodTrace* trace = method(sample.method);
    const auto place = trace != nullptr ? events::phasePlace(trace->samples, sample)
                                        : events::phasePlace({sample}, sample);
    QString text = QStringLiteral("%1, %2").arg(QString::fromStdString(sample.method),
                                                QString::fromStdString(place.text()));
    text += lambdaLines(sample.lambda);
    const auto& m = sample.metrics;
    text += QStringLiteral("\nvalidation loss %1, test loss %2")
                .arg(m.valLoss, 0, 'g', 4)
                .arg(m.testLoss, 0, 'g', 4);
    if (m.testAccuracy) {
        text += QStringLiteral(", test accuracy %1 %").arg(*m.testAccuracy * 100.0, 0, 'f', 2);
    }
    text += QStringLiteral("\nf(w, λ) %1; %2 epochs; %3")
                .arg(m.objective, 0, 'g', 4)
                .arg(sample.epochsTrained, 0, 'g', 4)
                .arg(QString::fromStdString(sample.status));
    return text;
}

QString RunData::outerIterationText(const events::OuterIterationEvent& outer) const {
    QString text = QStringLiteral("bilevel, outer iteration %1").arg(outer.iteration);
    if (outer.total > 0) {
        text += QStringLiteral(" of %1").arg(outer.total);
    }
    text += lambdaLines(outer.lambda);
    text += QStringLiteral("\nF(w_k) %1, f(w_k, λ_k) %2")
                .arg(outer.upperLoss, 0, 'g', 4)
                .arg(outer.lowerObjective, 0, 'g', 4);
    text += QStringLiteral("\nh %1 against the φ sample %2, %3 against φ̂ %4")
                .arg(outer.violationSampled, 0, 'g', 3)
                .arg(outer.phiSampled, 0, 'g', 4)
                .arg(outer.violationSurrogate, 0, 'g', 3)
                .arg(outer.phiHat, 0, 'g', 4);
    text += QStringLiteral("\nμ %1, r %2").arg(outer.mu, 0, 'g', 3).arg(outer.r, 0, 'g', 3);
    const auto& m = outer.metrics;
    text += QStringLiteral("\nw_k (fitted to validation): test loss %1").arg(m.testLoss, 0, 'g', 4);
    if (m.testAccuracy) {
        text += QStringLiteral(", test accuracy %1 %").arg(*m.testAccuracy * 100.0, 0, 'f', 2);
    }
    text += QStringLiteral("; %1 epochs so far").arg(outer.cost.epochs, 0, 'g', 4);
    return text;
}

const events::OuterIterationEvent* RunData::outerIteration(int iteration) const {
    for (const auto& o : outerIterations()) {
        if (o.iteration == iteration) {
            return &o;
        }
    }
    return nullptr;
}

QString RunData::outerIterationTextAt(double x) const {
    const double iteration = std::round(x);
    const auto* outer =
        std::abs(x - iteration) < 0.05 ? outerIteration(static_cast<int>(iteration)) : nullptr;
    return outer != nullptr ? outerIterationText(*outer) : QString();
}

void RunData::phiSamples(std::size_t count, std::vector<std::vector<double>>& x,
                         std::vector<double>& y) const {
    x.clear();
    y.clear();
    for (const auto* s : usablePhiSamples(count)) {
        x.push_back(s->lambda);
        y.push_back(s->metrics.objective);
    }
}

} // namespace bt::ui
