#pragma once

#include "engine/report/method_result.h"

namespace bt::methods {

// A method's result is a plain value that the report layer (result.json, the exports) reads and
// writes too, so it is defined there, below the methods; these names keep the methods' spelling.
using AnytimePoint = report::AnytimePoint;
using MethodResult = report::MethodResult;

} // namespace bt::methods
