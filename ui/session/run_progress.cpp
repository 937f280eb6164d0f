#include "ui/session/run_progress.h"

#include <algorithm>

#include "engine/methods/design.h"
#include "engine/methods/run_plan.h"
#include "engine/models/weight_layers.h"
#include "ui/session/run_data.h"

namespace bt::ui {

namespace {

QString methodName(const std::string& method) {
    return QString::fromStdString(method);
}

} // namespace

void RunProgress::start(const config::RunConfig& config) {
    m_config = config;
    m_dimension = models::lambdaDimension(config.model, config.hyperparameters);
    m_current = 0;
    m_currentEpochs = 0.0;
    m_currentFractionFloor = 0.0;
    m_phases.clear();
    m_finished = false;
    m_ended = false;
    m_state = RunProgressState{};
    m_state.phase = QStringLiteral("preparing the data");
    replan();
}

void RunProgress::replan() {
    m_plan.clear();
    for (const auto& planned : methods::planRun(m_config, m_dimension)) {
        m_plan.emplace_back(std::string(config::toString(planned.method)),
                            std::max(planned.epochs, 1.0));
    }
}

std::vector<std::pair<std::string, double>> RunProgress::plan() const {
    return m_plan;
}

double RunProgress::methodFraction(double epochs) const {
    if (m_current >= m_plan.size()) {
        return 1.0;
    }
    const double fraction = std::max(epochs / m_plan[m_current].second, m_currentFractionFloor);
    // A method is done only when it says so: hold its share below 1 until then.
    return std::clamp(fraction, 0.0, 0.99);
}

void RunProgress::refresh(double elapsedSeconds) {
    double total = 0.0;
    double done = 0.0;
    for (std::size_t i = 0; i < m_plan.size(); ++i) {
        total += m_plan[i].second;
        if (i < m_current) {
            done += m_plan[i].second;
        } else if (i == m_current) {
            done += m_plan[i].second * methodFraction(m_currentEpochs);
        }
    }
    m_state.fraction = m_finished ? 1.0 : (total > 0.0 ? std::clamp(done / total, 0.0, 1.0) : 0.0);
    m_state.elapsedSeconds = elapsedSeconds;
    m_state.ended = m_ended;
    if (m_ended) {
        m_state.etaSeconds = -1.0;
    } else if (m_state.fraction >= 0.01 && elapsedSeconds > 0.0) {
        m_state.etaSeconds = elapsedSeconds * (1.0 - m_state.fraction) / m_state.fraction;
    } else {
        m_state.etaSeconds = -1.0;
    }
}

void RunProgress::enterMethod(const std::string& method) {
    for (std::size_t i = m_current; i < m_plan.size(); ++i) {
        if (m_plan[i].first == method) {
            if (i != m_current) {
                m_current = i;
                m_currentEpochs = 0.0;
                m_currentFractionFloor = 0.0;
            }
            return;
        }
    }
}

void RunProgress::correctDimension(const std::vector<double>& lambda) {
    if (!lambda.empty() && static_cast<int>(lambda.size()) != m_dimension) {
        m_dimension = static_cast<int>(lambda.size());
        replan();
    }
}

void RunProgress::takeSample(const events::SampleEvent& sample) {
    enterMethod(sample.method);
    correctDimension(sample.lambda);
    m_currentEpochs = sample.cost.epochs;
    const auto place = m_phases.next(sample);
    m_state.phase = QStringLiteral("%1: %2").arg(methodName(sample.method),
                                                 QString::fromStdString(place.text()));
    // The trials done are a floor of the method's share (of all of it for grid and random search;
    // of its proposals, after the initial design, for Bayesian optimisation).
    if (sample.phase == events::phase::kTrial && place.total > 0) {
        m_currentFractionFloor =
            static_cast<double>(place.number) / static_cast<double>(place.total);
    }
}

void RunProgress::takeOuterIteration(const events::OuterIterationEvent& outer) {
    enterMethod("bilevel");
    m_currentEpochs = outer.cost.epochs;
    m_state.phase =
        QStringLiteral("bilevel: outer iteration %1/%2").arg(outer.iteration).arg(outer.total);
    // Each outer iteration is a planned share; epochs of the inner solve vary with the data.
    const int points = methods::initialDesignPoints(m_config.bilevel.initialSamples, m_dimension);
    const double planned = points + 2.0 * std::max(outer.total, 1);
    m_currentFractionFloor = (points + 2.0 * outer.iteration) / planned;
}

const RunProgressState& RunProgress::update(const events::Event& event, double elapsedSeconds) {
    if (const auto* started = std::get_if<events::RunStartedEvent>(&event)) {
        // The run knows the λ dimension from the network itself (a TorchScript module's weights,
        // groups).
        correctDimension(std::vector<double>(started->lambdaNames.size()));
    } else if (const auto* sample = std::get_if<events::SampleEvent>(&event)) {
        takeSample(*sample);
    } else if (const auto* inner = std::get_if<events::InnerProgressEvent>(&event)) {
        enterMethod("bilevel");
        correctDimension(inner->lambda);
        m_currentEpochs = inner->cost.epochs;
        m_state.phase = QStringLiteral("bilevel: outer iteration %1/%2, inner step %3/%4")
                            .arg(inner->outerIteration)
                            .arg(m_config.bilevel.outerIterationCount())
                            .arg(inner->step)
                            .arg(inner->totalSteps);
    } else if (const auto* outer = std::get_if<events::OuterIterationEvent>(&event)) {
        takeOuterIteration(*outer);
    } else if (const auto* finished = std::get_if<events::MethodFinishedEvent>(&event)) {
        enterMethod(finished->method);
        const bool done = finished->status == events::RunStatus::Completed;
        m_state.phase = QStringLiteral("%1 %2").arg(methodName(finished->method),
                                                    done ? QStringLiteral("finished")
                                                         : statusText(finished->status));
        // A method that a stop or an error cut short is not done: the run's progress stays where
        // it stopped (the run's finished event follows).
        if (done) {
            ++m_current;
            m_currentEpochs = 0.0;
            m_currentFractionFloor = 0.0;
        }
    } else if (const auto* end = std::get_if<events::FinishedEvent>(&event)) {
        // A completed run is 100 %; a cancelled or failed one stays where it stopped.
        m_finished = end->status == events::RunStatus::Completed;
        m_ended = true;
        m_state.phase = QStringLiteral("run %1").arg(statusText(end->status));
        if (!m_finished) {
            refresh(elapsedSeconds);
            m_state.phase += QStringLiteral(" at %1 %").arg(m_state.fraction * 100.0, 0, 'f', 1);
        }
    }
    refresh(elapsedSeconds);
    return m_state;
}

} // namespace bt::ui
