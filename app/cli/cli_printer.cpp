#include "app/cli/cli_printer.h"
#include "app/cli/cli_text.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <iomanip>
#include <ostream>
#include <sstream>
#include <string_view>

#include <nlohmann/json.hpp>
#include <sys/ioctl.h>
#include <unistd.h>

#include "engine/config/format_number.h"
#include "engine/config/run_config_json.h"
#include "engine/report/method_result.h"
#include "engine/report/result_json.h"
#include "engine/store/event_json.h"
#include "engine/store/run_headline.h"
#include "engine/store/run_store.h"

namespace bt::app {

namespace {

std::string percent(const std::optional<double>& v) {
    return v ? fixed(100.0 * *v, 2) + "%" : "-";
}

std::string scientific(double v) {
    std::ostringstream s;
    s << std::scientific << std::setprecision(2) << v;
    return s.str();
}

int terminalWidth() {
    winsize size{};
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col >= 40) {
        return size.ws_col;
    }
    return 80;
}

// One line saying what the configuration runs: the task (config::taskText), λ, training. Read
// leniently: a stored configuration of another version says what it can.
std::string configSummary(const nlohmann::json& json) {
    config::RunConfig c;
    try {
        std::vector<config::ConfigProblem> problems;
        c = config::readRunConfig(json, problems);
    } catch (const std::exception&) {
        return "not readable";
    }
    using config::formatNumber;
    const auto& h = c.hyperparameters;
    const auto& t = c.training;
    return config::taskText(c) + "; λ " + std::string(config::toString(h.scope)) + " in [" +
           formatNumber(h.lower) + ", " + formatNumber(h.upper) + "]; " + std::to_string(t.epochs) +
           " epochs, batch " + std::to_string(t.batchSize) + ", lr " +
           formatNumber(t.learningRate) + ", seed " + std::to_string(t.seed);
}

} // namespace

std::string formatLambda(const std::vector<double>& lambda) {
    std::string s = "[";
    for (std::size_t i = 0; i < lambda.size(); ++i) {
        s += (i ? ", " : "") + fixed(lambda[i], 3);
    }
    return s + "]";
}

std::string formatDuration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) {
        return "-";
    }
    const auto total = static_cast<long long>(std::llround(seconds));
    const long long h = total / 3600;
    const long long m = (total / 60) % 60;
    const long long s = total % 60;
    char text[32];
    if (h > 0) {
        std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", h, m, s);
    } else {
        std::snprintf(text, sizeof text, "%lld:%02lld", m, s);
    }
    return text;
}

CliPrinter::CliPrinter(std::ostream& out, Mode mode, Plan plan)
    : m_out(out), m_mode(mode), m_plan(std::move(plan)) {}

void CliPrinter::printLine(const std::string& line) {
    if (m_barShown) {
        m_out << "\r\033[K";
        m_barShown = false;
    }
    m_out << line << '\n';
    if (m_mode == Mode::Progress && !m_finished) {
        drawBar();
    }
    m_out << std::flush;
}

void CliPrinter::updateProgress(const events::Event& event) {
    const auto now = Clock::now();
    const auto enter = [&](const std::string& method, const std::string& phase, double total) {
        if (method != m_method || phase != m_phase) {
            m_method = method;
            m_phase = phase;
            m_phaseStarted = now;
            m_done = 0.0;
        }
        m_total = total;
    };
    if (const auto* s = std::get_if<events::SampleEvent>(&event)) {
        // The bilevel method's per-iteration φ samples belong to the outer-iteration phase.
        if (s->phase == events::phase::kOuterIteration) {
            return;
        }
        enter(s->method, s->phase, s->total);
        m_done += 1.0;
    } else if (const auto* inner = std::get_if<events::InnerProgressEvent>(&event)) {
        const double total = m_plan.outerIterations > 0 ? m_plan.outerIterations : 0.0;
        enter("bilevel", "outer iterations", total);
        if (inner->totalSteps > 0) {
            m_done = (inner->outerIteration - 1) +
                     static_cast<double>(inner->step) / static_cast<double>(inner->totalSteps);
        }
    } else if (const auto* o = std::get_if<events::OuterIterationEvent>(&event)) {
        enter("bilevel", "outer iterations", o->total);
        m_done = o->iteration;
    } else if (const auto* f = std::get_if<events::MethodFinishedEvent>(&event);
               f != nullptr && f->status == events::RunStatus::Completed) {
        enter(f->method, "finished", 1.0);
        m_done = 1.0;
    } else if (std::holds_alternative<events::FinishedEvent>(event)) {
        m_finished = true;
    }
}

