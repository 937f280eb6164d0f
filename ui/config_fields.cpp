#include "ui/config_fields.h"

#include "engine/config/config_enums.h"

namespace bt::ui {

namespace {

template <config::ConfigEnum E>
std::vector<std::string_view> spellings() {
    std::vector<std::string_view> out;
    for (const auto& entry : config::EnumNames<E>::kNames) {
        out.push_back(entry.second);
    }
    return out;
}

std::vector<FieldSpec> makeFields() {
    using G = FieldGroup;
    using K = FieldKind;
    const auto splitHelp =
        "A count n > 0 draws n samples at random (by the dataset seed) from the rows of the "
        "split's pool that no range claims; -1 takes all that the pool's other splits leave; "
        "begin:end takes exactly rows [begin, end) in file order.";
    return {
        {"methods", G::Methods, "Methods", K::Methods, "",
         "The tuning methods to run on the task, in this order (drag to reorder). Every method "
         "trains with the same trainer, regulariser, box, seeds and data."},

        {"dataset.kind", G::Data, "Dataset", K::Choice, "",
         "Which reader loads the data. fashion-mnist and cifar10 have a training pool (training "
         "and validation are drawn from it) and a test pool; mnist the same when the official "
         "files are present, else one pool of 10,000 digits; csv reads numeric columns with a "
         "header row.",
         spellings<config::DatasetKind>()},
        {"dataset.path", G::Data, "Folder or file", K::Path, "",
         "The folder of an image dataset (empty: its standard location) or, for csv, one file "
         "holding every split. Relative paths are taken under the data folder."},
        {"dataset.train_path",
         G::Data,
         "Training file",
         K::Path,
         "",
         "csv only: the training pool's file (instead of one file for every split).",
         {},
         true},
        {"dataset.validation_path",
         G::Data,
         "Validation file",
         K::Path,
         "",
         "csv only, with a training file: the validation pool's file (empty: validation is drawn "
         "from the training pool).",
         {},
         true},
        {"dataset.test_path",
         G::Data,
         "Test file",
         K::Path,
         "",
         "csv only, with a training file: the test pool's file (empty: test is drawn from the "
         "training pool).",
         {},
         true},
        {"dataset.train", G::Data, "Training split", K::Split, "samples", splitHelp},
        {"dataset.validation", G::Data, "Validation split", K::Split, "samples", splitHelp},
        {"dataset.test", G::Data, "Test split", K::Split, "samples", splitHelp},
        {"dataset.seed", G::Data, "Split seed", K::Seed, "",
         "Drives every random draw of the splits (an unsigned 64-bit integer)."},
        {"dataset.target",
         G::Data,
         "Target column",
         K::Text,
         "",
         "csv only, required there: the name of the target column.",
         {},
         true},
        {"dataset.task", G::Data, "Task", K::Choice, "",
         "csv only: what the target column holds. Image datasets are classification.",
         spellings<config::Task>(), true},
        {"dataset.standardize", G::Data, "Standardise features", K::Boolean, "",
         "Normalise features (image channels, csv feature columns) by the training split's mean "
         "and standard deviation; targets never. Off: pixels are scaled to [0, 1] and csv "
         "features are used as read."},

        {"model.kind", G::Model, "Network", K::Choice, "",
         "The network whose per-layer L2 regularisation is tuned. lenet5 needs image data.",
         spellings<config::ModelKind>()},
        {"model.hidden", G::Model, "Hidden layers", K::IntList, "units",
         "mlp only: the widths of the hidden layers, each > 0, separated by commas "
         "(e.g. 300, 100); an mlp needs at least one."},

        {"hyperparameters.scope", G::Hyperparameters, "λ scope", K::Choice, "",
         "per-layer: one λ per weight-bearing layer; shared: one λ for all of them.",
         spellings<config::LambdaScope>()},
        {"hyperparameters.lower", G::Hyperparameters, "Lower bound of λ", K::Number, "ln coeff.",
         "The box [lower, upper]^d of λ, the natural logarithm of each L2 coefficient; finite, "
         "lower < upper."},
        {"hyperparameters.upper", G::Hyperparameters, "Upper bound of λ", K::Number, "ln coeff.",
         "The box [lower, upper]^d of λ, the natural logarithm of each L2 coefficient; finite, "
         "lower < upper."},

        {"training.epochs", G::Training, "Epochs", K::Integer, "epochs",
         "Full passes over the training split per lower-level training, >= 1."},
        {"training.batch_size", G::Training, "Batch size", K::Integer, "samples",
         "Samples per minibatch, >= 1."},
        {"training.learning_rate", G::Training, "Learning rate", K::Number, "per step",
         "SGD step size, > 0."},
        {"training.momentum", G::Training, "Momentum", K::Number, "", "SGD momentum, in [0, 1)."},
        {"training.nesterov", G::Training, "Nesterov momentum", K::Boolean, "",
         "Use Nesterov's form of momentum."},
        {"training.seed", G::Training, "Training seed", K::Seed, "",
         "The fixed weight initialisation and the minibatch order (an unsigned 64-bit integer)."},

        {"bilevel.initial_samples", G::Bilevel, "Initial design", K::Integer, "points",
         "0 = automatic: d = 1 → 10 evenly spaced points, d = 2 → a 5 × 5 grid, d > 2 → "
         "max(10, 3d) points. A positive m means m points per dimension for d <= 2 and m points "
         "in total for d > 2. Never 1."},
        {"bilevel.design", G::Bilevel, "Design for d > 2", K::Choice, "",
         "The space-filling design of the initial φ samples when d > 2.",
         spellings<config::InitialDesign>()},
        {"bilevel.outer_iterations", G::Bilevel, "Outer iterations K", K::Integer, "iterations",
         "Outer iterations of the augmented Lagrangian, >= 1; each adds one φ sample."},
        {"bilevel.mu0", G::Bilevel, "Initial multiplier μ₀", K::Number, "",
         "Finite; >= 0 for the inequality form."},
        {"bilevel.r0", G::Bilevel, "Initial penalty r₀", K::Number, "", "> 0."},
        {"bilevel.eta", G::Bilevel, "Penalty growth η", K::Number, "×",
         "r ← min(η r, r_max) after each outer iteration; >= 1."},
        {"bilevel.r_max", G::Bilevel, "Penalty cap r_max", K::Number, "", ">= r₀."},
        {"bilevel.epsilon", G::Bilevel, "Constraint tolerance ε", K::Number, "loss units",
         "ε in h = f − φ̂ − ε, >= 0."},
        {"bilevel.constraint", G::Bilevel, "Constraint form", K::Choice, "",
         "inequality: the Powell–Hestenes–Rockafellar form; equality: the authors' code.",
         spellings<config::ConstraintForm>()},
        {"bilevel.inner_steps", G::Bilevel, "Inner steps", K::Integer, "steps",
         "Step budget of each inner solve, >= 1."},
        {"bilevel.inner_lr_w", G::Bilevel, "Inner step size (w)", K::Number, "per step",
         "Inner step size for the weights, > 0."},
        {"bilevel.inner_lr_lambda", G::Bilevel, "Inner step size (λ)", K::Number, "per step",
         "Inner step size for λ, > 0."},
        {"bilevel.inner_momentum", G::Bilevel, "Inner momentum", K::Number, "",
         "Nesterov momentum of the inner solve, in [0, 1)."},
        {"bilevel.inner_tolerance", G::Bilevel, "Inner tolerance", K::Number, "relative",
         "The inner solve stops early when the relative change of L_A falls below it; >= 0 "
         "(0 = always the full budget)."},
        {"bilevel.clip", G::Bilevel, "Gradient clip", K::Number, "norm",
         "Per-tensor gradient-norm clip of the inner solve, > 0."},
        {"bilevel.tolerance", G::Bilevel, "Outer tolerance on |h|", K::Number, "loss units",
         "The outer loop stops when |h_k| <= tolerance and λ has settled; >= 0."},
        {"bilevel.lambda_tolerance", G::Bilevel, "Outer tolerance on λ", K::Number, "ln coeff.",
         "... and ‖λ_k − λ_(k−1)‖ <= this; >= 0."},
        {"bilevel.warm_start", G::Bilevel, "Warm-start inner solves", K::Boolean, "",
         "Each inner solve starts from the previous iterate (off: from the start point, as the "
         "authors' code mostly did)."},
        {"bilevel.sample_warm_start", G::Bilevel, "Warm-start φ samples", K::Boolean, "",
         "Each outer iteration's φ sample continues the trained weights of the nearest sample in "
         "λ (off: trains from the fixed initialisation for the full epochs, as the paper does)."},
        {"bilevel.warm_sample_epochs", G::Bilevel, "Warm φ sample epochs", K::Integer, "epochs",
         "Epochs of a warm-started φ sample, >= 0; 0 = automatic, a third of the training "
         "epochs rounded up."},
        {"bilevel.log_surrogate", G::Bilevel, "GP on log φ", K::Boolean, "",
         "The surrogate models log φ and φ̂ is the exponential of its mean, so φ is fitted as "
         "well where it is small as where it is large (off: φ itself, as the paper does)."},
        {"bilevel.iterate_bounds_phi", G::Bilevel, "Iterate bounds φ", K::Boolean, "",
         "The φ kept for an outer iteration's λ is the smaller of its sample and the "
         "augmented-Lagrangian weights' f(w, λ), both upper bounds of φ (off: the sample, as the "
         "paper does)."},

        {"grid.points_per_dim", G::Baselines, "Grid points per dimension", K::Integer, "points",
         "m >= 2; grid search trains m^d times, bounds included."},
        {"random.trials", G::Baselines, "Random search trials", K::Integer, "trainings",
         "Uniform draws in the box, >= 1."},
        {"bayesian.trials", G::Baselines, "Bayesian trials", K::Integer, "trainings",
         "Total evaluations of Bayesian optimisation, the initial design included; >= 1."},
        {"bayesian.initial", G::Baselines, "Bayesian initial design", K::Integer, "trainings",
         "Evaluations of the initial Sobol design, in [1, trials]."},
        {"hyperband.max_epochs", G::Baselines, "Hyperband R", K::Integer, "epochs",
         "The most epochs one configuration is trained for, >= 1."},
        {"hyperband.eta", G::Baselines, "Hyperband η", K::Integer, "",
         "Keep one in η configurations between rungs, >= 2."},

        {"training.device",
         G::Compute,
         "Device",
         K::Device,
         "",
         "cpu | cuda | cuda:N | auto (cuda when available, else cpu). Whether the device exists "
         "is checked when the run starts.",
         {"cpu", "auto", "cuda", "cuda:0", "cuda:1"}},
        {"training.threads", G::Compute, "Threads", K::Integer, "threads",
         "LibTorch intra-op threads, >= 0; 0 = LibTorch's default. On a machine with few cores "
         "keep 0 or 1: more threads compete with OpenBLAS's own."},
    };
}

} // namespace

const std::vector<FieldSpec>& configFields() {
    static const std::vector<FieldSpec> fields = makeFields();
    return fields;
}

std::string_view groupTitle(FieldGroup group) {
    switch (group) {
    case FieldGroup::Methods:
        return "Methods";
    case FieldGroup::Data:
        return "Data";
    case FieldGroup::Model:
        return "Model";
    case FieldGroup::Hyperparameters:
        return "Hyperparameters";
    case FieldGroup::Training:
        return "Training";
    case FieldGroup::Bilevel:
        return "Bilevel method";
    case FieldGroup::Baselines:
        return "Baselines";
    case FieldGroup::Compute:
        return "Compute";
    }
    return "";
}

} // namespace bt::ui
