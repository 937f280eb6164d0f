#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "engine/events/events.h"

namespace bt::store {

// The JSON form of a run's events: what the store keeps in events.data and what
// `bilevel-tuner-cli run --json-events` prints, one object per line. Every object has "type"
// (eventType()); the other keys are the event's fields in snake_case, samples, outer iterations,
// metrics and cost in the result codec's form (report/result_json.h). Non-finite numbers are
// written as null and read back as NaN (report/json_fields.h: JSON has neither NaN nor infinity).

/// "sample", "gp-refit", "inner-progress", "outer-iteration", "log", "method-finished",
/// "finished".
std::string eventType(const events::Event& event);

/// Every field of `event`, and "type".
nlohmann::json eventToJson(const events::Event& event);

/// The inverse of eventToJson: eventFromJson(eventToJson(e)) equals e field by field (NaN for a
/// non-finite number). Keys left out take the field's default.
/// @throws std::invalid_argument  for an unknown "type" or a value of the wrong JSON type
events::Event eventFromJson(const nlohmann::json& json);

} // namespace bt::store
