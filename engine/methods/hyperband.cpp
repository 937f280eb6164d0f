#include "engine/methods/hyperband.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <numeric>
#include <stdexcept>
#include <string>
#include <utility>

#include "engine/methods/trial_recorder.h"

namespace bt::methods {

namespace {

// An independent, reproducible seed for each bracket's draws.
uint64_t bracketSeed(uint64_t seed, int s) {
    return seed * 0x9E3779B97F4A7C15ULL + static_cast<uint64_t>(s + 1) * 0xBF58476D1CE4E5B9ULL;
}

std::string phaseName(int s, std::size_t rung) {
    return "bracket " + std::to_string(s) + " rung " + std::to_string(rung);
}

// The requests of one rung: each configuration still alive (an index into `configs` and
// `states`) trained for `epochs` more, continuing its state (null in rung 0: from the fixed
// initialisation) on a schedule of `horizonEpochs`; the states are kept unless `lastRung`.
std::vector<eval::EvaluationRequest>
rungRequests(const std::vector<std::vector<double>>& configs, const std::vector<std::size_t>& alive,
             const std::vector<std::shared_ptr<train::TrainingState>>& states, int epochs,
             int horizonEpochs, bool lastRung) {
    std::vector<eval::EvaluationRequest> requests;
    for (const auto c : alive) {
        eval::EvaluationRequest request;
        request.lambda = configs[c];
        request.epochs = epochs;
        request.resume = states[c];            // null in rung 0: from the fixed initialisation
        request.horizonEpochs = horizonEpochs; // every rung is part of R epochs
        request.keepState = !lastRung;
        requests.push_back(std::move(request));
    }
    return requests;
}

// Successive halving (Li et al., Algorithm 1, top_k): the `keep` configurations with the lowest
// validation loss continue; diverged ones never do. `losses` follows `alive`; the states of the
// eliminated configurations are released. Returns the promoted configurations, best first.
std::vector<std::size_t> promote(const std::vector<std::size_t>& alive,
                                 const std::vector<double>& losses, std::size_t keep,
                                 std::vector<std::shared_ptr<train::TrainingState>>& states) {
    std::vector<std::size_t> order(alive.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const bool fa = std::isfinite(losses[a]);
        const bool fb = std::isfinite(losses[b]);
        if (fa != fb) {
            return fa;
        }
        return fa && losses[a] < losses[b];
    });
    std::vector<std::size_t> promoted;
    for (std::size_t k = 0; k < order.size(); ++k) {
        const auto c = alive[order[k]];
        if (k < keep && std::isfinite(losses[order[k]])) {
            promoted.push_back(c);
        } else {
            states[c].reset(); // eliminated: its checkpoint is no longer needed
        }
    }
    return promoted;
}

} // namespace

MethodResult Hyperband::run(std::stop_token stop) {
    TrialRecorder recorder("hyperband", m_trainer, m_sink);
    const auto schedule = hyperbandSchedule(m_options.maxEpochs, m_options.eta);
    const auto configurations = scheduledConfigurations(schedule);
    const auto plannedEpochs = scheduledEpochs(schedule);
    recorder.log(events::LogLevel::Info,
                 "R = " + std::to_string(m_options.maxEpochs) + " epochs, eta = " +
                     std::to_string(m_options.eta) + ": " + std::to_string(schedule.size()) +
                     " brackets, " + std::to_string(configurations) + " configurations, " +
                     std::to_string(plannedEpochs) + " epochs planned (without divergence)");

    const auto nan = std::numeric_limits<double>::quiet_NaN();
    for (const auto& bracket : schedule) {
        const int n = bracket.rungs.front().configurations;
        const auto configs = uniformDesign(m_box, n, bracketSeed(m_options.seed, bracket.s));
        std::vector<std::shared_ptr<train::TrainingState>> states(configs.size());
        std::vector<std::size_t> alive(configs.size());
        std::iota(alive.begin(), alive.end(), std::size_t{0});
        recorder.log(events::LogLevel::Info, "bracket " + std::to_string(bracket.s) + ": " +
                                                 std::to_string(n) + " configurations from " +
                                                 std::to_string(bracket.rungs.front().epochs) +
                                                 " epochs");

        int done = 0; // epochs each surviving configuration has been trained for
        for (std::size_t i = 0; i < bracket.rungs.size(); ++i) {
            const auto& rung = bracket.rungs[i];
            const bool last = i + 1 == bracket.rungs.size();
            const auto requests =
                rungRequests(configs, alive, states, rung.epochs - done, m_options.maxEpochs, last);
            std::vector<double> losses(alive.size(), nan);
            const auto phase = phaseName(bracket.s, i);
            const int total = static_cast<int>(alive.size());
            m_evaluator.evaluate(
                requests, stop, [&](std::size_t k, const eval::EvaluationOutcome& outcome) {
                    const auto& event = recorder.record(outcome, phase, total, i == 0);
                    losses[k] = competingValLoss(event);
                    states[alive[k]] = outcome.state;
                });
            if (stop.stop_requested()) {
                return recorder.finish(events::RunStatus::Cancelled,
                                       "cancelled in bracket " + std::to_string(bracket.s) +
                                           ", rung " + std::to_string(i));
            }
            done = rung.epochs;
            if (last) {
                break;
            }
            auto promoted =
                promote(alive, losses,
                        static_cast<std::size_t>(bracket.rungs[i + 1].configurations), states);
            if (promoted.empty()) {
                recorder.log(events::LogLevel::Warning,
                             "bracket " + std::to_string(bracket.s) +
                                 ": every configuration diverged in rung " + std::to_string(i));
                break;
            }
            alive = std::move(promoted);
        }
    }
    return recorder.finish(events::RunStatus::Completed, "");
}

} // namespace bt::methods
