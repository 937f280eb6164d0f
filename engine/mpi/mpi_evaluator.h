#pragma once

#include <string>

#include "engine/eval/evaluator.h"

namespace bt::eval {

/// This process's place in an MPI job (OpenMPI's mpirun, or a single process started without
/// it). MPI is initialised on construction, with only the constructing thread calling MPI
/// (MPI_THREAD_FUNNELED), and finalised on destruction; one per process.
class MpiWorld {
public:
    MpiWorld(int& argc, char**& argv);
    ~MpiWorld();
    MpiWorld(const MpiWorld&) = delete;
    MpiWorld& operator=(const MpiWorld&) = delete;

    int rank() const { return m_rank; }
    int size() const { return m_size; }
    const std::string& host() const { return m_host; }

    /// Rank 0's `text`, on every rank (a collective: every rank calls it once, in step).
    std::string broadcast(const std::string& text) const;

    /// Ends this process (exit status 1, with a message) when the job's launcher, the process
    /// that started it (mpirun, or OpenMPI's daemon on another node), is gone: a rank that
    /// waits for a dead peer would otherwise wait for ever once mpirun has exited. The run
    /// stays `running` in the store, and the next command marks it interrupted.
    void endIfOrphaned() const;

private:
    int m_rank = 0;
    int m_size = 1;
    long m_launcher = 0; ///< the parent process at start
    std::string m_host;
};

/// Rank 0's evaluator in a distributed run: rank 0 runs the method and owns the store, the
/// other ranks train. Each request goes to an idle worker rank (with the training state it
/// continues, as bytes); outcomes come back in completion order and are reported at once (a
/// JournalingEvaluator commits each and restores request order). Every training is seeded by
/// what it evaluates, so the outcomes equal a serial run's whatever the number of ranks.
/// With no worker ranks (a job of one process) it trains in this process. Stopping sends the
/// busy workers a cancel and waits for their answers. A worker that cannot train (its data
/// failed to load) makes evaluate throw core::InputError naming its rank and host.
class MpiEvaluator final : public Evaluator {
public:
    MpiEvaluator(const MpiWorld& world, const train::Trainer& trainer)
        : m_world(world), m_trainer(trainer) {}

    std::vector<EvaluationOutcome> evaluate(const std::vector<EvaluationRequest>& requests,
                                            std::stop_token stop,
                                            const Completion& onCompleted) override;

private:
    const MpiWorld& m_world;
    const train::Trainer& m_trainer;
    long m_nextId = 0;
};

/// Rank 0, when the run is over (or failed): tells every worker rank to end, and takes in
/// whatever they still send until each has said goodbye, so that no rank is left blocked.
void releaseWorkers(const MpiWorld& world);

/// A worker rank's life: trains the requests rank 0 sends, one at a time, until told to end.
/// `trainer` is null when preparing the run failed on this rank; every request is then
/// answered with `prepareError`, which rank 0 reports.
void serveEvaluations(const MpiWorld& world, const train::Trainer* trainer,
                      const std::string& prepareError);

} // namespace bt::eval
