#include "engine/config/validate.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "engine/config/config_schema.h"
#include "engine/config/format_number.h"

namespace bt::config {

namespace {

/// Collects the problems of one configuration; each check names its key.
class Checker {
public:
    std::vector<ConfigProblem> take() { return std::move(m_problems); }

    void add(std::string key, std::string message) {
        m_problems.push_back({std::move(key), std::move(message)});
    }

    void atLeastInteger(const std::string& key, long long value, long long minimum) {
        if (value < minimum) {
            add(key, "expected an integer >= " + std::to_string(minimum) + ", got " +
                         std::to_string(value));
        }
    }

    /// False (and a problem) for NaN and ±inf, which no range check below would catch reliably.
    bool finite(const std::string& key, double value) {
        if (!std::isfinite(value)) {
            add(key, "expected a finite number, got " + formatNumber(value));
            return false;
        }
        return true;
    }

    void anyFinite(const std::string& key, double value) { finite(key, value); }

    void positive(const std::string& key, double value) {
        if (finite(key, value) && !(value > 0.0)) {
            add(key, "expected a number > 0, got " + formatNumber(value));
        }
    }

    void atLeast(const std::string& key, double value, double minimum) {
        if (finite(key, value) && value < minimum) {
            add(key,
                "expected a number >= " + formatNumber(minimum) + ", got " + formatNumber(value));
        }
    }