void CliPrinter::drawBar() {
    if (m_method.empty()) {
        return;
    }
    const auto now = Clock::now();
    const double elapsed = std::chrono::duration<double>(now - m_started).count();
    const double phaseElapsed = std::chrono::duration<double>(now - m_phaseStarted).count();
    const double fraction = m_total > 0 ? std::clamp(m_done / m_total, 0.0, 1.0) : 0.0;
    std::string eta = "-";
    if (fraction > 0 && fraction < 1) {
        eta = formatDuration(phaseElapsed / fraction * (1.0 - fraction));
    } else if (fraction >= 1) {
        eta = "0:00";
    }

    std::string head = m_method;
    for (std::size_t i = 0; i < m_plan.methods.size(); ++i) {
        if (m_plan.methods[i] == m_method) {
            head +=
                " (" + std::to_string(i + 1) + "/" + std::to_string(m_plan.methods.size()) + ")";
        }
    }
    head += " " + m_phase;
    if (m_total > 0) {
        head += " " + std::to_string(static_cast<long long>(std::floor(m_done))) + "/" +
                std::to_string(static_cast<long long>(m_total));
    }
    const std::string tail = " " + fixed(100.0 * fraction, 0) + "%  " + formatDuration(elapsed) +
                             " elapsed  ETA " + eta + " (phase)";
    const int width = terminalWidth() - 1;
    // At most 24 wide: the bar keeps its width while the texts around it change length.
    const int barWidth = std::clamp(width - static_cast<int>(head.size() + tail.size()) - 3, 0, 24);
    std::string line = head;
    if (barWidth >= 5) {
        const int filled = static_cast<int>(std::lround(fraction * barWidth));
        line += " [" + std::string(static_cast<std::size_t>(filled), '#') +
                std::string(static_cast<std::size_t>(barWidth - filled), '.') + "]";
    }
    line += tail;
    if (static_cast<int>(line.size()) > width) {
        line.resize(static_cast<std::size_t>(std::max(width, 0)));
    }
    m_out << "\r\033[K" << line << std::flush;
    m_barShown = true;
}

void CliPrinter::refresh() {
    const std::lock_guard lock(m_mutex);
    if (m_mode == Mode::Progress && !m_finished) {
        drawBar();
    }
}

void CliPrinter::clearProgress() {
    const std::lock_guard lock(m_mutex);
    if (m_barShown) {
        m_out << "\r\033[K" << std::flush;
        m_barShown = false;
    }
}

void CliPrinter::onEvent(const events::Event& event) {
    const std::lock_guard lock(m_mutex);
    if (m_mode == Mode::JsonEvents) {
        if (!std::holds_alternative<events::InnerProgressEvent>(event)) {
            m_out << store::eventToJson(event).dump() << '\n' << std::flush;
        }
        return;
    }
    if (m_mode == Mode::Quiet) {
        return;
    }
    if (m_mode == Mode::Progress) {
        updateProgress(event);
    }
    std::ostringstream line;
    if (const auto* started = std::get_if<events::RunStartedEvent>(&event)) {
        line << "data: " << started->data << " on " << started->device << "\nλ entries: ";
        for (std::size_t i = 0; i < started->lambdaNames.size(); ++i) {
            line << (i > 0 ? ", " : "") << started->lambdaNames[i];
            if (i < started->lambdaMembers.size() && started->lambdaMembers[i].size() > 1 &&
                started->lambdaNames.size() > 1) {
                line << " (" << joined(started->lambdaMembers[i]) << ")";
            }
        }
    } else if (const auto* s = std::get_if<events::SampleEvent>(&event)) {
        line << s->method << " " << m_phases.next(*s).text() << ": λ=" << formatLambda(s->lambda)
             << " " << s->status;
        if (s->ok()) {
            line << " f=" << fixed(s->metrics.objective) << " F=" << fixed(s->metrics.valLoss)
                 << " test acc=" << percent(s->metrics.testAccuracy);
        } else if (!s->message.empty()) {
            line << " (" << s->message << ")";
        }
        line << "  [" << fixed(s->cost.epochs, 1) << " epochs, " << fixed(s->cost.wallSeconds, 1)
             << " s]";
    } else if (const auto* o = std::get_if<events::OuterIterationEvent>(&event)) {
        line << "bilevel outer iteration " << o->iteration << "/" << o->total
             << ": λ=" << formatLambda(o->lambda)
             << " |h|=" << scientific(std::abs(o->violationSampled)) << " (surrogate "
             << scientific(std::abs(o->violationSurrogate)) << ") μ=" << fixed(o->mu, 3)
             << " r=" << fixed(o->r, 3) << " F=" << fixed(o->upperLoss)
             << " test acc=" << percent(o->metrics.testAccuracy) << "  ["
             << fixed(o->cost.epochs, 1) << " epochs, " << fixed(o->cost.wallSeconds, 1) << " s]";
    } else if (const auto* l = std::get_if<events::LogEvent>(&event)) {
        if (l->level >= events::LogLevel::Warning) {
            line << "warning: " << l->message;
        }
    } else if (std::holds_alternative<events::FinishedEvent>(event) && m_barShown) {
        m_out << "\r\033[K" << std::flush;
        m_barShown = false;
    }
    if (!line.str().empty()) {
        printLine(line.str());
    } else if (m_mode == Mode::Progress && !m_finished) {
        drawBar();
    }
}

