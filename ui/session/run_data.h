#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <QString>

#include "engine/config/run_config.h"
#include "engine/events/events.h"
#include "engine/methods/anytime_tracker.h"
#include "engine/methods/method_result.h"
#include "engine/report/result_json.h"

namespace bt::ui {

/// The label of λ's entry `index` of `names` (a run's λ names; empty when unknown): "λ (shared)"
/// for the shared scope's one λ, "λ name" for a named entry, "λ1", "λ2", ... otherwise. The one
/// rule for every chart, table and report.
std::string lambdaLabel(const std::vector<std::string>& names, int index);

/// A run's or a method's status as the app shows it: the engine's name ("completed", ...).
QString statusText(events::RunStatus status);

/// A comparison of runs names each trace "method · letter" (RunComparisonDialog).
inline constexpr std::string_view kRunLetterSeparator = " · ";

/// The method of a trace's name: "grid" of "grid · B", the name itself outside a comparison.
std::string methodOf(const std::string& traceName);

/// What one method of a run has produced so far.
struct MethodTrace {
    std::string method;
    std::vector<events::SampleEvent> samples; ///< every lower-level training, in order
    /// Best model so far by validation loss against cumulative cost: the engine's rule
    /// (methods::AnytimeTracker) applied to the events as they arrive, replaced by the result's
    /// curve when the run ends.
    std::vector<methods::AnytimePoint> anytime;
    std::optional<events::MethodFinishedEvent> finished;
    /// From the run's result, when it has ended: the refit and retrained metrics, the status.
    std::optional<methods::MethodResult> result;
    methods::AnytimeTracker tracker;
    /// The bilevel.variant of the trace's run: the traces of a comparison of runs come from runs
    /// that may differ in it.
    config::BilevelVariant variant = config::BilevelConfig{}.variant;

    /// Whether this is the bilevel method's trace and its answer is its augmented-Lagrangian
    /// weights, fitted to the validation split: under variant paper
    /// (methods::alWeightsAreTheAnswer).
    bool alWeightsAreTheAnswer() const;
};

/// A refit of the bilevel method's GP (Bayesian optimisation's are not kept), with the φ samples it
/// was conditioned on: the samples with status ok and a finite φ among the first `samplesSeen`
/// bilevel samples.
struct SurrogateFit {
    events::GpRefitEvent refit;
    std::size_t samplesSeen = 0;
};

/// Everything a run's charts, tables and exports draw, accumulated from its events on the GUI
/// thread (or rebuilt from a finished run's result). Plain values; no Qt.
class RunData {
public:
    /// Forgets everything and starts a run of `config`.
    void reset(const config::RunConfig& config, const std::string& runId);
    /// Takes one event in run order.
    void add(const events::Event& event);
    /// The run ended: keeps its result and takes the methods' final curves and metrics from it.
    void setResult(const report::RunResult& result);
    /// A finished run from its result alone (history): samples, outer iterations and curves are
    /// the result's; inner steps and GP refits are not stored there.
    void loadResult(const config::RunConfig& config, const report::RunResult& result);

    /// Adds a method's trace as it is (for comparisons of runs: "grid · A", "grid · B").
    void addTrace(MethodTrace trace);

    const config::RunConfig& config() const { return m_config; }
    const std::string& runId() const { return m_runId; }
    /// The run's name as the run store keeps it ("fmnist-mlp-3l2"; empty when unknown: no store,
    /// a comparison of runs). reset() forgets it.
    const std::string& name() const { return m_name; }
    void setName(std::string name) { m_name = std::move(name); }
    bool empty() const { return m_methods.empty() && m_inner.empty(); }

    /// λ box and dimension (the dimension from the first λ seen; 0 before).
    const std::vector<double>& lower() const { return m_lower; }
    const std::vector<double>& upper() const { return m_upper; }
    int dimension() const { return static_cast<int>(m_lower.size()); }
    /// The label of λ's entry `index`: its group's or weight's name ("λ fc1", "λ backbone",
    /// "λ (shared)") once the run has said them, else "λ1", "λ2", ... (lambdaLabel).
    std::string lambdaLabel(int index) const;
    /// The names of λ's entries, from the run's start or result; empty before.
    const std::vector<std::string>& lambdaNames() const { return m_lambdaNames; }
    /// Per entry of λ, the weight tensors that take it (empty when not known).
    const std::vector<std::vector<std::string>>& lambdaMembers() const { return m_lambdaMembers; }

