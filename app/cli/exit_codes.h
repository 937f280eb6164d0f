#pragma once

namespace bt::app::cli {

// The exit codes of the command-line contract (ARCHITECTURE.md, "Exit codes").
constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitCancelled = 130;

} // namespace bt::app::cli
