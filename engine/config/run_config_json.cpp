#include "engine/config/run_config_json.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <set>
#include <span>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>

#include <nlohmann/json.hpp>

#include "engine/config/config_error.h"
#include "engine/config/edit_distance.h"
#include "engine/config/format_number.h"
#include "engine/config/validate.h"

namespace bt::config {

using nlohmann::json;

namespace {

// The keys of each section: reading rejects any other, and toJson() writes exactly these
// (test_config_json checks that the two agree).
constexpr std::array<std::string_view, 10> kTopKeys{
    "dataset", "model", "hyperparameters", "training", "methods",
    "bilevel", "grid",  "random",          "bayesian", "hyperband"};
constexpr std::array<std::string_view, 12> kDatasetKeys{
    "kind",       "path", "train_path", "validation_path", "test_path", "train",
    "validation", "test", "seed",       "target",          "task",      "standardize"};
constexpr std::array<std::string_view, 2> kModelKeys{"kind", "hidden"};
constexpr std::array<std::string_view, 3> kHyperparameterKeys{"scope", "lower", "upper"};
constexpr std::array<std::string_view, 8> kTrainingKeys{
    "epochs", "batch_size", "learning_rate", "momentum", "nesterov", "seed", "device", "threads"};
constexpr std::array<std::string_view, 22> kBilevelKeys{"initial_samples",
                                                        "design",
                                                        "outer_iterations",
                                                        "mu0",
                                                        "r0",
                                                        "eta",
                                                        "r_max",
                                                        "epsilon",
                                                        "constraint",
                                                        "inner_steps",
                                                        "inner_lr_w",
                                                        "inner_lr_lambda",
                                                        "inner_momentum",
                                                        "inner_tolerance",
                                                        "clip",
                                                        "tolerance",
                                                        "lambda_tolerance",
                                                        "warm_start",
                                                        "sample_warm_start",
                                                        "warm_sample_epochs",
                                                        "log_surrogate",
                                                        "iterate_bounds_phi"};
constexpr std::array<std::string_view, 1> kGridKeys{"points_per_dim"};
constexpr std::array<std::string_view, 1> kRandomKeys{"trials"};
constexpr std::array<std::string_view, 2> kBayesianKeys{"trials", "initial"};
constexpr std::array<std::string_view, 2> kHyperbandKeys{"max_epochs", "eta"};

std::string join(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string indexed(const std::string& path, std::size_t index) {
    return path + "[" + std::to_string(index) + "]";
}

/// "string \"nan\"", "number 2.5", "null", "array [1,2]": what a value is, for messages.
std::string describe(const json& value) {
    constexpr std::size_t kMaxShown = 40;
    std::string kind;
    switch (value.type()) {
    case json::value_t::null:
        return "null";
    case json::value_t::boolean:
        kind = "boolean";
        break;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
        kind = "integer";
        break;
    case json::value_t::number_float:
        return "number " + formatNumber(value.get<double>());
    case json::value_t::string:
        kind = "string";
        break;
    case json::value_t::array:
        kind = "array";
        break;
    case json::value_t::object:
        kind = "object";
        break;
    default:
        return "a value of another kind";
    }
    std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
    if (text.size() > kMaxShown) {
        text = text.substr(0, kMaxShown - 3) + "...";
    }
    return kind + " " + text;
}

/// Reads the JSON form section by section into a RunConfig, collecting problems.
class Reader {
public:
    explicit Reader(std::vector<ConfigProblem>& problems) : m_problems(problems) {}

    void problem(std::string key, std::string message) {
        m_problems.push_back({std::move(key), std::move(message)});
    }

    /// True when `value` is an object; reports it otherwise, and reports every key of it that is
    /// not in `allowed`.
    bool object(const json& value, const std::string& path,
                std::span<const std::string_view> allowed) {
        if (!value.is_object()) {
            problem(path, "expected an object, got " + describe(value));
            return false;
        }
        for (const auto& item : value.items()) {
            const std::string& key = item.key();
            if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) {
                continue;
            }
            std::string message = "unknown key '" + key + "'";
            if (const auto nearest = nearestName(key, allowed)) {
                message += "; did you mean '" + std::string(*nearest) + "'?";
            } else {
                message += "; expected one of: ";
                for (std::size_t i = 0; i < allowed.size(); ++i) {
                    message += (i > 0 ? ", " : "") + std::string(allowed[i]);
                }
            }
            problem(join(path, key), std::move(message));
        }
        return true;
    }

    /// Reads `object[key]` into `out` when present and valid; `out` keeps its value otherwise.
    template <class T>
    void field(const json& object, const std::string& path, std::string_view key, T& out) {
        const auto it = object.find(std::string(key));
        if (it == object.end()) {
            return;
        }
        if (auto value = read<T>(*it, join(path, key))) {
            out = std::move(*value);
        }
    }

    template <class T>
    std::optional<T> read(const json& value, const std::string& key) {
        if constexpr (std::is_same_v<T, bool>) {
            if (value.is_boolean()) {
                return value.get<bool>();
            }
            problem(key, "expected true or false, got " + describe(value));
            return std::nullopt;
        } else if constexpr (std::is_same_v<T, std::string>) {
            if (value.is_string()) {
                return value.get<std::string>();
            }
            problem(key, "expected a string, got " + describe(value));
            return std::nullopt;
        } else if constexpr (std::is_same_v<T, std::filesystem::path>) {
            if (value.is_string()) {
                return std::filesystem::path(value.get<std::string>());
            }
            problem(key, "expected a path (a string), got " + describe(value));
            return std::nullopt;
        } else if constexpr (std::is_same_v<T, double>) {
            return readNumber(value, key);
        } else if constexpr (std::is_integral_v<T>) {
            return readInteger<T>(value, key);
        } else if constexpr (std::is_enum_v<T>) {
            return readEnum<T>(value, key);
        } else if constexpr (std::is_same_v<T, SplitSize>) {
            return readSplit(value, key);
        } else if constexpr (std::is_same_v<T, std::vector<int>>) {
            return readList<int>(value, key, "an array of integers");
        } else {
            static_assert(std::is_same_v<T, std::vector<Method>>);
            return readList<Method>(value, key, "an array of method names");
        }
    }

private:
    std::optional<double> readNumber(const json& value, const std::string& key) {
        if (!value.is_number()) {
            problem(key, "expected a number, got " + describe(value));
            return std::nullopt;
        }
        // JSON text cannot hold NaN or infinity, but a json built in memory (a form) can.
        const double number = value.get<double>();
        if (!std::isfinite(number)) {
            problem(key, "expected a finite number, got " + formatNumber(number));
            return std::nullopt;
        }
        return number;
    }

    /// An integer of type T: a JSON integer, or a number with no fractional part (1e4), that fits
    /// T. Ranges that mean something (epochs >= 1) are validate()'s.
    template <class T>
    std::optional<T> readInteger(const json& value, const std::string& key) {
        using Limits = std::numeric_limits<T>;
        const auto outOfRange = [&](bool below) {
            problem(key, below ? "expected an integer >= " + std::to_string(Limits::min()) +
                                     ", got " + describe(value)
                               : "expected an integer <= " + std::to_string(Limits::max()) +
                                     ", got " + describe(value));
            return std::nullopt;
        };
        if (value.is_number_unsigned()) {
            const auto number = value.get<std::uint64_t>();
            if (number > static_cast<std::uint64_t>(Limits::max())) {
                return outOfRange(false);
            }
            return static_cast<T>(number);
        }
        if (value.is_number_integer()) {
            const auto number = value.get<std::int64_t>();
            if constexpr (std::is_signed_v<T>) {
                if (number < static_cast<std::int64_t>(Limits::min())) {
                    return outOfRange(true);
                }
                if (number > static_cast<std::int64_t>(Limits::max())) {
                    return outOfRange(false);
                }
            } else if (number < 0) {
                return outOfRange(true);
            }
            return static_cast<T>(number);
        }
        if (value.is_number_float()) {
            const double number = value.get<double>();
            if (std::isfinite(number) && number == std::trunc(number)) {
                // Limits::max() is not exact as a double for 64-bit types; 2^digits is.
                const double upper = std::ldexp(1.0, Limits::digits);
                const double lower = std::is_signed_v<T> ? -upper : 0.0;
                if (number < lower) {
                    return outOfRange(true);
                }
                if (number >= upper) {
                    return outOfRange(false);
                }
                return static_cast<T>(number);
            }
        }
        problem(key, "expected an integer, got " + describe(value));
        return std::nullopt;
    }

    template <class E>
    std::optional<E> readEnum(const json& value, const std::string& key) {
        const std::string allowed = allowedValues<E>();
        if (!value.is_string()) {
            problem(key, "expected one of " + allowed + ", got " + describe(value));
            return std::nullopt;
        }
        const auto& name = value.get_ref<const std::string&>();
        if (const auto parsed = fromString<E>(name)) {
            return parsed;
        }
        std::array<std::string_view, EnumNames<E>::kNames.size()> names{};
        for (std::size_t i = 0; i < names.size(); ++i) {
            names[i] = EnumNames<E>::kNames[i].second;
        }
        constexpr std::string_view kNoun = std::is_same_v<E, Method> ? "method" : "value";
        std::string message = "unknown " + std::string(kNoun) + " '" + name + "'";
        if (const auto nearest = nearestName(name, names)) {
            message += "; did you mean '" + std::string(*nearest) + "'?";
        }
        problem(key, message + " (expected one of " + allowed + ")");
        return std::nullopt;
    }

    std::optional<SplitSize> readSplit(const json& value, const std::string& key) {
        if (value.is_number()) {
            if (auto count = readInteger<std::int64_t>(value, key)) {
                return SplitSize{*count};
            }
            return std::nullopt;
        }
        if (value.is_array() && value.size() == 2) {
            const auto begin = readInteger<std::int64_t>(value[0], indexed(key, 0));
            const auto end = readInteger<std::int64_t>(value[1], indexed(key, 1));
            if (begin && end) {
                return SplitSize{IndexRange{*begin, *end}};
            }
            return std::nullopt;
        }
        problem(key, "expected a count (an integer, -1 for all that remain) or a range "
                     "[begin, end), got " +
                         describe(value));
        return std::nullopt;
    }

    /// A list is taken only when every element reads; a bad element is reported at its index.
    template <class T>
    std::optional<std::vector<T>> readList(const json& value, const std::string& key,
                                           std::string_view expected) {
        if (!value.is_array()) {
            problem(key, "expected " + std::string(expected) + ", got " + describe(value));
            return std::nullopt;
        }
        std::vector<T> out;
        bool complete = true;
        for (std::size_t i = 0; i < value.size(); ++i) {
            if (auto element = read<T>(value[i], indexed(key, i))) {
                out.push_back(*element);
            } else {
                complete = false;
            }
        }
        return complete ? std::optional<std::vector<T>>(std::move(out)) : std::nullopt;
    }

    std::vector<ConfigProblem>& m_problems;
};

void readDataset(Reader& reader, const json& value, DatasetConfig& dataset) {
    const std::string path = "dataset";
    if (!reader.object(value, path, kDatasetKeys)) {
        return;
    }
    if (const auto it = value.find("kind"); it != value.end()) {
        dataset.kind = reader.read<DatasetKind>(*it, "dataset.kind");
    }
    reader.field(value, path, "path", dataset.path);
    reader.field(value, path, "train_path", dataset.trainPath);
    reader.field(value, path, "validation_path", dataset.validationPath);
    reader.field(value, path, "test_path", dataset.testPath);
    reader.field(value, path, "train", dataset.train);
    reader.field(value, path, "validation", dataset.validation);
    reader.field(value, path, "test", dataset.test);
    reader.field(value, path, "seed", dataset.seed);
    reader.field(value, path, "target", dataset.target);
    reader.field(value, path, "task", dataset.task);
    reader.field(value, path, "standardize", dataset.standardize);
}

void readModel(Reader& reader, const json& value, ModelConfig& model) {
    const std::string path = "model";
    if (!reader.object(value, path, kModelKeys)) {
        return;
    }
    reader.field(value, path, "kind", model.kind);
    reader.field(value, path, "hidden", model.hidden);
}

void readHyperparameters(Reader& reader, const json& value, HyperparameterConfig& box) {
    const std::string path = "hyperparameters";
    if (!reader.object(value, path, kHyperparameterKeys)) {
        return;
    }
    reader.field(value, path, "scope", box.scope);
    reader.field(value, path, "lower", box.lower);
    reader.field(value, path, "upper", box.upper);
}

void readTraining(Reader& reader, const json& value, TrainingConfig& training) {
    const std::string path = "training";
    if (!reader.object(value, path, kTrainingKeys)) {
        return;
    }
    reader.field(value, path, "epochs", training.epochs);
    reader.field(value, path, "batch_size", training.batchSize);
    reader.field(value, path, "learning_rate", training.learningRate);
    reader.field(value, path, "momentum", training.momentum);
    reader.field(value, path, "nesterov", training.nesterov);
    reader.field(value, path, "seed", training.seed);
    reader.field(value, path, "device", training.device);
    reader.field(value, path, "threads", training.threads);
}

void readBilevel(Reader& reader, const json& value, BilevelConfig& bilevel) {
    const std::string path = "bilevel";
    if (!reader.object(value, path, kBilevelKeys)) {
        return;
    }
    reader.field(value, path, "initial_samples", bilevel.initialSamples);
    reader.field(value, path, "design", bilevel.design);
    reader.field(value, path, "outer_iterations", bilevel.outerIterations);
    reader.field(value, path, "mu0", bilevel.mu0);
    reader.field(value, path, "r0", bilevel.r0);
    reader.field(value, path, "eta", bilevel.eta);
    reader.field(value, path, "r_max", bilevel.rMax);
    reader.field(value, path, "epsilon", bilevel.epsilon);
    reader.field(value, path, "constraint", bilevel.constraint);
    reader.field(value, path, "inner_steps", bilevel.innerSteps);
    reader.field(value, path, "inner_lr_w", bilevel.innerLrW);
    reader.field(value, path, "inner_lr_lambda", bilevel.innerLrLambda);
    reader.field(value, path, "inner_momentum", bilevel.innerMomentum);
    reader.field(value, path, "inner_tolerance", bilevel.innerTolerance);
    reader.field(value, path, "clip", bilevel.clip);
    reader.field(value, path, "tolerance", bilevel.tolerance);
    reader.field(value, path, "lambda_tolerance", bilevel.lambdaTolerance);
    reader.field(value, path, "warm_start", bilevel.warmStart);
    reader.field(value, path, "sample_warm_start", bilevel.sampleWarmStart);
    reader.field(value, path, "warm_sample_epochs", bilevel.warmSampleEpochs);
    reader.field(value, path, "log_surrogate", bilevel.logSurrogate);
    reader.field(value, path, "iterate_bounds_phi", bilevel.iterateBoundsPhi);
}

void readBaselines(Reader& reader, const json& value, RunConfig& config) {
    if (const auto it = value.find("grid");
        it != value.end() && reader.object(*it, "grid", kGridKeys)) {
        reader.field(*it, "grid", "points_per_dim", config.grid.pointsPerDim);
    }
    if (const auto it = value.find("random");
        it != value.end() && reader.object(*it, "random", kRandomKeys)) {
        reader.field(*it, "random", "trials", config.random.trials);
    }
    if (const auto it = value.find("bayesian");
        it != value.end() && reader.object(*it, "bayesian", kBayesianKeys)) {
        reader.field(*it, "bayesian", "trials", config.bayesian.trials);
        reader.field(*it, "bayesian", "initial", config.bayesian.initial);
    }
    if (const auto it = value.find("hyperband");
        it != value.end() && reader.object(*it, "hyperband", kHyperbandKeys)) {
        reader.field(*it, "hyperband", "max_epochs", config.hyperband.maxEpochs);
        reader.field(*it, "hyperband", "eta", config.hyperband.eta);
    }
}

/// True when `key` is `parent` or lies below it ("a" covers "a.b" and "a[0]", not "ab").
bool covers(const std::string& parent, const std::string& key) {
    if (parent.empty()) {
        return true;
    }
    if (!key.starts_with(parent)) {
        return false;
    }
    return key.size() == parent.size() || key[parent.size()] == '.' || key[parent.size()] == '[';
}

/// Reads and validates; throws ConfigError with `earlier` (problems found before reading, such
/// as duplicate keys) and every reading and validation problem.
RunConfig checkedRunConfig(const json& value, const std::string& source,
                           std::vector<ConfigProblem> earlier) {
    std::vector<ConfigProblem> reading;
    RunConfig config = readRunConfig(value, reading);
    std::vector<ConfigProblem> problems = std::move(earlier);
    problems.insert(problems.end(), reading.begin(), reading.end());
    for (ConfigProblem& problem : validate(config)) {
        const bool seen = std::any_of(reading.begin(), reading.end(), [&](const ConfigProblem& p) {
            return covers(p.key, problem.key);
        });
        if (!seen) {
            problems.push_back(std::move(problem));
        }
    }
    if (!problems.empty()) {
        throw ConfigError(source, std::move(problems));
    }
    return config;
}

/// The deepest nesting of objects and arrays a run configuration's text may have. The keys of
/// ARCHITECTURE.md nest three deep (dataset.train as a range); the limit keeps the parse linear
/// in the text (every open level holds its key path) and every later walk of the value shallow.
constexpr std::size_t kMaxNesting = 32;

/// Thrown from the parse callback when the text nests deeper than kMaxNesting.
struct NestingTooDeep {
    std::string key;
};

/// Follows the text while nlohmann::json parses it: finds keys given twice in one object (the
/// parser keeps the last silently, and a setting that is quietly ignored is the worst kind of
/// config mistake), knows the key path of the value being read (so that a syntax error or an
/// out-of-range number names its key) and stops nesting beyond kMaxNesting.
class TextTracker {
public:
    bool operator()(int /*depth*/, json::parse_event_t event, json& parsed) {
        switch (event) {
        case json::parse_event_t::object_start:
        case json::parse_event_t::array_start:
            if (m_frames.size() >= kMaxNesting) {
                // Named by a short prefix: the full path of the deepest level is as long as
                // the nesting.
                throw NestingTooDeep{m_frames[std::min<std::size_t>(3, m_frames.size() - 1)].path};
            }
            m_frames.push_back({event == json::parse_event_t::array_start, childPath()});
            break;
        case json::parse_event_t::object_end:
        case json::parse_event_t::array_end:
            if (!m_frames.empty()) {
                m_frames.pop_back();
            }
            if (!m_frames.empty()) {
                m_frames.back().valueDone = true;
            }
            break;
        case json::parse_event_t::key:
            if (!m_frames.empty()) {
                Frame& frame = m_frames.back();
                frame.key = parsed.get<std::string>();
                frame.valueDone = false;
                if (!frame.keys.insert(frame.key).second) {
                    m_problems.push_back({join(frame.path, frame.key),
                                          "key given twice in one object; give it once (the "
                                          "last one would silently win)"});
                }
            }
            break;
        case json::parse_event_t::value:
            if (!m_frames.empty()) {
                Frame& frame = m_frames.back();
                if (frame.isArray) {
                    ++frame.nextIndex;
                } else {
                    frame.valueDone = true;
                }
            }
            break;
        }
        return true;
    }

