#include "engine/report/json_fields.h"

#include <cmath>
#include <limits>

namespace bt::report {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

[[noreturn]] void wrongType(const std::string& key, const char* expected,
                            const nlohmann::json& value) {
    throw std::invalid_argument(key + ": expected " + expected + ", not " + value.type_name());
}

// null is NaN: the inverse of numberToJson.
double number(const nlohmann::json& value, const std::string& key) {
    if (value.is_null()) {
        return kNaN;
    }
    if (!value.is_number()) {
        wrongType(key, "a number", value);
    }
    return value.get<double>();
}

} // namespace

nlohmann::json numberToJson(double value) {
    return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}

nlohmann::json numberToJson(const std::optional<double>& value) {
    return value ? numberToJson(*value) : nlohmann::json(nullptr);
}

nlohmann::json numbersToJson(const std::vector<double>& values) {
    auto array = nlohmann::json::array();
    for (double v : values) {
        array.push_back(numberToJson(v));
    }
    return array;
}

double readNumber(const nlohmann::json& object, const char* key, double fallback) {
    const auto it = object.find(key);
    return it == object.end() ? fallback : number(*it, key);
}

std::optional<double> readOptionalNumber(const nlohmann::json& object, const char* key) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
        return std::nullopt;
    }
    return number(*it, key);
}

std::vector<double> readNumbers(const nlohmann::json& object, const char* key) {
    std::vector<double> values;
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
        return values;
    }
    if (!it->is_array()) {
        wrongType(key, "an array of numbers", *it);
    }
    for (std::size_t i = 0; i < it->size(); ++i) {
        values.push_back(number((*it)[i], std::string(key) + "[" + std::to_string(i) + "]"));
    }
    return values;
}

std::vector<std::string> readTexts(const nlohmann::json& object, const char* key) {
    std::vector<std::string> values;
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
        return values;
    }
    if (!it->is_array()) {
        wrongType(key, "an array of strings", *it);
    }
    for (std::size_t i = 0; i < it->size(); ++i) {
        const auto& value = (*it)[i];
        if (!value.is_string()) {
            wrongType(std::string(key) + "[" + std::to_string(i) + "]", "a string", value);
        }
        values.push_back(value.get<std::string>());
    }
    return values;
}

std::int64_t readInteger(const nlohmann::json& object, const char* key, std::int64_t fallback) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
        return fallback;
    }
    if (!it->is_number()) {
        wrongType(key, "an integer", *it);
    }
    if (it->is_number_float()) {
        // Converting a double outside int64's range is undefined: refuse it.
        const double v = it->get<double>();
        if (!(v >= -0x1p63 && v < 0x1p63)) {
            throw std::invalid_argument(std::string(key) + ": " + it->dump() + " is out of range");
        }
        return static_cast<std::int64_t>(v);
    }
    return it->get<std::int64_t>();
}

int readInt(const nlohmann::json& object, const char* key, int fallback) {
    const auto value = readInteger(object, key, fallback);
    if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max()) {
        throw std::invalid_argument(std::string(key) + ": " + std::to_string(value) +
                                    " is out of range");
    }
    return static_cast<int>(value);
}

std::string readText(const nlohmann::json& object, const char* key, const std::string& fallback) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
        return fallback;
    }
    if (!it->is_string()) {
        wrongType(key, "a string", *it);
    }
    return it->get<std::string>();
}

events::RunStatus readRunStatus(const nlohmann::json& object, const char* key,
                                events::RunStatus fallback) {
    const auto text = readText(object, key);
    if (text.empty()) {
        return fallback;
    }
    const auto status = events::parseRunStatus(text);
    if (!status) {
        throw std::invalid_argument(std::string(key) +
                                    ": expected completed, cancelled, failed, "
                                    "running or interrupted, not '" +
                                    text + "'");
    }
    return *status;
}

void requireObject(const nlohmann::json& json) {
    if (!json.is_object()) {
        throw std::invalid_argument(std::string("expected an object, not ") + json.type_name());
    }
}

void requireObject(const nlohmann::json& value, const std::string& where) {
    if (!value.is_object()) {
        wrongType(where, "an object", value);
    }
}

} // namespace bt::report
