#include "engine/core/error.h"

namespace bt::core {

namespace {
std::string compose(const std::string& where, const std::string& what) {
    return where.empty() ? what : where + ": " + what;
}
} // namespace

InputError::InputError(std::string where, const std::string& what)
    : std::runtime_error(compose(where, what)), m_where(std::move(where)) {}

} // namespace bt::core
