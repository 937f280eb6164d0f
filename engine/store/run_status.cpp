#include "engine/store/run_status.h"

#include <array>
#include <utility>

namespace bt::store {

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

std::optional<RunStatus> parseRunStatus(std::string_view text) {
    for (const auto& [value, name] : kNames) {
        if (name == text) {
            return value;
        }
    }
    return std::nullopt;
}

} // namespace bt::store
