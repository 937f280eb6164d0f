#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bt::ui {

/// How a run-configuration field is edited and how its text becomes JSON.
enum class FieldKind {
    Integer, ///< a JSON integer
    Seed,    ///< a JSON unsigned 64-bit integer
    Number,  ///< a JSON number (finite)
    Boolean, ///< a check box
    Choice,  ///< one of fixed spellings (a combo box)
    Device,  ///< cpu | cuda | cuda:N | auto (an editable combo box)
    Text,    ///< a JSON string
    Path,    ///< a JSON string naming a file or folder, with a browse button
    Split,   ///< a split size: a count, -1, or a range "begin:end"
    IntList, ///< a list of integers "300, 100"
    Groups,  ///< λ groups "backbone = features.*.weight; head = head.weight"
    Methods, ///< the ordered list of methods to run
};

/// The section of the setup panel a field is shown in.
enum class FieldGroup {
    Methods,
    Data,
    Model,
    Hyperparameters,
    Training,
    Bilevel,
    Baselines,
    Compute
};

/// One field of the run configuration as the setup panel shows it, made from the key's row in
/// the engine's table (engine/config/config_schema.h): key path, label, unit, help and range;
/// defaults come from config::RunConfig{}.
struct FieldSpec {
    std::string key; ///< "bilevel.mu0"
    FieldGroup group;
    std::string_view label; ///< "Initial multiplier μ₀"
    FieldKind kind;
    std::string_view unit; ///< shown after the field ("epochs", "samples"); may be empty
    std::string tooltip;   ///< what it means and its range; the default is added
    std::vector<std::string_view> choices = {}; ///< Choice and Device: the spellings offered
    bool fileKindsOnly = false; ///< used only by csv and numpy datasets (disabled for others)
    /// Integer keys: the value shown as an empty field reading "automatic"
    /// (config::FieldInfo::automatic).
    std::optional<int> automatic = {};
};

/// Every field of the run configuration, in the order the panel shows them: by group, and in
/// table order within a group.
const std::vector<FieldSpec>& configFields();

/// The title of a group's box.
std::string_view groupTitle(FieldGroup group);

} // namespace bt::ui
