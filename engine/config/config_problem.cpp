#include "engine/config/config_problem.h"

namespace bt::config {

std::string ConfigProblem::toString() const {
    return key.empty() ? message : key + ": " + message;
}

} // namespace bt::config
