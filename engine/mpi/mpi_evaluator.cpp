#include "engine/mpi/mpi_evaluator.h"

#include <atomic>
#include <chrono>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>

#include <ATen/Parallel.h>
#include <mpi.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "engine/core/error.h"
#include "engine/eval/journaling_evaluator.h"
#include "engine/train/device.h"

namespace bt::eval {

namespace {

using json = nlohmann::json;

// Message tags. Rank 0 sends requests, cancels and stops; workers answer with results, errors
// and, last of all, a goodbye.
enum Tag : int {
    kRequest = 1,
    kResult = 2,
    kError = 3,
    kCancel = 4,
    kStop = 5,
    kGoodbye = 6,
};

// Waiting for a message polls (MPI_Iprobe) and sleeps in between: a blocking receive spins a
// core at full speed in OpenMPI, which a training rank on the same core would pay for.
constexpr auto kIdlePoll = std::chrono::microseconds(500);

struct Message {
    int source = 0;
    int tag = 0;
    json header;
    std::string payload; ///< a serialized training state, or empty
};

// A message's bytes: the header's length (8 bytes), the header as JSON (doubles round-trip
// exactly), then the payload.
std::string encode(const json& header, const std::string& payload) {
    const std::string text = header.dump();
    const auto length = static_cast<uint64_t>(text.size());
    std::string bytes(sizeof length, '\0');
    std::memcpy(bytes.data(), &length, sizeof length);
    bytes += text;
    bytes += payload;
    return bytes;
}

void send(int destination, int tag, const json& header, const std::string& payload = {}) {
    const auto bytes = encode(header, payload);
    if (bytes.size() > static_cast<std::size_t>(INT_MAX)) {
        throw std::runtime_error("MPI message of " + std::to_string(bytes.size()) +
                                 " bytes is larger than MPI's 2 GiB count limit");
    }
    MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, destination, tag,
             MPI_COMM_WORLD);
}

// The next message from `source` (or any rank), if one has arrived.
std::optional<Message> tryReceive(int source = MPI_ANY_SOURCE) {
    int flag = 0;
    MPI_Status status;
    MPI_Iprobe(source, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status);
    if (flag == 0) {
        return std::nullopt;
    }
    int count = 0;
    MPI_Get_count(&status, MPI_BYTE, &count);
    std::string bytes(static_cast<std::size_t>(count), '\0');
    MPI_Recv(bytes.data(), count, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    Message message;
    message.source = status.MPI_SOURCE;
    message.tag = status.MPI_TAG;
    uint64_t length = 0;
    if (bytes.size() < sizeof length) {
        throw std::runtime_error("MPI message from rank " + std::to_string(message.source) +
                                 " is truncated");
    }
    std::memcpy(&length, bytes.data(), sizeof length);
    if (length > bytes.size() - sizeof length) {
        throw std::runtime_error("MPI message from rank " + std::to_string(message.source) +
                                 " is truncated");
    }
    message.header =
        json::parse(bytes.begin() + sizeof length,
                    bytes.begin() + static_cast<std::ptrdiff_t>(sizeof length + length));
    message.payload = bytes.substr(sizeof length + length);
    return message;
}

Message receive(const MpiWorld& world, int source = MPI_ANY_SOURCE) {
    for (;;) {
        if (auto message = tryReceive(source)) {
            return std::move(*message);
        }
        world.endIfOrphaned();
        std::this_thread::sleep_for(kIdlePoll);
    }
}

// Whether an outcome must carry the trained state back to rank 0.
bool needsState(const EvaluationRequest& request) {
    return request.keepWeights || request.keepState || request.resume;
}

// A request to train: its id, the request, and what rank 0's data hold (train::Problem::data),
// which the worker compares with its own before it trains.
json requestHeader(long id, const EvaluationRequest& request, const train::Trainer& trainer) {
    return {{"id", id},
            {"data", trainer.problem().data},
            {"lambda", request.lambda},
            {"epochs", request.epochs},
            {"horizon_epochs", request.horizonEpochs},
            {"keep_weights", request.keepWeights},
            {"keep_state", request.keepState},
            {"continued", static_cast<bool>(request.resume)}};
}

// A worker rank's request in flight: its place in the batch and its message id.
struct BusyWorker {
    std::size_t index;
    long id;
};

// "MPI rank N on HOST", the sender of `message`.
std::string senderName(const Message& message) {
    return "MPI rank " + std::to_string(message.source) + " on " +
           message.header.value("host", std::string("?"));
}

// Checks that `message`, from `who`, answers the request its sender is busy with (`it`, in
// `busy`): a worker's error fails the run, anything else unexpected too.
void checkAnswer(const Message& message, const std::string& who,
                 std::map<int, BusyWorker>::const_iterator it,
                 const std::map<int, BusyWorker>& busy) {
    if (message.tag == kError) {
        // The run fails; releaseWorkers collects what the other workers still send.
        throw core::InputError(who, message.header.value("error", std::string("failed")));
    }
    if (message.tag != kResult || it == busy.end() ||
        message.header.value("id", -1L) != it->second.id) {
        throw std::runtime_error(who + " sent an unexpected message (tag " +
                                 std::to_string(message.tag) + ")");
    }
}

// The outcome a worker's result message `message` (from `who`) carries for request `index`.
EvaluationOutcome outcomeFrom(const Message& message, const std::string& who, std::size_t index,
                              const EvaluationRequest& request, const train::Trainer& trainer) {
    EvaluationOutcome outcome;
    outcome.lambda = request.lambda;
    outcome.result = trainingResultFromJournal(message.header.at("result"),
                                               who + " result " + std::to_string(index));
    if (needsState(request)) {
        adoptTrainedState(request,
                          trainer.deserializeState(message.payload, who + " training state " +
                                                                        std::to_string(index)),
                          outcome);
    }
    return outcome;
}

// The outcomes of the batch's leading completed requests, up to the first one not completed.
std::vector<EvaluationOutcome>
completedPrefix(std::vector<std::optional<EvaluationOutcome>>& done) {
    std::vector<EvaluationOutcome> outcomes;
    for (auto& outcome : done) {
        if (!outcome) {
            break;
        }
        outcomes.push_back(std::move(*outcome));
    }
    return outcomes;
}

// A worker rank's training in progress. The training runs on its own thread, so that the
// rank's main thread (the only one that calls MPI) hears a cancel or a stop while it trains.
struct WorkerJob {
    long id = 0;
    EvaluationRequest request;
    std::optional<EvaluationOutcome> outcome;
    std::string error;
    std::atomic<bool> finished{false};
    std::jthread thread;
};

// Sends rank 0 the answer to `job` once its thread has ended (its error, a cancel, or its
// result with the training state when rank 0 needs it), and ends the job.
void answerJob(std::unique_ptr<WorkerJob>& job, bool cancelled, const json& host,
               const train::Trainer* trainer) {
    job->thread.join();
    if (!job->error.empty()) {
        send(0, kError, {{"id", job->id}, {"host", host}, {"error", job->error}});
    } else if (cancelled || !job->outcome) {
        send(0, kResult, {{"id", job->id}, {"host", host}, {"cancelled", true}});
    } else {
        const auto& request = job->request;
        std::string payload;
        if (needsState(request)) {
            payload = trainer->serializeState(*job->outcome->state);
        }
        send(0, kResult,
             {{"id", job->id}, {"host", host}, {"result", toJournalJson(job->outcome->result)}},
             payload);
    }
    job.reset();
}

// The request a kRequest message with id `id` carries.
EvaluationRequest requestFrom(const Message& message, long id, const train::Trainer& trainer) {
    const auto& h = message.header;
    // Every rank reads the data itself (its own data folder, its own copy of a file): trainings
    // on other rows would be mixed into rank 0's run unseen.
    if (const auto data = h.value("data", trainer.problem().data); data != trainer.problem().data) {
        throw core::InputError("dataset", "this rank's data differ from rank 0's: rank 0 read " +
                                              data + "; this rank read " + trainer.problem().data +
                                              ". Give every rank the same files");
    }
    EvaluationRequest request;
    request.lambda = h.at("lambda").get<std::vector<double>>();
    request.epochs = h.at("epochs").get<int>();
    request.horizonEpochs = h.at("horizon_epochs").get<int>();
    request.keepWeights = h.at("keep_weights").get<bool>();
    request.keepState = h.at("keep_state").get<bool>();
    if (h.at("continued").get<bool>()) {
        request.resume = std::make_shared<train::TrainingState>(trainer.deserializeState(
            message.payload, "training state of request " + std::to_string(id)));
    }
    // The state travels back when rank 0 needs the weights.
    request.keepState = request.keepState || needsState(request);
    return request;
}

// Starts training `job`'s request on the job's thread.
void startTraining(WorkerJob* current, const train::Trainer* trainer) {
    current->thread = std::jthread([current, trainer](std::stop_token token) {
        // OpenMP's thread count is per thread: a new thread would use every core, not
        // the run's training.threads that prepareRun set on this process's main thread.
        at::init_num_threads();
        train::flushDenormals(); // as prepareRun did on the main thread
        try {
            current->outcome = evaluateOne(*trainer, current->request, token);
        } catch (const std::exception& e) {
            current->error = e.what();
        }
        current->finished.store(true);
    });
}

} // namespace

MpiWorld::MpiWorld(int& argc, char**& argv) {
    int provided = 0;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &m_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &m_size);
    char name[MPI_MAX_PROCESSOR_NAME];
    int length = 0;
    MPI_Get_processor_name(name, &length);
    m_host.assign(name, static_cast<std::size_t>(length));
    m_launcher = static_cast<long>(::getppid());
}

