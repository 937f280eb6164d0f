#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace bt::config {

/// dataset.kind: which reader loads the data (see bt::data for the pools of each kind).
enum class DatasetKind { FashionMnist, Mnist, Cifar10, Csv, Numpy };

/// Whether a dataset of `kind` is read from files the configuration names (dataset.path, or
/// train_path with validation_path and test_path) rather than from an image dataset's folder:
/// csv and numpy.
constexpr bool namesItsFiles(DatasetKind kind) {
    return kind == DatasetKind::Csv || kind == DatasetKind::Numpy;
}

/// dataset.task (csv and numpy): what the target column holds. Image datasets are classification.
enum class Task { Classification, Regression };

/// model.kind: the network whose regularisation is tuned.
enum class ModelKind { Linear, Mlp, Lenet5, Torchscript };

/// model.init: how a built-in network's weights start (a TorchScript module starts from its
/// file's). `pytorch`: PyTorch's default for Linear and Conv2d, U(±1/√fan_in) for weights and
/// biases; `he`: weights N(0, 2/fan_in) and zero biases (He et al. 2015), which keep the
/// signal's scale through ReLU layers, so that deep MLPs train.
enum class WeightInit { Pytorch, He };

/// Whether model.init applies to a kind: the built-in networks; a TorchScript module starts from
/// the weights in its file.
constexpr bool takesWeightInit(ModelKind kind) {
    return kind != ModelKind::Torchscript;
}

/// hyperparameters.scope: one λ per weight-bearing layer, or one λ shared by all of them
/// (ALGORITHM.md §1).
enum class LambdaScope { PerLayer, Shared };

/// An entry of `methods`: a tuning method to run on the task.
enum class Method { Bilevel, Grid, Random, Bayesian, Hyperband };

/// bilevel.design: the space-filling design of the initial φ samples when d ≥ 2 (ALGORITHM.md
/// §2.2; d = 1 always uses evenly spaced points).
enum class InitialDesign { Sobol, Lhs };

/// bilevel.constraint: the form of the augmented Lagrangian (ALGORITHM.md §3). Inequality is the
/// Powell–Hestenes–Rockafellar form (ours, the default); equality is the authors' code.
enum class ConstraintForm { Inequality, Equality };

/// bilevel.variant: which λ the bilevel method returns (ALGORITHM.md §3.5). `paper`: the outer
/// iterate with the smallest |h| against its trained φ sample (the authors' rule); `select`
/// [ours, the default]: among the method's trainings from the fixed initialisation (the initial
/// design, and the outer iterations' φ samples unless they are warm-started), the λ whose model
/// has the lowest validation loss.
enum class BilevelVariant { Paper, Select };

/// training.optimizer: the lower level's optimiser. Both minimise f(w, λ) with the penalty as
/// per-layer L2 weight decay in the gradient, so ∂f/∂λ is the same for either (ALGORITHM.md §1).
enum class OptimizerKind { Sgd, Adam };

/// training.schedule: how the learning rate changes over one training (after the warm-up).
enum class LrSchedule { Constant, Cosine, Step };

/// The spelling of each value of an enum in the run configuration, in declaration order.
/// Specialised below for every enum of this header; the order of kNames is the order in which
/// allowed values are listed in messages.
template <class E>
struct EnumNames;

/// An enum of this header: one with an EnumNames specialisation. Constrains the conversions
/// below so that argument-dependent lookup never offers them for other bt::config types.
template <class E>
concept ConfigEnum = std::is_enum_v<E> && requires {
    EnumNames<E>::kNames;
};

template <>
struct EnumNames<DatasetKind> {
    static constexpr std::array<std::pair<DatasetKind, std::string_view>, 5> kNames{{
        {DatasetKind::FashionMnist, "fashion-mnist"},
        {DatasetKind::Mnist, "mnist"},
        {DatasetKind::Cifar10, "cifar10"},
        {DatasetKind::Csv, "csv"},
        {DatasetKind::Numpy, "numpy"},
    }};
};

