#pragma once

#include <stdexcept>
#include <string>

namespace bt::core {

/// Bad input from a user: a file, a config value, an argument. The message names what and where
/// (file and byte offset, line and column, or config key) and what was expected. Boundaries (the
/// CLI's main, the UI controller) catch it and report it; the CLI exits with code 2.
class InputError : public std::runtime_error {
public:
    /// @param where  the file, file:line:column, or config key the problem is in (may be empty)
    /// @param what   what is wrong and what was expected
    InputError(std::string where, const std::string& what);

    const std::string& where() const noexcept { return m_where; }

private:
    std::string m_where;
};

} // namespace bt::core
