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
#include "engine/config/config_schema.h"
#include "engine/config/edit_distance.h"
#include "engine/config/format_number.h"
#include "engine/config/json_text.h"
#include "engine/config/validate.h"
#include "engine/core/splits.h"

namespace bt::config {

using nlohmann::json;

namespace {

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

template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};

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
            problem(joinKey(path, key), std::move(message));
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
        if constexpr (IsOptional<T>::value) {
            // An optional key (dataset.kind, the split sizes) is absent again when its value is
            // bad, and null says it is left out (automatic split sizes).
            out = it->is_null() ? std::nullopt
                                : read<typename T::value_type>(*it, joinKey(path, key));
        } else if (auto value = read<T>(*it, joinKey(path, key))) {
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
        } else if constexpr (std::is_same_v<T, LambdaGroup>) {
            return readGroup(value, key);
        } else if constexpr (std::is_same_v<T, std::vector<LambdaGroup>>) {
            return readList<LambdaGroup>(value, key,
                                         "an array of groups {\"name\": ..., \"match\": ...}");
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
            const auto begin = readInteger<std::int64_t>(value[0], indexedKey(key, 0));
            const auto end = readInteger<std::int64_t>(value[1], indexedKey(key, 1));
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

    /// {"name": "backbone", "match": "features.*.weight"}: both strings, both required.
    std::optional<LambdaGroup> readGroup(const json& value, const std::string& key) {
        static constexpr std::array<std::string_view, 2> kKeys{"name", "match"};
        if (!object(value, key, kKeys)) {
            return std::nullopt;
        }
        LambdaGroup group;
        bool complete = true;
        const auto text = [&](std::string_view name, std::string& out) {
            const auto it = value.find(std::string(name));
            if (it == value.end()) {
                problem(joinKey(key, name), "a group needs a \"" + std::string(name) + "\"");
                complete = false;
            } else if (auto got = read<std::string>(*it, joinKey(key, name))) {
                out = std::move(*got);
            } else {
                complete = false;
            }
        };
        text("name", group.name);
        text("match", group.match);
        return complete ? std::optional<LambdaGroup>(std::move(group)) : std::nullopt;
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
            if (auto element = read<T>(value[i], indexedKey(key, i))) {
                out.push_back(*element);
            } else {
                complete = false;
            }
        }
        return complete ? std::optional<std::vector<T>>(std::move(out)) : std::nullopt;
    }

    std::vector<ConfigProblem>& m_problems;
};

/// Reads one section through its table (config_schema.h): every key it has, none other.
template <class Section>
void readSection(Reader& reader, const json& value, const std::string& path, Section& section) {
    if (!reader.object(value, path, keysOf<Section>())) {
        return;
    }
    visitFields(section, [&](const FieldInfo& info, auto& member) {
        reader.field(value, path, info.key, member);
    });
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

/// The JSON form of one key's value.
template <class T>
json valueToJson(const T& value) {
    if constexpr (std::is_enum_v<T>) {
        return std::string(toString(value));
    } else if constexpr (IsOptional<T>::value) {
        return value ? valueToJson(*value) : json(nullptr);
    } else if constexpr (std::is_same_v<T, std::filesystem::path>) {
        return value.string();
    } else if constexpr (std::is_same_v<T, SplitSize>) {
        if (const auto* count = std::get_if<std::int64_t>(&value)) {
            return *count;
        }
        const auto& range = std::get<IndexRange>(value);
        return json::array({range.begin, range.end});
    } else if constexpr (std::is_same_v<T, std::vector<Method>>) {
        json out = json::array();
        for (const Method method : value) {
            out.push_back(valueToJson(method));
        }
        return out;
    } else if constexpr (std::is_same_v<T, std::vector<LambdaGroup>>) {
        json out = json::array();
        for (const LambdaGroup& group : value) {
            out.push_back({{"name", group.name}, {"match", group.match}});
        }
        return out;
    } else {
        return value;
    }
}

/// One section's JSON form: every key of its table.
template <class Section>
json sectionToJson(const Section& section) {
    json out = json::object();
    visitFields(section, [&](const FieldInfo& info, const auto& member) {
        out[std::string(info.key)] = valueToJson(member);
    });
    return out;
}

} // namespace