template <>
struct EnumNames<Task> {
    static constexpr std::array<std::pair<Task, std::string_view>, 2> kNames{{
        {Task::Classification, "classification"},
        {Task::Regression, "regression"},
    }};
};

template <>
struct EnumNames<ModelKind> {
    static constexpr std::array<std::pair<ModelKind, std::string_view>, 4> kNames{{
        {ModelKind::Linear, "linear"},
        {ModelKind::Mlp, "mlp"},
        {ModelKind::Lenet5, "lenet5"},
        {ModelKind::Torchscript, "torchscript"},
    }};
};

template <>
struct EnumNames<LambdaScope> {
    static constexpr std::array<std::pair<LambdaScope, std::string_view>, 2> kNames{{
        {LambdaScope::PerLayer, "per-layer"},
        {LambdaScope::Shared, "shared"},
    }};
};

template <>
struct EnumNames<Method> {
    static constexpr std::array<std::pair<Method, std::string_view>, 5> kNames{{
        {Method::Bilevel, "bilevel"},
        {Method::Grid, "grid"},
        {Method::Random, "random"},
        {Method::Bayesian, "bayesian"},
        {Method::Hyperband, "hyperband"},
    }};
};

template <>
struct EnumNames<InitialDesign> {
    static constexpr std::array<std::pair<InitialDesign, std::string_view>, 2> kNames{{
        {InitialDesign::Sobol, "sobol"},
        {InitialDesign::Lhs, "lhs"},
    }};
};

template <>
struct EnumNames<ConstraintForm> {
    static constexpr std::array<std::pair<ConstraintForm, std::string_view>, 2> kNames{{
        {ConstraintForm::Inequality, "inequality"},
        {ConstraintForm::Equality, "equality"},
    }};
};

template <>
struct EnumNames<BilevelVariant> {
    static constexpr std::array<std::pair<BilevelVariant, std::string_view>, 2> kNames{{
        {BilevelVariant::Paper, "paper"},
        {BilevelVariant::Select, "select"},
    }};
};

template <>
struct EnumNames<OptimizerKind> {
    static constexpr std::array<std::pair<OptimizerKind, std::string_view>, 2> kNames{{
        {OptimizerKind::Sgd, "sgd"},
        {OptimizerKind::Adam, "adam"},
    }};
};

template <>
struct EnumNames<WeightInit> {
    static constexpr std::array<std::pair<WeightInit, std::string_view>, 2> kNames{{
        {WeightInit::Pytorch, "pytorch"},
        {WeightInit::He, "he"},
    }};
};

template <>
struct EnumNames<LrSchedule> {
    static constexpr std::array<std::pair<LrSchedule, std::string_view>, 3> kNames{{
        {LrSchedule::Constant, "constant"},
        {LrSchedule::Cosine, "cosine"},
        {LrSchedule::Step, "step"},
    }};
};

/// The configuration spelling of `value` ("fashion-mnist", "per-layer", ...); an empty view for a
/// value outside the enum (only reachable through a cast).
template <ConfigEnum E>
constexpr std::string_view toString(E value) {
    for (const auto& [candidate, name] : EnumNames<E>::kNames) {
        if (candidate == value) {
            return name;
        }
    }
    return {};
}

/// The enum value spelled `name` exactly (case-sensitive), or nullopt.
template <ConfigEnum E>
constexpr std::optional<E> fromString(std::string_view name) {
    for (const auto& [value, candidate] : EnumNames<E>::kNames) {
        if (candidate == name) {
            return value;
        }
    }
    return std::nullopt;
}

/// Every spelling of E, in order, separated by " | ": "linear | mlp | lenet5". For messages.
template <ConfigEnum E>
std::string allowedValues() {
    std::string out;
    for (const auto& entry : EnumNames<E>::kNames) {
        if (!out.empty()) {
            out += " | ";
        }
        out += entry.second;
    }
    return out;
}

} // namespace bt::config
