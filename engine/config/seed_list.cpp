#include "engine/config/seed_list.h"

#include <algorithm>
#include <charconv>

#include "engine/core/error.h"

namespace bt::config {

namespace {

bool readNumber(std::string_view text, std::uint64_t& out) {
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, out);
    return !text.empty() && ec == std::errc() && ptr == end;
}

} // namespace

std::vector<std::uint64_t> parseSeedList(std::string_view text, const std::string& where) {
    std::vector<std::uint64_t> seeds;
    const auto add = [&](std::uint64_t seed) {
        if (std::find(seeds.begin(), seeds.end(), seed) != seeds.end()) {
            throw core::InputError(where, "seed " + std::to_string(seed) + " is named twice");
        }
        if (seeds.size() == kMaxSeeds) {
            throw core::InputError(where,
                                   "more than " + std::to_string(kMaxSeeds) + " seeds; name fewer");
        }
        seeds.push_back(seed);
    };
    std::size_t at = 0;
    while (at < text.size()) {
        const auto start = text.find_first_not_of(", \t", at);
        if (start == std::string_view::npos) {
            break;
        }
        auto stop = text.find_first_of(", \t", start);
        stop = stop == std::string_view::npos ? text.size() : stop;
        const auto token = text.substr(start, stop - start);
        at = stop;
        const auto dash = token.find('-', 1);
        std::uint64_t first = 0;
        std::uint64_t last = 0;
        const bool number = dash == std::string_view::npos && readNumber(token, first);
        const bool range = dash != std::string_view::npos &&
                           readNumber(token.substr(0, dash), first) &&
                           readNumber(token.substr(dash + 1), last);
        if (!number && !range) {
            throw core::InputError(where, "\"" + std::string(token) +
                                              "\" is not a seed (a whole number ≥ 0) or a range "
                                              "of seeds such as 0-2");
        }
        if (number) {
            add(first);
            continue;
        }
        if (last < first) {
            throw core::InputError(where, "the range " + std::string(token) +
                                              " runs backwards; write " + std::to_string(last) +
                                              "-" + std::to_string(first));
        }
        if (last - first >= kMaxSeeds) {
            throw core::InputError(where,
                                   "more than " + std::to_string(kMaxSeeds) + " seeds; name fewer");
        }
        for (std::uint64_t s = first; s <= last; ++s) {
            add(s);
        }
    }
    if (seeds.empty()) {
        throw core::InputError(where, "no seed given; name some, such as 0-2");
    }
    return seeds;
}

SeededRun seededRun(const RunConfig& config, const std::string& name, std::uint64_t seed) {
    SeededRun run{config, name + " · seed " + std::to_string(seed)};
    run.config.training.seed = seed;
    return run;
}

} // namespace bt::config
