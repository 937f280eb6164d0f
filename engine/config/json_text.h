#pragma once

#include <algorithm>
#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/config/config_problem.h"

namespace bt::config {

// What reading a run configuration's text needs besides the keys: key paths for messages, the
// parser's callback that tracks them, and the wording of JSON syntax errors.

/// "bilevel.mu0" from "bilevel" and "mu0"; the key alone at the top level.
std::string joinKey(const std::string& path, std::string_view key);
/// "model.hidden[1]".
std::string indexedKey(const std::string& path, std::size_t index);

/// The deepest nesting of objects and arrays a run configuration's text may have. The keys of
/// ARCHITECTURE.md nest three deep (dataset.train as a range); the limit keeps the parse linear
/// in the text (every open level holds its key path) and every later walk of the value shallow.
constexpr std::size_t kMaxNesting = 32;

/// Thrown from the parse callback when the text nests deeper than kMaxNesting.
struct NestingTooDeep {
    std::string key;
};

/// Follows the text while nlohmann::json parses it: finds keys given twice in one object (the
/// parser keeps the last silently, and a setting that is quietly ignored is the worst kind of
/// config mistake), knows the key path of the value being read (so that a syntax error or an
/// out-of-range number names its key) and stops nesting beyond kMaxNesting.
class TextTracker {
public:
    bool operator()(int /*depth*/, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
        switch (event) {
        case nlohmann::json::parse_event_t::object_start:
        case nlohmann::json::parse_event_t::array_start:
            if (m_frames.size() >= kMaxNesting) {
                // Named by a short prefix: the full path of the deepest level is as long as
                // the nesting.
                throw NestingTooDeep{m_frames[std::min<std::size_t>(3, m_frames.size() - 1)].path};
            }
            m_frames.push_back({event == nlohmann::json::parse_event_t::array_start, childPath()});
            break;
        case nlohmann::json::parse_event_t::object_end:
        case nlohmann::json::parse_event_t::array_end:
            if (!m_frames.empty()) {
                m_frames.pop_back();
            }
            if (!m_frames.empty()) {
                m_frames.back().valueDone = true;
            }
            break;
        case nlohmann::json::parse_event_t::key:
            if (!m_frames.empty()) {
                Frame& frame = m_frames.back();
                frame.key = parsed.get<std::string>();
                frame.valueDone = false;
                if (!frame.keys.insert(frame.key).second) {
                    m_problems.push_back({joinKey(frame.path, frame.key),
                                          "key given twice in one object; give it once (the "
                                          "last one would silently win)"});
                }
            }
            break;
        case nlohmann::json::parse_event_t::value:
            if (!m_frames.empty()) {
                Frame& frame = m_frames.back();
                if (frame.isArray) {
                    ++frame.nextIndex;
                } else {
                    frame.valueDone = true;
                }
            }
            break;
        }
        return true;
    }

    /// The key path of the value being read, or of its object once the value is complete (a
    /// missing comma, a trailing comma); empty at the top level.
    std::string currentKey() const {
        if (m_frames.empty()) {
            return {};
        }
        const Frame& frame = m_frames.back();
        if (frame.isArray) {
            return indexedKey(frame.path, frame.nextIndex);
        }
        return frame.key.empty() || frame.valueDone ? frame.path : joinKey(frame.path, frame.key);
    }

    std::vector<ConfigProblem> take() { return std::move(m_problems); }

private:
    struct Frame {
        bool isArray = false;
        std::string path;
        std::set<std::string> keys{};
        std::string key{};
        std::size_t nextIndex = 0;
        bool valueDone = false;
    };

    std::string childPath() {
        if (m_frames.empty()) {
            return {};
        }
        Frame& parent = m_frames.back();
        return parent.isArray ? indexedKey(parent.path, parent.nextIndex++)
                              : joinKey(parent.path, parent.key);
    }

    std::vector<Frame> m_frames;
    std::vector<ConfigProblem> m_problems;
};

/// 1-based line and column of the character at 1-based position `byte` of `text` (what
/// nlohmann::json::parse_error::byte gives); past the end means just after the last character.
std::pair<std::size_t, std::size_t> lineColumn(std::string_view text, std::size_t byte);

/// nlohmann's parse error message without its prefix, printable.
std::string parseErrorReason(const std::string& what);

/// The word-like token (letters, digits, sign, point) around 0-based position `at` of `text`.
std::string_view tokenAt(std::string_view text, std::size_t at);

/// "; JSON has no NaN or Infinity ..." when the syntax error is at such a token, else empty.
std::string nonFiniteHint(std::string_view token);

/// The message of a nlohmann::json error without its "[json.exception...] " prefix.
std::string jsonErrorReason(const nlohmann::json::exception& e);

} // namespace bt::config