    /// The key path of the value being read, or of its object once the value is complete (a
    /// missing comma, a trailing comma); empty at the top level.
    std::string currentKey() const {
        if (m_frames.empty()) {
            return {};
        }
        const Frame& frame = m_frames.back();
        if (frame.isArray) {
            return indexed(frame.path, frame.nextIndex);
        }
        return frame.key.empty() || frame.valueDone ? frame.path : join(frame.path, frame.key);
    }

    std::vector<ConfigProblem> take() { return std::move(m_problems); }

private:
    struct Frame {
        bool isArray = false;
        std::string path;
        std::set<std::string> keys{};
        std::string key{};
        std::size_t nextIndex = 0;
        bool valueDone = false;
    };

    std::string childPath() {
        if (m_frames.empty()) {
            return {};
        }
        Frame& parent = m_frames.back();
        return parent.isArray ? indexed(parent.path, parent.nextIndex++)
                              : join(parent.path, parent.key);
    }

    std::vector<Frame> m_frames;
    std::vector<ConfigProblem> m_problems;
};

/// 1-based line and column of the character at 1-based position `byte` of `text` (what
/// nlohmann::json::parse_error::byte gives); past the end means just after the last character.
std::pair<std::size_t, std::size_t> lineColumn(std::string_view text, std::size_t byte) {
    const std::size_t end = std::min(byte > 0 ? byte - 1 : 0, text.size());
    std::size_t line = 1;
    std::size_t column = 1;
    for (std::size_t i = 0; i < end; ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return {line, column};
}

/// Length of the well-formed UTF-8 sequence at the start of `s` (RFC 3629: no overlong forms,
/// no surrogates, at most U+10FFFF), or 0 when it is not one.
std::size_t utf8SequenceLength(std::string_view s) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    const unsigned char lead = byte(0);
    std::size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        low = lead == 0xE0 ? 0xA0 : 0x80;
        high = lead == 0xED ? 0x9F : 0xBF;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        low = lead == 0xF0 ? 0x90 : 0x80;
        high = lead == 0xF4 ? 0x8F : 0xBF;
    } else {
        return 0;
    }
    if (s.size() < length || byte(1) < low || byte(1) > high) {
        return 0;
    }
    for (std::size_t i = 2; i < length; ++i) {
        if (byte(i) < 0x80 || byte(i) > 0xBF) {
            return 0;
        }
    }
    return length;
}

/// `text` with every byte that is not printable ASCII or part of well-formed UTF-8 written as
/// \xHH, so that a message quoting a broken file is itself valid, printable text.
std::string printable(std::string_view text) {
    constexpr std::string_view kHex = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x7F) {
            out.push_back(static_cast<char>(c));
            ++i;
        } else if (const std::size_t n = c >= 0x80 ? utf8SequenceLength(text.substr(i)) : 0;
                   n > 0) {
            out.append(text.substr(i, n));
            i += n;
        } else {
            out += "\\x";
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0x0F]);
            ++i;
        }
    }
    return out;
}

