// Signing per the Standard Webhooks specification (https://www.standardwebhooks.com/):
// a secret is "whsec_" + base64 of its bytes; a signature is "v1," + base64 of
// HMAC-SHA256(secret bytes, "<webhook-id>.<webhook-timestamp>.<body>"); the
// webhook-signature header lists one signature per valid secret, space-separated.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace docledger::subscriptions {

inline constexpr std::size_t kSecretBytes = 32;

// A new random secret (its bytes).
std::string NewSecret();
// The secret as receivers configure it: "whsec_<base64>".
std::string SecretText(std::string_view secret);

// "v1,<base64 signature>".
std::string Signature(std::string_view secret, std::string_view webhook_id, std::int64_t timestamp,
                      std::string_view body);
// The webhook-signature header: one signature per secret, in the given order.
std::string SignatureHeader(const std::vector<std::string>& secrets, std::string_view webhook_id,
                            std::int64_t timestamp, std::string_view body);

}  // namespace docledger::subscriptions
