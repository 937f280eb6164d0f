#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bt::events {

/// A stored run's state. `Running` while a process works on it (its heartbeat fresh);
/// `Interrupted` when that process died without ending the run (kill -9, power loss), which the
/// store finds from a stale heartbeat; the other three are the ends of report::RunResult.
enum class RunStatus { Running, Completed, Failed, Cancelled, Interrupted };

/// "running", "completed", "failed", "cancelled", "interrupted".
std::string_view toString(RunStatus status);

/// The inverse of toString; nullopt for any other text.
std::optional<RunStatus> parseRunStatus(std::string_view text);

/// Whether a stored run in this state can be resumed: interrupted, cancelled or failed (a
/// completed run has nothing left, a running one belongs to its process).
bool canResume(RunStatus status);

} // namespace bt::events
