// Small scanners over the TeX of one formula, for the semantic analyzer. Pure, linear in
// the input, never throw. They return views into / bytes of the input as they are: the
// caller makes them valid UTF-8.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace docledger::analysis {

// Distinct identifiers in first-seen order, at most `max_count`: single Latin letters and
// Greek letters (\alpha ... \Omega, U+0391..U+03C9), each with its subscript (x_i, x_{ij},
// \sigma_{\max}; a one-character braced subscript is written without braces). TeX commands
// other than Greek letters, digits and the arguments of text-like commands (\text,
// \mathrm, \operatorname, \label, \tag, \begin ...) are not identifiers.
std::vector<std::string> TexVariables(std::string_view tex, std::size_t max_count);

// Content of the first \label{...}; empty when there is none.
std::string_view TexLabel(std::string_view tex);

// Content of the first \tag{...} or \tag*{...}; empty when there is none.
std::string_view TexTag(std::string_view tex);

}  // namespace docledger::analysis
