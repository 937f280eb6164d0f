#include "engine/methods/bilevel.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/config/format_number.h"
#include "engine/core/error.h"
#include "engine/eval/journaling_evaluator.h"
#include "engine/methods/anytime_tracker.h"
#include "engine/methods/bayesian_optimization.h"
#include "engine/methods/bilevel_inner_solve.h"
#include "engine/methods/bilevel_sample.h"
#include "engine/methods/cost_meter.h"
#include "engine/methods/metrics_conversion.h"
#include "engine/methods/phi_surrogate.h"

namespace bt::methods {

namespace {

using bilevel_detail::observedValidationLoss;
using bilevel_detail::Sample;
using bilevel_detail::trainingWithWeights;

// XORed into the run's seed for the refinement's GP restarts and EI starts.
constexpr std::uint64_t kRefinementSeed = 0x7e5f1e3dULL;

double distance(const std::vector<double>& a, const std::vector<double>& b) {
    double s = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        s += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return std::sqrt(s);
}

// The state the outer iterations carry from one to the next (ALGORITHM.md §3).
struct OuterState {
    double mu;
    double r;
    BilevelIterate current;             ///< the last iterate, where a warm start continues
    std::vector<double> previousLambda; ///< its λ, for the early stop's λ step
    double bestViolation = std::numeric_limits<double>::infinity(); ///< of the returned iterate
};

// The violations h = f − φ of one outer iterate.
struct Violations {
    double sampled = 0.0;   ///< against the (possibly bounded) φ sample at its λ
    double surrogate = 0.0; ///< against φ̂ before the sample was added
    double trained = 0.0;   ///< against the sample's own trained value (the return rule)
};

} // namespace

struct BilevelMethod::Impl {
    const train::Trainer& trainer;
    eval::Evaluator& evaluator;
    const Box& box;
    const config::BilevelConfig& options;
    const BilevelRuntime& runtime;
    const int warmSampleEpochs; // bilevel.warm_sample_epochs resolved against training.epochs
    events::EventSink& sink;
    core::Journal* journal;
    CostMeter cost;
    PhiSurrogate surrogate;
    BilevelInnerSolver inner;
    std::vector<Sample> samples;
    MethodResult result;
    AnytimeTracker anytime; // best model so far by validation loss, for result.anytime

    Impl(const train::Trainer& t, eval::Evaluator& e, const Box& b, const config::BilevelConfig& o,
         const BilevelRuntime& rt, events::EventSink& s, core::Journal* j)
        : trainer(t), evaluator(e), box(b), options(o), runtime(rt),
          warmSampleEpochs(config::warmSampleEpochs(o, t.options().epochs)), sink(s), journal(j),
          cost(t.problem().train.inputs.size(0)),
          surrogate(b, rt.gpRestarts, rt.seed, o.logSurrogate),
          inner(t, b, o, rt, surrogate, cost, s) {
        result.method = "bilevel";
    }

    void log(events::LogLevel level, const std::string& message) {
        logBilevel(sink, level, message);
    }

    // Records one finished φ sample, emits its event, and returns it.
    const Sample& recordSample(const eval::EvaluationOutcome& outcome, const std::string& phase,
                               int total) {
        Sample sample;
        sample.lambda = outcome.lambda;
        sample.ok = outcome.result.status == train::TrainStatus::Ok;
        sample.metrics = toMetrics(outcome.result.evaluation);
        sample.phi = outcome.result.evaluation.objective;
        sample.training = outcome.result;
        sample.network = outcome.network;
        sample.phase = phase;
        cost.addTraining();
        cost.addSamples(outcome.result.samplesProcessed);
        if (outcome.replayed) {
            cost.addReplayedSeconds(outcome.result.seconds);
        }

        events::SampleEvent event;
        event.method = "bilevel";
        event.phase = phase;
        event.index = static_cast<int>(samples.size());
        event.total = total;
        event.lambda = sample.lambda;
        event.epochsTrained = static_cast<double>(outcome.result.samplesProcessed) /
                              static_cast<double>(trainer.problem().train.inputs.size(0));
        event.status = train::toString(outcome.result.status);
        event.message = outcome.result.message;
        event.metrics = sample.metrics;
        event.cost = cost.snapshot();
        result.samples.push_back(event);
        sink.onEvent(event);
        anytime.addSample(event, result.anytime);
        samples.push_back(sample);
        return samples.back();
    }

