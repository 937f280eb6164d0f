// Loads the full Fashion-MNIST set (60,000 training and 10,000 test images from the gzip IDX
// files) into tensors several times and prints the median wall time and the growth of peak
// resident memory against the size of the tensors, the figures BENCHMARK.md asks for.
//
// usage: bench_data_load [FOLDER] [REPEATS]   (default: the standard Fashion-MNIST folder, 5)

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "engine/core/error.h"
#include "engine/data/load_dataset.h"
#include "engine/train/tensor_dataset.h"

namespace {

// Peak resident set size of this process (VmHWM), in bytes; 0 when /proc is unavailable.
long long peakResidentBytes() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0) {
            return std::stoll(line.substr(6)) * 1024;
        }
    }
    return 0;
}

double mib(long long bytes) {
    return static_cast<double>(bytes) / (1024.0 * 1024.0);
}

} // namespace

int main(int argc, char** argv) {
    bt::data::DatasetSpec spec;
    spec.kind = "fashion-mnist";
    spec.path = argc > 1 ? argv[1] : "";
    spec.train = {-1};
    spec.validation = {0};
    spec.test = {-1};
    const int repeats = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;

    // LibTorch allocates on first use; do that before the baseline so it is not counted.
    (void)torch::ones({8}).sum().item<float>();
    const long long before = peakResidentBytes();

    std::vector<double> seconds;
    long long tensorBytes = 0;
    std::int64_t images = 0;
    try {
        for (int r = 0; r < repeats; ++r) {
            const auto start = std::chrono::steady_clock::now();
            const auto split = bt::data::loadDataset(spec);
            const auto train = bt::train::toTensors(split.train, false);
            const auto test = bt::train::toTensors(split.test, false);
            seconds.push_back(
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
            tensorBytes = 0;
            for (const auto* t : {&train.inputs, &train.targets, &test.inputs, &test.targets}) {
                tensorBytes += static_cast<long long>(t->numel() * t->element_size());
            }
            images = train.inputs.size(0) + test.inputs.size(0);
        }
    } catch (const bt::core::InputError& e) {
        std::fprintf(stderr, "bench_data_load: %s\n", e.what());
        return 2;
    }
    const long long growth = peakResidentBytes() - before;

    std::sort(seconds.begin(), seconds.end());
    const double median = seconds.size() % 2 == 1
                              ? seconds[seconds.size() / 2]
                              : (seconds[seconds.size() / 2 - 1] + seconds[seconds.size() / 2]) / 2;
    std::printf("dataset            fashion-mnist (%lld images, train + test)\n",
                static_cast<long long>(images));
    std::printf("repeats            %d\n", repeats);
    std::printf("median_seconds     %.3f\n", median);
    std::printf("min_seconds        %.3f\n", seconds.front());
    std::printf("max_seconds        %.3f\n", seconds.back());
    std::printf("tensor_mib         %.1f\n", mib(tensorBytes));
    std::printf("peak_rss_growth_mib %.1f\n", mib(growth));
    std::printf("memory_ratio       %.2f  (peak RSS growth / tensor bytes)\n",
                static_cast<double>(growth) / static_cast<double>(tensorBytes));
    return 0;
}