/// nlohmann's message without its "[json.exception.parse_error.101] parse error at line 1,
/// column 2: " prefix, which repeats what the error's location already says; printable (the
/// parser quotes what it last read, broken bytes included).
std::string parseErrorReason(const std::string& what) {
    const std::size_t at = what.find("parse error");
    const std::size_t colon = at == std::string::npos ? at : what.find(": ", at);
    return printable(colon == std::string::npos ? what : what.substr(colon + 2));
}

/// The word-like token (letters, digits, sign, point) around 0-based position `at` of `text`.
std::string_view tokenAt(std::string_view text, std::size_t at) {
    const auto isTokenChar = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '+' || c == '.';
    };
    at = std::min(at, text.size());
    std::size_t begin = at;
    while (begin > 0 && isTokenChar(text[begin - 1])) {
        --begin;
    }
    std::size_t end = at;
    while (end < text.size() && isTokenChar(text[end])) {
        ++end;
    }
    return text.substr(begin, end - begin);
}

/// "; JSON has no NaN or Infinity ..." when the syntax error is at such a token, else empty:
/// the parser alone says only "invalid literal".
std::string nonFiniteHint(std::string_view token) {
    std::string word;
    for (const char c : token) {
        if (c != '-' && c != '+') {
            word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        }
    }
    if (word == "nan" || word == "inf" || word == "infinity") {
        return "; JSON has no NaN or Infinity: expected a finite number";
    }
    return {};
}

