// libFuzzer target: the run-configuration parser on arbitrary bytes. Every input must give a
// RunConfig or a ConfigError with at least one problem; a valid configuration must survive the
// round trip a stored run makes (toJson, text, parse) unchanged.

#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "engine/config/config_error.h"
#include "engine/config/run_config.h"
#include "engine/config/run_config_json.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using bt::fuzz::require;
    try {
        const bt::config::RunConfig config =
            bt::config::parseRunConfigText(bt::fuzz::bytesOf(data, size), "fuzz.json");
        const std::string stored = bt::config::toJson(config).dump();
        const bt::config::RunConfig reread = bt::config::parseRunConfigText(stored, "stored");
        require(reread == config, "a valid configuration changed through toJson and back");
    } catch (const bt::config::ConfigError& e) {
        require(!e.problems().empty(), "a ConfigError without a problem");
        require(std::string(e.what()).size() > 0, "a ConfigError without a message");
    }
    return 0;
}