    // The request for the φ sample of outer iteration k at λ: from the fixed initialisation
    // (the paper), or continuing the trained weights of the nearest successful sample [ours]
    // (ALGORITHM.md §3.2).
    eval::EvaluationRequest sampleRequest(const std::vector<double>& lambda, int k) {
        eval::EvaluationRequest request{lambda, 0, true};
        if (!options.sampleWarmStart) {
            return request;
        }
        const Sample* nearest = nullptr;
        double nearestDistance = std::numeric_limits<double>::infinity();
        for (const auto& s : samples) {
            const double d = distance(s.lambda, lambda);
            if (s.ok && s.network && d < nearestDistance) {
                nearest = &s;
                nearestDistance = d;
            }
        }
        if (nearest == nullptr) {
            return request;
        }
        request.resume = std::make_shared<train::TrainingState>(
            trainer.startState(lambda, nearest->network, warmSampleEpochs));
        request.epochs = warmSampleEpochs;
        log(events::LogLevel::Info,
            "φ sample of outer iteration " + std::to_string(k) + ": " +
                std::to_string(warmSampleEpochs) +
                " epochs from the trained weights of the nearest sample (distance " +
                std::to_string(nearestDistance) + " in λ)");
        return request;
    }

    // Refits the GP approximation of φ (the paper's Gaussian-process regression of the lower-level
    // optimal value function; ALGORITHM.md §2.3) to every usable sample.
    bool refit() {
        std::vector<std::vector<double>> x;
        std::vector<double> y;
        for (const auto& s : samples) {
            if (s.ok && std::isfinite(s.phi)) {
                x.push_back(s.lambda);
                y.push_back(s.phi);
            }
        }
        if (x.empty()) {
            return false;
        }
        const auto fit = surrogate.fit(x, y);
        cost.addGpSeconds(fit.seconds);
        if (!fit.ok) {
            log(events::LogLevel::Warning,
                "GP refit failed (" + fit.message + ")" +
                    (surrogate.ready() ? "; keeping the previous fit" : ""));
            return surrogate.ready();
        }
        sink.onEvent(gpRefitEvent("bilevel", static_cast<int>(x.size()), fit));
        return true;
    }

    // The inner solve of outer iteration k: replayed from the journal when a resumed run has
    // it, else solved and (unless cancelled) committed with the iterate's weights.
    BilevelIterate solveOrReplay(const BilevelIterate& from, double mu, double r, int k,
                                 std::stop_token stop) {
        const std::string key = "bilevel/inner/" + std::to_string(k);
        if (journal != nullptr) {
            if (const auto record = journal->find(key)) {
                BilevelIterate it;
                try {
                    const auto& d = record->data;
                    it.lambda = d.at("lambda").get<std::vector<double>>();
                    it.augmentedLagrangian = d.at("augmented_lagrangian").get<double>();
                    it.upper = d.at("upper").get<double>();
                    it.lower = d.at("lower").get<double>();
                    it.phiHat = d.at("phi_hat").get<double>();
                    it.innerSamples = d.at("samples").get<int64_t>();
                    // Journals written before 2026-12-04 lack the steps: 0, as they reported.
                    it.innerSteps = d.value("steps", 0);
                    it.innerSeconds = d.at("seconds").get<double>();
                } catch (const std::exception& e) {
                    throw core::InputError("run journal record " + key,
                                           std::string("malformed inner solve: ") + e.what());
                }
                it.network = eval::readJournalCheckpoint(*journal, trainer, *record).network;
                cost.addSamples(it.innerSamples);
                cost.addReplayedSeconds(it.innerSeconds);
                return it;
            }
        }
        BilevelIterate next = inner.solve(from, mu, r, k, stop);
        if (journal != nullptr && !stop.stop_requested()) {
            core::JournalRecord record;
            record.data = {{"lambda", next.lambda},
                           {"augmented_lagrangian", next.augmentedLagrangian},
                           {"upper", next.upper},
                           {"lower", next.lower},
                           {"phi_hat", next.phiHat},
                           {"samples", next.innerSamples},
                           {"steps", next.innerSteps},
                           {"seconds", next.innerSeconds},
                           {"mu", mu},
                           {"r", r}};
            record.checkpoint = eval::writeJournalCheckpoint(
                *journal, trainer, key, trainer.startState(next.lambda, next.network));
            journal->append(key, record);
        }
        return next;
    }

