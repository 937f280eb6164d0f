#include "engine/models/weight_layers.h"

#include <fnmatch.h>

#include <stdexcept>

#include "engine/config/run_config.h"
#include "engine/core/error.h"

namespace bt::models {

int weightLayerCount(config::ModelKind kind, std::size_t hiddenLayers) {
    return static_cast<int>(builtInWeightNames(kind, hiddenLayers).size());
}

std::vector<std::string> builtInWeightNames(config::ModelKind kind, std::size_t hiddenLayers) {
    const auto fullyConnected = [](std::size_t count) {
        std::vector<std::string> names;
        for (std::size_t i = 1; i <= count; ++i) {
            names.push_back("fc" + std::to_string(i));
        }
        return names;
    };
    switch (kind) {
    case config::ModelKind::Linear:
        return {"linear"};
    case config::ModelKind::Mlp:
        return fullyConnected(hiddenLayers + 1);
    case config::ModelKind::Lenet5:
        return {"conv1", "conv2", "fc1", "fc2", "fc3"};
    case config::ModelKind::Torchscript:
        return {}; // known once the module is loaded (models::Network)
    }
    return {};
}

std::size_t lambdaEntryOf(std::span<const std::size_t> lambdaOf, std::size_t weight,
                          std::size_t lambdaSize) {
    std::size_t entry = lambdaSize == 1 ? 0 : weight;
    if (weight < lambdaOf.size()) {
        entry = lambdaOf[weight];
    }
    if (entry >= lambdaSize) {
        throw std::invalid_argument("weight " + std::to_string(weight) + " takes λ entry " +
                                    std::to_string(entry) + ", but λ has " +
                                    std::to_string(lambdaSize) + " entries");
    }
    return entry;
}

bool matchesPattern(const std::string& pattern, const std::string& name) {
    return ::fnmatch(pattern.c_str(), name.c_str(), 0) == 0;
}

namespace {

std::string listed(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& name : names) {
        out += (out.empty() ? "" : ", ") + name;
    }
    return out;
}

} // namespace

LambdaLayout lambdaLayout(const std::vector<std::string>& weightNames,
                          const config::HyperparameterConfig& hyperparameters) {
    LambdaLayout layout;
    if (hyperparameters.scope == config::LambdaScope::Shared) {
        layout.names = {"shared"};
        layout.lambdaOf.assign(weightNames.size(), 0);
        layout.members = {weightNames};
        return layout;
    }
    const auto& groups = hyperparameters.groups;
    // The group of each weight, or none.
    constexpr auto kNone = static_cast<std::size_t>(-1);
    std::vector<std::size_t> groupOf(weightNames.size(), kNone);
    for (std::size_t g = 0; g < groups.size(); ++g) {
        bool matched = false;
        for (std::size_t w = 0; w < weightNames.size(); ++w) {
            if (!matchesPattern(groups[g].match, weightNames[w])) {
                continue;
            }
            matched = true;
            if (groupOf[w] != kNone) {
                throw core::InputError("hyperparameters.groups", "the weight '" + weightNames[w] +
                                                                     "' is claimed by two "
                                                                     "groups, '" +
                                                                     groups[groupOf[w]].name +
                                                                     "' and '" + groups[g].name +
                                                                     "'; each weight takes one λ");
            }
            groupOf[w] = g;
        }
        if (!matched) {
            throw core::InputError("hyperparameters.groups[" + std::to_string(g) + "].match",
                                   "the pattern '" + groups[g].match + "' of group '" +
                                       groups[g].name + "' matches nothing; the network's " +
                                       "weights are " + listed(weightNames));
        }
    }
    // Entries in the order of their first weight; a group's entry collects all its weights.
    std::vector<std::size_t> entryOfGroup(groups.size(), kNone);
    for (std::size_t w = 0; w < weightNames.size(); ++w) {
        const std::size_t g = groupOf[w];
        std::size_t entry = g == kNone ? kNone : entryOfGroup[g];
        if (entry == kNone) {
            entry = layout.names.size();
            layout.names.push_back(g == kNone ? weightNames[w] : groups[g].name);
            layout.members.emplace_back();
            if (g != kNone) {
                entryOfGroup[g] = entry;
            }
        }
        layout.lambdaOf.push_back(entry);
        layout.members[entry].push_back(weightNames[w]);
    }
    return layout;
}

int lambdaDimension(const config::ModelConfig& model,
                    const config::HyperparameterConfig& hyperparameters) {
    if (hyperparameters.scope == config::LambdaScope::Shared) {
        return 1;
    }
    try {
        return static_cast<int>(
            lambdaLayout(builtInWeightNames(model.kind, model.hidden.size()), hyperparameters)
                .names.size());
    } catch (const core::InputError&) {
        return 0; // the run says what does not fit
    }
}

} // namespace bt::models
