#pragma once

#include <string>

namespace bt::config {

/// One thing wrong with a run configuration, in words.
struct ConfigProblem {
    /// The key path the problem is at: "bilevel.mu0", "model.hidden[1]", "dataset.train[0]";
    /// empty for the configuration as a whole (not an object, not valid JSON, not readable).
    std::string key;
    /// What is wrong and what was expected: "expected an integer >= 1, got 0".
    std::string message;

    /// "key: message", or the message alone when the key is empty.
    std::string toString() const;

    bool operator==(const ConfigProblem&) const = default;
};

} // namespace bt::config