namespace {

// The methods' table of a finished or stored run (ALGORITHM.md §3.5): the held-out figures lead
// (λ* trained on the training split alone, then refit on training ∪ validation, the model to
// ship), then the cost; the bilevel method's augmented-Lagrangian weights, fitted to the
// validation split, on a line of their own. `statuses` adds each method's status; `ratios` the cost
// relative to bilevel's.
void printMethodTable(std::ostream& out, const std::vector<report::MethodResult>& methods,
                      const std::vector<std::string>& lambdaNames, bool statuses, bool ratios) {
    const events::Cost* bilevel = nullptr;
    for (const auto& m : methods) {
        if (m.method == "bilevel" && ratios) {
            bilevel = &m.cost;
        }
    }
    out << "test loss, test acc: λ* trained on the training split alone; refit: λ* trained on "
           "training ∪ validation\n";
    if (!lambdaNames.empty()) {
        out << "lambda* entries: " << joined(lambdaNames) << '\n';
    }
    std::size_t nameWidth = 11; // "hyperband" and two spaces; longer names widen the column
    for (const auto& m : methods) {
        nameWidth = std::max(nameWidth, columnsOf(m.method) + 2);
    }
    out << leftIn("method", nameWidth) << std::left;
    if (statuses) {
        out << std::setw(11) << "status";
    }
    out << std::setw(28) << "lambda*" << std::right << std::setw(10) << "test loss" << std::setw(9)
        << "test acc" << std::setw(11) << "refit loss" << std::setw(10) << "refit acc"
        << std::setw(10) << "trainings" << std::setw(9) << "epochs" << std::setw(9) << "seconds";
    if (bilevel != nullptr) {
        out << std::setw(15) << "epochs/bilevel" << std::setw(14) << "time/bilevel";
    }
    out << '\n';
    auto ratio = [](double value, double base) { return base > 0 ? fixed(value / base, 2) : "-"; };
    for (const auto& m : methods) {
        const auto heldOut = report::trainingOnlyMetrics(m);
        const auto loss = [](const std::optional<events::Metrics>& x) {
            return x ? fixed(x->testLoss) : std::string("-");
        };
        const auto accuracy = [](const std::optional<events::Metrics>& x) {
            return x ? percent(x->testAccuracy) : std::string("-");
        };
        out << leftIn(m.method, nameWidth) << std::left;
        if (statuses) {
            out << std::setw(11) << events::toString(m.status);
        }
        out << std::setw(28) << formatLambda(m.lambda) << std::right << std::setw(10)
            << loss(heldOut) << std::setw(9) << accuracy(heldOut) << std::setw(11)
            << loss(m.refitMetrics) << std::setw(10) << accuracy(m.refitMetrics) << std::setw(10)
            << m.cost.lowerLevelTrainings << std::setw(9) << fixed(m.cost.epochs, 1) << std::setw(9)
            << fixed(m.cost.wallSeconds, 1);
        if (bilevel != nullptr) {
            out << std::setw(15) << ratio(m.cost.epochs, bilevel->epochs) << std::setw(14)
                << ratio(m.cost.wallSeconds, bilevel->wallSeconds);
        }
        out << '\n';
        if (const auto* al = report::alWeights(m)) {
            out << "  bilevel's augmented-Lagrangian weights (outer iteration " << al->iteration
                << ", λ " << formatLambda(al->lambda)
                << "; fitted to the validation split, so not comparable): val loss "
                << fixed(al->metrics.valLoss) << ", test loss " << fixed(al->metrics.testLoss)
                << ", test acc " << percent(al->metrics.testAccuracy) << '\n';
        }
    }
}

} // namespace