RunConfig readRunConfig(const json& value, std::vector<ConfigProblem>& problems) {
    RunConfig config;
    Reader reader(problems);
    if (!reader.object(value, "", topLevelKeys())) {
        return config;
    }
    visitFields(config, [&](const FieldInfo& info, auto& member) {
        reader.field(value, "", info.key, member);
    });
    visitSections(config, [&](std::string_view name, auto& section) {
        if (const auto it = value.find(std::string(name)); it != value.end()) {
            readSection(reader, *it, std::string(name), section);
        }
    });
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
    json out = sectionToJson(config);
    visitSections(config, [&](std::string_view name, const auto& section) {
        out[std::string(name)] = sectionToJson(section);
    });
    return out;
}

std::vector<SeedValues> seedDifferences(const std::vector<RunConfig>& configs,
                                        const std::vector<std::string>& names,
                                        const std::string& where) {
    std::vector<SeedValues> seeds;
    std::string others;
    for (std::size_t i = 1; i < configs.size(); ++i) {
        for (const auto& d : differingKeys(configs.front(), configs[i])) {
            if (d.key != "seed" && !d.key.ends_with(".seed")) {
                others += (others.empty() ? "" : "; ") + names[i] + " " + d.key + " " + d.second +
                          " (" + names.front() + ": " + d.first + ")";
                continue;
            }
            auto it = std::find_if(seeds.begin(), seeds.end(),
                                   [&](const SeedValues& s) { return s.key == d.key; });
            if (it == seeds.end()) {
                seeds.push_back({d.key, std::vector<std::string>(configs.size(), d.first)});
                it = std::prev(seeds.end());
            }
            it->values[i] = d.second;
        }
    }
    if (!others.empty()) {
        throw core::InputError(where, "the runs differ in more than their seeds, so their "
                                      "figures are not of the same settings: " +
                                          others);
    }
    return seeds;
}

std::vector<KeyDifference> differingKeys(const RunConfig& first, const RunConfig& second) {
    const json a = toJson(first);
    const json b = toJson(second);
    const auto text = [](const json& value) {
        return value.is_string() && !value.get<std::string>().empty() ? value.get<std::string>()
                                                                      : value.dump();
    };
    std::vector<KeyDifference> out;
    for (const auto& path : allKeyPaths()) {
        std::string pointer = "/" + path;
        std::replace(pointer.begin(), pointer.end(), '.', '/');
        const auto& x = a.at(json::json_pointer(pointer));
        const auto& y = b.at(json::json_pointer(pointer));
        if (x != y) {
            out.push_back({path, text(x), text(y)});
        }
    }
    return out;
}

ConfigComparison compareConfigs(const RunConfig& first, const RunConfig& second,
                                const json& firstData, const json& secondData) {
    ConfigComparison out{differingKeys(first, second), {}};
    // Judged on the validation and test splits: training rows of their own leave runs comparable.
    static constexpr auto kJudgedOn = std::span(core::kSplitNames).subspan<1>();
    const auto fingerprinted = [](const json& data) {
        return data.is_object() &&
               std::all_of(kJudgedOn.begin(), kJudgedOn.end(),
                           [&](const char* split) { return data.contains(split); });
    };
    if (fingerprinted(firstData) && fingerprinted(secondData)) {
        out.fingerprinted = true;
        for (const char* split : kJudgedOn) {
            if (firstData.at(split) != secondData.at(split)) {
                out.dataDifferences.push_back(std::string(split) + " rows");
            }
        }
        return out;
    }
    const bool seedMatters = seedDrawsRows(first.dataset) || seedDrawsRows(second.dataset);
    for (const auto& d : out.differences) {
        const std::string_view key = d.key;
        if (key.starts_with("dataset.") && key != "dataset.standardize" &&
            (key != "dataset.seed" || seedMatters)) {
            out.dataDifferences.push_back(d.key);
        }
    }
    return out;
}

ConfigComparison compareConfigs(const RunConfig& first, const RunConfig& second) {
    return compareConfigs(first, second, json(), json());
}

const char* ConfigComparison::dataDifferenceClause() const {
    return fingerprinted ? "the runs validated or tested on different rows"
                         : "the runs may validate and test on different rows";
}

} // namespace bt::config