    const std::vector<MethodTrace>& methods() const { return m_methods; }
    const MethodTrace* method(const std::string& name) const;
    bool hasBilevel() const;
    /// report::recommend over the finished methods' results, in the order of methods() (its
    /// index is the method's place there); nullopt while no method has returned a λ.
    std::optional<report::Recommendation> recommendation() const;

    const std::vector<events::InnerProgressEvent>& innerSteps() const { return m_inner; }
    const std::vector<events::OuterIterationEvent>& outerIterations() const { return m_outer; }
    const std::vector<SurrogateFit>& surrogateFits() const { return m_fits; }
    /// Bayesian optimisation's latest GP refit: a model of the validation loss over λ.
    const std::optional<events::GpRefitEvent>& objectiveFit() const { return m_objectiveFit; }
    const std::vector<events::LogEvent>& logEvents() const { return m_logs; }
    const std::optional<report::RunResult>& result() const { return m_result; }
    /// The end of the run, when it has ended.
    const std::optional<events::FinishedEvent>& finished() const { return m_finished; }

    /// The bilevel method's current λ: the last inner step's or outer iteration's, else the
    /// design sample with the lowest validation loss (the start point); empty before any.
    std::vector<double> currentLambda() const;
    /// The bilevel method's λ* once it has finished (its MethodFinishedEvent, or the result of a
    /// run opened from history); empty before, or when it ended without one.
    std::vector<double> chosenLambda() const;
    /// The λ the surrogate's views mark and slice through: λ* once the bilevel method has
    /// finished, else the current λ.
    std::vector<double> markedLambda() const;
    /// The start point of the outer iterations: the initial-design sample with the lowest
    /// validation loss; empty before any usable design sample.
    std::vector<double> startLambda() const;

    /// The bilevel method's usable φ samples (ok, finite f) among its first `count` samples, in
    /// order: the points the surrogate's GP was fitted on and that its charts draw.
    std::vector<const events::SampleEvent*> usablePhiSamples(std::size_t count) const;
    /// A training's whole record in a few lines, as the charts' hover shows it: method, phase and
    /// index, λ by entry name, validation and test figures, epochs, status.
    QString sampleText(const events::SampleEvent& sample) const;
    /// An outer iteration of the bilevel method in a few lines, as the charts' hover shows it:
    /// its number, λ_k by entry name, F and f of the augmented-Lagrangian weights w_k, h against
    /// the φ sample and the surrogate, μ and r, and w_k's test figures (validation-fitted).
    QString outerIterationText(const events::OuterIterationEvent& outer) const;
    /// The bilevel method's outer iteration `iteration` (1-based), if it has arrived.
    const events::OuterIterationEvent* outerIteration(int iteration) const;
    /// outerIterationText of the outer iteration drawn at `x` (within 0.05 of its number), or
    /// empty: what a hover says on the charts over outer iterations.
    QString outerIterationTextAt(double x) const;
    /// φ samples of the bilevel method usable by the GP (status ok, finite φ), the first `count`
    /// bilevel samples considered. x: one λ per sample; y: φ = f(w*(λ), λ).
    void phiSamples(std::size_t count, std::vector<std::vector<double>>& x,
                    std::vector<double>& y) const;

private:
    MethodTrace& traceOf(const std::string& method);
    /// "\nλ name = value" for each entry of `lambda`: the hover records' λ lines.
    QString lambdaLines(const std::vector<double>& lambda) const;
    void setDimension(std::size_t d);

    config::RunConfig m_config;
    std::string m_runId;
    std::string m_name;
    std::vector<double> m_lower;
    std::vector<double> m_upper;
    std::vector<std::string> m_lambdaNames;
    std::vector<std::vector<std::string>> m_lambdaMembers;
    std::vector<MethodTrace> m_methods;
    std::vector<events::InnerProgressEvent> m_inner;
    std::vector<events::OuterIterationEvent> m_outer;
    std::vector<SurrogateFit> m_fits;
    std::optional<events::GpRefitEvent> m_objectiveFit;
    std::vector<events::LogEvent> m_logs;
    std::optional<report::RunResult> m_result;
    std::optional<events::FinishedEvent> m_finished;
};

} // namespace bt::ui