void CliPrinter::printSummary(const report::RunResult& result) {
    const std::lock_guard lock(m_mutex);
    if (m_mode != Mode::Lines && m_mode != Mode::Progress) {
        return;
    }
    if (m_barShown) {
        m_out << "\r\033[K";
        m_barShown = false;
    }
    m_out << "\nRun " << result.runId << ": " << events::toString(result.status)
          << (result.message.empty() ? "" : " (" + result.message + ")") << "\n\n";
    printMethodTable(m_out, result.methods, result.lambdaNames, false, true);
    m_out << std::flush;
}

void printRunList(std::ostream& out, const std::vector<store::RunInfo>& runs) {
    if (runs.empty()) {
        out << "No runs in the store yet.\n";
        return;
    }
    std::vector<store::RunHeadline> headlines;
    headlines.reserve(runs.size());
    std::size_t idWidth = 6;
    std::size_t nameWidth = 4;
    std::size_t bestWidth = 17; // "recommended model"
    std::size_t taskWidth = 4;
    for (const auto& r : runs) {
        headlines.push_back(store::runHeadline(r));
        idWidth = std::max(idWidth, columnsOf(r.id));
        nameWidth = std::max(nameWidth, columnsOf(r.name));
        bestWidth = std::max(bestWidth, columnsOf(headlines.back().recommendedText));
        taskWidth = std::max(taskWidth, columnsOf(headlines.back().task));
    }
    const auto column = [&out](const std::string& text, std::size_t width) {
        out << leftIn(text.empty() ? "-" : text, width + 2);
    };
    column("run id", idWidth);
    column("name", nameWidth);
    column("status", 11);
    column("recommended model", bestWidth);
    column("task", taskWidth);
    column("created (UTC)", 20);
    out << "methods\n";
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const auto& r = runs[i];
        column(r.id, idWidth);
        column(r.name, nameWidth);
        column(std::string(events::toString(r.status)), 11);
        column(headlines[i].recommendedText, bestWidth);
        column(headlines[i].task, taskWidth);
        column(store::formatTime(r.createdMs), 20);
        out << joined(r.methods, ",") << '\n';
    }
}

nlohmann::json runListJson(const std::vector<store::RunInfo>& runs) {
    auto list = nlohmann::json::array();
    for (const auto& r : runs) {
        const auto headline = store::runHeadline(r);
        nlohmann::json recommended = nullptr;
        if (headline.recommended) {
            recommended = {{"method", headline.recommendedMethod},
                           {"model", headline.refit ? "refit" : "retrained"},
                           {"metrics", report::toJson(*headline.recommended)}};
        }
        list.push_back({{"run_id", r.id},
                        {"status", std::string(events::toString(r.status))},
                        {"created", store::formatTime(r.createdMs)},
                        {"methods", r.methods},
                        {"name", r.name},
                        {"updated", store::formatTime(r.updatedMs)},
                        {"message", r.message},
                        {"task", headline.task},
                        {"recommended", recommended}});
    }
    return list;
}

std::string runCommandLine(const std::string& command, const std::string& runId,
                           const std::filesystem::path& storeFile) {
    std::string line = "bilevel-tuner-cli " + command + " " + runId;
    if (storeFile == store::RunStore::defaultPath()) {
        return line;
    }
    const std::string file = storeFile.string();
    const bool plain = !file.empty() && std::all_of(file.begin(), file.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
               std::string_view("/._-+:,@%=").find(c) != std::string_view::npos;
    });
    if (plain) {
        return line + " --store " + file;
    }
    std::string quoted = "'";
    for (const char c : file) {
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return line + " --store " + quoted + "'";
}

