#include "engine/methods/bilevel.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include <torch/torch.h>

#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/eval/journaling_evaluator.h"
#include "engine/methods/anytime_tracker.h"
#include "engine/methods/cost_meter.h"
#include "engine/methods/metrics_conversion.h"
#include "engine/methods/phi_surrogate.h"

namespace bt::methods {

namespace {

double seconds(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

std::vector<double> toVector(const torch::Tensor& t) {
    const auto cpu = t.detach().to(torch::kCPU, torch::kDouble).contiguous();
    return {cpu.data_ptr<double>(), cpu.data_ptr<double>() + cpu.numel()};
}

double distance(const std::vector<double>& a, const std::vector<double>& b) {
    double s = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        s += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return std::sqrt(s);
}

uint64_t streamSeed(uint64_t seed, uint64_t stream) {
    return seed * 0x9E3779B97F4A7C15ULL + stream * 0xBF58476D1CE4E5B9ULL + 1;
}

// A φ sample: the lower-level training at λ from the fixed initialisation.
struct Sample {
    std::vector<double> lambda;
    double phi = 0.0;
    bool ok = false;
    bool fromInit = true; ///< trained from the fixed initialisation (not warm-started)
    events::Metrics metrics;
    models::Network network{nullptr}; ///< its trained weights, the start of warm samples
};

// An iterate of the inner solve together with its full-data terms.
struct Iterate {
    models::Network network{nullptr};
    std::vector<double> lambda;
    double augmentedLagrangian = std::numeric_limits<double>::infinity();
    double upper = 0.0;
    double lower = 0.0;
    double phiHat = 0.0;
    int64_t innerSamples = 0; ///< samples the inner solve processed (both minibatches)
    double innerSeconds = 0.0;
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
    std::vector<Sample> samples;
    MethodResult result;
    AnytimeTracker anytime; // best model so far by validation loss, for result.anytime

    Impl(const train::Trainer& t, eval::Evaluator& e, const Box& b, const config::BilevelConfig& o,
         const BilevelRuntime& rt, events::EventSink& s, core::Journal* j)
        : trainer(t), evaluator(e), box(b), options(o), runtime(rt),
          warmSampleEpochs(config::warmSampleEpochs(o, t.options().epochs)), sink(s), journal(j),
          cost(t.problem().train.inputs.size(0)),
          surrogate(b, rt.gpRestarts, rt.seed, o.logSurrogate) {
        result.method = "bilevel";
    }

    void log(events::LogLevel level, const std::string& message) {
        sink.onEvent(events::LogEvent{level, message});
        core::engineLogger()->info("bilevel: {}", message);
    }

    // Records one finished φ sample, emits its event, and returns it.
    const Sample& recordSample(const eval::EvaluationOutcome& outcome, const std::string& phase,
                               int total) {
        Sample sample;
        sample.lambda = outcome.lambda;
        sample.ok = outcome.result.status == train::TrainStatus::Ok;
        sample.metrics = toMetrics(outcome.result.evaluation);
        sample.phi = outcome.result.evaluation.objective;
        sample.network = outcome.network;
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
        anytime.consider(sample.metrics, sample.ok);
        anytime.appendPoint(event.cost, result.anytime);
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
        events::GpRefitEvent event;
        event.method = "bilevel";
        event.samples = static_cast<int>(x.size());
        event.lengthScales = fit.lengthScales;
        event.signalVariance = fit.signalVariance;
        event.noiseVariance = fit.noiseVariance;
        event.logMarginalLikelihood = fit.logMarginalLikelihood;
        event.jitter = fit.jitter;
        event.seconds = fit.seconds;
        sink.onEvent(event);
        return true;
    }

    // Full-data terms of L_A at an iterate (no grad). The test split plays no part in L_A, and
    // evaluating it at every check cost more than the training and validation splits together
    // on the MNIST tasks (9,000 test digits against 1,000).
    void evaluateIterate(Iterate& it, double mu, double r) {
        const auto evaluation = trainer.evaluateObjectives(it.network, it.lambda);
        it.upper = evaluation.validation.loss;
        it.lower = evaluation.objective;
        it.phiHat = surrogate.valueAndGradient(it.lambda).first;
        const double h = it.lower - it.phiHat - options.epsilon;
        const auto hTensor = torch::tensor(h, torch::kDouble);
        it.augmentedLagrangian =
            it.upper + constraintTerm(hTensor, mu, r, options.constraint).item<double>();
    }

    // Approximately minimises L_A(·; μ, r) jointly over (w, λ) from `start` (ALGORITHM.md §3.1).
    Iterate innerSolve(const Iterate& start, double mu, double r, int outer, std::stop_token stop) {
        const auto& problem = trainer.problem();
        auto network = models::cloneNetwork(start.network);
        network->train();
        auto lambda = torch::tensor(start.lambda, torch::TensorOptions().dtype(torch::kDouble))
                          .to(problem.device)
                          .requires_grad_(true);
        const bool nesterov = options.innerMomentum > 0.0;
        torch::optim::SGD optimizerW(network->parameters(),
                                     torch::optim::SGDOptions(options.innerLrW)
                                         .momentum(options.innerMomentum)
                                         .nesterov(nesterov));
        torch::optim::SGD optimizerLambda(std::vector<torch::Tensor>{lambda},
                                          torch::optim::SGDOptions(options.innerLrLambda)
                                              .momentum(options.innerMomentum)
                                              .nesterov(nesterov));
        const auto lowerBound = torch::tensor(box.lower, lambda.options().requires_grad(false));
        const auto upperBound = torch::tensor(box.upper, lambda.options().requires_grad(false));
        const SurrogateFn phi = [this](const std::vector<double>& x) {
            return surrogate.valueAndGradient(x);
        };

        const int64_t nTrain = problem.train.inputs.size(0);
        const int64_t nVal = problem.validation.inputs.size(0);
        const int64_t batch = trainer.options().batchSize;
        const int64_t trainBatch = std::min(batch, nTrain);
        const int64_t valBatch = std::min(batch, nVal);
        const uint64_t seed = streamSeed(runtime.seed, static_cast<uint64_t>(outer));
        torch::Tensor trainOrder;
        torch::Tensor valOrder;
        int64_t trainPos = nTrain;
        int64_t valPos = nVal;
        int trainEpoch = 0;
        int valEpoch = 0;

        Iterate best = start;
        best.network = models::cloneNetwork(start.network);
        evaluateIterate(best, mu, r);
        double previous = best.augmentedLagrangian;
        const auto started = std::chrono::steady_clock::now();
        auto lastProgress = started;
        int64_t processed = 0;

        for (int step = 1; step <= options.innerSteps; ++step) {
            if (stop.stop_requested()) {
                break;
            }
            if (trainPos + trainBatch > nTrain) {
                trainOrder = train::epochPermutation(nTrain, seed, trainEpoch++).to(problem.device);
                trainPos = 0;
            }
            if (valPos + valBatch > nVal) {
                valOrder =
                    train::epochPermutation(nVal, seed ^ 0x5555, valEpoch++).to(problem.device);
                valPos = 0;
            }
            const auto ti = trainOrder.slice(0, trainPos, trainPos + trainBatch);
            const auto vi = valOrder.slice(0, valPos, valPos + valBatch);
            trainPos += trainBatch;
            valPos += valBatch;

            optimizerW.zero_grad();
            optimizerLambda.zero_grad();
            auto terms =
                augmentedLagrangian(network, lambda, problem.train.inputs.index_select(0, ti),
                                    problem.train.targets.index_select(0, ti),
                                    problem.validation.inputs.index_select(0, vi),
                                    problem.validation.targets.index_select(0, vi), phi, mu, r,
                                    options.epsilon, options.constraint);
            const double value = terms.value.item<double>();
            if (!std::isfinite(value)) {
                log(events::LogLevel::Warning,
                    "inner solve of outer iteration " + std::to_string(outer) +
                        " reached a non-finite L_A at step " + std::to_string(step) +
                        "; keeping the best iterate so far");
                break;
            }
            terms.value.backward();
            for (auto& p : network->parameters()) {
                torch::nn::utils::clip_grad_norm_(p, options.clip);
            }
            torch::nn::utils::clip_grad_norm_(lambda, options.clip);
            optimizerW.step();
            optimizerLambda.step();
            {
                torch::NoGradGuard noGrad;
                lambda.copy_(torch::max(torch::min(lambda, upperBound), lowerBound));
            }
            // Both minibatches are processed: each counts towards the epochs (ALGORITHM.md §4).
            cost.addSamples(trainBatch + valBatch);
            processed += trainBatch + valBatch;

            if (seconds(lastProgress) >= runtime.progressInterval) {
                lastProgress = std::chrono::steady_clock::now();
                events::InnerProgressEvent event;
                event.outerIteration = outer;
                event.step = step;
                event.totalSteps = options.innerSteps;
                event.lambda = toVector(lambda);
                event.augmentedLagrangian = value;
                event.upperLoss = terms.upper.item<double>();
                event.lowerObjective = terms.lower.item<double>();
                event.phiHat = terms.phiHat;
                event.violation = terms.violation.item<double>();
                event.cost = cost.snapshot();
                sink.onEvent(event);
            }

            if (step % runtime.checkEvery == 0 || step == options.innerSteps) {
                Iterate current;
                current.network = network;
                current.lambda = toVector(lambda);
                evaluateIterate(current, mu, r);
                if (current.augmentedLagrangian < best.augmentedLagrangian) {
                    best = current;
                    best.network = models::cloneNetwork(network);
                }
                const double change = std::abs(current.augmentedLagrangian - previous) /
                                      std::max(std::abs(previous), 1e-12);
                previous = current.augmentedLagrangian;
                if (change < options.innerTolerance) {
                    break;
                }
            }
        }
        best.innerSamples = processed;
        best.innerSeconds = seconds(started);
        return best;
    }

    // The inner solve of outer iteration k: replayed from the journal when a resumed run has
    // it, else solved and (unless cancelled) committed with the iterate's weights.
    Iterate solveOrReplay(const Iterate& from, double mu, double r, int k, std::stop_token stop) {
        const std::string key = "bilevel/inner/" + std::to_string(k);
        if (journal != nullptr) {
            if (const auto record = journal->find(key)) {
                Iterate it;
                try {
                    const auto& d = record->data;
                    it.lambda = d.at("lambda").get<std::vector<double>>();
                    it.augmentedLagrangian = d.at("augmented_lagrangian").get<double>();
                    it.upper = d.at("upper").get<double>();
                    it.lower = d.at("lower").get<double>();
                    it.phiHat = d.at("phi_hat").get<double>();
                    it.innerSamples = d.at("samples").get<int64_t>();
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
        Iterate next = innerSolve(from, mu, r, k, stop);
        if (journal != nullptr && !stop.stop_requested()) {
            core::JournalRecord record;
            record.data = {{"lambda", next.lambda},
                           {"augmented_lagrangian", next.augmentedLagrangian},
                           {"upper", next.upper},
                           {"lower", next.lower},
                           {"phi_hat", next.phiHat},
                           {"samples", next.innerSamples},
                           {"seconds", next.innerSeconds},
                           {"mu", mu},
                           {"r", r}};
            record.checkpoint = eval::writeJournalCheckpoint(
                *journal, trainer, key, trainer.startState(next.lambda, next.network));
            journal->append(key, record);
        }
        return next;
    }

    MethodResult run(std::stop_token stop) {
        // 1. Initial design and the first surrogate (ALGORITHM.md §2.2, §2.3).
        const auto design =
            initialDesign(box, options.initialSamples, options.design, runtime.seed);
        log(events::LogLevel::Info,
            "initial design: " + std::to_string(design.size()) + " lower-level trainings");
        std::vector<eval::EvaluationRequest> requests;
        for (const auto& lambda : design) {
            requests.push_back({lambda, 0, true});
        }
        const int total = static_cast<int>(design.size());
        Iterate start;
        double bestValidation = std::numeric_limits<double>::infinity();
        evaluator.evaluate(requests, stop,
                           [&](std::size_t, const eval::EvaluationOutcome& outcome) {
                               const auto& s = recordSample(outcome, "initial-design", total);
                               // 2. Start from the sample with the lowest validation loss
                               // (ALGORITHM.md §3, step 2).
                               if (s.ok && s.metrics.valLoss < bestValidation) {
                                   bestValidation = s.metrics.valLoss;
                                   start.lambda = s.lambda;
                                   start.network = models::cloneNetwork(outcome.network);
                               }
                           });
        if (stop.stop_requested()) {
            return finish(events::RunStatus::Cancelled, "cancelled during the initial design");
        }
        if (!start.network || !refit()) {
            return finish(events::RunStatus::Failed, "every lower-level training of the initial design diverged");
        }
        log(events::LogLevel::Info, "start point: the design sample with the lowest validation "
                                    "loss");

        // 3. Outer iterations of the augmented Lagrangian (ALGORITHM.md §3).
        double mu = options.mu0;
        double r = options.r0;
        Iterate current = start;
        std::vector<double> previousLambda = start.lambda;
        double bestViolation = std::numeric_limits<double>::infinity();
        std::vector<Iterate> iterates;
        for (int k = 1; k <= options.outerIterations; ++k) {
            const Iterate& from = options.warmStart ? current : start;
            Iterate next = solveOrReplay(from, mu, r, k, stop);
            if (stop.stop_requested()) {
                return finish(events::RunStatus::Cancelled, "cancelled in outer iteration " + std::to_string(k));
            }
            const double phiHatBefore = surrogate.valueAndGradient(next.lambda).first;

            // 3.2 A new φ sample at λ_k, added to the GP (ALGORITHM.md §3.2).
            auto request = sampleRequest(next.lambda, k);
            // A warm-started sample continued other weights: it is no training of λ_k from the
            // fixed initialisation, which result.retrainedMetrics promises (the runner trains
            // that one then, outside the method's cost).
            const bool fromInit = request.resume == nullptr;
            const auto outcomes = evaluator.evaluate(
                {std::move(request)}, stop,
                [&](std::size_t, const eval::EvaluationOutcome& outcome) {
                    recordSample(outcome, "outer-iteration", options.outerIterations);
                });
            if (stop.stop_requested() || outcomes.empty()) {
                return finish(events::RunStatus::Cancelled, "cancelled in outer iteration " + std::to_string(k));
            }
            auto& sample = samples.back();
            sample.fromInit = fromInit;
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
            const double hSurrogate = f - phiHatBefore;
            const double hSampled = sample.ok ? f - sample.phi : hSurrogate;
            // The return rule compares the iterate with the lower-level training at its λ, as the
            // authors do: against the bound, every iterate that beat its sample would tie at 0.
            const double hTrained = sample.ok ? f - phiTrained : hSurrogate;
            if (!sample.ok) {
                log(events::LogLevel::Warning,
                    "the φ sample of outer iteration " + std::to_string(k) +
                        " diverged; the surrogate's violation stands in for the sampled one");
            }
            mu = updateMultiplier(mu, r, hSampled - options.epsilon, options.constraint);
            r = std::min(options.eta * r, options.rMax);

            events::OuterIterationEvent event;
            event.iteration = k;
            event.total = options.outerIterations;
            event.lambda = next.lambda;
            event.violationSampled = hSampled;
            event.violationSurrogate = hSurrogate;
            event.mu = mu;
            event.r = r;
            event.upperLoss = evaluation.validation.loss;
            event.lowerObjective = f;
            event.phiSampled = sample.ok ? sample.phi : std::numeric_limits<double>::quiet_NaN();
            event.phiHat = phiHatBefore;
            event.metrics = toMetrics(evaluation);
            event.cost = cost.snapshot();
            result.iterations.push_back(event);
            sink.onEvent(event);
            // Under variant paper the augmented-Lagrangian weights are the method's answer and
            // compete for the anytime curve's best; under select the answer is a training-only
            // model, and weights fitted to the validation split would show a validation loss
            // no returned model has.
            if (options.variant == config::BilevelVariant::Paper) {
                anytime.consider(event.metrics, true);
            }
            anytime.appendPoint(event.cost, result.anytime);

            // 4. The returned iterate is the one with the smallest |h| against its trained sample
            // (the authors' rule; ALGORITHM.md §3.5).
            if (std::abs(hTrained) < bestViolation) {
                bestViolation = std::abs(hTrained);
                result.lambda = next.lambda;
                result.metrics = event.metrics;
                result.retrainedMetrics = sample.ok && fromInit
                                              ? std::optional<events::Metrics>(sample.metrics)
                                              : std::nullopt;
            }
            const double moved = distance(next.lambda, previousLambda);
            previousLambda = next.lambda;
            current = next;
            // Early stop (ALGORITHM.md §3.4).
            if (std::abs(hSampled) <= options.tolerance && moved <= options.lambdaTolerance) {
                log(events::LogLevel::Info, "converged after outer iteration " + std::to_string(k) +
                                                ": |h| and the λ step are "
                                                "within tolerance");
                break;
            }
        }
        if (options.variant == config::BilevelVariant::Select) {
            selectByValidation();
        }
        return finish(events::RunStatus::Completed, "");
    }

    // bilevel.variant `select` [ours] (ALGORITHM.md §3.5): λ* is the λ of the training-only
    // training (initial design or φ sample) whose model has the lowest validation loss. Those
    // models never saw the validation split, unlike the augmented-Lagrangian weights, so λ* and
    // its metrics are what a retraining at λ* gives; a warm-started sample's figures come from
    // continued weights, so the runner retrains that λ from the initialisation.
    void selectByValidation() {
        const Sample* chosen = nullptr;
        for (const auto& s : samples) {
            if (s.ok && std::isfinite(s.metrics.valLoss) &&
                (chosen == nullptr || s.metrics.valLoss < chosen->metrics.valLoss)) {
                chosen = &s;
            }
        }
        if (chosen == nullptr) {
            return; // every training diverged: the paper's rule stands
        }
        result.lambda = chosen->lambda;
        result.metrics = chosen->metrics;
        result.retrainedMetrics =
            chosen->fromInit ? std::optional<events::Metrics>(chosen->metrics) : std::nullopt;
        log(events::LogLevel::Info,
            "λ*: the training-only training with the lowest validation loss (" +
                std::to_string(chosen->metrics.valLoss) + ", " +
                (chosen->fromInit ? "trained from the initialisation" : "a warm-started φ sample") +
                ")");
    }

    MethodResult finish(events::RunStatus status, const std::string& message) {
        result.status = status;
        result.message = message;
        result.cost = cost.snapshot();
        if (!message.empty()) {
            log(status == events::RunStatus::Completed ? events::LogLevel::Info : events::LogLevel::Warning,
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
    return impl.run(stop);
}

} // namespace bt::methods
