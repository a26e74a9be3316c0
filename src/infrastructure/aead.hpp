// The cryptographic primitives of payload sealing (docs/erasure.md), through OpenSSL's
// libcrypto: AES-256-GCM, HMAC-SHA256, random bytes, base64. Keys and bytes are held in
// std::string (binary). Nothing here knows about events or documents.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace docledger::infrastructure::crypto {

inline constexpr std::size_t kKeyBytes = 32;    // AES-256
inline constexpr std::size_t kNonceBytes = 12;  // GCM's standard nonce
inline constexpr std::size_t kTagBytes = 16;

// `count` bytes from the operating system's CSPRNG (RAND_bytes). Throws on failure.
std::string RandomBytes(std::size_t count);

// HMAC-SHA256(key, data): 32 bytes.
std::string HmacSha256(std::string_view key, std::string_view data);

// AES-256-GCM: ciphertext followed by the 16-byte tag. `key` has kKeyBytes, `nonce`
// kNonceBytes; `aad` is authenticated, not encrypted.
std::string SealAesGcm(std::string_view key, std::string_view nonce, std::string_view plaintext,
                       std::string_view aad);

// The plaintext, or nullopt when the tag does not verify (wrong key, wrong aad, or altered
// bytes).
std::optional<std::string> OpenAesGcm(std::string_view key, std::string_view nonce, std::string_view sealed,
                                      std::string_view aad);

// Standard base64 with padding.
std::string EncodeBase64(std::string_view bytes);

// Lower-case hex.
std::string Hex(std::string_view bytes);

}  // namespace docledger::infrastructure::crypto
