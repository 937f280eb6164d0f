#include "engine/models/weight_layers.h"

#include "engine/config/run_config.h"

namespace bt::models {

int weightLayerCount(config::ModelKind kind, std::size_t hiddenLayers) {
    switch (kind) {
    case config::ModelKind::Linear:
        return 1;
    case config::ModelKind::Mlp:
        return static_cast<int>(hiddenLayers) + 1;
    case config::ModelKind::Lenet5:
        return 5;
    case config::ModelKind::Torchscript:
        return 0; // known once the module is loaded (models::Network)
    }
    return 0;
}

int lambdaDimension(const config::ModelConfig& model, config::LambdaScope scope) {
    return scope == config::LambdaScope::Shared ? 1
                                                : weightLayerCount(model.kind, model.hidden.size());
}

} // namespace bt::models