    // 1. The initial design, each point trained from the fixed initialisation (ALGORITHM.md
    // §2.2). Returns the design sample with the lowest validation loss as the start (no network
    // when every training diverged).
    BilevelIterate evaluateInitialDesign(std::stop_token stop) {
        const auto design =
            initialDesign(box, options.initialSamples, options.design, runtime.seed);
        log(events::LogLevel::Info,
            "initial design: " + std::to_string(design.size()) + " lower-level trainings");
        std::vector<eval::EvaluationRequest> requests;
        for (const auto& lambda : design) {
            requests.push_back({lambda, 0, true});
        }
        const int total = static_cast<int>(design.size());
        BilevelIterate start;
        double bestValidation = std::numeric_limits<double>::infinity();
        evaluator.evaluate(
            requests, stop, [&](std::size_t, const eval::EvaluationOutcome& outcome) {
                const auto& s = recordSample(outcome, events::phase::kInitialDesign, total);
                // 2. Start from the sample with the lowest validation loss
                // (ALGORITHM.md §3, step 2).
                if (s.ok && s.metrics.valLoss < bestValidation) {
                    bestValidation = s.metrics.valLoss;
                    start.lambda = s.lambda;
                    start.network = models::cloneNetwork(outcome.network);
                }
            });
        return start;
    }

    // 3.2 A new φ sample at λ_k, added to the GP (ALGORITHM.md §3.2). Returns it, or nullptr
    // when `stop` cut it short.
    Sample* sampleAtIterate(const std::vector<double>& lambda, int k, std::stop_token stop) {
        auto request = sampleRequest(lambda, k);
        // A warm-started sample continued other weights: it is no training of λ_k from the
        // fixed initialisation, which result.retrainedMetrics promises (the runner trains
        // that one then, outside the method's cost).
        const bool fromInit = request.resume == nullptr;
        const auto outcomes = evaluator.evaluate(
            {std::move(request)}, stop, [&](std::size_t, const eval::EvaluationOutcome& outcome) {
                recordSample(outcome, events::phase::kOuterIteration,
                             options.outerIterationCount());
            });
        if (stop.stop_requested() || outcomes.empty()) {
            return nullptr;
        }
        auto& sample = samples.back();
        sample.fromInit = fromInit;
        return &sample;
    }

    // Records outer iteration k's event (its violations, the updated μ and r, the iterate's
    // metrics) in the result and the anytime curve, emits it, and returns it.
    events::OuterIterationEvent recordOuterIteration(int k, const std::vector<double>& lambda,
                                                     const train::Evaluation& evaluation,
                                                     const Violations& h, const Sample& sample,
                                                     double phiHat, int innerSteps,
                                                     const OuterState& state) {
        events::OuterIterationEvent event;
        event.iteration = k;
        event.total = options.outerIterationCount();
        event.lambda = lambda;
        event.violationSampled = h.sampled;
        event.violationSurrogate = h.surrogate;
        event.mu = state.mu;
        event.r = state.r;
        event.upperLoss = evaluation.validation.loss;
        event.lowerObjective = evaluation.objective;
        event.phiSampled = sample.ok ? sample.phi : std::numeric_limits<double>::quiet_NaN();
        event.phiHat = phiHat;
        event.innerSteps = innerSteps;
        event.metrics = toMetrics(evaluation);
        event.cost = cost.snapshot();
        result.iterations.push_back(event);
        sink.onEvent(event);
        anytime.addOuterIteration(event, options.variant, result.anytime);
        return event;
    }

