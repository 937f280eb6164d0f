#pragma once

// Text helpers of the CLI's printouts (cli_printer.cpp, across_printer.cpp).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "engine/report/method_result.h"

namespace bt::app {

/// `v` with `decimals` decimals; "-" when it is not finite.
std::string fixed(double v, int decimals = 4);
/// The columns `text` takes on a terminal: its UTF-8 code points (a run named "λ per layer" is
/// 11 wide, 12 bytes); every character is taken as one column wide.
std::size_t columnsOf(std::string_view text);
/// `text`, then spaces up to `width` columns (std::setw counts bytes).
std::string leftIn(const std::string& text, std::size_t width);
std::string joined(const std::vector<std::string>& names, const char* separator = ", ");
/// result.json's "methods" object (or one of its form) as results, in the order the run lists
/// its methods (a JSON object keeps its keys sorted), any it does not list after them.
std::vector<report::MethodResult> methodResultsOf(const nlohmann::json& methodResults,
                                                  const std::vector<std::string>& order);

} // namespace bt::app
