// Training throughput of the lower-level trainer against a bare LibTorch loop of the same model
// in the same process, and against the single-precision matmul peak measured in the same run
// (BENCHMARK.md, measurement 2). Runs are interleaved and medians reported, since the machine is
// shared and its speed drifts.
//
// Usage: bench_trainer [REPEATS=5] [THREADS=0] [DEVICE=cpu]
// THREADS: intra-op threads, 0 = LibTorch's default. DEVICE: a training.device setting (cpu,
// cuda, cuda:N or auto).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/cuda.h>
#include <torch/torch.h>

#include "engine/core/error.h"
#include "engine/models/script_module.h"
#include "engine/train/device.h"
#include "engine/train/trainer.h"

namespace {

using Clock = std::chrono::steady_clock;

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// CUDA kernels run asynchronously: a timing on a CUDA device ends only when they have finished.
void waitFor(const torch::Device& device) {
    if (device.is_cuda()) {
        torch::cuda::synchronize(device.index());
    }
}

double matmulGflops(const torch::Device& device) {
    const int64_t n = 2048;
    auto a = torch::randn({n, n}, torch::TensorOptions().device(device));
    auto b = torch::randn({n, n}, torch::TensorOptions().device(device));
    a.mm(b); // warm-up
    waitFor(device);
    std::vector<double> rates;
    for (int i = 0; i < 5; ++i) {
        const auto t = Clock::now();
        auto c = a.mm(b);
        waitFor(device);
        const double s = std::chrono::duration<double>(Clock::now() - t).count();
        rates.push_back(2.0 * n * n * n / s / 1e9);
    }
    return median(rates);
}

// The same model and update as the trainer, written plainly: one SGD optimiser with weight
// decay groups, Nesterov momentum, shuffled minibatches by index_select.
double bareLoopSeconds(const bt::train::Problem& problem, const bt::train::TrainerOptions& o,
                       const std::vector<double>& lambda) {
    bt::models::Network net(problem.model, problem.initSeed);
    net->to(problem.device);
    std::vector<torch::optim::OptimizerParamGroup> groups;
    for (std::size_t l = 0; l < net->weights().size(); ++l) {
        auto opt = std::make_unique<torch::optim::SGDOptions>(o.learningRate);
        opt->momentum(o.momentum).nesterov(true).weight_decay(std::exp(lambda[l]));
        groups.emplace_back(std::vector<torch::Tensor>{net->weights()[l]}, std::move(opt));
    }
    auto biasOpt = std::make_unique<torch::optim::SGDOptions>(o.learningRate);
    biasOpt->momentum(o.momentum).nesterov(true);
    groups.emplace_back(net->biases(), std::move(biasOpt));
    torch::optim::SGD sgd(std::move(groups), torch::optim::SGDOptions(o.learningRate));
    const auto n = problem.train.inputs.size(0);
    waitFor(problem.device);
    const auto t = Clock::now();
    const auto order = torch::randperm(n, torch::kLong).to(problem.device);
    for (int64_t begin = 0; begin < n; begin += o.batchSize) {
        const auto index = order.slice(0, begin, std::min(begin + o.batchSize, n));
        sgd.zero_grad();
        auto loss = torch::nn::functional::cross_entropy(
            net->forward(problem.train.inputs.index_select(0, index)),
            problem.train.targets.index_select(0, index));
        loss.backward();
        sgd.step();
    }
    waitFor(problem.device);
    return std::chrono::duration<double>(Clock::now() - t).count();
}

// Samples per second of the trainer's minibatch steps over one epoch of `trainer`'s 10,000
// training samples.
double trainerRate(const bt::train::Trainer& trainer, const std::vector<double>& lambda) {
    auto state = trainer.startState(lambda, trainer.initialNetwork());
    const auto result = trainer.train(state, 1, {});
    return 10000.0 / result.trainSeconds;
}

// The trainer on a TorchScript module against the built-in MLP it was written from (the same
// weights, data and options), interleaved: issue 20's target is a ratio >= 0.9.
void compareTorchScript(const bt::train::Problem& builtIn, const bt::train::TrainerOptions& options,
                        int repeats) {
    const auto file = std::filesystem::temp_directory_path() / "bench_trainer_mlp.pt";
    const bt::models::Network network(builtIn.model, builtIn.initSeed);
    bt::models::saveScript(bt::models::toScriptModule(*network), file);
    auto scripted = std::make_shared<bt::train::Problem>(builtIn);
    scripted->model.kind = bt::models::ModelKind::Torchscript;
    scripted->model.scriptPath = file;
    const bt::train::Trainer a(std::make_shared<bt::train::Problem>(builtIn), options);
    const bt::train::Trainer b(scripted, options);
    const std::vector<double> lambda(network->weights().size(), -5.0);
    std::vector<double> ours;
    std::vector<double> theirs;
    std::vector<double> ratios;
    for (int r = 0; r < repeats; ++r) {
        // Alternating which goes first, so that neither always meets a warmer cache.
        double built = 0.0;
        double script = 0.0;
        if (r % 2 == 0) {
            built = trainerRate(a, lambda);
            script = trainerRate(b, lambda);
        } else {
            script = trainerRate(b, lambda);
            built = trainerRate(a, lambda);
        }
        ours.push_back(built);
        theirs.push_back(script);
        ratios.push_back(script / built);
    }
    std::filesystem::remove(file);
    std::printf("\n%-20s %14s %14s %8s\n", "torchscript", "built-in smp/s", "script smp/s",
                "ratio");
    std::printf("%-20s %14.0f %14.0f %8.3f\n", "mlp 784-300-100-10", median(ours), median(theirs),
                median(ratios));
}

} // namespace

