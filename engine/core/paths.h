#pragma once

#include <filesystem>

namespace bt::core {

/// Per-user data folder: datasets and the run store. $BILEVEL_TUNER_DATA_DIR when set, else
/// $XDG_DATA_HOME/bilevel-tuner, else ~/.local/share/bilevel-tuner. Not created here.
std::filesystem::path dataDir();

/// Per-user state folder: log files. $XDG_STATE_HOME/bilevel-tuner, else
/// ~/.local/state/bilevel-tuner. Not created here.
std::filesystem::path stateDir();

} // namespace bt::core
