#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "engine/config/config_problem.h"
#include "engine/config/run_config.h"

namespace bt::config {

// The JSON form of RunConfig: the keys of ARCHITECTURE.md in snake_case, enums by their spelling
// in config_enums.h, a split size as an integer or a [begin, end) array. Every key but
// dataset.kind may be left out and takes its default (run_config.h); unknown keys are an error.

/// Reads what it can of `json` into a RunConfig, without validating it: keys left out keep their
/// defaults, and so does every value with a problem. Appends to `problems` each unknown key (with
/// the nearest valid key when one is close), each value of the wrong type (a string "nan" where a
/// number belongs, 2.5 where an integer belongs), each integer that does not fit its field and
/// each unknown enum value or method (listing the allowed ones). For a form that shows a
/// half-valid file; everything else wants parseRunConfig().
RunConfig readRunConfig(const nlohmann::json& json, std::vector<ConfigProblem>& problems);

/// A RunConfig from its JSON form, read and validated.
/// @param source  where the JSON came from (a file name, "the run form"), named in the error
/// @throws ConfigError  with every problem of readRunConfig() and validate() at once; a
///         validation problem at or below the key of a reading problem is left out, because it is
///         the same mistake seen again (a wrong-typed dataset.kind is not also a missing one)
RunConfig parseRunConfig(const nlohmann::json& json, const std::string& source);

/// A RunConfig from JSON text (strict JSON: no comments), read and validated. Total: any bytes
/// give a RunConfig or a ConfigError, never another exception (fuzz/fuzz_config.cpp checks it).
/// @param source  where the text came from, named in the error; may be empty
/// @throws ConfigError  naming source:line:column (1-based) and the key being read for a JSON
///         syntax error (with a hint for NaN and Infinity, which JSON has not); the key for a
///         number beyond a double (1e400); the outermost keys for objects and arrays nested more
///         than 32 deep; and otherwise every problem at once, as parseRunConfig(), a key given
///         twice in one object included
RunConfig parseRunConfigText(std::string_view text, const std::string& source);

/// A RunConfig from a JSON file (strict JSON: no comments), read and validated.
/// @throws ConfigError  naming the path when the file is missing, a folder or unreadable;
///         otherwise as parseRunConfigText() with the path as the source
RunConfig loadRunConfig(const std::filesystem::path& file);

/// The full JSON form of `config`: every key, defaults included, so that a stored run says
/// exactly what it ran with. parseRunConfig(toJson(c), ...) == c for every valid c, also through
/// dump() and parse (doubles are written with enough digits to read back exactly). A missing
/// dataset.kind is written as null.
nlohmann::json toJson(const RunConfig& config);

/// One key whose value differs between two configurations: its path ("training.epochs") and
/// each one's value as its JSON form writes it (a string without its quotes, but the empty
/// string `""`, so that a list of them shows it).
struct KeyDifference {
    std::string key;
    std::string first;
    std::string second;

    bool operator==(const KeyDifference&) const = default;
};

/// The keys whose values differ between `first` and `second`, in allKeyPaths() order (the
/// form's): what a comparison of two runs names as the settings that changed.
std::vector<KeyDifference> differingKeys(const RunConfig& first, const RunConfig& second);

/// Keys named seed (`training.seed`, `dataset.seed`) that differ among `configs`, each with every
/// configuration's value, in the order differingKeys finds them: what sets several runs of the
/// same settings apart.
struct SeedValues {
    std::string key;
    std::vector<std::string> values; ///< one per configuration
};
/// @throws core::InputError  under `where`, naming each other key that differs: the run
///         (`names[i]`, one per configuration) and both values
std::vector<SeedValues> seedDifferences(const std::vector<RunConfig>& configs,
                                        const std::vector<std::string>& names,
                                        const std::string& where);

/// Two runs' configurations compared: the keys they differ in (differingKeys) and what makes the
/// data their figures are of differ, the rows they validate and test on or what they predict. A
/// comparison does not rank runs whose data differ.
/// - With both runs' data fingerprints (`firstData`, `secondData`: result.json's "data", objects
///   with "validation" and "test"): "validation rows" and "test rows" where that split's
///   fingerprint differs. The fingerprints see what the files held, so they also catch a file
///   that changed between runs of the same settings, and training rows of their own leave both
///   runs judged on the same rows.
/// - Otherwise (a run stored before fingerprints were kept) the keys that may: every dataset key
///   but standardize (which changes the inputs, not the rows), and seed only where either
///   configuration draws rows by it (seedDrawsRows).
struct ConfigComparison {
    std::vector<KeyDifference> differences;
    std::vector<std::string> dataDifferences;
    /// Whether the fingerprints decided (the runs did use other rows), not the keys (they may).
    bool fingerprinted = false;

    /// What a comparison says of runs whose data differ, after naming dataDifferences: "the runs
    /// validated or tested on different rows", or, decided by the keys, "the runs may validate
    /// and test on different rows".
    const char* dataDifferenceClause() const;
};
ConfigComparison compareConfigs(const RunConfig& first, const RunConfig& second,
                                const nlohmann::json& firstData, const nlohmann::json& secondData);
/// Without fingerprints: by the keys alone.
ConfigComparison compareConfigs(const RunConfig& first, const RunConfig& second);

} // namespace bt::config
