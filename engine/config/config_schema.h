#pragma once

#include <array>
#include <concepts>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "engine/config/run_config.h"

namespace bt::config {

// The run configuration's keys, written once. Each section's table (visitFields below) binds a
// JSON key to its RunConfig member and gives its range, label, unit and help text; the member's
// initialiser in run_config.h is its default. From these tables come the JSON reader and writer
// (run_config_json.cpp), the key lists behind "unknown key ...; did you mean ...", the range
// checks of validate() (validate.cpp; rules that join keys stay there), the order in which
// problems are listed, and the setup form's rows and tooltips (ui/setup/config_fields.cpp).
// A new option is one row here plus the code that uses it (docs/design/ARCHITECTURE.md,
// "Run configuration keys").

/// The range a key's value must lie in: validate() checks it, the form's tooltip states it.
struct Range {
    enum class Kind {
        None,         ///< any value of the type (or a rule of validate.cpp that joins keys)
        Finite,       ///< a finite number
        AtLeast,      ///< >= minimum (an integer for integer keys)
        Positive,     ///< > 0
        UnitInterval, ///< in [0, 1)
    };
    Kind kind = Kind::None;
    double minimum = 0.0;
};

constexpr Range atLeast(double minimum) {
    return {Range::Kind::AtLeast, minimum};
}
inline constexpr Range kFinite{Range::Kind::Finite};
inline constexpr Range kPositive{Range::Kind::Positive};
inline constexpr Range kUnitInterval{Range::Kind::UnitInterval};

/// ">= 1", "> 0", "in [0, 1)", "finite"; empty for Kind::None.
std::string describe(const Range& range);

/// One key of a section: what the reader, writer, validator and form need besides the member.
struct FieldInfo {
    std::string_view key{};   ///< "inner_lr_lambda", below its section
    std::string_view label{}; ///< the form's label: "Inner step size (λ)"
    std::string_view unit{};  ///< shown after the form's field; may be empty
    std::string_view help{};  ///< what it means; the range and the default are added where shown
    Range range = {};
    /// Used only by datasets that name their files, csv and numpy (the form disables it for
    /// the others).
    bool fileKindsOnly = false;
    bool compute = false; ///< shown under the form's Compute heading instead of its section's
    /// Spellings offered for a free-text key (training.device); enums offer their own.
    std::span<const std::string_view> suggestions = {};
    /// The integer that means "automatic" (the help says what it chooses): the form shows it as
    /// an empty field reading "automatic" and reads an empty field back as it.
    std::optional<int> automatic = {};
};

/// A section type, const or not: visitFields(S&) exists for S = T and S = const T.
template <class S, class T>
concept SectionOf = std::same_as<std::remove_const_t<S>, T>;

inline constexpr std::array<std::string_view, 5> kDeviceSuggestions{"cpu", "auto", "cuda", "cuda:0",
                                                                    "cuda:1"};

inline constexpr std::string_view kSplitHelp =
    "A count n > 0 draws n samples at random (by the dataset seed) from the rows of the split's "
    "pool that no range claims; rest (in JSON -1) takes all that the pool's other splits leave; "
    "begin:end (in JSON [begin, end]) takes exactly rows [begin, end) in file order. Empty (JSON "
    "null or left "
    "out): automatic, all of the split's own file when it has one, else 10000 for training, "
    "5000 for validation and the rest for test.";

/// `dataset`: what to load and how to split it. Pools: fashion-mnist and cifar10 have a training
/// pool (train and validation are drawn from it) and a test pool; mnist the same when the
/// official IDX files are present, else one pool of 10,000 digits for all three splits; csv:
/// `path` alone is one pool, else `train_path` is the training pool and `validation_path` /
/// `test_path`, where given, are those splits' pools.
template <class S, class V>
requires SectionOf<S, DatasetConfig>
void visitFields(S& s, V&& field) {
    field(FieldInfo{.key = "kind",
                    .label = "Dataset",
                    .help = "Which reader loads the data. fashion-mnist and cifar10 have a "
                            "training pool (training and validation are drawn from it) and a "
                            "test pool; mnist the same when the official files are present, else "
                            "one pool of 10,000 digits; csv reads numeric columns with a header "
                            "row; numpy reads .npz files holding x (features, any sample shape) "
                            "and y (labels or targets), or PREFIX_x.npy / PREFIX_y.npy pairs. "
                            "The one key without a default: required."},
          s.kind);
    field(FieldInfo{.key = "path",
                    .label = "Folder or file",
                    .help = "The folder of an image dataset (empty: its standard location) or, "
                            "for csv and numpy, one file holding every split. Relative paths are "
                            "taken under the data folder."},
          s.path);
    field(FieldInfo{.key = "train_path",
                    .label = "Training file",
                    .help =
                        "csv and numpy: the training pool's file (instead of one file for every "
                        "split).",
                    .fileKindsOnly = true},
          s.trainPath);
    field(FieldInfo{.key = "validation_path",
                    .label = "Validation file",
                    .help =
                        "csv and numpy, with a training file: the validation pool's file (empty: "
                        "validation is drawn from the training pool).",
                    .fileKindsOnly = true},
          s.validationPath);
    field(FieldInfo{.key = "test_path",
                    .label = "Test file",
                    .help =
                        "csv and numpy, with a training file: the test pool's file (empty: test "
                        "is drawn from the training pool).",
                    .fileKindsOnly = true},
          s.testPath);
    field(
        FieldInfo{.key = "train", .label = "Training split", .unit = "samples", .help = kSplitHelp},
        s.train);
    field(FieldInfo{.key = "validation",
                    .label = "Validation split",
                    .unit = "samples",
                    .help = kSplitHelp},
          s.validation);
    field(FieldInfo{.key = "test", .label = "Test split", .unit = "samples", .help = kSplitHelp},
          s.test);
    field(FieldInfo{.key = "seed",
                    .label = "Split seed",
                    .help = "Drives every random draw of the splits (an unsigned 64-bit "
                            "integer)."},
          s.seed);
    field(FieldInfo{.key = "target",
                    .label = "Target column",
                    .help = "csv only, required there: the name of the target column.",
                    .fileKindsOnly = true},
          s.target);
    field(FieldInfo{.key = "task",
                    .label = "Task",
                    .help = "csv and numpy: what the target column (numpy: y) holds; "
                            "classification labels are integers in numpy files. Image datasets "
                            "are classification.",
                    .fileKindsOnly = true},
          s.task);
    field(FieldInfo{.key = "standardize",
                    .label = "Standardise features",
                    .help = "Normalise features (image channels, csv feature columns; numpy: "
                            "features of N × F arrays, channels of N × C × ... ones) by the "
                            "training split's mean and standard deviation; targets never. Off: "
                            "pixels are scaled to [0, 1] and csv features are used as read."},
          s.standardize);
}

/// `model`: the network whose per-layer regularisation is tuned.
template <class S, class V>
requires SectionOf<S, ModelConfig>
void visitFields(S& s, V&& field) {
    field(FieldInfo{.key = "kind",
                    .label = "Network",
                    .help = "The network whose per-layer L2 regularisation is tuned. lenet5 "
                            "needs image data; torchscript trains your own network, saved from "
                            "Python with torch.jit.script(net).save(\"net.pt\") (model.path)."},
          s.kind);
    field(FieldInfo{.key = "hidden",
                    .label = "Hidden layers",
                    .unit = "units",
                    .help = "mlp only: the widths of the hidden layers, each > 0, separated by "
                            "commas (e.g. 300, 100); an mlp needs at least one."},
          s.hidden);
    field(FieldInfo{.key = "path",
                    .label = "TorchScript file",
                    .help = "torchscript only: the saved module. Every parameter of two or more "
                            "dimensions (linear and convolution weights) gets a λ under its own "
                            "name; biases and norm scales are not penalised. Training starts "
                            "from the weights saved in the file. Relative paths are taken under "
                            "the data folder."},
          s.path);
    field(FieldInfo{.key = "init",
                    .label = "Initialisation",
                    .help = "How a built-in network's weights start. pytorch: PyTorch's "
                            "default, U(±1/√fan_in) for weights and biases. he: weights "
                            "N(0, 2/fan_in) and zero biases (He et al. 2015), which keep the "
                            "signal's scale through ReLU layers (with pytorch a ten-layer mlp "
                            "learns nothing over most of the λ box). Not for torchscript (it "
                            "starts from the file's weights)."},
          s.init);
}

/// `hyperparameters`: the box of λ, the natural-log L2 coefficients (ALGORITHM.md §1).
template <class S, class V>
requires SectionOf<S, HyperparameterConfig>
void visitFields(S& s, V&& field) {
    field(FieldInfo{.key = "scope",
                    .label = "λ scope",
                    .help = "per-layer: one λ per weight-bearing layer (or per group, with "
                            "groups); shared: one λ for all of them."},
          s.scope);
    constexpr std::string_view kBoxHelp =
        "The box [lower, upper]^d of λ, the natural logarithm of each L2 coefficient; lower < "
        "upper.";
    field(FieldInfo{.key = "lower",
                    .label = "Lower bound of λ",
                    .unit = "ln coeff.",
                    .help = kBoxHelp,
                    .range = kFinite},
          s.lower);
    field(FieldInfo{.key = "upper",
                    .label = "Upper bound of λ",
                    .unit = "ln coeff.",
                    .help = kBoxHelp,
                    .range = kFinite},
          s.upper);
    field(FieldInfo{.key = "groups",
                    .label = "λ groups",
                    .help = "Optional, scope per-layer: named groups of weight tensors that "
                            "share one λ, as [{\"name\": \"backbone\", \"match\": "
                            "\"features.*.weight\"}, ...] (in the form: backbone = "
                            "features.*.weight; head = head.weight). A pattern matches whole "
                            "weight names (built-in networks: fc1, fc2, ..., conv1, conv2; "
                            "TorchScript: the module's names) with * and ? as in a shell; each "
                            "must match at least one weight and no weight may fall in two "
                            "groups. Weights no group matches keep a λ of their own. Charts, "
                            "tables and results label each λ by its group's name."},
          s.groups);
}

/// `training`: the lower-level trainer, the same for every method.
template <class S, class V>
requires SectionOf<S, TrainingConfig>
void visitFields(S& s, V&& field) {
    field(FieldInfo{.key = "epochs",
                    .label = "Epochs",
                    .unit = "epochs",
                    .help = "Full passes over the training split per lower-level training.",
                    .range = atLeast(1)},
          s.epochs);
    field(FieldInfo{.key = "batch_size",
                    .label = "Batch size",
                    .unit = "samples",
                    .help = "Samples per minibatch.",
                    .range = atLeast(1)},
          s.batchSize);
    field(FieldInfo{.key = "learning_rate",
                    .label = "Learning rate",
                    .unit = "per step",
                    .help = "SGD step size.",
                    .range = kPositive},
          s.learningRate);
    field(FieldInfo{.key = "momentum",
                    .label = "Momentum",
                    .help = "SGD momentum.",
                    .range = kUnitInterval},
          s.momentum);
    field(FieldInfo{.key = "nesterov",
                    .label = "Nesterov momentum",
                    .help = "Use Nesterov's form of momentum."},
          s.nesterov);
    field(FieldInfo{.key = "optimizer",
                    .label = "Optimiser",
                    .help = "sgd: minibatch SGD with the momentum below; adam: Adam (β = 0.9, "
                            "0.999; the momentum keys are not used). Either way the penalty "
                            "Σ exp(λ_l)·½‖W_l‖² is in the gradient (L2, not decoupled weight "
                            "decay), so f and ∂f/∂λ are the same."},
          s.optimizer);
    field(FieldInfo{.key = "schedule",
                    .label = "Learning-rate schedule",
                    .help = "constant; cosine: from the learning rate down to 0 over the "
                            "training (after the warm-up); step: ×0.1 at half and again at "
                            "three quarters of the training. Per minibatch step, over each "
                            "training's own length (Hyperband: over R epochs)."},
          s.schedule);
    field(FieldInfo{.key = "warmup_epochs",
                    .label = "Warm-up",
                    .unit = "epochs",
                    .help = "The learning rate rises linearly from near 0 to its value over "
                            "these first epochs of each training (0: no warm-up); at most the "
                            "epochs.",
                    .range = atLeast(0)},
          s.warmupEpochs);
    field(FieldInfo{.key = "seed",
                    .label = "Training seed",
                    .help = "The fixed weight initialisation and the minibatch order (an "
                            "unsigned 64-bit integer)."},
          s.seed);
    field(FieldInfo{.key = "device",
                    .label = "Device",
                    .help = "cpu | cuda | cuda:N | auto (cuda when available, else cpu). Only "
                            "the spelling is checked with the configuration; whether the device "
                            "exists is checked when the run starts.",
                    .compute = true,
                    .suggestions = kDeviceSuggestions},
          s.device);
    field(FieldInfo{.key = "threads",
                    .label = "Threads",
                    .unit = "threads",
                    .help = "LibTorch intra-op threads; 0 = LibTorch's default. On a machine "
                            "with few cores keep 0 or 1: more threads compete with OpenBLAS's "
                            "own.",
                    .range = atLeast(0),
                    .compute = true},
          s.threads);
}

/// `bilevel`: the method of ALGORITHM.md §2–§3. Defaults are the paper's where it has one;
/// [ours] marks a setting the paper does not have.
template <class S, class V>
requires SectionOf<S, BilevelConfig>
void visitFields(S& s, V&& field) {
    field(FieldInfo{.key = "variant",
                    .label = "λ* returned",
                    .help = "paper: the outer iterate with the smallest |h| against its φ "
                            "sample (the authors' rule); select: the λ of the method's "
                            "trainings from the initialisation (the initial design, the φ "
                            "samples unless warm-started, the best warm-started sample's λ "
                            "when it leads, and the refinement trainings) with the lowest "
                            "validation loss [ours]."},
          s.variant);
    field(FieldInfo{.key = "initial_samples",
                    .label = "Initial design",
                    .unit = "points",
                    .help = "The number of initial φ samples. 0 = automatic: d = 1 → 10 "
                            "evenly spaced points, d >= 2 → max(10, 2d) space-filling points "
                            "[ours]. 0 or >= 2.",
                    .automatic = 0},
          s.initialSamples);
    field(FieldInfo{.key = "design",
                    .label = "Design for d ≥ 2",
                    .help = "The space-filling design of the initial φ samples when d >= 2 "
                            "[ours]."},
          s.design);
    field(FieldInfo{.key = "outer_iterations",
                    .label = "Outer iterations K",
                    .unit = "iterations",
                    .help = "Outer iterations of the augmented Lagrangian; each adds one φ "
                            "sample. 0 = automatic: 2 under variant select (then the "
                            "refinement trainings), 5 under variant paper (the authors' code).",
                    .range = atLeast(0),
                    .automatic = 0},
          s.outerIterations);
    field(FieldInfo{.key = "refine_trials",
                    .label = "Refinement trainings",
                    .unit = "trainings",
                    .help = "Variant select: after the outer iterations, trainings from the "
                            "initialisation at λ proposed by expected improvement on the "
                            "validation losses of the method's trainings from the "
                            "initialisation; λ* is chosen among them too. -1 = automatic: as "
                            "many as fit in random search's epochs (random.trials × "
                            "training.epochs) after the design and the outer iterations; 0 = "
                            "none; not used under variant paper [ours].",
                    .range = atLeast(-1),
                    .automatic = BilevelConfig::kAutomaticRefinement},
          s.refineTrials);
    field(FieldInfo{.key = "mu0",
                    .label = "Initial multiplier μ₀",
                    .help = "Finite; >= 0 for the inequality form."},
          s.mu0);
    field(FieldInfo{.key = "r0", .label = "Initial penalty r₀", .range = kPositive}, s.r0);
    field(FieldInfo{.key = "eta",
                    .label = "Penalty growth η",
                    .unit = "×",
                    .help = "r ← min(η r, r_max) after each outer iteration.",
                    .range = atLeast(1)},
          s.eta);
    field(FieldInfo{.key = "r_max", .label = "Penalty cap r_max", .help = ">= r₀."}, s.rMax);
    field(FieldInfo{.key = "epsilon",
                    .label = "Constraint tolerance ε",
                    .unit = "loss units",
                    .help = "ε in h = f − φ̂ − ε.",
                    .range = atLeast(0)},
          s.epsilon);
    field(FieldInfo{.key = "constraint",
                    .label = "Constraint form",
                    .help = "inequality: the Powell–Hestenes–Rockafellar form [ours]; equality: "
                            "the authors' code."},
          s.constraint);
    field(FieldInfo{.key = "inner_steps",
                    .label = "Inner steps",
                    .unit = "steps",
                    .help = "Step budget of each inner solve. A step reads a training and a "
                            "validation minibatch, so a solve costs up to inner_steps x 2 x "
                            "batch_size / training-split size epochs: on a small training "
                            "split more than a training (ALGORITHM.md §8).",
                    .range = atLeast(1)},
          s.innerSteps);
    field(FieldInfo{.key = "inner_lr_w",
                    .label = "Inner step size (w)",
                    .unit = "per step",
                    .help = "Inner step size for the weights.",
                    .range = kPositive},
          s.innerLrW);
    field(FieldInfo{.key = "inner_lr_lambda",
                    .label = "Inner step size (λ)",
                    .unit = "per step",
                    .help = "Inner step size for λ.",
                    .range = kPositive},
          s.innerLrLambda);
    field(FieldInfo{.key = "inner_momentum",
                    .label = "Inner momentum",
                    .help = "Nesterov momentum of the inner solve.",
                    .range = kUnitInterval},
          s.innerMomentum);
    field(FieldInfo{.key = "inner_tolerance",
                    .label = "Inner tolerance",
                    .unit = "relative",
                    .help = "The inner solve stops early when the relative change of L_A falls "
                            "below it (0 = always the full budget).",
                    .range = atLeast(0)},
          s.innerTolerance);
    field(FieldInfo{.key = "clip",
                    .label = "Gradient clip",
                    .unit = "norm",
                    .help = "Per-tensor gradient-norm clip of the inner solve.",
                    .range = kPositive},
          s.clip);
    field(FieldInfo{.key = "tolerance",
                    .label = "Outer tolerance on |h|",
                    .unit = "loss units",
                    .help = "The outer loop stops when |h_k| <= tolerance and λ has settled.",
                    .range = atLeast(0)},
          s.tolerance);
    field(FieldInfo{.key = "lambda_tolerance",
                    .label = "Outer tolerance on λ",
                    .unit = "ln coeff.",
                    .help = "... and ‖λ_k − λ_(k−1)‖ <= this.",
                    .range = atLeast(0)},
          s.lambdaTolerance);
    field(FieldInfo{.key = "warm_start",
                    .label = "Warm-start inner solves",
                    .help = "Each inner solve starts from the previous iterate (off: from the "
                            "start point, as the authors' code mostly did)."},
          s.warmStart);
    field(FieldInfo{.key = "sample_warm_start",
                    .label = "Warm-start φ samples",
                    .help = "Each outer iteration's φ sample continues the trained weights of "
                            "the nearest sample in λ for the warm φ sample epochs (off: trains "
                            "from the fixed initialisation for the full epochs, as the paper "
                            "does) [ours]."},
          s.sampleWarmStart);
    field(FieldInfo{.key = "warm_sample_epochs",
                    .label = "Warm φ sample epochs",
                    .unit = "epochs",
                    .help = "Epochs of a warm-started φ sample; 0 = automatic, a third of the "
                            "training epochs rounded up (warmSampleEpochs()).",
                    .range = atLeast(0),
                    .automatic = 0},
          s.warmSampleEpochs);
    // Off by default: on MNIST it made φ̂ far more accurate but the chosen λ* no better on
    // test (docs/measurements/2026-11-27-log-surrogate.md).
    field(FieldInfo{.key = "log_surrogate",
                    .label = "GP on log φ",
                    .help = "The surrogate models log φ and φ̂ is the exponential of its mean, "
                            "so φ is fitted as well where it is small as where it is large (off: "
                            "φ itself, as the paper does) [ours]."},
          s.logSurrogate);
    // Off by default: it unstuck λ on fmnist-lenet5 but raised the retrained test loss on
    // mnist-mlp-1k (docs/measurements/2026-11-27-iterate-bounds-phi.md). The returned iterate is
    // still chosen by |h| against the sample itself.
    field(FieldInfo{.key = "iterate_bounds_phi",
                    .label = "Iterate bounds φ",
                    .help = "The φ kept for an outer iteration's λ is the smaller of its sample "
                            "and the augmented-Lagrangian weights' f(w, λ), both upper bounds of "
                            "φ (off: the sample, as the paper does) [ours]."},
          s.iterateBoundsPhi);
}

/// `grid`: grid search.
template <class S, class V>
requires SectionOf<S, GridConfig>
void visitFields(S& s, V&& field) {
    field(FieldInfo{.key = "points_per_dim",
                    .label = "Grid points per dimension",
                    .unit = "points",
                    .help = "m; grid search trains m^d times, bounds included.",
                    .range = atLeast(2)},
          s.pointsPerDim);
}

/// `random`: random search.
template <class S, class V>
requires SectionOf<S, RandomConfig>
void visitFields(S& s, V&& field) {
    field(FieldInfo{.key = "trials",
                    .label = "Random search trials",
                    .unit = "trainings",
                    .help = "Uniform draws in the box.",
                    .range = atLeast(1)},
          s.trials);
}

/// `bayesian`: Bayesian optimisation (GP + expected improvement).
template <class S, class V>
requires SectionOf<S, BayesianConfig>
void visitFields(S& s, V&& field) {
    field(FieldInfo{.key = "trials",
                    .label = "Bayesian trials",
                    .unit = "trainings",
                    .help = "Total evaluations of Bayesian optimisation, the initial design "
                            "included.",
                    .range = atLeast(1)},
          s.trials);
    field(FieldInfo{.key = "initial",
                    .label = "Bayesian initial design",
                    .unit = "trainings",
                    .help = "Evaluations of the initial Sobol design, at most the trials.",
                    .range = atLeast(1)},
          s.initial);
}

/// `hyperband`: Hyperband (Li et al., JMLR 2018), all brackets.
template <class S, class V>
requires SectionOf<S, HyperbandConfig>
void visitFields(S& s, V&& field) {
    field(FieldInfo{.key = "max_epochs",
                    .label = "Hyperband R",
                    .unit = "epochs",
                    .help = "The most epochs one configuration is trained for.",
                    .range = atLeast(1)},
          s.maxEpochs);
    field(FieldInfo{.key = "eta",
                    .label = "Hyperband η",
                    .help = "Keep one in η configurations between rungs.",
                    .range = atLeast(2)},
          s.eta);
}

/// The keys of the top level that are values, not sections: `methods`.
template <class S, class V>
requires SectionOf<S, RunConfig>
void visitFields(S& s, V&& field) {
    field(FieldInfo{.key = "methods",
                    .label = "Methods",
                    .help = "The tuning methods to run on the task, in this order (drag to "
                            "reorder); non-empty, no duplicates. Every method trains with the "
                            "same trainer, regulariser, box, seeds and data."},
          s.methods);
}

/// Every section of a RunConfig with its key, in the order of the JSON form and the form.
template <class S, class V>
requires SectionOf<S, RunConfig>
void visitSections(S& s, V&& section) {
    section(std::string_view("dataset"), s.dataset);
    section(std::string_view("model"), s.model);
    section(std::string_view("hyperparameters"), s.hyperparameters);
    section(std::string_view("training"), s.training);
    section(std::string_view("bilevel"), s.bilevel);
    section(std::string_view("grid"), s.grid);
    section(std::string_view("random"), s.random);
    section(std::string_view("bayesian"), s.bayesian);
    section(std::string_view("hyperband"), s.hyperband);
}

/// The keys of one section (of its table), in table order.
template <class T>
std::vector<std::string_view> keysOf() {
    std::vector<std::string_view> keys;
    const T section{};
    visitFields(section, [&](const FieldInfo& info, const auto&) { keys.push_back(info.key); });
    return keys;
}

/// The top level's keys: its values (methods) and its sections.
std::vector<std::string_view> topLevelKeys();

/// Every key path of the configuration ("methods", "dataset.kind", ..., "hyperband.eta"), in
/// table order: the order in which the form shows them and problems are listed.
const std::vector<std::string>& allKeyPaths();

/// The keys as Markdown, a table per section (key, default, range, meaning): the text of
/// docs/design/ARCHITECTURE.md's "Run configuration keys" between its keys markers, which
/// test_config_schema keeps equal to this.
std::string keysMarkdown();

} // namespace bt::config