    // Outer iteration k after its inner solve (`next`) and its φ sample: the sample bounded by
    // the iterate, the GP refitted, μ and r updated, the event recorded, the returned iterate
    // and `state` updated. Returns true when the early stop's tolerances are met.
    bool concludeOuterIteration(int k, BilevelIterate& next, double phiHatBefore, Sample& sample,
                                OuterState& state) {
        const auto evaluation = trainer.evaluate(next.network, next.lambda);
        const double f = evaluation.objective;
        const double phiTrained = sample.phi; // the sample's own value, before any bound
        if (options.iterateBoundsPhi && sample.ok && f < sample.phi) {
            log(events::LogLevel::Info,
                "outer iteration " + std::to_string(k) + ": the iterate's f(w, λ) = " +
                    std::to_string(f) + " is below the φ sampled at its λ (" +
                    std::to_string(sample.phi) + "), so φ there is at most f; the GP gets f");
            sample.phi = f;
        }
        refit();

        // 3.3 Violation against the sampled φ (the surrogate's value too), then μ and r
        // (ALGORITHM.md §3.3).
        Violations h;
        h.surrogate = f - phiHatBefore;
        h.sampled = sample.ok ? f - sample.phi : h.surrogate;
        // The return rule compares the iterate with the lower-level training at its λ, as the
        // authors do: against the bound, every iterate that beat its sample would tie at 0.
        h.trained = sample.ok ? f - phiTrained : h.surrogate;
        if (!sample.ok) {
            log(events::LogLevel::Warning,
                "the φ sample of outer iteration " + std::to_string(k) +
                    " diverged; the surrogate's violation stands in for the sampled one");
        }
        state.mu =
            updateMultiplier(state.mu, state.r, h.sampled - options.epsilon, options.constraint);
        state.r = std::min(options.eta * state.r, options.rMax);
        const auto event = recordOuterIteration(k, next.lambda, evaluation, h, sample, phiHatBefore,
                                                next.innerSteps, state);

        // 4. The returned iterate is the one with the smallest |h| against its trained sample
        // (the authors' rule; ALGORITHM.md §3.5).
        if (std::abs(h.trained) < state.bestViolation) {
            state.bestViolation = std::abs(h.trained);
            result.alWeightsIteration = static_cast<int>(result.iterations.size());
            result.lambda = next.lambda;
            result.metrics = event.metrics;
            result.retrainedMetrics = sample.ok && sample.fromInit
                                          ? std::optional<events::Metrics>(sample.metrics)
                                          : std::nullopt;
        }
        const double moved = distance(next.lambda, state.previousLambda);
        state.previousLambda = next.lambda;
        state.current = next;
        // Early stop (ALGORITHM.md §3.4).
        return std::abs(h.sampled) <= options.tolerance && moved <= options.lambdaTolerance;
    }

    MethodResult run(std::stop_token stop) {
        // 1. Initial design and the first surrogate (ALGORITHM.md §2.2, §2.3).
        BilevelIterate start = evaluateInitialDesign(stop);
        if (stop.stop_requested()) {
            return finish(events::RunStatus::Cancelled, "cancelled during the initial design");
        }
        if (!start.network || !refit()) {
            return finish(events::RunStatus::Failed,
                          "every lower-level training of the initial design diverged");
        }
        log(events::LogLevel::Info, "start point: the design sample with the lowest validation "
                                    "loss");

        // 3. Outer iterations of the augmented Lagrangian (ALGORITHM.md §3).
        OuterState state{options.mu0, options.r0, start, start.lambda};
        for (int k = 1; k <= options.outerIterationCount(); ++k) {
            const BilevelIterate& from = options.warmStart ? state.current : start;
            BilevelIterate next = solveOrReplay(from, state.mu, state.r, k, stop);
            if (stop.stop_requested()) {
                return finish(events::RunStatus::Cancelled,
                              "cancelled in outer iteration " + std::to_string(k));
            }
            const double phiHatBefore = surrogate.valueAndGradient(next.lambda).first;
            Sample* sample = sampleAtIterate(next.lambda, k, stop);
            if (sample == nullptr) {
                return finish(events::RunStatus::Cancelled,
                              "cancelled in outer iteration " + std::to_string(k));
            }
            if (concludeOuterIteration(k, next, phiHatBefore, *sample, state)) {
                log(events::LogLevel::Info, "converged after outer iteration " + std::to_string(k) +
                                                ": |h| and the λ step are "
                                                "within tolerance");
                break;
            }
        }
        if (options.variant == config::BilevelVariant::Select) {
            if (!confirmWarmLeader(stop)) {
                return finish(events::RunStatus::Cancelled,
                              "cancelled while confirming the best φ sample");
            }
            if (!refine(stop)) {
                return finish(events::RunStatus::Cancelled, "cancelled during the refinement");
            }
            selectByValidation();
        } else if (options.refineTrials > 0) { // an explicit count; automatic says nothing
            log(events::LogLevel::Info, "bilevel.refine_trials (" +
                                            std::to_string(options.refineTrials) +
                                            ") is not used under variant paper");
        }
        return finish(events::RunStatus::Completed, "");
    }

