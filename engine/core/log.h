#pragma once

#include <memory>

#include <spdlog/logger.h>

namespace bt::core {

/// Name of the logger the engine logs to. The executables' main functions create it (with their
/// sinks); the engine only looks it up.
inline constexpr const char* kEngineLoggerName = "engine";

/// The engine's logger: the one registered under kEngineLoggerName, or a logger without sinks
/// when no main has set one up (tests, library use). Never null; logging through it never throws.
std::shared_ptr<spdlog::logger> engineLogger();

} // namespace bt::core
