#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/events/run_status.h"

namespace bt::report {

// The JSON forms of numbers and the readers of one key, shared by every codec of result.json and
// of the run store's events (result_json.h, store/event_json.h).
//
// JSON has neither NaN nor infinity: a non-finite number is written as null and null is read
// back as NaN (an absent optional value is null too). This is the one place that rule lives.
//
// Readers: a missing key gives the fallback (the field's default); a value of the wrong JSON type
// throws std::invalid_argument whose message starts with the key ("val_loss: expected a number,
// not string"); decoders of nested objects put the enclosing keys in front ("metrics.val_loss").

/// `value`, or null when it is not finite.
nlohmann::json numberToJson(double value);

/// The value, or null when it is absent or not finite.
nlohmann::json numberToJson(const std::optional<double>& value);

/// An array of numberToJson(v).
nlohmann::json numbersToJson(const std::vector<double>& values);

/// The number at `key`: `fallback` when missing, NaN when null.
double readNumber(const nlohmann::json& object, const char* key, double fallback = 0.0);

/// The number at `key`; nullopt when missing or null.
std::optional<double> readOptionalNumber(const nlohmann::json& object, const char* key);

/// The array of numbers at `key` (null elements are NaN); empty when missing or null.
std::vector<double> readNumbers(const nlohmann::json& object, const char* key);

/// The array of strings at `key`; empty when missing or null.
std::vector<std::string> readTexts(const nlohmann::json& object, const char* key);

/// The integer at `key` (a fractional number is truncated); `fallback` when missing or null.
std::int64_t readInteger(const nlohmann::json& object, const char* key, std::int64_t fallback = 0);

/// readInteger for an int field.
/// @throws std::invalid_argument  also when the value does not fit in an int
int readInt(const nlohmann::json& object, const char* key, int fallback = 0);

/// The string at `key`; `fallback` when missing or null.
std::string readText(const nlohmann::json& object, const char* key,
                     const std::string& fallback = {});

/// The run status named at `key` ("completed", "cancelled", "failed", ...); `fallback` when
/// missing or null.
/// @throws std::invalid_argument  for any other text
events::RunStatus readRunStatus(const nlohmann::json& object, const char* key,
                                events::RunStatus fallback);

/// Throws std::invalid_argument ("expected an object, not array") unless `json` is an object.
void requireObject(const nlohmann::json& json);

/// Runs `decode()` and puts `where` in front of the message of a std::invalid_argument it
/// throws, so that a nested key's error names its whole path ("methods.grid.samples[2].status").
template <typename Decode>
auto within(const std::string& where, Decode&& decode) -> decltype(decode()) {
    try {
        return decode();
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(where + "." + e.what());
    }
}

/// Throws std::invalid_argument ("<where>: expected an object, not array") unless `value` is an
/// object.
void requireObject(const nlohmann::json& value, const std::string& where);

/// The object at `key` decoded by `decode(const nlohmann::json&)`; nullopt when missing or null.
template <typename Decode>
auto readObject(const nlohmann::json& object, const char* key, Decode&& decode)
    -> std::optional<decltype(decode(object))> {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
        return std::nullopt;
    }
    requireObject(*it, key);
    return within(key, [&] { return decode(*it); });
}

/// Each element of the array at `key` (objects) decoded by `decode(const nlohmann::json&)`, those
/// for which `keep(element)` holds; empty when missing or null.
template <typename Decode, typename Keep>
auto readArray(const nlohmann::json& object, const char* key, Decode&& decode, Keep&& keep)
    -> std::vector<decltype(decode(object))> {
    std::vector<decltype(decode(object))> values;
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
        return values;
    }
    if (!it->is_array()) {
        throw std::invalid_argument(std::string(key) + ": expected an array, not " +
                                    it->type_name());
    }
    for (std::size_t i = 0; i < it->size(); ++i) {
        const auto& element = (*it)[i];
        const auto where = std::string(key) + "[" + std::to_string(i) + "]";
        requireObject(element, where);
        if (keep(element)) {
            values.push_back(within(where, [&] { return decode(element); }));
        }
    }
    return values;
}

/// readArray keeping every element.
template <typename Decode>
auto readArray(const nlohmann::json& object, const char* key, Decode&& decode)
    -> std::vector<decltype(decode(object))> {
    return readArray(object, key, std::forward<Decode>(decode),
                     [](const nlohmann::json&) { return true; });
}

} // namespace bt::report