    // The successful sample with the lowest validation loss among those trained from the
    // initialisation (`fromInit`) or among the warm-started ones; nullptr when there is none.
    const Sample* lowestValidation(bool fromInit) const {
        const Sample* best = nullptr;
        for (const auto& s : samples) {
            if (s.ok && s.fromInit == fromInit && std::isfinite(s.metrics.valLoss) &&
                (best == nullptr || s.metrics.valLoss < best->metrics.valLoss)) {
                best = &s;
            }
        }
        return best;
    }

    // bilevel.variant `select` [ours] (ALGORITHM.md §3.5): when a warm-started φ sample has a
    // lower validation loss than every training from the initialisation, its λ is trained once
    // from the initialisation (phase "confirmation", counted in the method's cost), so the
    // outer iterations' best λ is compared on the same footing as the design's, unless an
    // iterate never left a λ already trained so (a repeat). False when `stop` cut it short.
    bool confirmWarmLeader(std::stop_token stop) {
        const Sample* warm = lowestValidation(false);
        const Sample* cold = lowestValidation(true);
        if (warm == nullptr ||
            (cold != nullptr && warm->metrics.valLoss >= cold->metrics.valLoss)) {
            return true;
        }
        const std::vector<double> lambda = warm->lambda; // `samples` grows below
        if (std::any_of(samples.begin(), samples.end(),
                        [&](const Sample& s) { return s.fromInit && s.lambda == lambda; })) {
            return true;
        }
        log(events::LogLevel::Info, "a warm-started φ sample has the lowest validation loss (" +
                                        std::to_string(warm->metrics.valLoss) +
                                        "); training its λ from the initialisation to compare it");
        evaluator.evaluate({trainingWithWeights(lambda)}, stop,
                           [&](std::size_t, const eval::EvaluationOutcome& outcome) {
                               recordSample(outcome, events::phase::kConfirmation, 1);
                           });
        return !stop.stop_requested();
    }

    // bilevel.refine_trials under variant `select` [ours] (ALGORITHM.md §3.6): trainings from
    // the fixed initialisation at the λ maximising expected improvement on the validation losses
    // of every training from the initialisation so far (a diverged one as the worst finite
    // loss), so selectByValidation gets more candidates where the loss is low. How many:
    // BilevelConfig::refinementTrainings, the confirmation counting against either budget.
    // Returns false when `stop` cut it short.
    bool refine(std::stop_token stop) {
        const auto confirmations = std::count_if(samples.begin(), samples.end(), [](const auto& s) {
            return s.phase == events::phase::kConfirmation;
        });
        const int budget =
            options.refinementTrainings(runtime.budgetEpochs, cost.snapshot().epochs,
                                        trainer.options().epochs, static_cast<int>(confirmations));
        if (budget <= 0) {
            return true;
        }
        log(events::LogLevel::Info,
            "refinement: " + std::to_string(budget) +
                " trainings from the initialisation at λ proposed by expected improvement on the "
                "validation loss" +
                (options.refineTrials == config::BilevelConfig::kAutomaticRefinement
                     ? " (automatic: what fits in random search's " +
                           config::formatNumber(runtime.budgetEpochs) + " epochs)"
                     : std::string()));
        // The loop of Bayesian optimisation, continuing from the trainings so far; its own seed
        // stream, so the φ surrogate's restarts and the design keep theirs.
        OptimizationTrace prior;
        for (const auto& s : samples) {
            if (s.fromInit) {
                prior.points.push_back(s.lambda);
                prior.values.push_back(observedValidationLoss(s));
            }
        }
        const int trials = static_cast<int>(prior.points.size()) + budget;
        const BayesianOptions refinement{.trials = trials,
                                         .initial = 0,
                                         .acquisition =
                                             AcquisitionOptions{.gpRestarts = runtime.gpRestarts},
                                         .seed = runtime.seed ^ kRefinementSeed};
        const BatchObjective objective = [&](const std::vector<std::vector<double>>& points, bool) {
            std::vector<double> values;
            for (const auto& lambda : points) {
                evaluator.evaluate({trainingWithWeights(lambda)}, stop,
                                   [&](std::size_t, const eval::EvaluationOutcome& outcome) {
                                       recordSample(outcome, events::phase::kRefinement, budget);
                                   });
                if (stop.stop_requested()) {
                    break;
                }
                values.push_back(observedValidationLoss(samples.back()));
            }
            return values;
        };
        const FitObserver onFit = [&](const SurrogateFit& fit, int observations) {
            cost.addGpSeconds(fit.seconds);
            if (!fit.ok) {
                log(events::LogLevel::Warning,
                    "refinement: GP fit on " + std::to_string(observations) +
                        " validation losses failed (" + fit.message +
                        "); the previous fit, or a uniform draw, proposes");
            }
        };
        const auto trace =
            runBayesianOptimization(box, refinement, objective, onFit, stop, std::move(prior));
        if (trace.stopped || stop.stop_requested()) {
            return false;
        }
        // Refinement trainings are samples of φ too (§2.1): the surrogate takes them, as after
        // every change of the sample set, so its last fit covers every sample the views draw.
        refit();
        return true;
    }

