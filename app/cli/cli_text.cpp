#include "app/cli/cli_text.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

#include <nlohmann/json.hpp>

#include "engine/report/result_json.h"

namespace bt::app {

std::string fixed(double v, int decimals) {
    if (!std::isfinite(v)) {
        return "-";
    }
    std::ostringstream s;
    s << std::fixed << std::setprecision(decimals) << v;
    return s.str();
}

std::size_t columnsOf(std::string_view text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80; // not a continuation byte
    }));
}

std::string leftIn(const std::string& text, std::size_t width) {
    const auto used = columnsOf(text);
    return text + std::string(width > used ? width - used : 0, ' ');
}

std::string joined(const std::vector<std::string>& names, const char* separator) {
    std::string out;
    for (const auto& name : names) {
        out += (out.empty() ? "" : separator) + name;
    }
    return out;
}

std::vector<report::MethodResult> methodResultsOf(const nlohmann::json& methodResults,
                                                  const std::vector<std::string>& order) {
    std::vector<report::MethodResult> results;
    if (!methodResults.is_object()) {
        return results;
    }
    for (const auto& name : order) {
        if (const auto it = methodResults.find(name); it != methodResults.end()) {
            results.push_back(report::methodResultFromJson(*it, name));
        }
    }
    for (const auto& [name, json] : methodResults.items()) {
        if (std::find(order.begin(), order.end(), name) == order.end()) {
            results.push_back(report::methodResultFromJson(json, name));
        }
    }
    return results;
}

} // namespace bt::app