/// The message of a nlohmann::json error without its "[json.exception.out_of_range.406] "
/// prefix, with the one the parser throws for numbers beyond a double in words.
std::string jsonErrorReason(const json::exception& e) {
    std::string what = e.what();
    if (const std::size_t close = what.find("] ");
        what.starts_with("[json.exception.") && close != std::string::npos) {
        what.erase(0, close + 2);
    }
    constexpr std::string_view kOverflow = "number overflow parsing '";
    if (what.starts_with(kOverflow) && what.ends_with("'")) {
        const std::string number =
            what.substr(kOverflow.size(), what.size() - kOverflow.size() - 1);
        return "the number " + number +
               " is beyond the range of a double (about ±1.8e308); expected a finite number";
    }
    return what;
}

json splitToJson(const SplitSize& size) {
    if (const auto* count = std::get_if<std::int64_t>(&size)) {
        return *count;
    }
    const auto& range = std::get<IndexRange>(size);
    return json::array({range.begin, range.end});
}

template <class E>
json enumToJson(E value) {
    return std::string(toString(value));
}

} // namespace

RunConfig readRunConfig(const json& value, std::vector<ConfigProblem>& problems) {
    RunConfig config;
    Reader reader(problems);
    if (!reader.object(value, "", kTopKeys)) {
        return config;
    }
    if (const auto it = value.find("dataset"); it != value.end()) {
        readDataset(reader, *it, config.dataset);
    }
    if (const auto it = value.find("model"); it != value.end()) {
        readModel(reader, *it, config.model);
    }
    if (const auto it = value.find("hyperparameters"); it != value.end()) {
        readHyperparameters(reader, *it, config.hyperparameters);
    }
    if (const auto it = value.find("training"); it != value.end()) {
        readTraining(reader, *it, config.training);
    }
    reader.field(value, "", "methods", config.methods);
    if (const auto it = value.find("bilevel"); it != value.end()) {
        readBilevel(reader, *it, config.bilevel);
    }
    readBaselines(reader, value, config);
    return config;
}

