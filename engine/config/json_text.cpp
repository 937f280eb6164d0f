#include "engine/config/json_text.h"

#include <algorithm>
#include <cctype>

namespace bt::config {

using nlohmann::json;

std::string joinKey(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string indexedKey(const std::string& path, std::size_t index) {
    return path + "[" + std::to_string(index) + "]";
}

namespace {

/// Length of the well-formed UTF-8 sequence at the start of `s` (RFC 3629: no overlong forms,
/// no surrogates, at most U+10FFFF), or 0 when it is not one.
std::size_t utf8SequenceLength(std::string_view s) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    const unsigned char lead = byte(0);
    std::size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        low = lead == 0xE0 ? 0xA0 : 0x80;
        high = lead == 0xED ? 0x9F : 0xBF;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        low = lead == 0xF0 ? 0x90 : 0x80;
        high = lead == 0xF4 ? 0x8F : 0xBF;
    } else {
        return 0;
    }
    if (s.size() < length || byte(1) < low || byte(1) > high) {
        return 0;
    }
    for (std::size_t i = 2; i < length; ++i) {
        if (byte(i) < 0x80 || byte(i) > 0xBF) {
            return 0;
        }
    }
    return length;
}

/// `text` with every byte that is not printable ASCII or part of well-formed UTF-8 written as
/// \xHH, so that a message quoting a broken file is itself valid, printable text.
std::string printable(std::string_view text) {
    constexpr std::string_view kHex = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x7F) {
            out.push_back(static_cast<char>(c));
            ++i;
        } else if (const std::size_t n = c >= 0x80 ? utf8SequenceLength(text.substr(i)) : 0;
                   n > 0) {
            out.append(text.substr(i, n));
            i += n;
        } else {
            out += "\\x";
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0x0F]);
            ++i;
        }
    }
    return out;
}

} // namespace

/// 1-based line and column of the character at 1-based position `byte` of `text` (what
/// nlohmann::json::parse_error::byte gives); past the end means just after the last character.
std::pair<std::size_t, std::size_t> lineColumn(std::string_view text, std::size_t byte) {
    const std::size_t end = std::min(byte > 0 ? byte - 1 : 0, text.size());
    std::size_t line = 1;
    std::size_t column = 1;
    for (std::size_t i = 0; i < end; ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return {line, column};
}

/// nlohmann's message without its "[json.exception.parse_error.101] parse error at line 1,
/// column 2: " prefix, which repeats what the error's location already says; printable (the
/// parser quotes what it last read, broken bytes included).
std::string parseErrorReason(const std::string& what) {
    const std::size_t at = what.find("parse error");
    const std::size_t colon = at == std::string::npos ? at : what.find(": ", at);
    return printable(colon == std::string::npos ? what : what.substr(colon + 2));
}

/// The word-like token (letters, digits, sign, point) around 0-based position `at` of `text`.
std::string_view tokenAt(std::string_view text, std::size_t at) {
    const auto isTokenChar = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '+' || c == '.';
    };
    at = std::min(at, text.size());
    std::size_t begin = at;
    while (begin > 0 && isTokenChar(text[begin - 1])) {
        --begin;
    }
    std::size_t end = at;
    while (end < text.size() && isTokenChar(text[end])) {
        ++end;
    }
    return text.substr(begin, end - begin);
}

/// "; JSON has no NaN or Infinity ..." when the syntax error is at such a token, else empty:
/// the parser alone says only "invalid literal".
std::string nonFiniteHint(std::string_view token) {
    std::string word;
    for (const char c : token) {
        if (c != '-' && c != '+') {
            word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        }
    }
    if (word == "nan" || word == "inf" || word == "infinity") {
        return "; JSON has no NaN or Infinity: expected a finite number";
    }
    return {};
}

/// The message of a nlohmann::json error without its "[json.exception.out_of_range.406] "
/// prefix, with the one the parser throws for numbers beyond a double in words.
std::string jsonErrorReason(const json::exception& e) {
    std::string what = e.what();
    if (const std::size_t close = what.find("] ");
        what.starts_with("[json.exception.") && close != std::string::npos) {
        what.erase(0, close + 2);
    }
    constexpr std::string_view kOverflow = "number overflow parsing '";
    if (what.starts_with(kOverflow) && what.ends_with("'")) {
        const std::string number =
            what.substr(kOverflow.size(), what.size() - kOverflow.size() - 1);
        return "the number " + number +
               " is beyond the range of a double (about ±1.8e308); expected a finite number";
    }
    return what;
}

} // namespace bt::config