void MpiWorld::endIfOrphaned() const {
    if (m_size > 1 && static_cast<long>(::getppid()) != m_launcher) {
        std::fprintf(stderr,
                     "error: MPI rank %d on %s: the job's launcher is gone (a rank died "
                     "and mpirun ended the job); stopping\n",
                     m_rank, m_host.c_str());
        std::fflush(stderr);
        std::_Exit(1);
    }
}

MpiWorld::~MpiWorld() {
    MPI_Finalize();
}

std::string MpiWorld::broadcast(const std::string& text) const {
    auto length = static_cast<uint64_t>(m_rank == 0 ? text.size() : 0);
    MPI_Bcast(&length, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
    std::string out = m_rank == 0 ? text : std::string(length, '\0');
    if (length > static_cast<uint64_t>(INT_MAX)) {
        throw std::runtime_error("MPI broadcast of more than 2 GiB");
    }
    if (length > 0) {
        MPI_Bcast(out.data(), static_cast<int>(length), MPI_CHAR, 0, MPI_COMM_WORLD);
    }
    return out;
}

std::vector<EvaluationOutcome>
MpiEvaluator::evaluate(const std::vector<EvaluationRequest>& requests, std::stop_token stop,
                       const Completion& onCompleted) {
    if (m_world.size() < 2) {
        return InProcessEvaluator(m_trainer).evaluate(requests, stop, onCompleted);
    }
    std::vector<int> idle;
    for (int worker = m_world.size() - 1; worker >= 1; --worker) {
        idle.push_back(worker);
    }
    std::map<int, BusyWorker> busy;
    std::vector<std::optional<EvaluationOutcome>> done(requests.size());
    std::size_t next = 0;
    bool cancelling = false;

    for (;;) {
        if (stop.stop_requested() && !cancelling) {
            cancelling = true;
            for (const auto& [worker, job] : busy) {
                send(worker, kCancel, {{"id", job.id}});
            }
        }
        while (!cancelling && !idle.empty() && next < requests.size()) {
            const int worker = idle.back();
            idle.pop_back();
            const auto& request = requests[next];
            const long id = m_nextId++;
            send(worker, kRequest, requestHeader(id, request, m_trainer),
                 request.resume ? m_trainer.serializeState(*request.resume) : std::string());
            busy[worker] = {next, id};
            ++next;
        }
        if (busy.empty()) {
            break;
        }
        auto message = tryReceive();
        if (!message) {
            m_world.endIfOrphaned();
            std::this_thread::sleep_for(kIdlePoll);
            continue;
        }
        const auto it = busy.find(message->source);
        const std::string who = senderName(*message);
        checkAnswer(*message, who, it, busy);
        const auto index = it->second.index;
        busy.erase(it);
        idle.push_back(message->source);
        if (message->header.value("cancelled", false)) {
            continue;
        }
        done[index] = outcomeFrom(*message, who, index, requests[index], m_trainer);
        if (onCompleted) {
            onCompleted(index, *done[index]);
        }
    }
    return completedPrefix(done);
}

void releaseWorkers(const MpiWorld& world) {
    for (int worker = 1; worker < world.size(); ++worker) {
        send(worker, kStop, json::object());
    }
    int remaining = world.size() - 1;
    while (remaining > 0) {
        if (receive(world).tag == kGoodbye) {
            --remaining;
        }
    }
}

void serveEvaluations(const MpiWorld& world, const train::Trainer* trainer,
                      const std::string& prepareError) {
    std::unique_ptr<WorkerJob> job;
    const json host = world.host();

    for (;;) {
        if (job && job->finished.load()) {
            answerJob(job, false, host, trainer);
        }
        auto message = tryReceive(0);
        if (!message) {
            world.endIfOrphaned();
            std::this_thread::sleep_for(job ? std::chrono::microseconds(2000) : kIdlePoll);
            continue;
        }
        if (message->tag == kStop) {
            if (job) {
                job->thread.request_stop();
                job->thread.join();
                job.reset();
            }
            send(0, kGoodbye, json::object());
            return;
        }
        if (message->tag == kCancel) {
            if (job && job->id == message->header.value("id", -1L)) {
                job->thread.request_stop();
                answerJob(job, true, host, trainer);
            }
            continue;
        }
        if (message->tag != kRequest) {
            continue;
        }
        const long id = message->header.value("id", -1L);
        if (trainer == nullptr) {
            send(0, kError, {{"id", id}, {"host", host}, {"error", prepareError}});
            continue;
        }
        job = std::make_unique<WorkerJob>();
        job->id = id;
        try {
            job->request = requestFrom(*message, id, *trainer);
        } catch (const std::exception& e) {
            send(0, kError, {{"id", id}, {"host", host}, {"error", e.what()}});
            job.reset();
            continue;
        }
        startTraining(job.get(), trainer);
    }
}

} // namespace bt::eval
