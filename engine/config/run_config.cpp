#include "engine/config/run_config.h"

namespace bt::config {

int warmSampleEpochs(const BilevelConfig& bilevel, int trainingEpochs) {
    return bilevel.warmSampleEpochs > 0 ? bilevel.warmSampleEpochs
                                        : (trainingEpochs + 2) / 3; // ⌈epochs / 3⌉
}

} // namespace bt::config
