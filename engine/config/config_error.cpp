#include "engine/config/config_error.h"

#include <utility>

namespace bt::config {

namespace {
std::string describe(const std::vector<ConfigProblem>& problems) {
    if (problems.size() == 1) {
        return problems.front().toString();
    }
    std::string text = std::to_string(problems.size()) + " problems in the run configuration:";
    for (const ConfigProblem& problem : problems) {
        text += "\n  - " + problem.toString();
    }
    return text;
}
} // namespace

ConfigError::ConfigError(std::string where, std::vector<ConfigProblem> problems)
    : InputError(std::move(where), describe(problems)), m_problems(std::move(problems)) {}

} // namespace bt::config