    // bilevel.variant `select` [ours] (ALGORITHM.md §3.5): λ* is the λ of the training from the
    // fixed initialisation (an initial-design sample, a φ sample when they are not warm-
    // started, the confirmation above) whose model has the lowest validation loss. Those models
    // never saw the validation split, unlike the augmented-Lagrangian weights, and each is the
    // training a retraining at its λ repeats, so λ* and its metrics are what the user gets. A
    // warm-started sample continued trained weights for more epochs in all than a training has: its
    // validation loss is lower than its λ's own training gives, and it would win by that alone
    // (docs/measurements/2026-12-03-select-from-initialisation.md).
    void selectByValidation() {
        const Sample* chosen = lowestValidation(true);
        if (chosen == nullptr) {
            return; // every training diverged: the paper's rule stands
        }
        result.lambda = chosen->lambda;
        result.metrics = chosen->metrics;
        result.retrainedMetrics = chosen->metrics;
        const char* what =
            chosen->phase == events::phase::kInitialDesign ? "an initial-design sample"
            : chosen->phase == events::phase::kConfirmation
                ? "the best warm-started φ sample's λ trained from the initialisation"
            : chosen->phase == events::phase::kRefinement ? "a refinement training"
                                                          : "an outer iteration's φ sample";
        log(events::LogLevel::Info, "λ*: the training from the initialisation with the lowest "
                                    "validation loss (" +
                                        std::to_string(chosen->metrics.valLoss) + ", " + what +
                                        ")");
    }

    // λ*'s own training from the fixed initialisation, when one of the samples is it: a
    // successful sample trained from the initialisation at exactly λ* whose figures are the
    // result's retrained ones (selectByValidation, or the paper's rule on a cold sample).
    std::optional<TrainingAtOptimum> trainingAtOptimum() const {
        if (result.status != events::RunStatus::Completed || !result.retrainedMetrics) {
            return std::nullopt;
        }
        for (const auto& s : samples) {
            if (s.ok && s.fromInit && s.network && s.lambda == result.lambda) {
                return TrainingAtOptimum{s.lambda, s.training, s.network};
            }
        }
        return std::nullopt;
    }

    MethodResult finish(events::RunStatus status, const std::string& message) {
        result.status = status;
        result.message = message;
        result.cost = cost.snapshot();
        if (!message.empty()) {
            log(status == events::RunStatus::Completed ? events::LogLevel::Info
                                                       : events::LogLevel::Warning,
                message);
        }
        return result;
    }
};

BilevelMethod::BilevelMethod(const train::Trainer& trainer, eval::Evaluator& evaluator, Box box,
                             const config::BilevelConfig& settings, BilevelRuntime runtime,
                             events::EventSink& sink, core::Journal* journal)
    : m_trainer(trainer), m_evaluator(evaluator), m_box(std::move(box)), m_settings(settings),
      m_runtime(runtime), m_sink(sink), m_journal(journal) {}

MethodResult BilevelMethod::run(std::stop_token stop) {
    Impl impl(m_trainer, m_evaluator, m_box, m_settings, m_runtime, m_sink, m_journal);
    auto result = impl.run(stop);
    m_atOptimum = impl.trainingAtOptimum();
    return result;
}

} // namespace bt::methods