RunConfig parseRunConfig(const json& value, const std::string& source) {
    return checkedRunConfig(value, source, {});
}

RunConfig loadRunConfig(const std::filesystem::path& file) {
    const std::string name = file.string();
    const auto fail = [&](const std::string& where, const std::string& message) {
        return ConfigError(where, {{"", message}});
    };
    std::error_code error;
    const auto status = std::filesystem::status(file, error);
    if (status.type() == std::filesystem::file_type::not_found) {
        throw fail(name, "cannot read the run configuration: no such file");
    }
    if (status.type() == std::filesystem::file_type::directory) {
        throw fail(name, "cannot read the run configuration: this is a folder, not a file");
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        const std::string reason = error ? error.message() : std::generic_category().message(errno);
        throw fail(name, "cannot read the run configuration: " + reason);
    }
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad()) {
        throw fail(name, "cannot read the run configuration: read error");
    }
    return parseRunConfigText(text, name);
}

RunConfig parseRunConfigText(std::string_view text, const std::string& source) {
    TextTracker tracker;
    json value;
    try {
        value = json::parse(text, std::ref(tracker));
    } catch (const json::parse_error& e) {
        const auto [line, column] = lineColumn(text, e.byte);
        const std::string where =
            source.empty() ? "line " + std::to_string(line) + ", column " + std::to_string(column)
                           : source + ":" + std::to_string(line) + ":" + std::to_string(column);
        throw ConfigError(where, {{tracker.currentKey(),
                                   "invalid JSON: " + parseErrorReason(e.what()) +
                                       nonFiniteHint(tokenAt(text, e.byte > 0 ? e.byte - 1 : 0))}});
    } catch (const json::exception& e) {
        // Numbers beyond a double (1e400): nlohmann gives no position for them, the key it has.
        throw ConfigError(source, {{tracker.currentKey(), "invalid JSON: " + jsonErrorReason(e)}});
    } catch (const NestingTooDeep& e) {
        throw ConfigError(
            source, {{e.key, "objects and arrays nested more than " + std::to_string(kMaxNesting) +
                                 " levels deep; a run configuration nests at most "
                                 "3 (section, list, range)"}});
    }
    return checkedRunConfig(value, source, tracker.take());
}

