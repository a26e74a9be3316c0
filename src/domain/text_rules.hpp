// Small pure checks on text that arrives from outside.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace docledger::domain {

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool IsValidUtf8(std::string_view text);

// `token` as one JSON Pointer reference token (RFC 6901): "~" -> "~0", "/" -> "~1".
std::string EscapeJsonPointerToken(std::string_view token);

// Canonical lower-case 8-4-4-4-12 form of a UUID given in any hex case; nullopt otherwise.
std::optional<std::string> CanonicalUuid(std::string_view text);

}  // namespace docledger::domain
