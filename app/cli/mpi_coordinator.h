#pragma once

#include <string>

#include <spdlog/logger.h>

#include "engine/config/run_config.h"
#include "engine/run/runner.h"
#ifdef BT_WITH_MPI
#include "engine/mpi/mpi_evaluator.h"
#endif

// --executor: where the lower-level trainings run. "local": in this process. "mpi": on the
// ranks of an MPI job (mpirun -np N bilevel-tuner-cli run ... --executor mpi): rank 0 runs the
// method and owns the store and the output, the other ranks train.
namespace bt::app::cli {

#ifdef BT_WITH_MPI
using MpiWorld = eval::MpiWorld;

/// Rank 0's side of the job: hands the run's configuration to the worker ranks, makes the
/// evaluator that sends them trainings, and, however the command ends, lets them go: with an
/// empty configuration when none was handed over, else by telling each to stop. Without a
/// world (a local run) it does nothing.
class MpiCoordinator {
public:
    explicit MpiCoordinator(MpiWorld* world) : m_world(world) {}
    MpiCoordinator(const MpiCoordinator&) = delete;
    MpiCoordinator& operator=(const MpiCoordinator&) = delete;
    ~MpiCoordinator();

    /// Sends the configuration to the workers and gives this rank its device.
    void announce(config::RunConfig& config);
    run::EvaluatorFactory factory() const;
    /// The line printed at the start of a run; empty for a local run.
    std::string description() const;

private:
    MpiWorld* m_world;
    bool m_announced = false;
};

/// A worker rank's whole life: the configuration from rank 0, its data and trainer, then the
/// trainings rank 0 sends until it says stop. Nothing is written but the log: rank 0 owns the
/// store and the output. A failure here (data missing on this machine) is sent to rank 0, which
/// ends the run with it.
int workerMain(MpiWorld& world, spdlog::logger& log);
#else
/// Without MPI support there is no world, and the coordinator is never active.
struct MpiWorld {};
class MpiCoordinator {
public:
    explicit MpiCoordinator(MpiWorld* /*world*/) {}
    void announce(config::RunConfig& /*config*/) {}
    run::EvaluatorFactory factory() const { return {}; }
    std::string description() const { return {}; }
};
#endif

} // namespace bt::app::cli
