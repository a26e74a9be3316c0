// SHA-256 and strict base64 for uploaded file content (OpenSSL libcrypto).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace docledger::infrastructure {

// Lower-case hex SHA-256 of `bytes`.
std::string Sha256Hex(std::string_view bytes);

// Standard base64 (RFC 4648, with padding; whitespace not allowed) -> bytes; nullopt when
// `text` is not valid base64.
std::optional<std::string> DecodeBase64(std::string_view text);

}  // namespace docledger::infrastructure
