// Which ECMAScript regular expressions make a backtracking engine (std::regex, valijson's)
// take exponential time: a repeated group that can match the same text in more than one
// way. Two shapes are refused:
//   - a repeated group (*, +, {n,}, {n,m} with m > 1) containing an unbounded repetition,
//     e.g. (a+)+, (\w*\s?)*, ((ab)*c)+, unless each pass of the group must begin or end
//     with a literal character that none of its inner repetitions can match, as in the
//     common separator forms ^[a-z]+(-[a-z]+)*$ and ^([0-9]+\.)*[0-9]+$;
//   - a repeated group whose alternatives can begin with the same character, e.g. (a|ab)*,
//     (\d|1)+ (an alternative not beginning with a plain literal counts as overlapping).
// Polynomial shapes (.*.*=.*) are left alone: subjects are capped at 2 KiB.
// Pure: no I/O; std::regex is used only to test one character against one atom.
#pragma once

#include <string>

namespace docledger::infrastructure {

// "" when `pattern` has neither shape, else a sentence naming the offending group.
// Patterns it cannot parse are left to std::regex to refuse ("").
std::string ExponentialBacktrackingRisk(const std::string& pattern);

}  // namespace docledger::infrastructure
