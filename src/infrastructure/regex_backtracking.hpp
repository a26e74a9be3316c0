// Which ECMAScript regular expressions make a backtracking engine (std::regex, valijson's)
// take exponential time: a repeated group that can match the same text in more than one
// way. Two shapes are refused:
//   - a repeated group (*, +, {n,}, {n,m} with m > 1) containing an unbounded repetition,
//     e.g. (a+)+, (\w*\s?)*, ((ab)*c)+, unless each pass of the group must begin or end
//     with a literal character that none of its inner repetitions can match, as in the
//     common separator forms ^[a-z]+(-[a-z]+)*$ and ^([0-9]+\.)*[0-9]+$;
//   - a repeated group whose alternatives can begin with the same character, e.g. (a|ab)*,
//     (\d|1)+ (an alternative not beginning with a plain literal counts as overlapping).
// Polynomial shapes are not refused but bounded: with k unbounded repetitions (plus one
// when the pattern is not anchored with ^), matching a failing subject of n bytes can take
// ~n^k steps (".*.*=.*" on 1 KiB: 9 s here). MaxSafeSubjectBytes caps n so that n^k stays
// within kBacktrackingBudget steps (~0.2 s).
// Pure: no I/O; std::regex is used only to test one character against one atom.
#pragma once

#include <cstddef>
#include <string>

namespace docledger::infrastructure {

// "" when `pattern` has neither shape, else a sentence naming the offending group.
// Patterns it cannot parse are left to std::regex to refuse ("").
std::string ExponentialBacktrackingRisk(const std::string& pattern);

inline constexpr double kBacktrackingBudget = 2e7;

// The longest subject (bytes, at most `ceiling`) that `pattern` may be matched against
// within kBacktrackingBudget steps.
std::size_t MaxSafeSubjectBytes(const std::string& pattern, std::size_t ceiling);

}  // namespace docledger::infrastructure
