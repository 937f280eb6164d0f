#pragma once

// What the run store's tests share: a store error caught, a run to create, events to append.

#include <cmath>
#include <filesystem>
#include <optional>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

#include <QTemporaryDir>
#include <QtGlobal>

#include "engine/events/events.h"
#include "engine/store/run_store.h"

namespace bt::testing {

// Runs `body` and returns the StoreError it threw (QFAIL when it threw none or another type).
template <typename Body>
std::optional<bt::store::StoreError> storeErrorOf(Body&& body) {
    try {
        body();
    } catch (const bt::store::StoreError& e) {
        return e;
    } catch (const std::exception& e) {
        qWarning("unexpected exception: %s", e.what());
        return std::nullopt;
    }
    qWarning("no exception");
    return std::nullopt;
}

inline bt::store::NewRun newRun(const std::string& id, const std::string& name = "ridge") {
    bt::store::NewRun r;
    r.id = id;
    r.name = name;
    r.config = {{"dataset", {{"kind", "csv"}}}, {"training", {{"epochs", 3}}}};
    r.methods = {"bilevel", "random"};
    r.seed = 7;
    r.environment = {{"app_version", "test"}};
    r.outDir = "/tmp/out";
    return r;
}

inline bt::events::SampleEvent sample(int index, double lambda, double valLoss) {
    bt::events::SampleEvent s;
    s.method = "bilevel";
    s.phase = "initial-design";
    s.index = index;
    s.total = 3;
    s.lambda = {lambda, lambda / 2};
    s.epochsTrained = 3.0;
    s.status = "ok";
    s.metrics.valLoss = valLoss;
    s.metrics.objective = 0.5 * valLoss;
    s.metrics.valAccuracy = 0.75;
    s.cost.lowerLevelTrainings = index + 1;
    s.cost.epochs = 3.0 * (index + 1);
    s.cost.wallSeconds = 0.25 * (index + 1);
    return s;
}

inline bt::events::OuterIterationEvent outer(int iteration) {
    bt::events::OuterIterationEvent o;
    o.iteration = iteration;
    o.total = 4;
    o.lambda = {-2.0 - iteration, -1.0};
    o.violationSampled = 1e-3 * iteration;
    o.violationSurrogate = -2e-4;
    o.mu = 0.5;
    o.r = 2.0 * iteration;
    o.upperLoss = 1.25;
    o.lowerObjective = 0.75;
    o.phiSampled = 0.7;
    o.phiHat = 0.71;
    o.innerSteps = 40;
    o.metrics.testLoss = 1.5;
    o.cost.lowerLevelTrainings = 3 + iteration;
    return o;
}

inline bt::events::InnerProgressEvent inner(int outerIteration, int step) {
    bt::events::InnerProgressEvent e;
    e.outerIteration = outerIteration;
    e.step = step;
    e.totalSteps = 100;
    e.lambda = {-1.0};
    e.augmentedLagrangian = 2.0;
    return e;
}

// A process id that is certainly not running: a child that has exited and been reaped.
inline pid_t deadPid() {
    const pid_t child = ::fork();
    if (child == 0) {
        ::_exit(0);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    return child;
}

inline bool sameMetrics(const bt::events::Metrics& a, const bt::events::Metrics& b) {
    const auto same = [](double x, double y) { return x == y || (std::isnan(x) && std::isnan(y)); };
    return same(a.valLoss, b.valLoss) && same(a.testLoss, b.testLoss) &&
           same(a.trainLoss, b.trainLoss) && same(a.objective, b.objective) &&
           a.valAccuracy == b.valAccuracy && a.testAccuracy == b.testAccuracy;
}

/// A store file of its own for each test: FOLDER/storeN/runs.db under one temporary folder.
class FreshStores {
public:
    bool isValid() const { return m_dir.isValid(); }
    /// The temporary folder, for other files of a test.
    std::filesystem::path root() const { return m_dir.path().toStdString(); }
    std::filesystem::path next() {
        return root() / ("store" + std::to_string(++m_count)) / "runs.db";
    }

private:
    QTemporaryDir m_dir;
    int m_count = 0;
};

} // namespace bt::testing