int main(int argc, char** argv) {
    // Line-buffered even into a file or pipe, so that a run stopped by a time limit keeps the
    // lines it has printed.
    std::setvbuf(stdout, nullptr, _IOLBF, BUFSIZ);
    const int repeats = argc > 1 ? std::atoi(argv[1]) : 5;
    if (repeats < 1) {
        std::fprintf(stderr, "bench_trainer: REPEATS must be a positive integer, found '%s'\n",
                     argv[1]);
        return 2;
    }
    if (argc > 2 && std::atoi(argv[2]) > 0) {
        torch::set_num_threads(std::atoi(argv[2]));
    }
    // Denormal floats flushed to zero before the first training, as a run's trainings are
    // (run::executeRun), so that both loops are timed as the product trains.
    bt::train::flushDenormals();
    torch::Device device = torch::kCPU;
    try {
        device = bt::train::resolveDevice(argc > 3 ? argv[3] : "cpu", "DEVICE (argument 3)");
    } catch (const bt::core::InputError& e) {
        std::fprintf(stderr, "bench_trainer: %s\n", e.what());
        return 2;
    }
    struct Case {
        const char* name;
        bt::models::ModelSpec spec;
        std::vector<int64_t> shape;
        double flopsPerSample;
    };
    // Training FLOPs per sample: the forward pass, the weight gradients (as many again) and the
    // input gradients of every layer but the first (which needs none).
    const double mlpForward = 2.0 * (784 * 300 + 300 * 100 + 100 * 10);
    const double mlpInputGrads = 2.0 * (300 * 100 + 100 * 10);
    const double lenetForward =
        2.0 * (28 * 28 * 6 * 25 + 10 * 10 * 16 * 6 * 25 + 400 * 120 + 120 * 84 + 84 * 10);
    const double lenetInputGrads = 2.0 * (10 * 10 * 16 * 6 * 25 + 400 * 120 + 120 * 84 + 84 * 10);
    std::vector<Case> cases{
        {"mlp 784-300-100-10",
         {bt::models::ModelKind::Mlp, {784}, 10, {300, 100}},
         {784},
         2 * mlpForward + mlpInputGrads},
        {"lenet5 1x28x28",
         {bt::models::ModelKind::Lenet5, {1, 28, 28}, 10, {}},
         {1, 28, 28},
         2 * lenetForward + lenetInputGrads},
    };
    const double peak = matmulGflops(device);
    std::printf("device: %s\nthreads: %d\nmatmul peak (2048x2048 sgemm): %.1f GFLOP/s\n\n",
                device.str().c_str(), torch::get_num_threads(), peak);
    std::printf("%-20s %14s %14s %8s %10s %8s\n", "model", "trainer smp/s", "bare smp/s", "ratio",
                "GFLOP/s", "of peak");
    std::shared_ptr<bt::train::Problem> mlpProblem;
    for (const auto& c : cases) {
        auto problem = std::make_shared<bt::train::Problem>();
        auto gen = at::detail::createCPUGenerator(1);
        std::vector<int64_t> shape{10000};
        shape.insert(shape.end(), c.shape.begin(), c.shape.end());
        problem->train = {torch::randn(shape, gen).to(device),
                          torch::randint(0, 10, {10000}, gen, torch::kLong).to(device)};
        problem->validation = problem->train;
        problem->test = problem->train;
        problem->model = c.spec;
        problem->device = device;
        bt::train::TrainerOptions options{1, 128, 0.05, 0.9, true, 1};
        bt::train::Trainer trainer(problem, options);
        const std::vector<double> lambda(
            static_cast<std::size_t>(bt::models::weightLayerCount(c.spec)), -5.0);
        std::vector<double> ours;
        std::vector<double> bare;
        std::vector<double> ratios;
        for (int r = 0; r < repeats; ++r) {
            auto state = trainer.startState(lambda, trainer.initialNetwork());
            const auto result = trainer.train(state, 1, {});
            // train() also evaluates all three splits: compare the minibatch steps alone.
            const double trainSeconds = result.trainSeconds;
            const double b = bareLoopSeconds(*problem, options, lambda);
            ours.push_back(10000.0 / trainSeconds);
            bare.push_back(10000.0 / b);
            ratios.push_back(b / trainSeconds);
        }
        const double rate = median(ours);
        const double gflops = rate * c.flopsPerSample / 1e9;
        std::printf("%-20s %14.0f %14.0f %8.3f %10.2f %7.1f%%\n", c.name, rate, median(bare),
                    median(ratios), gflops, 100.0 * gflops / peak);
        if (c.spec.kind == bt::models::ModelKind::Mlp) {
            mlpProblem = problem;
        }
    }
    compareTorchScript(*mlpProblem, bt::train::TrainerOptions{1, 128, 0.05, 0.9, true, 1}, repeats);
    return 0;
}
