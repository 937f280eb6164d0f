#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "engine/events/run_status.h"

namespace bt::events {

// The shared vocabulary of a run: plain values that the methods emit, the store persists and
// the UI draws. Only scalars, strings and vectors of them: they cross threads.

/// Cost so far, by the one accounting rule of ALGORITHM.md §4.
struct Cost {
    int64_t lowerLevelTrainings = 0; ///< completed full trainings (Hyperband: configurations)
    double epochs = 0.0;             ///< samples processed ÷ training-set size, summed
    double wallSeconds = 0.0;
    double gpSeconds = 0.0; ///< of wallSeconds, spent fitting Gaussian processes

    Cost& operator+=(const Cost& other);
};

/// Metrics of one set of weights. Accuracies are absent for regression.
struct Metrics {
    double trainLoss = 0.0;
    double objective = 0.0; ///< f(w, λ) on the full training split
    double valLoss = 0.0;
    double testLoss = 0.0;
    std::optional<double> valAccuracy;
    std::optional<double> testAccuracy;
};

/// The SampleEvent phases that code tells apart, written once here for the methods that emit
/// them and the views that read them. They are stored in run stores and result files, so they
/// never change (the tests spell them out). Hyperband's ("bracket 2 rung 1") come from its
/// schedule.
namespace phase {
inline constexpr char kInitialDesign[] = "initial-design";   ///< bilevel, Bayesian optimisation
inline constexpr char kOuterIteration[] = "outer-iteration"; ///< bilevel's φ sample at λ_k
inline constexpr char kConfirmation[] = "confirmation";      ///< bilevel (variant select)
inline constexpr char kRefinement[] = "refinement";          ///< bilevel (variant select)
inline constexpr char kTrial[] = "trial"; ///< grid, random search, Bayesian optimisation
} // namespace phase

/// How a training ended: SampleEvent::status as the trainer writes it (`train::toString`). Stored
/// in run stores and result files like the phases, so these spellings never change either.
namespace sample_status {
inline constexpr char kOk[] = "ok";
inline constexpr char kDiverged[] = "diverged";
inline constexpr char kCancelled[] = "cancelled";
} // namespace sample_status

/// A lower-level training at one λ: a sample of φ (bilevel) or a trial (baselines).
struct SampleEvent {
    std::string method; ///< "bilevel", "grid", ...
    /// one of `phase`'s, or Hyperband's "bracket 2 rung 1"
    std::string phase;
    int index = 0; ///< 0-based, per method
    int total = 0; ///< planned count in this phase (0 when unknown)
    std::vector<double> lambda;
    double epochsTrained = 0.0; ///< of this training
    std::string status;         ///< one of `sample_status`'s
    std::string message;
    Metrics metrics;
    Cost cost; ///< cumulative for the method

    /// Whether the training ended normally (its figures are those of trained weights).
    bool ok() const { return status == sample_status::kOk; }
};

/// The Gaussian process was refitted.
struct GpRefitEvent {
    std::string method;
    int samples = 0;
    std::vector<double> lengthScales;
    double signalVariance = 0.0;
    double noiseVariance = 0.0;
    double logMarginalLikelihood = 0.0;
    double jitter = 0.0;
    double seconds = 0.0;
};

/// Throttled progress of the bilevel inner solve.
struct InnerProgressEvent {
    int outerIteration = 0; ///< 1-based
    int step = 0;
    int totalSteps = 0;
    std::vector<double> lambda;
    double augmentedLagrangian = 0.0;
    double upperLoss = 0.0;      ///< F on the validation minibatch
    double lowerObjective = 0.0; ///< f on the training minibatch
    double phiHat = 0.0;
    double violation = 0.0; ///< h = f − φ̂ − ε on the minibatch
    Cost cost;
};

/// One completed outer iteration of the augmented Lagrangian.
struct OuterIterationEvent {
    int iteration = 0; ///< 1-based
    int total = 0;
    std::vector<double> lambda;
    double violationSampled = 0.0;   ///< h_k = f(w_k, λ_k) − φ(λ_k), φ from the new sample
    double violationSurrogate = 0.0; ///< f(w_k, λ_k) − φ̂(λ_k)
    double mu = 0.0;                 ///< multiplier after the update
    double r = 0.0;                  ///< penalty after the update
    double upperLoss = 0.0;          ///< F(w_k), full validation split
    double lowerObjective = 0.0;     ///< f(w_k, λ_k), full training split
    double phiSampled = 0.0;
    double phiHat = 0.0;
    int innerSteps = 0;
    Metrics metrics; ///< of the augmented-Lagrangian weights w_k
    Cost cost;
};

enum class LogLevel { Debug, Info, Warning, Error };

struct LogEvent {
    LogLevel level = LogLevel::Info;
    std::string message;
};

/// A method ended; its result is in the run result.
struct MethodFinishedEvent {
    std::string method;
    std::vector<double> lambda;
    Metrics metrics;
    Cost cost;
    /// Completed, or Cancelled / Failed where a stop or an error cut the method short (the
    /// progress then stays where it stopped). Events stored before the field read as Completed.
    RunStatus status = RunStatus::Completed;
};

/// The run ended. Exactly one per run, whatever happened.
struct FinishedEvent {
    RunStatus status = RunStatus::Completed; ///< Completed, Cancelled or Failed
    std::string message;
};

/// The run's data and network are ready: the first event of a run (and again when it resumes).
struct RunStartedEvent {
    /// One per entry of λ, in λ's order: "shared", a group's name or a weight's name
    /// (models::LambdaLayout).
    std::vector<std::string> lambdaNames;
    /// One per entry of λ: the weight tensors that take it.
    std::vector<std::vector<std::string>> lambdaMembers;
    std::string data;   ///< what was loaded and how it was split
    std::string device; ///< "cpu", "cuda:0"
};

using Event = std::variant<SampleEvent, GpRefitEvent, InnerProgressEvent, OuterIterationEvent,
                           LogEvent, MethodFinishedEvent, FinishedEvent, RunStartedEvent>;

/// Receives a run's events in order, on the engine thread. Implementations must be quick (the
/// engine waits) and must not throw.
class EventSink {
public:
    virtual ~EventSink() = default;
    virtual void onEvent(const Event& event) = 0;
};

/// A sink that forgets everything.
class NullSink final : public EventSink {
public:
    void onEvent(const Event&) override {}
};

} // namespace bt::events