    /// A momentum: 1 or more never decays.
    void unitInterval(const std::string& key, double value) {
        if (finite(key, value) && !(value >= 0.0 && value < 1.0)) {
            add(key, "expected a number in [0, 1), got " + formatNumber(value));
        }
    }

private:
    std::vector<ConfigProblem> m_problems;
};

std::string describe(const SplitSize& size) {
    if (const auto* count = std::get_if<std::int64_t>(&size)) {
        return std::to_string(*count);
    }
    const auto& range = std::get<IndexRange>(size);
    return "[" + std::to_string(range.begin) + ", " + std::to_string(range.end) + ")";
}

bool splitIsValid(const SplitSize& size) {
    if (const auto* count = std::get_if<std::int64_t>(&size)) {
        return *count > 0 || *count == kAllRemaining;
    }
    const auto& range = std::get<IndexRange>(size);
    return range.begin >= 0 && range.begin < range.end;
}

void checkSplit(Checker& checker, const std::string& key, const SplitSize& size) {
    if (splitIsValid(size)) {
        return;
    }
    if (std::holds_alternative<std::int64_t>(size)) {
        checker.add(key, "expected a count > 0 or -1 (all that remain), got " + describe(size));
    } else {
        checker.add(key,
                    "expected a range [begin, end) with 0 <= begin < end, got " + describe(size));
    }
}

/// Two splits of one pool: at most one may take all that remain, and ranges may not overlap.
void checkSharedPool(Checker& checker, std::string_view firstName, const SplitSize& first,
                     std::string_view secondName, const SplitSize& second) {
    if (!splitIsValid(first) || !splitIsValid(second)) {
        return;
    }
    const std::string firstKey = "dataset." + std::string(firstName);
    const std::string secondKey = "dataset." + std::string(secondName);
    const auto* firstCount = std::get_if<std::int64_t>(&first);
    const auto* secondCount = std::get_if<std::int64_t>(&second);
    if (firstCount && secondCount && *firstCount == kAllRemaining &&
        *secondCount == kAllRemaining) {
        checker.add(secondKey, firstKey + " and " + secondKey +
                                   " both ask for all that remain (-1) of the same pool; give "
                                   "one of them a count or a range");
        return;
    }
    const auto* firstRange = std::get_if<IndexRange>(&first);
    const auto* secondRange = std::get_if<IndexRange>(&second);
    if (firstRange && secondRange && firstRange->begin < secondRange->end &&
        secondRange->begin < firstRange->end) {
        checker.add(secondKey, "range " + describe(second) + " overlaps " + firstKey + " " +
                                   describe(first) + " of the same pool");
    }
}

void checkDataset(Checker& checker, const DatasetConfig& dataset) {
    if (!dataset.kind) {
        checker.add("dataset.kind", "missing; expected one of " + allowedValues<DatasetKind>());
    }
    const auto [train, validation, test] = splitSizes(dataset);
    checkSplit(checker, "dataset.train", train);
    checkSplit(checker, "dataset.validation", validation);
    checkSplit(checker, "dataset.test", test);
    if (!dataset.kind) {
        return;
    }

    const std::string kind(toString(*dataset.kind));
    if (namesItsFiles(*dataset.kind)) {
        if (dataset.path.empty() && dataset.trainPath.empty()) {
            checker.add("dataset.path", "missing; a " + kind +
                                            " dataset needs path (one file for every split) or "
                                            "train_path (the training file)");
        }
        if (!dataset.path.empty() && !dataset.trainPath.empty()) {
            checker.add("dataset.train_path", "give either dataset.path or dataset.train_path, "
                                              "not both");
        }
        if (dataset.trainPath.empty()) {
            const std::string why = "only used together with dataset.train_path";
            if (!dataset.validationPath.empty()) {
                checker.add("dataset.validation_path", why);
            }
            if (!dataset.testPath.empty()) {
                checker.add("dataset.test_path", why);
            }
        }
        if (*dataset.kind == DatasetKind::Csv && dataset.target.empty()) {
            checker.add("dataset.target", "missing; a csv dataset needs the name of its target "
                                          "column");
        }
        if (*dataset.kind == DatasetKind::Numpy && !dataset.target.empty()) {
            checker.add("dataset.target", "only used when dataset.kind is csv; a numpy file's "
                                          "targets are its array y");
        }
    } else {
        const std::string why = "only used when dataset.kind is csv or numpy, not " + kind;
        if (!dataset.trainPath.empty()) {
            checker.add("dataset.train_path", why + "; use dataset.path for the folder");
        }
        if (!dataset.validationPath.empty()) {
            checker.add("dataset.validation_path", why);
        }
        if (!dataset.testPath.empty()) {
            checker.add("dataset.test_path", why);
        }
        if (!dataset.target.empty()) {
            checker.add("dataset.target", "only used when dataset.kind is csv, not " + kind);
        }
        if (dataset.task != Task::Classification) {
            checker.add("dataset.task", "image datasets are classification; regression is " + why);
        }
    }

    const Pools pools = poolsOf(dataset);
    if (pools.train == pools.validation) {
        checkSharedPool(checker, "train", train, "validation", validation);
    }
    if (pools.train == pools.test) {
        checkSharedPool(checker, "train", train, "test", test);
    }
    if (pools.validation == pools.test) {
        checkSharedPool(checker, "validation", validation, "test", test);
    }
}

void checkModel(Checker& checker, const ModelConfig& model) {
    for (std::size_t i = 0; i < model.hidden.size(); ++i) {
        if (model.hidden[i] <= 0) {
            checker.add("model.hidden[" + std::to_string(i) + "]",
                        "expected a layer width > 0, got " + std::to_string(model.hidden[i]));
        }
    }
    if (model.kind == ModelKind::Mlp && model.hidden.empty()) {
        checker.add("model.hidden", "an mlp needs at least one hidden layer (use model.kind "
                                    "linear for none)");
    }
    if (model.kind == ModelKind::Torchscript && model.path.empty()) {
        checker.add("model.path", "model.kind torchscript needs the module's file (saved from "
                                  "Python with torch.jit.script(net).save(\"net.pt\"))");
    }
    if (!takesWeightInit(model.kind) && model.init != WeightInit::Pytorch) {
        checker.add("model.init", "a torchscript module starts from the weights in its file; "
                                  "model.init applies to the built-in networks only (remove it "
                                  "or set \"pytorch\")");
    }
}

/// The ranges of a section's table (config_schema.h), each key checked against its own.
template <class Section>
void checkRanges(Checker& checker, std::string_view sectionName, const Section& section) {
    visitFields(section, [&](const FieldInfo& info, const auto& value) {
        using T = std::remove_cvref_t<decltype(value)>;
        const std::string key = std::string(sectionName) + "." + std::string(info.key);
        if constexpr (std::is_same_v<T, double>) {
            switch (info.range.kind) {
            case Range::Kind::None:
                break;
            case Range::Kind::Finite:
                checker.finite(key, value);
                break;
            case Range::Kind::AtLeast:
                checker.atLeast(key, value, info.range.minimum);
                break;
            case Range::Kind::Positive:
                checker.positive(key, value);
                break;
            case Range::Kind::UnitInterval:
                checker.unitInterval(key, value);
                break;
            }
        } else if constexpr (std::is_same_v<T, int>) {
            if (info.range.kind == Range::Kind::AtLeast) {
                checker.atLeastInteger(key, value, static_cast<long long>(info.range.minimum));
            }
        } else {
            // Other types carry no range: their rules join keys and are written below.
            static_assert(!std::is_arithmetic_v<T> || std::is_same_v<T, bool> ||
                              std::is_same_v<T, std::uint64_t>,
                          "a numeric key type without range checks");
        }
    });
}

void checkHyperparameters(Checker& checker, const HyperparameterConfig& box) {
    if (std::isfinite(box.lower) && std::isfinite(box.upper) && !(box.lower < box.upper)) {
        checker.add("hyperparameters.lower", "expected lower < upper, got lower " +
                                                 formatNumber(box.lower) + " and upper " +
                                                 formatNumber(box.upper));
    }
    if (!box.groups.empty() && box.scope == LambdaScope::Shared) {
        checker.add("hyperparameters.groups", "scope shared ties every weight to one λ; groups "
                                              "need scope per-layer");
    }
    // Whether each pattern matches a weight, and only one group, is known once the network is
    // built (models::lambdaLayout, when the run starts).
    for (std::size_t i = 0; i < box.groups.size(); ++i) {
        const auto& group = box.groups[i];
        const std::string key = "hyperparameters.groups[" + std::to_string(i) + "]";
        if (group.name.empty()) {
            checker.add(key + ".name", "a group needs a name (it labels the group's λ)");
        }
        if (group.match.empty()) {
            checker.add(key + ".match", "a group needs a pattern over weight names, such as "
                                        "\"features.*.weight\"");
        }
        for (std::size_t j = 0; j < i; ++j) {
            if (!group.name.empty() && box.groups[j].name == group.name) {
                checker.add(key + ".name", "the name '" + group.name + "' is also group " +
                                               std::to_string(j) + "'s; each λ needs its own");
                break;
            }
        }
    }
}

/// cpu | auto | cuda | cuda:N with N a non-negative decimal index.
bool isDeviceSpelling(std::string_view device) {
    if (device == "cpu" || device == "auto" || device == "cuda") {
        return true;
    }
    constexpr std::string_view kCudaPrefix = "cuda:";
    if (!device.starts_with(kCudaPrefix) || device.size() == kCudaPrefix.size()) {
        return false;
    }
    const std::string_view index = device.substr(kCudaPrefix.size());
    return index.size() <= 4 &&
           std::all_of(index.begin(), index.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void checkTraining(Checker& checker, const TrainingConfig& training) {
    if (!isDeviceSpelling(training.device)) {
        checker.add("training.device",
                    "expected cpu | cuda | cuda:N | auto, got '" + training.device + "'");
    }
    if (training.epochs >= 1 && training.warmupEpochs > training.epochs) {
        checker.add("training.warmup_epochs", "expected at most training.epochs (" +
                                                  std::to_string(training.epochs) + "), got " +
                                                  std::to_string(training.warmupEpochs));
    }
}

void checkMethods(Checker& checker, const std::vector<Method>& methods) {
    if (methods.empty()) {
        checker.add("methods", "expected at least one of " + allowedValues<Method>());
    }
    for (std::size_t i = 0; i < methods.size(); ++i) {
        const std::string key = "methods[" + std::to_string(i) + "]";
        if (toString(methods[i]).empty()) {
            checker.add(key, "unknown method; expected one of " + allowedValues<Method>());
            continue;
        }
        const auto first = std::find(methods.begin(), methods.end(), methods[i]);
        if (first != methods.begin() + static_cast<std::ptrdiff_t>(i)) {
            checker.add(key, "'" + std::string(toString(methods[i])) + "' is listed twice");
        }
    }
}

void checkBilevel(Checker& checker, const BilevelConfig& bilevel) {
    if (bilevel.initialSamples < 0 || bilevel.initialSamples == 1) {
        checker.add("bilevel.initial_samples", "expected 0 (automatic) or an integer >= 2, got " +
                                                   std::to_string(bilevel.initialSamples));
    }
    if (bilevel.constraint == ConstraintForm::Inequality) {
        // μ of the inequality form is a multiplier of h <= 0 and stays >= 0 by its update.
        checker.atLeast("bilevel.mu0", bilevel.mu0, 0.0);
    } else {
        checker.anyFinite("bilevel.mu0", bilevel.mu0);
    }
    if (checker.finite("bilevel.r_max", bilevel.rMax) && std::isfinite(bilevel.r0) &&
        bilevel.rMax < bilevel.r0) {
        checker.add("bilevel.r_max", "expected a number >= bilevel.r0 (" +
                                         formatNumber(bilevel.r0) + "), got " +
                                         formatNumber(bilevel.rMax));
    }
}

void checkBaselines(Checker& checker, const RunConfig& config) {
    if (config.bayesian.trials >= 1 && config.bayesian.initial > config.bayesian.trials) {
        checker.add("bayesian.initial",
                    "expected at most bayesian.trials (" + std::to_string(config.bayesian.trials) +
                        "), the total evaluations, got " + std::to_string(config.bayesian.initial));
    }
}

/// The position of a problem's key in the table order (config_schema.h): "model.hidden[1]" sits
/// with model.hidden; a key of no table after all others.
std::size_t keyOrder(const std::string& key) {
    const std::string base = key.substr(0, key.find('['));
    const auto& paths = allKeyPaths();
    return static_cast<std::size_t>(std::find(paths.begin(), paths.end(), base) - paths.begin());
}

} // namespace

std::vector<ConfigProblem> validate(const RunConfig& config) {
    Checker checker;
    visitSections(config, [&](std::string_view name, const auto& section) {
        checkRanges(checker, name, section);
    });
    checkDataset(checker, config.dataset);
    checkModel(checker, config.model);
    checkHyperparameters(checker, config.hyperparameters);
    checkTraining(checker, config.training);
    checkMethods(checker, config.methods);
    checkBilevel(checker, config.bilevel);
    checkBaselines(checker, config);
    // In the form's order, whichever rule found them.
    auto problems = checker.take();
    std::stable_sort(problems.begin(), problems.end(),
                     [](const ConfigProblem& a, const ConfigProblem& b) {
                         return keyOrder(a.key) < keyOrder(b.key);
                     });
    return problems;
}

} // namespace bt::config