void printRunDetails(std::ostream& out, const store::RunInfo& run,
                     const nlohmann::json& methodResults,
                     const std::vector<std::string>& lambdaNames, std::size_t samples,
                     std::size_t iterations, const std::filesystem::path& storeFile,
                     const nlohmann::json& data) {
    const auto row = [&out](const std::string& label, const std::string& value) {
        out << "  " << std::left << std::setw(10) << label << value << '\n';
    };
    out << "Run " << run.id << (run.name.empty() ? "" : " (" + run.name + ")") << '\n';
    row("status", std::string(events::toString(run.status)));
    if (!run.message.empty()) {
        row("message", run.message);
    }
    row("created",
        store::formatTime(run.createdMs) + ", last update " + store::formatTime(run.updatedMs));
    if (run.status == events::RunStatus::Running) {
        row("process", "pid " + std::to_string(run.pid) + " on " + run.host + ", last heartbeat " +
                           store::formatTime(run.heartbeatMs));
    }
    row("config", configSummary(run.config));
    if (const auto rows = report::dataFingerprintText(data); !rows.empty()) {
        row("data", rows);
    }
    std::string methods;
    for (const auto& m : run.methods) {
        methods += (methods.empty() ? "" : ", ") + m;
    }
    row("methods", methods);
    row("progress", std::to_string(samples) + " lower-level trainings, " +
                        std::to_string(iterations) + " outer iterations stored");
    if (!run.outDir.empty()) {
        row("result", (run.outDir / "result.json").string());
    }
    row("store", storeFile.string());
    if (events::canResume(run.status)) {
        row("resume", runCommandLine("resume", run.id, storeFile));
    }

    out << '\n';
    if (!methodResults.is_object() || methodResults.empty()) {
        out << "No method has finished yet.\n";
        return;
    }
    const auto results = methodResultsOf(methodResults, run.methods);
    double trainings = 0;
    double epochs = 0;
    double seconds = 0;
    for (const auto& m : results) {
        trainings += static_cast<double>(m.cost.lowerLevelTrainings);
        epochs += std::isfinite(m.cost.epochs) ? m.cost.epochs : 0;
        seconds += std::isfinite(m.cost.wallSeconds) ? m.cost.wallSeconds : 0;
    }
    printMethodTable(out, results, lambdaNames, true, false);
    out << "\nTotal cost: " << fixed(trainings, 0) << " lower-level trainings, " << fixed(epochs, 1)
        << " epochs, " << fixed(seconds, 1) << " s\n";
}

void printRunComparison(std::ostream& out, const ComparedRun& first, const ComparedRun& second) {
    const auto configOf = [](const store::RunInfo& run) {
        std::vector<config::ConfigProblem> problems; // a key of a newer version keeps its default
        return config::readRunConfig(run.config, problems);
    };
    for (const auto& [letter, compared] : {std::pair{"A", &first}, std::pair{"B", &second}}) {
        const auto& run = compared->run;
        out << "Run " << letter << ": " << run.id << (run.name.empty() ? "" : " (" + run.name + ")")
            << ", " << events::toString(run.status) << '\n';
    }
    const auto comparison =
        config::compareConfigs(configOf(first.run), configOf(second.run), first.data, second.data);
    const auto& differences = comparison.differences;
    const auto& dataDifferences = comparison.dataDifferences;
    if (differences.empty()) {
        out << "The same settings.\n";
    } else {
        out << "Settings that differ, A -> B:\n";
        std::size_t keyWidth = 0;
        for (const auto& d : differences) {
            keyWidth = std::max(keyWidth, columnsOf(d.key));
        }
        for (const auto& d : differences) {
            out << "  " << leftIn(d.key, keyWidth + 2) << d.first << " -> " << d.second << '\n';
        }
    }
    if (!dataDifferences.empty()) {
        out << "Their data differ (" << joined(dataDifferences)
            << "): " << comparison.dataDifferenceClause()
            << ", so no model is recommended across them.\n";
    }
    out << '\n';
    std::vector<report::MethodResult> results;
    for (const auto& [letter, compared] : {std::pair{"A", &first}, std::pair{"B", &second}}) {
        for (auto m : methodResultsOf(compared->methodResults, compared->run.methods)) {
            m.method = std::string(letter) + ": " + m.method;
            results.push_back(std::move(m));
        }
    }
    if (results.empty()) {
        out << "Neither run has a finished method yet.\n";
        return;
    }
    const bool sameNames = first.lambdaNames == second.lambdaNames;
    printMethodTable(out, results, sameNames ? first.lambdaNames : std::vector<std::string>{}, true,
                     false);
    if (!sameNames) {
        out << "lambda* entries: A " << joined(first.lambdaNames) << "; B "
            << joined(second.lambdaNames) << '\n';
    }
    if (!dataDifferences.empty()) {
        return;
    }
    std::vector<const report::MethodResult*> pointers;
    for (const auto& m : results) {
        pointers.push_back(&m);
    }
    if (const auto recommended = report::recommend(pointers)) {
        out << "\nRecommended model: " << report::recommendationText(*recommended) << '\n';
    }
}

} // namespace bt::app
