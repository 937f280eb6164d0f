#include "engine/events/run_status.h"

#include <array>
#include <utility>

namespace bt::events {

namespace {
constexpr std::array<std::pair<RunStatus, std::string_view>, 5> kNames{{
    {RunStatus::Running, "running"},
    {RunStatus::Completed, "completed"},
    {RunStatus::Failed, "failed"},
    {RunStatus::Cancelled, "cancelled"},
    {RunStatus::Interrupted, "interrupted"},
}};
} // namespace

std::string_view toString(RunStatus status) {
    for (const auto& [value, name] : kNames) {
        if (value == status) {
            return name;
        }
    }
    return "running";
}

bool canResume(RunStatus status) {
    return status == RunStatus::Interrupted || status == RunStatus::Cancelled ||
           status == RunStatus::Failed;
}

std::optional<RunStatus> parseRunStatus(std::string_view text) {
    for (const auto& [value, name] : kNames) {
        if (name == text) {
            return value;
        }
    }
    return std::nullopt;
}

} // namespace bt::events
