// Small pure checks on text that arrives from outside, and the string helpers every slice
// shares (trimming, UTF-8, decimal digits). The short ones are inline: the Markdown
// analyser calls them in its scanners.
#pragma once

#include <charconv>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace docledger::domain {

// ASCII white space, as std::isspace in the "C" locale: space, \t, \n, \v, \f, \r.
constexpr bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// `s` without leading and trailing ASCII white space.
constexpr std::string_view Trim(std::string_view s) {
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && IsAsciiSpace(s[b])) ++b;
  while (e > b && IsAsciiSpace(s[e - 1])) --e;
  return s.substr(b, e - b);
}

// `s` without leading and trailing spaces and tabs only (HTTP's optional white space).
constexpr std::string_view TrimSpaceTab(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The length in bytes of the well-formed UTF-8 character `text` starts with (1 to 4; no
// overlongs, no surrogates, <= U+10FFFF); 0 when it starts with none (or is empty).
constexpr std::size_t Utf8SequenceLength(std::string_view text) {
  if (text.empty()) return 0;
  const auto c = static_cast<unsigned char>(text[0]);
  if (c < 0x80) return 1;
  std::size_t len = 0;
  unsigned int cp = 0;
  if ((c & 0xE0) == 0xC0) {
    len = 2;
    cp = c & 0x1Fu;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    cp = c & 0x0Fu;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
    cp = c & 0x07u;
  } else {
    return 0;
  }
  if (len > text.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto next = static_cast<unsigned char>(text[k]);
    if ((next & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (next & 0x3Fu);
  }
  if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return 0;  // overlong
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool IsValidUtf8(std::string_view text);

// `text` as a decimal integer when it is 1 to `max_digits` ASCII digits (no sign, no
// spaces) whose value fits in Int; nullopt otherwise.
template <typename Int>
std::optional<Int> ParseDigits(std::string_view text, std::size_t max_digits = std::string_view::npos) {
  if (text.empty() || text.size() > max_digits) return std::nullopt;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  Int value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// `token` as one JSON Pointer reference token (RFC 6901): "~" -> "~0", "/" -> "~1".
std::string EscapeJsonPointerToken(std::string_view token);

// Canonical lower-case 8-4-4-4-12 form of a UUID given in any hex case; nullopt otherwise.
std::optional<std::string> CanonicalUuid(std::string_view text);

}  // namespace docledger::domain
