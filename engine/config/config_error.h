#pragma once

#include <string>
#include <vector>

#include "engine/config/config_problem.h"
#include "engine/core/error.h"

namespace bt::config {

/// A run configuration that cannot be used, with every problem found in it at once (so that a
/// user fixes them all in one edit, not one per run). An InputError: boundaries report it and the
/// CLI exits with code 2.
///
/// what() is "<where>: <problem>" for one problem and "<where>: N problems in the run
/// configuration:" followed by one indented "- key: message" line per problem otherwise.
class ConfigError : public bt::core::InputError {
public:
    /// @param where     the file (or file:line:column for a JSON syntax error) or other source
    ///                  the configuration came from, e.g. "the run form"; may be empty
    /// @param problems  what is wrong; @pre non-empty
    ConfigError(std::string where, std::vector<ConfigProblem> problems);

    /// Every problem, in the order they were found: section by section, as RunConfig lists them.
    const std::vector<ConfigProblem>& problems() const noexcept { return m_problems; }

private:
    std::vector<ConfigProblem> m_problems;
};

} // namespace bt::config
