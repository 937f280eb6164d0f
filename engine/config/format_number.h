#pragma once

#include <string>

namespace bt::config {

/// The shortest text that reads back as exactly `value` ("0.05", "1e-04", "1000"), and "nan",
/// "inf", "-inf" for the non-finite values. For messages about config values.
std::string formatNumber(double value);

} // namespace bt::config