json toJson(const RunConfig& config) {
    const DatasetConfig& d = config.dataset;
    json dataset = {
        {"kind", d.kind ? enumToJson(*d.kind) : json(nullptr)},
        {"path", d.path.string()},
        {"train_path", d.trainPath.string()},
        {"validation_path", d.validationPath.string()},
        {"test_path", d.testPath.string()},
        {"train", splitToJson(d.train)},
        {"validation", splitToJson(d.validation)},
        {"test", splitToJson(d.test)},
        {"seed", d.seed},
        {"target", d.target},
        {"task", enumToJson(d.task)},
        {"standardize", d.standardize},
    };
    const TrainingConfig& t = config.training;
    json training = {
        {"epochs", t.epochs},     {"batch_size", t.batchSize}, {"learning_rate", t.learningRate},
        {"momentum", t.momentum}, {"nesterov", t.nesterov},    {"seed", t.seed},
        {"device", t.device},     {"threads", t.threads},
    };
    json methods = json::array();
    for (const Method method : config.methods) {
        methods.push_back(enumToJson(method));
    }
    const BilevelConfig& b = config.bilevel;
    json bilevel = {
        {"initial_samples", b.initialSamples},
        {"design", enumToJson(b.design)},
        {"outer_iterations", b.outerIterations},
        {"mu0", b.mu0},
        {"r0", b.r0},
        {"eta", b.eta},
        {"r_max", b.rMax},
        {"epsilon", b.epsilon},
        {"constraint", enumToJson(b.constraint)},
        {"inner_steps", b.innerSteps},
        {"inner_lr_w", b.innerLrW},
        {"inner_lr_lambda", b.innerLrLambda},
        {"inner_momentum", b.innerMomentum},
        {"inner_tolerance", b.innerTolerance},
        {"clip", b.clip},
        {"tolerance", b.tolerance},
        {"lambda_tolerance", b.lambdaTolerance},
        {"warm_start", b.warmStart},
        {"sample_warm_start", b.sampleWarmStart},
        {"warm_sample_epochs", b.warmSampleEpochs},
        {"log_surrogate", b.logSurrogate},
        {"iterate_bounds_phi", b.iterateBoundsPhi},
    };
    return {
        {"dataset", std::move(dataset)},
        {"model", {{"kind", enumToJson(config.model.kind)}, {"hidden", config.model.hidden}}},
        {"hyperparameters",
         {{"scope", enumToJson(config.hyperparameters.scope)},
          {"lower", config.hyperparameters.lower},
          {"upper", config.hyperparameters.upper}}},
        {"training", std::move(training)},
        {"methods", std::move(methods)},
        {"bilevel", std::move(bilevel)},
        {"grid", {{"points_per_dim", config.grid.pointsPerDim}}},
        {"random", {{"trials", config.random.trials}}},
        {"bayesian", {{"trials", config.bayesian.trials}, {"initial", config.bayesian.initial}}},
        {"hyperband", {{"max_epochs", config.hyperband.maxEpochs}, {"eta", config.hyperband.eta}}},
    };
}

} // namespace bt::config
